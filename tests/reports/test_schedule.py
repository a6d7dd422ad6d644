"""The report schedule: django-celery-beat rows made by the data migration, tasks registered."""

import json
from datetime import timedelta
from importlib import import_module

import pytest
from django.apps import apps
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from cooperation.celery import app as celery_app
from cooperation.reports import services
from tests.reports.factories import ReportFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def schedule():
    """The data migration's rows. Running it again is idempotent; it also restores the rows
    when a transactional test flushed a reused test database."""
    migration = import_module("cooperation.reports.migrations.0002_schedule")
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


def test_reports_left_pending_are_queued_again_every_quarter_hour(django_capture_on_commit_callbacks):
    migration = import_module("cooperation.reports.migrations.0003_requeue_schedule")
    migration.create_schedule(apps, None)
    task = PeriodicTask.objects.get(task="reports.requeue_stale")
    assert (task.interval.every, task.interval.period, task.enabled) == (15, "minutes", True)

    long_ago = timezone.now() - timedelta(minutes=40)
    stale = ReportFactory(status="pending", requested_at=long_ago)
    ReportFactory(status="pending", requested_at=timezone.now())
    ReportFactory(status="done", requested_at=long_ago)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        assert services.report_requeue_stale() == [stale.pk]
    assert len(callbacks) == 1
