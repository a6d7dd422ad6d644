"""/healthz: 200 when the database and the broker answer, 503 naming what is down."""

import pytest

from config.celery import app as celery_app


@pytest.mark.django_db
def test_healthy(client):
    response = client.get("/healthz")
    assert response.status_code == 200, response.json()
    assert response.json() == {"status": "ok", "checks": {"database": "ok", "broker": "ok"}}


@pytest.mark.django_db
def test_broker_down_is_503_naming_the_broker(client, monkeypatch):
    # Nothing listens on port 1: the broker is unreachable, as when Redis is stopped. (Celery
    # reads CELERY_BROKER_URL from the environment before its own configuration.)
    # Patch the configuration before the environment, so that the value monkeypatch restores
    # afterwards is the real one and not the one read back through the patched environment.
    monkeypatch.setattr(celery_app.conf, "broker_url", "redis://127.0.0.1:1/0")
    monkeypatch.setenv("CELERY_BROKER_URL", "redis://127.0.0.1:1/0")
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["down"] == ["broker"]
    assert response.json()["checks"] == {"database": "ok", "broker": "down"}
