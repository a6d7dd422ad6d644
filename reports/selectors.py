"""Reads of the reports: lists, the indicator snapshot a report stores, who receives it."""

import datetime

from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.utils import timezone

from indicators.registry import INDICATORS_BY_KEY
from indicators.selectors import indicator_breakdowns, indicator_rows, indicator_trends
from projects.selectors import projects_lagging_disbursement
from reports.choices import ReportStatus
from reports.models import Report


def report_list() -> QuerySet:
    return Report.objects.all()


def report_recent(*, year: int | None = None, limit: int = 6) -> list[Report]:
    """The latest finished reports (of periods opening in ``year``), newest period first."""
    qs = Report.objects.filter(status=ReportStatus.DONE).exclude(file="")
    if year is not None:
        qs = qs.filter(period_start__year=year)
    return list(qs.order_by("-period_start", "kind")[:limit])


def report_pending(*, year: int) -> list[Report]:
    """Reports of the year asked for and not generated yet (the dashboard says they are coming)."""
    return list(Report.objects.filter(status=ReportStatus.PENDING, period_start__year=year).order_by("-period_start"))


def report_figures(*, year: int, period_end) -> dict:
    """Everything a report is made of, read once through the indicator selectors.

    The indicators are those of the period's year as they stand when the report is generated
    (programme-wide); the pace is measured at the end of the period.
    """
    rows = indicator_rows(year=year, region=None, today=period_end)
    targets = {row["key"]: row["target"] for row in rows if row["target"] is not None}
    return {
        "indicators": rows,
        "trends": indicator_trends(year=year, region=None, targets=targets),
        "breakdowns": indicator_breakdowns(year=year, region=None),
        "lagging_projects": projects_lagging_disbursement(year=year, region=None),
    }


def report_indicator_rows(report: Report) -> list[dict]:
    """The stored snapshot in the contract's row shape, labels in the current language."""
    rows = []
    for item in report.indicators or []:
        indicator = INDICATORS_BY_KEY.get(item.get("key"))
        rows.append(
            {
                "key": item.get("key"),
                "label": str(indicator.label) if indicator else item.get("key"),
                "value": item.get("value"),
                "unit": item.get("unit"),
                "target": item.get("target"),
                "completion": item.get("completion"),
            }
        )
    return rows


def report_stale_pending(*, older_than: datetime.timedelta) -> list[int]:
    """Ids of reports still pending ``older_than`` after they were asked for: their task was
    never queued (the broker was down at the time) or was lost."""
    cutoff = timezone.now() - older_than
    return list(
        Report.objects.filter(status=ReportStatus.PENDING, requested_at__lt=cutoff).values_list("pk", flat=True)
    )


def report_recipients(*, kind: str) -> list[str]:
    """E-mail addresses of the active users who asked for reports of ``kind``."""
    users = get_user_model().objects.filter(is_active=True, report_subscriptions__kind=kind).exclude(email="")
    return sorted(set(users.values_list("email", flat=True)))


def report_subscribed(*, user, kind: str) -> bool:
    return user.is_authenticated and user.report_subscriptions.filter(kind=kind).exists()
