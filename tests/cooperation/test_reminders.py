"""Reminders of the monthly cycle (issue 15): staff of the counties whose previous month is not
submitted, on the 3rd; reviewers, a daily digest of what waits for them. Each e-mail once per
(kind, period, user): a rerun sends nothing twice, a failed send is sent by the rerun."""

import datetime
from importlib import import_module

import pytest
from django.apps import apps
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder
from django.urls import reverse
from django.utils import timezone, translation
from django_celery_beat.models import PeriodicTask

from config.celery import app as celery_app
from cooperation import tasks
from cooperation.choices import SubmissionStatus
from cooperation.models import SentReminder
from cooperation.reminders import ReminderSendFailed, previous_month, reminders_send_monthly, review_digest_send
from tests.factories import PairingFactory, SubmissionFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2023, 5, 3)
APRIL = datetime.date(2023, 4, 1)


@pytest.fixture
def staff(regions, scoped_user, make_user):
    """Programme staff of every kind of scope, and users who must never get a reminder."""
    PairingFactory(kind="region", east_region=regions["yuyao"], west_region=regions["zhaojue"])
    return {
        "zhaojue": scoped_user("staff", regions["zhaojue"], first_name="李晓明"),
        "liangshan": scoped_user("staff", regions["liangshan"]),
        "butuo": scoped_user("staff", regions["butuo"]),
        "unscoped": make_user("staff", username="staff-everywhere"),
        # Reaches Zhaojue through the pairing only.
        "yuyao": scoped_user("staff", regions["yuyao"]),
        "town": scoped_user("staff", regions["town"]),
        "inactive": scoped_user("staff", regions["zhaojue"], username="staff-gone", is_active=False),
        "no_email": scoped_user("staff", regions["zhaojue"], username="staff-no-mail", email=""),
        "official": scoped_user("official", regions["zhaojue"]),
    }


def _mails_to(user) -> list:
    return [message for message in mail.outbox if user.email in message.to]


def _recipients() -> list[str]:
    return sorted(address for message in mail.outbox for address in message.to)


def _label(status) -> str:
    with translation.override("zh-hans"):
        return str(SubmissionStatus(status).label)


# -- the monthly reminder


def test_staff_of_a_county_not_submitted_get_one_mail_in_chinese(staff, regions):
    SubmissionFactory(region=regions["butuo"], month=APRIL, status="approved")

    assert reminders_send_monthly(today=TODAY) == 2

    assert _recipients() == sorted([staff["zhaojue"].email, staff["liangshan"].email])
    (message,) = _mails_to(staff["zhaojue"])
    assert message.to == [staff["zhaojue"].email] and not message.cc and not message.bcc
    assert message.subject == "东西部协作：2023年4月数据尚未报送"
    assert message.body.startswith("李晓明，您好：")
    assert "昭觉县 2023年4月：尚未创建" in message.body
    add_link = reverse("admin:cooperation_submission_add") + f"?region={regions['zhaojue'].pk}&month=2023-04-01"
    assert f"http://127.0.0.1:8000{add_link}" in message.body
    assert "布拖县" not in message.body  # approved
    (prefecture_mail,) = _mails_to(staff["liangshan"])
    assert "昭觉县" in prefecture_mail.body and "布拖县" not in prefecture_mail.body


def test_a_prefectures_staff_get_one_mail_listing_every_county_due(staff, regions):
    draft = SubmissionFactory(region=regions["zhaojue"], month=APRIL, status="draft")
    returned = SubmissionFactory(region=regions["butuo"], month=APRIL, status="returned")

    assert reminders_send_monthly(today=TODAY) == 3

    (message,) = _mails_to(staff["liangshan"])
    assert f"昭觉县 2023年4月：{_label('draft')}" in message.body
    assert f"布拖县 2023年4月：{_label('returned')}" in message.body
    for submission in (draft, returned):
        assert reverse("admin:cooperation_submission_change", args=[submission.pk]) in message.body
    (county_mail,) = _mails_to(staff["butuo"])
    assert "布拖县" in county_mail.body and "昭觉县" not in county_mail.body
    assert len(_mails_to(staff["zhaojue"])) == 1


