"""Writes of the reports: request (or rerun) a report, generate it, record a failure, mail it.

One row per (kind, period) under a unique key: a second request resets the same row, and a
generation rewrites it whole inside one transaction (the workbook under a fixed file name), so
a worker killed half-way and retried leaves one correct report.
"""

import datetime
import logging

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from cooperation.dashboard.formatting import indicator_payload
from cooperation.reports import selectors
from cooperation.reports.choices import ReportKind, ReportStatus
from cooperation.reports.models import Report, ReportSubscription
from cooperation.reports.periods import previous_period_start
from cooperation.reports.workbook import build_workbook

logger = logging.getLogger(__name__)

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_REASON = 2000


@transaction.atomic
def report_request(*, kind: str, period_start: datetime.date) -> Report:
    """Ask for the report of ``kind`` opening on ``period_start``; its generation is queued.

    An existing report of the same kind and period is reset to pending and regenerated.
    Raises ValidationError (naming ``period_start``) when the date does not open such a period.
    """
    candidate = Report(kind=kind, period_start=period_start)
    candidate.full_clean(exclude=["period_end"], validate_unique=False, validate_constraints=False)
    report, _created = Report.objects.select_for_update().get_or_create(
        kind=kind, period_start=period_start, defaults={"period_end": candidate.period_end}
    )
    report.period_end = candidate.period_end
    report.status = ReportStatus.PENDING
    report.requested_at = timezone.now()
    report.generated_at = None
    report.indicators = []
    report.error = ""
    report.attempts = 0
    report.mailed_at = None
    report.file = ""
    report.full_clean()
    report.save()
    # robust: a broker that is down leaves the report pending (the admin can queue it again)
    # instead of turning a committed request into an error.
    transaction.on_commit(lambda: _queue_generation(report.pk), robust=True)
    return report


def _queue_generation(report_id: int) -> None:
    from cooperation.reports.tasks import report_generate_task

    report_generate_task.delay(report_id)


STALE_AFTER = datetime.timedelta(minutes=15)


def report_requeue_stale(*, older_than: datetime.timedelta = STALE_AFTER) -> list[int]:
    """Queue again the reports left pending too long (run by the schedule every 15 minutes).

    A report asked for while the broker was down stays pending (the request is committed, the
    task is not); this sends it once the broker is back. Generating a report twice is harmless:
    it rewrites the same row under a lock.
    """
    report_ids = selectors.report_stale_pending(older_than=older_than)
    for report_id in report_ids:
        transaction.on_commit(lambda report_id=report_id: _queue_generation(report_id), robust=True)
    return report_ids


def report_request_previous(*, kind: str, today: datetime.date | None = None) -> Report:
    """The schedule's entry point: request the last complete period of ``kind`` before today."""
    today = today or timezone.localdate()
    return report_request(kind=kind, period_start=previous_period_start(kind, today))


def report_generate(*, report_id: int) -> Report | None:
    """Generate the report: snapshot of the indicators, the workbook, then the e-mail.

    A failure is recorded on the report (status ``failed`` and its reason) and raised again,
    so that the task retries. Returns None when the report no longer exists.
    """
    try:
        report = _report_build(report_id=report_id)
    except Report.DoesNotExist:
        return None
    except Exception as exc:
        report_mark_failed(report_id=report_id, reason=f"{type(exc).__name__}: {exc}")
        raise
    if report.kind == ReportKind.MONTHLY:
        report_mail(report_id=report.pk)
    return report


@transaction.atomic
def _report_build(*, report_id: int) -> Report:
    # The row lock keeps two workers (a retry racing a rerun) from writing the same report at once.
    report = Report.objects.select_for_update().get(pk=report_id)
    report.generated_at = timezone.now()
    # The workbook is in the officials' language whatever the worker's locale.
    with translation.override(settings.LANGUAGE_CODE):
        figures = selectors.report_figures(year=report.period_start.year, period_end=report.period_end)
        content = build_workbook(report, figures)
    report.indicators = [
        {key: value for key, value in indicator_payload(row).items() if key != "label"} for row in figures["indicators"]
    ]
    report.file.save(report.file_name(), ContentFile(content), save=False)
    report.status = ReportStatus.DONE
    report.error = ""
    report.attempts += 1
    report.full_clean()
    report.save()
    return report


@transaction.atomic
def report_mark_failed(*, report_id: int, reason: str) -> None:
    """Record a failed generation (its reason and one more attempt) on the report."""
    report = Report.objects.select_for_update().filter(pk=report_id).first()
    if report is None:
        return
    report.status = ReportStatus.FAILED
    report.error = reason[:MAX_REASON]
    report.attempts += 1
    report.save()
    logger.warning("report %s generation failed (attempt %s)", report_id, report.attempts)


def report_mail(*, report_id: int) -> int:
    """Mail a finished report to the users who asked for its kind, once per generation.

    Returns the number of recipients. The addresses go in Bcc: officials do not see each other's.
    """
    with transaction.atomic():
        report = Report.objects.select_for_update().get(pk=report_id)
        if report.status != ReportStatus.DONE or report.mailed_at is not None or not report.file:
            return 0
        recipients = selectors.report_recipients(kind=report.kind)
        if recipients:
            with translation.override(settings.LANGUAGE_CODE):
                message = EmailMessage(
                    subject=_("East-west cooperation: %(report)s") % {"report": report},
                    body=_(
                        "The %(kind)s report for %(start)s to %(end)s is attached.\n"
                        "It is also on the dashboard and in the admin."
                    )
                    % {"kind": report.get_kind_display(), "start": report.period_start, "end": report.period_end},
                    to=[],
                    bcc=recipients,
                )
            with report.file.open("rb") as handle:
                message.attach(report.file_name(), handle.read(), XLSX_TYPE)
            message.send()
        report.mailed_at = timezone.now()
        report.save(update_fields=["mailed_at", "updated_at"])
    return len(recipients)


@transaction.atomic
def report_subscription_set(*, user, kind: str = ReportKind.MONTHLY, subscribed: bool) -> bool:
    """Ask for (or stop) the reports of ``kind`` by e-mail for ``user``; returns the new state."""
    if subscribed:
        subscription = ReportSubscription.objects.filter(user=user, kind=kind).first()
        if subscription is None:
            subscription = ReportSubscription(user=user, kind=kind)
            subscription.full_clean()
            subscription.save()
    else:
        for subscription in ReportSubscription.objects.filter(user=user, kind=kind):
            subscription.delete()  # one by one, so the history records each
    return subscribed
