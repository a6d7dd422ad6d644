"""A real Celery worker (a subprocess) generates a queued report against the test database.

The broker is the run's: Redis when CELERY_BROKER_URL is set (CI), otherwise kombu's filesystem
transport in this test's own folders. A queue of its own keeps parallel runs from taking each
other's tasks.
"""

import datetime
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import quote

import kombu.pools
import pytest
from django.conf import settings
from django.db import connection

from cooperation.celery import app as celery_app
from cooperation.reports import services
from cooperation.reports.models import Report
from tests.factories import SecondmentFactory, TargetFactory

WAIT_SECONDS = 90


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


@pytest.fixture
def worker_broker(tmp_path, monkeypatch):
    """Point this process's Celery app at the test's queue (and folders); returns the worker's env."""
    queue = f"test-reports-{uuid.uuid4().hex[:10]}"
    var_dir = tmp_path / "var"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cooperation.settings.test",
        "DATABASE_URL": _database_url(),
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "PORTAL_VAR_DIR": str(var_dir),
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


@pytest.mark.celery_worker
@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_generates_the_report(regions, worker_broker, tmp_path):
    queue, env = worker_broker
    SecondmentFactory.create_batch(2, region=regions["zhaojue"])
    TargetFactory(year=2023, indicator="talent.cadres", value=4)
    log = (tmp_path / "worker.log").open("wb")
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "cooperation", "worker", "-Q", queue, "-n", f"{queue}@%h",
         "-P", "solo", "--without-gossip", "--without-mingle", "--without-heartbeat", "-l", "info"],
        cwd=settings.BASE_DIR, env=env, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    try:
        # Committed at once (transactional test): on_commit sends the task to the test's queue.
        report = services.report_request(kind="annual", period_start=datetime.date(2023, 1, 1))
        deadline = time.monotonic() + WAIT_SECONDS
        while time.monotonic() < deadline and worker.poll() is None:
            report.refresh_from_db()
            if report.status != "pending":
                break
            time.sleep(0.5)
    finally:
        worker.send_signal(signal.SIGTERM)
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()
        log.close()
    output = Path(log.name).read_text(errors="replace")[-3000:]
    assert report.status == "done", output
    stored = Report.objects.get(pk=report.pk)
    cadres = next(item for item in stored.indicators if item["key"] == "talent.cadres")
    assert (cadres["value"], cadres["completion"]) == (2, 0.5)
    assert stored.file and Path(stored.file.path).is_file()
