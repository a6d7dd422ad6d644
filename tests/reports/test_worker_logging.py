"""A real worker logs through Django's LOGGING: personal data in its log lines is masked."""

import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings

from config.celery import app as celery_app
from tests.reports.test_worker import worker_broker  # noqa: F401 - the fixture

ID_NUMBER = "513431199904092981"


@pytest.mark.celery_worker
@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_worker_log_lines_mask_id_numbers(worker_broker, tmp_path):  # noqa: F811
    queue, env = worker_broker
    log_path = tmp_path / "worker.log"
    with log_path.open("wb") as log:
        worker = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "config", "worker", "-Q", queue, "-n", f"{queue}@%h",
             "-P", "solo", "--without-gossip", "--without-mingle", "--without-heartbeat", "-l", "info"],
            cwd=settings.BASE_DIR, env=env, stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        try:
            # The worker logs an unregistered task with its arguments: an ID number among them.
            celery_app.send_task("tests.no_such_task", args=[ID_NUMBER], queue=queue)
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline and worker.poll() is None:
                if "no_such_task" in log_path.read_text(errors="replace"):
                    break
                time.sleep(0.5)
        finally:
            worker.terminate()
            try:
                worker.wait(timeout=20)
            except subprocess.TimeoutExpired:
                worker.kill()
                worker.wait()
    output = Path(log_path).read_text(errors="replace")
    assert "no_such_task" in output, output[-3000:]
    assert ID_NUMBER not in output
    assert "513431********2981" in output
