"""Real Celery workers and beats (subprocesses) against the test database.

The broker is the run's: Redis when CELERY_BROKER_URL is set (CI), otherwise kombu's filesystem
transport in this test's own folders. A queue of its own keeps parallel runs from taking each
other's tasks (CELERY_TASK_DEFAULT_QUEUE points the subprocesses' own sends at it too).

The killed-worker tests hold the report's row lock in a connection of their own, so that the
worker's generation waits on it, in flight, until the worker is killed: no test hook in the code.
"""

import datetime
import json
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import quote

import kombu.pools
import psycopg2
import pytest
import redis
from django.conf import settings
from django.db import connection
from django.utils import timezone
from django_celery_beat.models import IntervalSchedule, PeriodicTask

from config.celery import app as celery_app
from reports import services
from reports.models import Report
from reports.tasks import report_generate_task
from tests.factories import SecondmentFactory, TargetFactory
from tests.reports.factories import ReportFactory

WAIT_SECONDS = 90
# The subprocess workers' visibility timeout: the production one (4.5 minutes) scaled down.
TEST_VISIBILITY_TIMEOUT = 20
# A live worker's sweep of unacknowledged tasks (settings: unacked_restore_interval, throttle 1).
SWEEP_SECONDS = 10


def _database_url() -> str:
    db = connection.settings_dict
    host = db.get("HOST") or "127.0.0.1"
    if host.startswith("/"):
        host = quote(host, safe="")  # a socket directory
    user = quote(db.get("USER") or "", safe="")
    password = f":{quote(db['PASSWORD'], safe='')}" if db.get("PASSWORD") else ""
    port = f":{db['PORT']}" if db.get("PORT") else ""
    return f"postgres://{user}{password}@{host}{port}/{db['NAME']}"


def _reset_producer_pools():
    # The app keeps its broker connections in pools made from the configuration of the moment,
    # registered in kombu's process-wide registry: clear the registry (closing a pool but
    # leaving it registered would hand the closed pool to the next sender).
    kombu.pools.reset()
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


def _uses_redis() -> bool:
    return settings.CELERY_BROKER_URL.startswith(("redis://", "rediss://"))


@pytest.fixture
def worker_broker(tmp_path, monkeypatch):
    """Point this process's Celery app at the test's queue (and folders); returns the workers' env."""
    queue = f"test-reports-{uuid.uuid4().hex[:10]}"
    var_dir = tmp_path / "var"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": _database_url(),
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "PORTAL_VAR_DIR": str(var_dir),
        "CELERY_TASK_DEFAULT_QUEUE": queue,
    }
    env.pop("TEST_DATABASE_NAME", None)
    if settings.CELERY_BROKER_URL.startswith("filesystem://"):
        queue_dir = var_dir / "celery" / "queue"
        queue_dir.mkdir(parents=True)
        (var_dir / "celery" / "processed").mkdir()
        (var_dir / "celery" / "control").mkdir()
        options = {
            "control_folder": str(var_dir / "celery" / "control"),
            "data_folder_in": str(queue_dir),
            "data_folder_out": str(queue_dir),
            "processed_folder": str(var_dir / "celery" / "processed"),
            "store_processed": False,
        }
        monkeypatch.setitem(celery_app.conf, "broker_transport_options", options)
    monkeypatch.setitem(celery_app.conf, "task_default_queue", queue)
    # The run's broker, whatever an earlier test left in the app's configuration.
    monkeypatch.setitem(celery_app.conf, "broker_url", settings.CELERY_BROKER_URL)
    _reset_producer_pools()
    yield queue, env
    _reset_producer_pools()


class Processes:
    """The workers and beats a test starts, each logging to its own file; all stopped at the end."""

    def __init__(self, tmp_path, queue, env):
        self.tmp_path, self.queue, self.env = tmp_path, queue, env
        self.running: list[subprocess.Popen] = []
        self.logs: dict[int, Path] = {}

    def start(self, name: str, args: list[str], env: dict | None = None) -> subprocess.Popen:
        path = self.tmp_path / f"{name}.log"
        with path.open("wb") as log:
            process = subprocess.Popen(
                [sys.executable, "-m", "celery", "-A", "config", *args, "-l", "info"],
                cwd=settings.BASE_DIR, env=env or self.env, stdout=log, stderr=subprocess.STDOUT,
            )  # fmt: skip
        self.running.append(process)
        self.logs[process.pid] = path
        return process

    def worker(self, name: str, pool: str = "solo", env: dict | None = None) -> subprocess.Popen:
        args = ["worker", "-Q", self.queue, "-n", f"{name}-{self.queue}@%h", "-P", pool,
                "--without-gossip", "--without-mingle", "--without-heartbeat"]  # fmt: skip
        if pool == "prefork":
            args += ["--concurrency", "1"]
        return self.start(name, args, env)

    def beat(self, name: str) -> subprocess.Popen:
        scheduler = "django_celery_beat.schedulers:DatabaseScheduler"
        return self.start(name, ["beat", "-S", scheduler, "--max-interval", "1"])

    def log(self, process: subprocess.Popen) -> str:
        return self.logs[process.pid].read_text(errors="replace")

    def wait_ready(self, *processes: subprocess.Popen) -> None:
        for process in processes:
            wait_for(lambda process=process: " ready." in self.log(process), f"{process.args} to be ready", self)

    def kill_tree(self, process: subprocess.Popen) -> list[int]:
        """SIGKILL the main process, then its pool children (as a crash or the OOM killer would)."""
        children = _children(process.pid)
        process.send_signal(signal.SIGKILL)
        for child in children:
            try:
                os.kill(child, signal.SIGKILL)
            except ProcessLookupError:
                pass
        process.wait(timeout=10)
        return children

    def stop(self, process: subprocess.Popen) -> None:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill_tree(process)

    def stop_all(self) -> None:
        for process in self.running:
            self.stop(process)

    def tails(self) -> str:
        return "\n".join(f"--- {path.name}\n{path.read_text(errors='replace')[-2500:]}" for path in self.logs.values())


