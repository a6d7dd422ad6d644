"""Writes of the reports: request (or rerun) a report, generate it, record a failure, mail it.

One row per (kind, period, region) under a unique key: a second request resets the same row, and a
generation rewrites it whole inside one transaction (the workbook under a fixed file name), so
a worker killed half-way and retried leaves one correct report. That transaction holds the
report's row lock from start to end: it is how the requeue of stale reports tells a report a
live worker is building from one whose worker died (PostgreSQL rolls a dead worker's back).
"""

import datetime
import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.mail import EmailMessage
from django.db import connection, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from cooperation.models import Region
from cooperation.scopes import OUTSIDE_SCOPE, scope_of
from cooperation.selectors import month_approvals
from indicators.formatting import indicator_payload
from reports import selectors
from reports.choices import ReportKind, ReportStatus
from reports.models import Report, ReportSubscription
from reports.periods import period_end, previous_period_start
from reports.workbook import build_workbook

logger = logging.getLogger(__name__)

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_REASON = 2000


def report_region_for(*, user, region: Region | None) -> Region | None:
    """The region of the report ``user`` asks for (CONTRACT.md 1.1), or a ValidationError
    naming ``region``.

    An unscoped user asks for what they name (None: the whole programme). A scoped user may ask
    only for a region within the scope; naming none, they get the one region set on them
    (``Scope.own``, pairings aside, as the summary counts it), and must choose when they hold
    several: the programme-wide report is outside every scope.
    """
    scope = scope_of(user)
    if scope.unrestricted:
        return region
    if region is None:
        if scope.sole_region is not None:
            return scope.sole_region
        raise ValidationError(
            {"region": _("Choose the region of the report: your scope holds several regions.")}, code="required"
        )
    if not scope.contains(region):
        raise ValidationError({"region": str(OUTSIDE_SCOPE)}, code="outside_scope")
    return region


