"""Requesting, generating, failing and mailing reports; the snapshot and the workbook."""

import datetime
import threading
from io import BytesIO

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from openpyxl import load_workbook

from reports import services
from reports.models import Report
from reports.tasks import report_generate_task, report_schedule_task
from tests.factories import SecondmentFactory, TargetFactory
from tests.reports.factories import ReportFactory, ReportSubscriptionFactory

D = datetime.date
pytestmark = pytest.mark.django_db


def _cadres(report):
    return next(item for item in report.indicators if item["key"] == "talent.cadres")


def test_request_creates_one_pending_report_and_queues_it_on_commit(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        report = services.report_request(kind="quarterly", period_start=D(2023, 10, 1))
    assert (report.status, report.period_end) == ("pending", D(2023, 12, 31))
    assert len(callbacks) == 1


def test_a_second_request_resets_the_same_row(regions, django_capture_on_commit_callbacks):
    SecondmentFactory(region=regions["zhaojue"])
    first = services.report_request(kind="monthly", period_start=D(2023, 5, 1))
    services.report_generate(report_id=first.pk)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        again = services.report_request(kind="monthly", period_start=D(2023, 5, 1))
    assert again.pk == first.pk and Report.objects.count() == 1
    assert (again.status, again.indicators, again.generated_at, bool(again.file)) == ("pending", [], None, False)
    assert len(callbacks) == 1


def test_bad_period_start_is_refused():
    with pytest.raises(ValidationError) as error:
        services.report_request(kind="quarterly", period_start=D(2023, 11, 1))
    assert "period_start" in error.value.message_dict
    assert not Report.objects.exists()


def test_the_database_keeps_one_report_per_kind_and_period():
    ReportFactory(kind="annual", period_start=D(2023, 1, 1))
    with pytest.raises(IntegrityError), transaction.atomic():
        ReportFactory(kind="annual", period_start=D(2023, 1, 1))


def test_generation_stores_a_snapshot_and_a_workbook_with_the_figures(regions):
    SecondmentFactory.create_batch(3, region=regions["zhaojue"])
    TargetFactory(year=2023, indicator="talent.cadres", value=4)
    report = services.report_request(kind="annual", period_start=D(2023, 1, 1))
    report = services.report_generate(report_id=report.pk)

    assert report.status == "done" and report.generated_at and report.attempts == 1 and report.error == ""
    assert _cadres(report) == {"key": "talent.cadres", "value": 3, "unit": "people", "target": 4, "completion": 0.75}
    assert report.file.name == "annual-2023-01-01.xlsx"

    with report.file.open("rb") as handle:
        workbook = load_workbook(BytesIO(handle.read()))
    assert len(workbook.sheetnames) == 7  # the summary and one per domain
    summary = workbook.worksheets[0]
    rows = [[cell.value for cell in row] for row in summary.iter_rows(min_row=6)]
    cadres = next(row for row in rows if row[1] and ("挂职" in row[1] or "Cadres" in row[1]))
    assert cadres[3:6] == [3, 4, 0.75]
    talent = workbook.worksheets[5]
    assert any(cell.value == 3 for row in talent.iter_rows() for cell in row)

    # A snapshot: later records do not rewrite the stored figures.
    SecondmentFactory(region=regions["zhaojue"])
    report.refresh_from_db()
    assert _cadres(report)["value"] == 3


def test_a_rerun_overwrites_the_same_file(regions):
    report = services.report_request(kind="monthly", period_start=D(2023, 5, 1))
    services.report_generate(report_id=report.pk)
    path = Report.objects.get().file.path
    services.report_request(kind="monthly", period_start=D(2023, 5, 1))
    SecondmentFactory(region=regions["zhaojue"], started_on=D(2023, 1, 1))
    services.report_generate(report_id=report.pk)
    report.refresh_from_db()
    assert report.file.path == path and _cadres(report)["value"] == 1
    assert report.file.storage.listdir("")[1] == ["monthly-2023-05-01.xlsx"]


def test_a_failure_is_recorded_and_the_retry_succeeds(monkeypatch, regions):
    report = services.report_request(kind="monthly", period_start=D(2023, 6, 1))
    real_build = services.build_workbook
    calls = []

    def flaky(*args, **kwargs):
        calls.append(1)
        if len(calls) == 1:
            raise OSError("disk full")
        return real_build(*args, **kwargs)

    monkeypatch.setattr(services, "build_workbook", flaky)
    with pytest.raises(OSError):
        services.report_generate(report_id=report.pk)
    report.refresh_from_db()
    assert (report.status, report.error, report.attempts) == ("failed", "OSError: disk full", 1)

    services.report_generate(report_id=report.pk)
    report.refresh_from_db()
    assert (report.status, report.error, report.attempts) == ("done", "", 2)


def test_the_task_retries_a_failed_generation(monkeypatch, regions):
    report = services.report_request(kind="monthly", period_start=D(2023, 7, 1))
    real_build = services.build_workbook
    calls = []

    def flaky(*args, **kwargs):
        calls.append(1)
        if len(calls) == 1:
            raise OSError("storage unavailable")
        return real_build(*args, **kwargs)

    monkeypatch.setattr(services, "build_workbook", flaky)
    report_generate_task.apply(args=[report.pk])  # eager: the retry runs at once
    report.refresh_from_db()
    assert (report.status, report.attempts, len(calls)) == ("done", 2, 2)


def test_a_deleted_report_is_not_retried_forever():
    report = ReportFactory()
    report.delete()
    assert services.report_generate(report_id=report.pk) is None


def test_the_schedule_task_asks_for_the_previous_period(django_capture_on_commit_callbacks, monkeypatch):
    monkeypatch.setattr(services.timezone, "localdate", lambda: D(2024, 4, 1))
    report_schedule_task.apply(kwargs={"kind": "quarterly"})
    report = Report.objects.get()
    assert (report.kind, report.period_start, report.period_end) == ("quarterly", D(2024, 1, 1), D(2024, 3, 31))


def test_the_monthly_report_is_mailed_once_to_who_asked(mailoutbox, regions):
    subscriber = ReportSubscriptionFactory(user__email="official@example.org").user
    ReportSubscriptionFactory(user__email="", user__username="no-mail")
    ReportSubscriptionFactory(kind="annual", user__email="annual@example.org", user__username="annual-only")
    report = services.report_request(kind="monthly", period_start=D(2023, 8, 1))
    services.report_generate(report_id=report.pk)
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.bcc == [subscriber.email] and message.to == []
    assert message.attachments[0][0] == "monthly-2023-08-01.xlsx"
    # A retry of a finished report does not mail twice.
    assert services.report_mail(report_id=report.pk) == 0
    assert len(mailoutbox) == 1
    # A quarterly report is not mailed to monthly subscribers.
    quarterly = services.report_request(kind="quarterly", period_start=D(2023, 7, 1))
    services.report_generate(report_id=quarterly.pk)
    assert len(mailoutbox) == 1


def test_subscription_set(make_user):
    user = make_user("official")
    assert services.report_subscription_set(user=user, subscribed=True) is True
    services.report_subscription_set(user=user, subscribed=True)
    assert user.report_subscriptions.count() == 1
    services.report_subscription_set(user=user, subscribed=False)
    assert user.report_subscriptions.count() == 0


def test_a_duplicate_task_for_a_done_report_does_not_generate_it_again(mailoutbox, regions):
    ReportSubscriptionFactory(user__email="official@example.org")
    report = services.report_request(kind="monthly", period_start=D(2023, 9, 1))
    services.report_generate(report_id=report.pk)
    generated_at = Report.objects.get().generated_at
    # Redelivered after its worker was killed past the commit, or queued again by the requeue.
    report_generate_task.apply(args=[report.pk])
    report.refresh_from_db()
    assert (report.status, report.attempts, report.generated_at) == ("done", 1, generated_at)
    assert len(mailoutbox) == 1
    # A new request regenerates it.
    services.report_request(kind="monthly", period_start=D(2023, 9, 1))
    services.report_generate(report_id=report.pk)
    report.refresh_from_db()
    assert (report.status, report.attempts) == ("done", 1) and report.generated_at > generated_at


def test_a_duplicate_task_still_mails_a_report_its_killed_worker_did_not(mailoutbox):
    ReportSubscriptionFactory(user__email="official@example.org")
    report = services.report_request(kind="monthly", period_start=D(2023, 10, 1))
    services._report_build(report_id=report.pk)  # the worker died before the e-mail
    services.report_generate(report_id=report.pk)
    assert len(mailoutbox) == 1 and Report.objects.get().attempts == 1


def test_the_schedule_asks_for_a_period_once_per_firing(django_capture_on_commit_callbacks, monkeypatch):
    monkeypatch.setattr(services.timezone, "localdate", lambda: D(2024, 5, 1))
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        first = services.report_request_previous(kind="monthly")
        # A second beat, or the same firing delivered again: nothing more.
        second = services.report_request_previous(kind="monthly")
    assert second.pk == first.pk and second.requested_at == first.requested_at
    assert len(callbacks) == 1
    # A staff member's request (admin, API) regenerates it all the same.
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.report_request(kind="monthly", period_start=D(2024, 4, 1))
    assert len(callbacks) == 1
    # A firing after the window asks for it again.
    Report.objects.update(requested_at=services.timezone.now() - services.SCHEDULE_WINDOW)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.report_request_previous(kind="monthly")
    assert len(callbacks) == 1


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_firings_of_the_schedule_request_the_report_once(monkeypatch):
    """Two beats' firings run at the same moment on two workers (threads, one PostgreSQL
    connection each): the report is requested and queued once, whether it exists or not."""
    queued: list[int] = []
    monkeypatch.setattr(services, "_queue_generation", queued.append)
    monkeypatch.setattr(services.timezone, "localdate", lambda: D(2024, 7, 1))

    def fire_twice():
        barrier = threading.Barrier(2)
        errors: list[BaseException] = []

        def fire():
            try:
                barrier.wait(timeout=30)
                services.report_request_previous(kind="quarterly")
            except BaseException as exc:  # reported below
                errors.append(exc)
            finally:
                connection.close()

        threads = [threading.Thread(target=fire) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        assert errors == []

    fire_twice()  # no report yet: both try to create it
    report = Report.objects.get()
    assert (report.kind, report.period_start, queued) == ("quarterly", D(2024, 4, 1), [report.pk])
    assert report.history.exclude(requested_at=None).values("requested_at").distinct().count() == 1

    queued.clear()  # done long ago (or asked for by hand): both lock the same row
    Report.objects.update(status="done", requested_at=services.timezone.now() - datetime.timedelta(days=1))
    fire_twice()
    assert queued == [report.pk]


@pytest.mark.django_db(transaction=True)
def test_the_requeue_leaves_a_report_a_live_worker_is_generating(monkeypatch):
    """A generation in progress holds the report's row lock: the requeue does not queue it again
    (it would be generated twice); once it is done, there is nothing left to requeue."""
    queued: list[int] = []
    monkeypatch.setattr(services, "_queue_generation", queued.append)
    asked = services.timezone.now() - services.STALE_AFTER * 2
    report = ReportFactory(kind="annual", period_start=D(2023, 1, 1), requested_at=asked)
    building, finish = threading.Event(), threading.Event()
    real_build = services.build_workbook

    def slow_build(*args, **kwargs):
        building.set()
        assert finish.wait(timeout=60)
        return real_build(*args, **kwargs)

    monkeypatch.setattr(services, "build_workbook", slow_build)

    def generate():
        try:
            services.report_generate(report_id=report.pk)
        finally:
            connection.close()

    worker = threading.Thread(target=generate)
    worker.start()
    try:
        assert building.wait(timeout=30)
        assert services.report_requeue_stale() == [] and queued == []
    finally:
        finish.set()
        worker.join(timeout=60)
    report.refresh_from_db()
    assert report.status == "done"
    assert services.report_requeue_stale() == [] and queued == []
    # A pending report nobody holds (its worker died, its transaction rolled back) is queued again.
    Report.objects.filter(pk=report.pk).update(status="pending")
    assert services.report_requeue_stale() == [report.pk] and queued == [report.pk]


@pytest.mark.django_db
@pytest.mark.parametrize(("kind", "period_start", "months"), [("monthly", datetime.date(2023, 5, 1), 5),
                                                               ("quarterly", datetime.date(2023, 7, 1), 9),
                                                               ("annual", datetime.date(2023, 1, 1), 12)])  # fmt: skip
def test_trend_tables_stop_at_the_reports_last_month(regions, settings, tmp_path, kind, period_start, months):
    settings.MEDIA_ROOT = tmp_path
    report = services.report_request(kind=kind, period_start=period_start)
    services.report_generate(report_id=report.pk)
    report.refresh_from_db()
    workbook = load_workbook(BytesIO(report.file.read()))
    counts = []
    for sheet in workbook.worksheets:
        column = [row[0] for row in sheet.iter_rows(values_only=True)]
        for index, value in enumerate(column):
            if value == "月份":
                rows = 0
                while index + 1 + rows < len(column) and isinstance(column[index + 1 + rows], int):
                    rows += 1
                counts.append(rows)
    assert counts and set(counts) == {months}