def _children(pid: int) -> list[int]:
    children = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(fields[1]) == pid:
            children.append(int(stat.parent.name))
    return children


def wait_for(predicate, what: str, processes: Processes | None = None, timeout: float = WAIT_SECONDS):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.25)
    raise AssertionError(f"timed out waiting for {what}\n{processes.tails() if processes else ''}")


@pytest.fixture
def processes(worker_broker, tmp_path):
    queue, env = worker_broker
    started = Processes(tmp_path, queue, env)
    yield started
    started.stop_all()


class RowLock:
    """The report's row lock, held in a connection of the test's own (as a generation holds it)."""

    def __init__(self, report_id: int):
        db = connection.settings_dict
        self.connection = psycopg2.connect(
            dbname=db["NAME"], user=db.get("USER") or None, password=db.get("PASSWORD") or None,
            host=db.get("HOST") or "127.0.0.1", port=db.get("PORT") or None,
        )  # fmt: skip
        with self.connection.cursor() as cursor:
            cursor.execute(f"SELECT id FROM {Report._meta.db_table} WHERE id = %s FOR UPDATE", [report_id])

    def waiters(self) -> int:
        """Other sessions of the test database waiting for a lock (the worker's generation)."""
        with self.connection.cursor() as cursor:
            cursor.execute("SELECT pg_stat_clear_snapshot()")  # else frozen for the transaction
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                " AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()"
            )
            return cursor.fetchone()[0]

    def release(self) -> None:
        if not self.connection.closed:
            self.connection.rollback()
            self.connection.close()


def _generations(report: Report) -> int:
    """How many times the report was generated: its history rows that turned it done."""
    rows = list(report.history.order_by("history_date", "history_id").values_list("status", flat=True))
    return sum(1 for before, after in zip([None, *rows], rows, strict=False) if after == "done" and before != "done")


def _received(processes: Processes, process: subprocess.Popen) -> int:
    """How many generation tasks the worker received."""
    return sum(1 for line in processes.log(process).splitlines() if "reports.generate[" in line and "received" in line)


@pytest.mark.celery_worker
@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_generates_the_report(regions, processes):
    SecondmentFactory.create_batch(2, region=regions["zhaojue"])
    TargetFactory(year=2023, indicator="talent.cadres", value=4)
    worker = processes.worker("worker")
    # Committed at once (transactional test): on_commit sends the task to the test's queue.
    report = services.report_request(kind="annual", period_start=datetime.date(2023, 1, 1))
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline and worker.poll() is None:
        report.refresh_from_db()
        if report.status != "pending":
            break
        time.sleep(0.5)
    processes.stop(worker)
    assert report.status == "done", processes.tails()
    stored = Report.objects.get(pk=report.pk)
    cadres = next(item for item in stored.indicators if item["key"] == "talent.cadres")
    assert (cadres["value"], cadres["completion"]) == (2, 0.5)
    assert stored.file and Path(stored.file.path).is_file()


@pytest.mark.celery_worker
@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_a_killed_workers_report_is_redelivered_to_a_running_worker(processes):
    """SIGKILL a worker in the middle of a generation: another worker, already running, gets the
    task back from Redis once the visibility timeout has passed, and generates the report once."""
    if not _uses_redis():
        pytest.skip(
            "kombu's filesystem transport has no acknowledgement emulation: a message is deleted when "
            "a worker receives it, so there is nothing to redeliver (the requeue test covers the loss)"
        )
    env = {**processes.env, "CELERY_VISIBILITY_TIMEOUT": str(TEST_VISIBILITY_TIMEOUT)}
    report = ReportFactory(kind="annual", period_start=datetime.date(2023, 1, 1), requested_at=timezone.now())
    lock = RowLock(report.pk)
    try:
        first, second = processes.worker("first", "prefork", env), processes.worker("second", "prefork", env)
        processes.wait_ready(first, second)
        sent = time.monotonic()
        report_generate_task.delay(report.pk)
        wait_for(lambda: lock.waiters() == 1, "a worker's generation to wait for the row lock", processes)
        taker, other = (first, second) if _received(processes, first) else (second, first)
        assert _received(processes, taker) == 1 and _received(processes, other) == 0, processes.tails()
        children = processes.kill_tree(taker)
        killed = time.monotonic()
        assert children and not any(Path(f"/proc/{pid}").exists() for pid in _children(taker.pid))
        assert killed - sent < TEST_VISIBILITY_TIMEOUT, "the worker was killed too late for this test"
        lock.release()  # the killed worker's PostgreSQL session ends: nothing is written
    finally:
        lock.release()

    def done():
        report.refresh_from_db()
        return report.status == "done"

    wait_for(done, "the report to be generated again", processes, TEST_VISIBILITY_TIMEOUT + SWEEP_SECONDS + 30)
    elapsed, after_kill = time.monotonic() - sent, time.monotonic() - killed
    print(f"redelivered and generated {elapsed:.1f} s after it was sent ({after_kill:.1f} s after the kill)")
    assert _received(processes, other) == 1, processes.tails()
    # Not before the visibility timeout (the task was not given to two live workers at once) and
    # within one sweep of the running worker after it.
    assert TEST_VISIBILITY_TIMEOUT - 1 <= elapsed <= TEST_VISIBILITY_TIMEOUT + SWEEP_SECONDS + 15
    assert (report.attempts, _generations(report)) == (1, 1)


