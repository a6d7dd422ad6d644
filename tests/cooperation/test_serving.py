"""The production serving configuration loads and keeps connections."""

import runpy
from pathlib import Path

from django.conf import settings


def test_gunicorn_configuration_loads(monkeypatch):
    monkeypatch.setenv("GUNICORN_WORKERS", "3")
    config = runpy.run_path(str(Path(settings.BASE_DIR) / "config" / "gunicorn.py"))
    assert config["workers"] == 3 and config["worker_class"] == "sync" and config["timeout"] == 30
    assert config["accesslog"] is None  # it would bypass the personal-data filter


def test_database_connections_persist_with_health_checks():
    database = settings.DATABASES["default"]
    assert database["CONN_MAX_AGE"] > 0 and database["CONN_HEALTH_CHECKS"] is True