@transaction.atomic
def report_request(*, kind: str, period_start: datetime.date, region: Region | None = None, user=None) -> Report:
    """Ask for the report of ``kind`` opening on ``period_start`` for ``region`` (None: the whole
    programme); its generation is queued.

    With ``user`` (a request from the admin, the API or the dashboard), the region follows the
    user's scope (:func:`report_region_for`). An existing report of the same kind, period and
    region is reset to pending and regenerated. Raises ValidationError naming ``period_start``
    when the date does not open such a period, or ``region``.
    """
    if user is not None:
        region = report_region_for(user=user, region=region)
    candidate = Report(kind=kind, period_start=period_start, region=region)
    candidate.full_clean(exclude=["period_end"], validate_unique=False, validate_constraints=False)
    report, _created = Report.objects.select_for_update().get_or_create(
        kind=kind, period_start=period_start, region=region, defaults={"period_end": candidate.period_end}
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
    from reports.tasks import report_generate_task

    report_generate_task.delay(report_id)


# Pending this long, a report is queued again by the requeue, which runs every minute
# (migration 0004): no report waits more than about 4 minutes for a worker to take it.
STALE_AFTER = datetime.timedelta(minutes=3)
# The schedule asks for a period at most once in this window: long enough to cover two beats
# firing the same entry, a firing waiting behind other tasks or redelivered after its worker was
# killed (the broker's visibility timeout, 4.5 minutes); far shorter than the schedule's period.
SCHEDULE_WINDOW = datetime.timedelta(minutes=10)


def report_requeue_stale(*, older_than: datetime.timedelta = STALE_AFTER) -> list[int]:
    """Queue again the reports left pending longer than ``older_than`` (run every minute).

    Their task was never sent (the broker was down), was lost with a killed worker or still waits
    behind others. A report whose row is locked is being generated by a live worker and is left
    alone; a killed worker's generation holds no lock (PostgreSQL rolls its transaction back),
    and a live one cannot hold it longer than the task's hard time limit. A task that arrives
    for a report already done does nothing (``report_generate``), so a duplicate costs nothing.
    """
    with transaction.atomic():
        candidates = selectors.report_stale_pending(older_than=older_than)
        report_ids = list(
            Report.objects.select_for_update(skip_locked=True)
            .filter(pk__in=candidates, status=ReportStatus.PENDING)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        for report_id in report_ids:
            transaction.on_commit(lambda report_id=report_id: _queue_generation(report_id), robust=True)
    if report_ids:
        logger.info("reports %s were pending too long: queued again", report_ids)
    return report_ids


@transaction.atomic
def report_request_previous(*, kind: str, today: datetime.date | None = None, region: Region | None = None) -> Report:
    """Request the last complete period of ``kind`` before today, for ``region`` (None: the
    whole programme).

    Once per firing however many beats fire: when the report of that period and region was
    already asked for within SCHEDULE_WINDOW (by another beat, a redelivery of this task or a
    staff member), it is left as it is. The row lock, which a concurrent creation waits for
    under the unique key (the empty region included), keeps two firings from both passing that
    check. An explicit request (``report_request``, from the admin or the API) always resets and
    regenerates the report.
    """
    today = today or timezone.localdate()
    start = previous_period_start(kind, today)
    report, created = Report.objects.select_for_update().get_or_create(
        kind=kind, period_start=start, region=region, defaults={"period_end": period_end(kind, start)}
    )
    if not created and report.requested_at and report.requested_at > timezone.now() - SCHEDULE_WINDOW:
        logger.info("report %s already requested at %s: the schedule leaves it", report.pk, report.requested_at)
        return report
    return report_request(kind=kind, period_start=start, region=region)


def report_schedule(*, kind: str, today: datetime.date | None = None) -> list[Report]:
    """The schedule's entry point: the programme-wide report of the last complete period of
    ``kind``, then the report of each county that has scoped users
    (:func:`selectors.report_scheduled_regions`).

    Each report is requested in its own transaction (:func:`report_request_previous`), so a
    firing that fails half-way keeps what it requested, and its rerun (a retry, a second beat)
    requests only the rest: the reports already asked for within the window are left alone.
    """
    today = today or timezone.localdate()
    reports = [report_request_previous(kind=kind, today=today)]
    for region in selectors.report_scheduled_regions():
        reports.append(report_request_previous(kind=kind, today=today, region=region))
    return reports


def report_generate(*, report_id: int) -> Report | None:
    """Generate the report: snapshot of the indicators, the workbook, then the e-mail.

    A failure is recorded on the report (status ``failed`` and its reason) and raised again,
    so that the task retries. Returns None when the report no longer exists. A report already
    done (a duplicate or redelivered task: every request resets it to pending) is not generated
    again; only its e-mail is sent if it was not yet.
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
    _end_with_the_time_limit()
    # The row lock keeps two workers (a retry racing a rerun) from writing the same report at once
    # and tells the requeue of stale reports that this one is being generated.
    report = Report.objects.select_for_update(of=("self",)).select_related("region").get(pk=report_id)
    if report.status == ReportStatus.DONE:
        logger.info("report %s is already generated: nothing to do", report_id)
        return report
    report.generated_at = timezone.now()
    # The workbook is in the officials' language whatever the worker's locale.
    with translation.override(settings.LANGUAGE_CODE):
        figures = selectors.report_figures(
            year=report.period_start.year, period_end=report.period_end, region=report.region
        )
        # Which months are approved, as the dashboard says it: for the summary sheet only (the
        # stored snapshot, ``indicators``, is the API's contract and does not carry it).
        figures["approvals"] = month_approvals(year=report.period_start.year, area=report.region)
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


def _end_with_the_time_limit() -> None:
    """Let PostgreSQL end this transaction (and free the row lock) when its worker vanished.

    A killed worker's connection closes and its transaction is rolled back at once; a worker
    whose host was lost leaves it open and idle. A live worker is never idle longer than the
    task's hard time limit (the pool kills it), so that is the bound.
    """
    limit = settings.CELERY_TASK_TIME_LIMIT
    if limit and connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL idle_in_transaction_session_timeout = %s", [f"{int(limit * 1000)}"])


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
        report = Report.objects.select_for_update(of=("self",)).select_related("region").get(pk=report_id)
        if report.status != ReportStatus.DONE or report.mailed_at is not None or not report.file:
            return 0
        recipients = selectors.report_recipients(kind=report.kind, region=report.region)
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