def test_unscoped_eastern_town_inactive_and_mailless_users_get_no_reminder(staff, regions):
    reminders_send_monthly(today=TODAY)

    for key in ("unscoped", "yuyao", "town", "inactive", "official"):
        assert _mails_to(staff[key]) == [], key
    assert not SentReminder.objects.filter(user=staff["no_email"]).exists()
    assert len(mail.outbox) == 3  # zhaojue, liangshan, butuo


@pytest.mark.parametrize("status", ["submitted", "approved"])
def test_no_reminder_for_months_submitted_or_approved(staff, regions, status):
    for county in ("zhaojue", "butuo"):
        SubmissionFactory(region=regions[county], month=APRIL, status=status)
    # Another month's state does not matter.
    SubmissionFactory(region=regions["zhaojue"], month=datetime.date(2023, 3, 1), status="draft")

    assert reminders_send_monthly(today=TODAY) == 0
    assert mail.outbox == []
    assert not SentReminder.objects.exists()


def test_a_rerun_in_the_same_month_sends_nothing(staff):
    assert reminders_send_monthly(today=TODAY) == 3
    assert reminders_send_monthly(today=TODAY) == 0
    assert reminders_send_monthly(today=TODAY.replace(day=20)) == 0
    assert len(mail.outbox) == 3
    assert SentReminder.objects.filter(kind="monthly", period=APRIL).count() == 3
    # The next month is a new reminder.
    assert reminders_send_monthly(today=datetime.date(2023, 6, 3)) == 3


FAIL_FOR = set()


class FlakyBackend(EmailBackend):
    """The test mail box, refusing the addresses in FAIL_FOR (a mail server that fails)."""

    def send_messages(self, messages):
        if any(address in FAIL_FOR for message in messages for address in message.to):
            raise ConnectionRefusedError("mail server down")
        return super().send_messages(messages)


@pytest.fixture
def flaky_mail(settings):
    settings.EMAIL_BACKEND = f"{__name__}.FlakyBackend"
    yield FAIL_FOR
    FAIL_FOR.clear()


def test_a_failed_send_is_sent_by_the_rerun_and_only_it(staff, flaky_mail):
    flaky_mail.add(staff["liangshan"].email)

    with pytest.raises(ReminderSendFailed) as failure:
        reminders_send_monthly(today=TODAY)

    assert (failure.value.failed, failure.value.sent) == (1, 2)
    assert _mails_to(staff["liangshan"]) == []
    assert not SentReminder.objects.filter(user=staff["liangshan"]).exists()

    flaky_mail.clear()
    assert reminders_send_monthly(today=TODAY) == 1
    for key in ("zhaojue", "liangshan", "butuo"):
        assert len(_mails_to(staff[key])) == 1, key


def test_the_task_runs_for_the_previous_month_in_process(staff, regions):
    month = previous_month(timezone.localdate())
    SubmissionFactory(region=regions["butuo"], month=month, status="submitted")

    assert tasks.reminders_send_monthly_task() == 2
    assert tasks.reminders_send_monthly_task() == 0
    assert _recipients() == sorted([staff["zhaojue"].email, staff["liangshan"].email])


# -- the reviewers' digest


@pytest.fixture
def queue(regions, scoped_user, make_user, staff):
    reviewer = make_user("reviewer", username="reviewer-all", first_name="王芳")
    # Also submits (both roles): their own submission never reaches their digest (four eyes).
    butuo_reviewer = scoped_user("reviewer", regions["butuo"])
    submitted = SubmissionFactory(
        region=regions["zhaojue"],
        month=APRIL,
        status="submitted",
        submitted_by=staff["zhaojue"],
        submitted_at=timezone.now(),
        warnings=[{"code": "a", "message": "x"}, {"code": "b", "message": "y"}],
    )
    own = SubmissionFactory(region=regions["butuo"], month=APRIL, status="submitted", submitted_by=butuo_reviewer)
    SubmissionFactory(region=regions["zhaojue"], month=datetime.date(2023, 3, 1), status="draft")
    SubmissionFactory(region=regions["butuo"], month=datetime.date(2023, 3, 1), status="approved")
    return {
        "reviewer": reviewer,
        "butuo_reviewer": butuo_reviewer,
        "inactive": make_user("reviewer", username="reviewer-gone", is_active=False),
        "no_email": make_user("reviewer", username="reviewer-no-mail", email=""),
        "submitted": submitted,
        "own": own,
    }


