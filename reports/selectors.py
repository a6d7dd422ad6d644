"""Reads of the reports: lists, the indicator snapshot a report stores, who receives it, which
regions the schedule reports on."""

import datetime

from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.utils import timezone

from cooperation.choices import RegionLevel, Side
from cooperation.models import Region, ScopeRegion
from cooperation.scopes import scope_of, scoped
from indicators.registry import INDICATORS_BY_KEY
from indicators.selectors import indicator_breakdowns, indicator_rows, indicator_trends
from projects.selectors import projects_lagging_disbursement
from reports.choices import ReportStatus
from reports.models import Report

# ``region`` of the dashboard's lists: any region (the default), or exactly one (None: the
# programme-wide reports).
ANY_REGION = object()


def report_list(*, user=None) -> QuerySet:
    """The reports ``user`` may read (all without a user): a scoped user only those of regions
    within the scope, never the programme-wide ones (CONTRACT.md 1.1)."""
    qs = Report.objects.select_related("region")
    return qs if user is None else scoped(qs, user)


def _dashboard_reports(*, user, region) -> QuerySet:
    qs = report_list(user=user)
    return qs if region is ANY_REGION else qs.filter(region=region)


def report_recent(*, year: int | None = None, limit: int = 6, user=None, region=ANY_REGION) -> list[Report]:
    """The latest finished reports (of periods opening in ``year``; of ``region`` when given,
    None being the programme-wide ones; those ``user`` may read), newest period first."""
    qs = _dashboard_reports(user=user, region=region).filter(status=ReportStatus.DONE).exclude(file="")
    if year is not None:
        qs = qs.filter(period_start__year=year)
    return list(qs.order_by("-period_start", "kind", "region__code")[:limit])


def report_pending(*, year: int, user=None, region=ANY_REGION) -> list[Report]:
    """Reports of the year asked for and not generated yet (the dashboard says they are coming)."""
    qs = _dashboard_reports(user=user, region=region)
    return list(qs.filter(status=ReportStatus.PENDING, period_start__year=year).order_by("-period_start"))


def report_figures(*, year: int, period_end, region: Region | None = None) -> dict:
    """Everything a report is made of, read once through the indicator selectors.

    The indicators are those of the period's year as they stand when the report is generated,
    for ``region`` and below it (None: the whole programme), with the targets set for exactly
    that region; the pace is measured at the end of the period.
    """
    rows = indicator_rows(year=year, region=region, today=period_end)
    targets = {row["key"]: row["target"] for row in rows if row["target"] is not None}
    return {
        "indicators": rows,
        "trends": indicator_trends(year=year, region=region, targets=targets),
        "breakdowns": indicator_breakdowns(year=year, region=region),
        "lagging_projects": projects_lagging_disbursement(year=year, region=region),
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


def report_recipients(*, kind: str, region: Region | None = None) -> list[str]:
    """E-mail addresses of the active users who asked for reports of ``kind`` and whose report
    this is: the programme-wide report goes to the unscoped subscribers (as it did before
    scopes), a region's report to the scoped subscribers whose scope contains that region
    (who may read it). Nobody receives a report they could not download."""
    users = get_user_model().objects.filter(is_active=True, report_subscriptions__kind=kind).exclude(email="")
    scoped_users = ScopeRegion.objects.values("user")
    if region is None:
        return sorted(set(users.exclude(pk__in=scoped_users).values_list("email", flat=True)))
    # One scope per subscriber (a query each): few users subscribe, and the rule stays the
    # scopes' own (pairings included) rather than a copy of it here.
    candidates = users.filter(pk__in=scoped_users).distinct()
    return sorted({user.email for user in candidates if scope_of(user).contains(region)})


def report_subscribed(*, user, kind: str) -> bool:
    return user.is_authenticated and user.report_subscriptions.filter(kind=kind).exists()


def report_scheduled_regions() -> list[Region]:
    """The counties that get their own report on the schedule, besides the programme-wide one.

    A county is scheduled when it is in the scope of an active scoped user (CONTRACT.md 1.1):
    a scope region of the user at county level, or a county a region pairing brings into the
    scope (so an eastern city's staff scoped to Yuyao make Zhaojue's report). Only western
    counties: the indicators count records by their western region, so an eastern county's
    own report would be all zeros.
    A user scoped to a prefecture or a province does not make the counties below it scheduled
    (they would be every county of a province): such a user reads the reports of the counties
    other users make scheduled and may ask for any report within the scope. One scope per
    scoped user (a query each), in a task that runs once a period.
    """
    users = get_user_model().objects.filter(is_active=True, pk__in=ScopeRegion.objects.values("user")).order_by("pk")
    counties = {}
    for user in users:
        scope = scope_of(user)
        for region in (*scope.own, *scope.regions):
            if region.level == RegionLevel.COUNTY and region.side == Side.WEST:
                counties[region.pk] = region
    return sorted(counties.values(), key=lambda region: region.code)
