"""Staff read the admin in Chinese: the index, django-celery-beat's schedule pages, our own pages.

The phrases below are the English that was left on those pages (untranslated third-party
strings, labels django-celery-beat does not mark for translation, cron-descriptor's English).
What may stay in Latin letters: the stored names of the schedule rows, task paths, time-zone
names and JSON arguments (data and code, not labels).
"""

import html
import re
from importlib import import_module

import pytest
from django.apps import apps
from django_celery_beat.models import CrontabSchedule, IntervalSchedule, PeriodicTask

ENGLISH = [
    "Model name",
    "Add link",
    "Change or view list link",
    "Periodic Tasks Using This Schedule",
    "Task Name",
    "Human readable",
    "Scheduler",
    "Schedule",
    "Arguments",
    "Execution Options",
    "Crontab translation",
    "Cron Minutes",
    "Cron Hours",
    "Cron Days",
    "Cron Months",
    "Set to False",
    "If True",
    "Reset to None",
    "AM",
    "PM",
    "on day",
    "of the month",
    "only in",
    "January",
    "Every minute",
    "Select all",
]


def _visible_text(page: str) -> str:
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S | re.I)
    return html.unescape(re.sub(r"<[^>]+>", " ", page))


def _english_in(page: str) -> list[str]:
    text = _visible_text(page)
    found = [phrase for phrase in ENGLISH if re.search(rf"\b{re.escape(phrase)}\b", text)]
    if "Translation:" in page:  # django-celery-beat's script writes it under the crontab picker
        found.append("Translation:")
    return found


@pytest.fixture
def schedule(db):
    """The report schedule rows of the data migrations (restored if a transactional test flushed them)."""
    import_module("reports.migrations.0002_schedule").create_schedule(apps, None)
    import_module("reports.migrations.0003_requeue_schedule").create_schedule(apps, None)
    return PeriodicTask.objects.get(name__startswith="reports: monthly")


@pytest.fixture
def staff(client, make_user):
    client.force_login(make_user("staff"))
    return client


def _get(client, url):
    response = client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 200, url
    return response.content.decode()


@pytest.mark.django_db
def test_the_admin_index_is_in_chinese(staff):
    for url in ("/admin/", "/admin/projects/"):
        assert _english_in(_get(staff, url)) == [], url


@pytest.mark.django_db
def test_the_schedule_pages_are_in_chinese(staff, schedule):
    crontab = schedule.crontab
    interval = IntervalSchedule.objects.first()
    urls = [
        "/admin/django_celery_beat/",
        "/admin/django_celery_beat/periodictask/",
        f"/admin/django_celery_beat/periodictask/{schedule.pk}/change/",
        "/admin/django_celery_beat/periodictask/add/",
        "/admin/django_celery_beat/crontabschedule/",
        f"/admin/django_celery_beat/crontabschedule/{crontab.pk}/change/",
        "/admin/django_celery_beat/crontabschedule/add/",
        "/admin/django_celery_beat/intervalschedule/",
        f"/admin/django_celery_beat/intervalschedule/{interval.pk}/change/",
    ]
    for url in urls:
        assert _english_in(_get(staff, url)) == [], url


@pytest.mark.django_db
def test_a_crontab_is_described_in_chinese(staff, schedule):
    quarterly = CrontabSchedule.objects.get(month_of_year="1,4,7,10")
    page = _visible_text(_get(staff, "/admin/django_celery_beat/crontabschedule/"))
    assert "在 02:00, 每月的 1 号" in page
    assert "一月" in page and "十月" in page
    change = _get(staff, f"/admin/django_celery_beat/crontabschedule/{quarterly.pk}/change/")
    assert "使用此计划的周期性任务" in change and "含义" in change


@pytest.mark.django_db
def test_the_import_and_export_buttons_are_in_chinese(staff):
    changelist = _visible_text(_get(staff, "/admin/projects/project/"))
    assert "导入" in changelist and "导出" in changelist
    assert not re.search(r"\b(Import|Export)\b", changelist)
    assert "Select all" not in _visible_text(_get(staff, "/admin/projects/project/export/"))


@pytest.mark.django_db
def test_an_empty_read_only_field_shows_a_dash_not_none(staff):
    page = _get(staff, "/admin/labor/worker/add/")
    assert 'class="readonly">None<' not in page