def test_reviewers_get_one_digest_of_what_waits_for_them(queue, staff):
    assert review_digest_send(today=TODAY) == 1

    (message,) = mail.outbox
    assert message.to == [queue["reviewer"].email]
    assert message.subject == "东西部协作：2 份月度报送待您审核"
    assert message.body.startswith("王芳，您好：")
    assert "昭觉县 2023年4月：李晓明 报送，2 条提示" in message.body
    assert f"布拖县 2023年4月：{queue['butuo_reviewer'].username} 报送，0 条提示" in message.body
    for submission in (queue["submitted"], queue["own"]):
        assert reverse("admin:cooperation_submission_change", args=[submission.pk]) in message.body
    # Names only: no one's address.
    assert staff["zhaojue"].email not in message.body
    assert queue["butuo_reviewer"].email not in message.body


def test_no_digest_for_a_reviewer_whose_queue_holds_only_their_own_submission(queue):
    review_digest_send(today=TODAY)
    assert _mails_to(queue["butuo_reviewer"]) == []
    assert not SentReminder.objects.filter(user__in=[queue["inactive"], queue["no_email"]]).exists()
    assert not SentReminder.objects.filter(user__groups__name="programme staff").exists()


def test_the_digest_goes_once_a_day(queue):
    assert review_digest_send(today=TODAY) == 1
    assert review_digest_send(today=TODAY) == 0
    assert len(mail.outbox) == 1
    assert review_digest_send(today=TODAY + datetime.timedelta(days=1)) == 1
    assert len(mail.outbox) == 2


def test_no_digest_when_nothing_waits(queue):
    for key in ("submitted", "own"):
        queue[key].status = "approved"
        queue[key].save()
    assert review_digest_send(today=TODAY) == 0
    assert mail.outbox == []


def test_a_failed_digest_is_sent_by_the_rerun(queue, flaky_mail):
    flaky_mail.add(queue["reviewer"].email)
    with pytest.raises(ReminderSendFailed):
        tasks.review_digest_send_task()  # called directly, a task raises instead of retrying
    assert mail.outbox == []
    flaky_mail.clear()
    assert tasks.review_digest_send_task() == 1
    assert tasks.review_digest_send_task() == 0
    assert len(mail.outbox) == 1


# -- the schedule


@pytest.fixture
def schedule():
    """The data migration's rows. Running it again is idempotent; it also restores the rows
    when a transactional test flushed a reused test database."""
    migration = import_module("cooperation.migrations.0008_reminders")
    assert ("cooperation", "0008_reminders") in MigrationRecorder(connection).applied_migrations()
    migration.create_schedule(apps, None)
    migration.create_schedule(apps, None)


def test_the_beat_tasks_exist_with_their_crontab(schedule):
    rows = {task.task: task for task in PeriodicTask.objects.filter(task__startswith="cooperation.")}
    assert set(rows) == {"cooperation.reminders_send_monthly", "cooperation.review_digest_send"}
    monthly, digest = rows["cooperation.reminders_send_monthly"].crontab, rows["cooperation.review_digest_send"].crontab
    assert (monthly.minute, monthly.hour, monthly.day_of_month, monthly.month_of_year, monthly.day_of_week) == (
        "0", "8", "3", "*", "*",
    )  # fmt: skip
    assert (digest.minute, digest.hour, digest.day_of_month, digest.month_of_year, digest.day_of_week) == (
        "30", "8", "*", "*", "*",
    )  # fmt: skip
    assert str(monthly.timezone) == str(digest.timezone) == "Asia/Shanghai"
    assert all(task.enabled for task in rows.values())


def test_the_tasks_are_registered_with_the_celery_app():
    celery_app.loader.import_default_modules()
    assert {"cooperation.reminders_send_monthly", "cooperation.review_digest_send"} <= set(celery_app.tasks)


def test_staff_may_change_the_schedule_in_the_admin(schedule, make_user, client):
    client.force_login(make_user("staff"))
    task = PeriodicTask.objects.get(task="cooperation.reminders_send_monthly")
    assert client.get(f"/admin/django_celery_beat/periodictask/{task.pk}/change/").status_code == 200