@pytest.mark.celery_worker
@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_a_report_whose_task_was_lost_with_its_worker_is_requeued(processes):
    """The broker lost the task of a killed worker (filesystem transport; with Redis, the task is
    dropped from the unacknowledged set): the stale-report requeue sends it again."""
    asked = timezone.now() - services.STALE_AFTER - datetime.timedelta(seconds=30)
    report = ReportFactory(kind="annual", period_start=datetime.date(2023, 1, 1), requested_at=asked)
    lock = RowLock(report.pk)
    try:
        first = processes.worker("first", "prefork")
        processes.wait_ready(first)
        report_generate_task.delay(report.pk)
        wait_for(lambda: lock.waiters() == 1, "the worker's generation to wait for the row lock", processes)
        # Being generated (its row is locked): the requeue leaves it alone.
        assert services.report_requeue_stale() == []
        processes.kill_tree(first)
        lock.release()
    finally:
        lock.release()
    if _uses_redis():
        _drop_unacknowledged(processes.queue)
    second = processes.worker("second", "prefork")
    processes.wait_ready(second)
    time.sleep(2)
    report.refresh_from_db()
    assert report.status == "pending" and _received(processes, second) == 0, processes.tails()

    started = time.monotonic()
    assert services.report_requeue_stale() == [report.pk]

    def done():
        report.refresh_from_db()
        return report.status == "done"

    wait_for(done, "the requeued report to be generated", processes, 60)
    print(f"requeued report generated in {time.monotonic() - started:.1f} s")
    assert (report.attempts, _generations(report)) == (1, 1)
    assert services.report_requeue_stale() == []


def _drop_unacknowledged(queue: str) -> None:
    """Lose the killed worker's task: remove it from kombu's unacknowledged set in Redis."""
    client = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    dropped = 0
    for tag, raw in client.hgetall("unacked").items():
        _payload, _exchange, routing_key = json.loads(raw)
        if routing_key == queue:
            client.hdel("unacked", tag)
            client.zrem("unacked_index", tag)
            dropped += 1
    assert dropped == 1


@pytest.mark.celery_worker
@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_two_beats_firing_the_same_schedule_generate_the_report_once(processes):
    """Two real beats (DatabaseScheduler) both fire a schedule every 2 seconds, several times:
    one worker runs every firing, and the period's report is requested and generated once."""
    PeriodicTask.objects.update(enabled=False)  # only the test's entry
    every = IntervalSchedule.objects.create(every=2, period=IntervalSchedule.SECONDS)
    PeriodicTask.objects.create(
        name="test: monthly report", task="reports.request_previous_period", interval=every,
        kwargs=json.dumps({"kind": "monthly"}),
    )  # fmt: skip
    worker = processes.worker("worker")
    processes.wait_ready(worker)
    beats = [processes.beat("beat-1"), processes.beat("beat-2")]

    def fired(beat):
        return processes.log(beat).count("Sending due task test: monthly report")

    wait_for(lambda: all(fired(beat) >= 2 for beat in beats), "both beats to fire twice", processes)
    for beat in beats:
        processes.stop(beat)
    firings = sum(fired(beat) for beat in beats)

    def all_run():
        log = processes.log(worker)
        return log.count("Task reports.request_previous_period[") >= 2 * firings and "reports.generate[" in log

    wait_for(all_run, f"the worker to run the {firings} firings", processes)
    report = Report.objects.get()
    wait_for(lambda: Report.objects.get().status == "done", "the report to be generated", processes)
    time.sleep(2)  # any further generation would show now
    processes.stop(worker)
    report.refresh_from_db()
    requests = set(report.history.exclude(requested_at=None).values_list("requested_at", flat=True))
    print(f"{firings} firings of two beats: {len(requests)} request(s), {_generations(report)} generation(s)")
    assert firings >= 4
    assert (len(requests), _generations(report), report.status) == (1, 1, "done"), processes.tails()
