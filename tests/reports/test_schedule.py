"""The report schedule: django-celery-beat rows made by the data migration, tasks registered."""

import json
import runpy
from datetime import timedelta
from importlib import import_module
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone
from django_celery_beat.models import IntervalSchedule, PeriodicTask

from config.celery import app as celery_app
from reports import services, tasks
from tests.reports.factories import ReportFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def schedule():
    """The data migration's rows. Running it again is idempotent; it also restores the rows
    when a transactional test flushed a reused test database."""
    migration = import_module("reports.migrations.0002_schedule")
    assert ("reports", "0002_schedule") in MigrationRecorder(connection).applied_migrations()
    migration.create_schedule(apps, None)
    migration.create_schedule(apps, None)


def test_the_schedule_exists_for_the_three_kinds(schedule):
    assert PeriodicTask.objects.filter(task="reports.request_previous_period").count() == 3
    tasks = {task.name: task for task in PeriodicTask.objects.filter(task="reports.request_previous_period")}
    by_kind = {json.loads(task.kwargs)["kind"]: task for task in tasks.values()}
    assert set(by_kind) == {"monthly", "quarterly", "annual"}
    monthly, quarterly, annual = (by_kind[k].crontab for k in ("monthly", "quarterly", "annual"))
    assert (monthly.day_of_month, monthly.month_of_year) == ("1", "*")
    assert (quarterly.day_of_month, quarterly.month_of_year) == ("1", "1,4,7,10")
    assert (annual.day_of_month, annual.month_of_year) == ("1", "1")
    assert str(monthly.timezone) == "Asia/Shanghai"
    assert all(task.enabled for task in tasks.values())


def test_the_tasks_are_registered_with_the_celery_app():
    celery_app.loader.import_default_modules()
    assert {"reports.generate", "reports.request_previous_period", "reports.requeue_stale"} <= set(celery_app.tasks)


def test_staff_may_change_the_schedule_in_the_admin(schedule, make_user, client):
    client.force_login(make_user("staff"))
    task = PeriodicTask.objects.get(name__startswith="reports: monthly")
    assert client.get(f"/admin/django_celery_beat/periodictask/{task.pk}/change/").status_code == 200


def _requeue_schedule():
    """The rows of 0003 (every 15 minutes), then 0004 (every minute), as on an existing database."""
    import_module("reports.migrations.0003_requeue_schedule").create_schedule(apps, None)
    import_module("reports.migrations.0004_requeue_every_minute").every_minute(apps, None)
    return PeriodicTask.objects.get(task="reports.requeue_stale")


def test_reports_left_pending_are_queued_again_every_minute(django_capture_on_commit_callbacks):
    task = _requeue_schedule()
    assert (task.interval.every, task.interval.period, task.enabled) == (1, "minutes", True)
    # No report waits more than 5 minutes for the requeue.
    assert services.STALE_AFTER + timedelta(minutes=task.interval.every) <= timedelta(minutes=5)

    long_ago = timezone.now() - timedelta(minutes=40)
    stale = ReportFactory(status="pending", requested_at=long_ago)
    ReportFactory(status="pending", requested_at=timezone.now())
    ReportFactory(status="done", requested_at=long_ago)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        assert services.report_requeue_stale() == [stale.pk]
    assert len(callbacks) == 1


def test_the_requeue_migration_leaves_a_schedule_staff_changed():
    task = _requeue_schedule()
    task.interval = IntervalSchedule.objects.get_or_create(every=5, period="minutes")[0]
    task.save()
    migration = import_module("reports.migrations.0004_requeue_every_minute")
    migration.every_minute(apps, None)
    migration.every_quarter_hour(apps, None)
    task.refresh_from_db()
    assert (task.interval.every, task.interval.period) == (5, "minutes")
    task.delete()
    migration.every_minute(apps, None)  # a missing row is created
    assert PeriodicTask.objects.get(task="reports.requeue_stale").interval.every == 1


def test_the_broker_gives_back_a_killed_workers_task_within_five_minutes(monkeypatch):
    """The production settings with Redis: a killed worker's task comes back after the visibility
    timeout and one sweep, within 5 minutes, but never while a live worker may still hold it."""
    monkeypatch.setenv("CELERY_BROKER_URL", "redis://redis.invalid:6379/0")
    monkeypatch.delenv("CELERY_VISIBILITY_TIMEOUT", raising=False)
    production = runpy.run_path(str(Path(settings.BASE_DIR) / "config" / "settings" / "base.py"))
    options = production["CELERY_BROKER_TRANSPORT_OPTIONS"]
    hard, soft = production["CELERY_TASK_TIME_LIMIT"], production["CELERY_TASK_SOFT_TIME_LIMIT"]
    sweep = options["unacked_restore_interval"] * options["unacked_restore_throttle"]
    visibility = timedelta(seconds=options["visibility_timeout"])

    assert soft < hard <= 5 * 60
    # Longer than a live worker keeps a task unacknowledged: a retry's delay, then the run.
    assert options["visibility_timeout"] > tasks.RETRY_BACKOFF_MAX + hard
    assert options["visibility_timeout"] + sweep <= 5 * 60
    assert options["unacked_mutex_expire"] <= 60
    assert production["CELERY_TASK_ACKS_LATE"] and production["CELERY_WORKER_PREFETCH_MULTIPLIER"] == 1
    # A firing of the schedule delivered again after its worker was killed is still within the window.
    assert services.SCHEDULE_WINDOW > visibility + timedelta(seconds=sweep)
    # The run's own settings apply them to Redis only (the filesystem transport has no such option).
    assert ("visibility_timeout" in settings.CELERY_BROKER_TRANSPORT_OPTIONS) == (
        settings.CELERY_BROKER_URL.startswith("redis://")
    )
