"""Reads of projects, funds and investments, and every aggregate over them.

The ``funds.*``, ``projects.count`` and ``investment.*`` indicators are computed here and
nowhere else (see ``cooperation.indicators``). The region of a project, an allocation or a
disbursement is the project's region; that of an investment is the enterprise's region.
"""

import datetime
from collections.abc import Iterable
from decimal import Decimal

from django.db.models import Count, DecimalField, Exists, F, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce, ExtractMonth, NullIf

from cooperation.models import Region
from cooperation.selectors import records_in
from projects.choices import ProjectCategory, ProjectStatus
from projects.models import (
    RATE_PLACES,
    Disbursement,
    EquityDividend,
    EquityInvestment,
    FundAllocation,
    Investment,
    OutcomeMeasure,
    ProgressAttachment,
    ProgressReport,
    Project,
)

ZERO = Decimal("0.00")
_MONEY = DecimalField(max_digits=18, decimal_places=2)


def _sum(qs: QuerySet, field: str = "amount") -> Decimal:
    """The sum of ``field`` over ``qs`` in yuan, 0.00 when there is nothing to add."""
    total = qs.aggregate(total=Sum(field))["total"]
    return (total or ZERO).quantize(ZERO)


def _money_subquery(model, field: str = "amount"):
    """Per-project total of ``model.<field>`` as a correlated subquery (one query for a whole list,
    and no row multiplication as two joined sums would give)."""
    totals = (
        model.objects.filter(project=OuterRef("pk"))
        .order_by()
        .values("project")
        .annotate(total=Sum(field))
        .values("total")
    )
    return Coalesce(Subquery(totals, output_field=_MONEY), Value(ZERO), output_field=_MONEY)


# --- Lists -----------------------------------------------------------------------------------


def project_list() -> QuerySet:
    """Projects with ``allocated_total`` and ``disbursed_total`` (yuan, all time), in one query;
    ``disbursement_rate`` (disbursed / allocated) is an alias to order and filter by, and each
    project's :attr:`~projects.models.Project.disbursement_rate` is computed from the two totals
    read (selecting it would run both subqueries again for every row: twice the page's time)."""
    return (
        Project.objects.select_related("region", "implementer")
        .annotate(
            allocated_total=_money_subquery(FundAllocation),
            disbursed_total=_money_subquery(Disbursement),
        )
        .alias(
            disbursement_rate=F("disbursed_total") / NullIf(F("allocated_total"), Value(ZERO)),
        )
    )


def fund_allocation_list() -> QuerySet:
    return FundAllocation.objects.select_related("project")


def disbursement_list() -> QuerySet:
    return Disbursement.objects.select_related("project")


def equity_investment_list() -> QuerySet:
    return EquityInvestment.objects.select_related("project", "investee")


def equity_dividend_list() -> QuerySet:
    return EquityDividend.objects.select_related("equity", "equity__investee")


def progress_report_list() -> QuerySet:
    return ProgressReport.objects.select_related("project")


def progress_attachment_list() -> QuerySet:
    return ProgressAttachment.objects.select_related("report")


def outcome_list() -> QuerySet:
    return OutcomeMeasure.objects.select_related("project")


def investment_list() -> QuerySet:
    return Investment.objects.select_related("enterprise", "enterprise__region", "east_parent", "project")


def _project_total(model, project_id: int | None, exclude: Iterable[int]) -> Decimal:
    return _sum(model.objects.filter(project_id=project_id).exclude(pk__in=list(exclude)))


def project_allocated_total(project_id: int | None, *, exclude: Iterable[int] = ()) -> Decimal:
    """All allocations of a project, in yuan, leaving out those with a pk in ``exclude``."""
    return _project_total(FundAllocation, project_id, exclude)


def project_disbursed_total(project_id: int | None, *, exclude: Iterable[int] = ()) -> Decimal:
    """All disbursements of a project, in yuan, leaving out those with a pk in ``exclude``."""
    return _project_total(Disbursement, project_id, exclude)


# --- Indicators ------------------------------------------------------------------------------


def _allocations(*, year: int, region: Region | None) -> QuerySet:
    return records_in(FundAllocation.objects.all(), year=year, region=region)


def _disbursements(*, year: int, region: Region | None) -> QuerySet:
    return records_in(Disbursement.objects.all(), year=year, region=region)


def _investments(*, year: int, region: Region | None) -> QuerySet:
    return records_in(Investment.objects.all(), year=year, region=region)


def _projects(*, year: int, region: Region | None) -> QuerySet:
    """Projects of plan year Y, cancelled ones excluded (the projects the indicators count)."""
    return records_in(Project.objects.all(), year=year, region=region).exclude(status=ProjectStatus.CANCELLED)


def funds_allocated(*, year: int, region: Region | None = None) -> Decimal:
    """``funds.allocated``: allocations of budget year Y, whatever the project's status."""
    return _sum(_allocations(year=year, region=region))


def funds_disbursed(*, year: int, region: Region | None = None) -> Decimal:
    """``funds.disbursed``: disbursements paid in calendar year Y."""
    return _sum(_disbursements(year=year, region=region))


def projects_count(*, year: int, region: Region | None = None) -> int:
    """``projects.count``: projects of plan year Y, cancelled ones excluded."""
    return _projects(year=year, region=region).count()


def investment_enterprises(*, year: int, region: Region | None = None) -> int:
    """``investment.enterprises``: distinct enterprises with an investment of year Y."""
    return _investments(year=year, region=region).aggregate(n=Count("enterprise", distinct=True))["n"]


def investment_amount(*, year: int, region: Region | None = None) -> Decimal:
    """``investment.amount``: investment in place of year Y."""
    return _sum(_investments(year=year, region=region))


# --- Dashboard breakdowns --------------------------------------------------------------------


def _by_month(qs: QuerySet, date_field: str) -> list[Decimal]:
    rows = (
        qs.order_by()
        .annotate(month=ExtractMonth(date_field))
        .values("month")
        .annotate(total=Sum("amount"))
        .values_list("month", "total")
    )
    months = [ZERO] * 12
    for month, total in rows:
        months[month - 1] = (total or ZERO).quantize(ZERO)
    return months


def funds_allocated_by_month(*, year: int, region: Region | None = None) -> list[Decimal]:
    """Allocations of budget year Y by the month of ``allocated_on`` (12 values, January first).
    The months add up to ``funds_allocated`` for the same year and region."""
    return _by_month(_allocations(year=year, region=region), "allocated_on")


def funds_disbursed_by_month(*, year: int, region: Region | None = None) -> list[Decimal]:
    """Disbursements paid in Y by month (12 values, January first); they add up to ``funds_disbursed``."""
    return _by_month(_disbursements(year=year, region=region), "paid_on")


def funds_by_category(*, year: int, region: Region | None = None) -> list[dict]:
    """Allocations of year Y by project category: ``[{category, label, amount}]``, non-zero
    amounts only, in the order of the category choices."""
    rows = dict(
        _allocations(year=year, region=region)
        .order_by()
        .values("project__category")
        .annotate(total=Sum("amount"))
        .values_list("project__category", "total")
    )
    return [
        {"category": value, "label": str(label), "amount": rows[value].quantize(ZERO)}
        for value, label in ProjectCategory.choices
        if rows.get(value)
    ]


def projects_lagging_disbursement(*, year: int, region: Region | None = None, limit: int = 10) -> list[dict]:
    """Projects of plan year Y (not cancelled) that have allocations, lowest disbursement rate
    first (ties: the larger allocation first, then the code). All-time totals per project.

    Two grouped queries (allocations, then disbursements, of the year's projects), sorted here:
    per-project subqueries in the filter, the select and the ordering would be evaluated for
    every project of the year, several times each."""
    projects = _projects(year=year, region=region).order_by()
    allocated = {
        project: (code, name, total)
        for project, code, name, total in FundAllocation.objects.filter(project__in=projects.values("pk"))
        .order_by()
        .values("project")
        .annotate(total=Sum("amount"))
        .values_list("project", "project__code", "project__name", "total")
        if total and total > 0
    }
    if not allocated:
        return []
    disbursed = dict(
        Disbursement.objects.filter(project__in=projects.values("pk"))
        .order_by()
        .values("project")
        .annotate(total=Sum("amount"))
        .values_list("project", "total")
    )
    rows = []
    for project, (code, name, total) in allocated.items():
        paid = disbursed.get(project) or ZERO
        rows.append((paid / total, -total, code, project, name, total, paid))
    rows.sort()
    return [
        {
            "id": project,
            "code": code,
            "name": name,
            "allocated": total.quantize(ZERO),
            "disbursed": paid.quantize(ZERO),
            "rate": _rate(rate),
        }
        for rate, _order, code, project, name, total, paid in rows[:limit]
    ]


def _rate(value) -> Decimal | None:
    if value is None:
        return None
    return Decimal(value).quantize(RATE_PLACES)


# --- Warnings before a month is submitted (projects.month_checks) ------------------------------


def projects_paid_without_allocation(*, region: Region, first: datetime.date, last: datetime.date) -> QuerySet:
    """Projects in ``region`` or below it paid money from ``first`` to ``last`` (a month) that
    have no fund allocation of that budget year (``first.year``) or an earlier one (money
    allocated one year and paid early the next, 结转资金, is normal), by code, each with
    ``paid_in_period`` (yuan). One query."""
    paid = (
        Disbursement.objects.filter(project=OuterRef("pk"), paid_on__gte=first, paid_on__lte=last)
        .order_by()
        .values("project")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    allocated = FundAllocation.objects.filter(project=OuterRef("pk"), year__lte=first.year)
    return (
        records_in(Project.objects.all(), region=region)
        .annotate(paid_in_period=Subquery(paid, output_field=_MONEY))
        .filter(paid_in_period__gt=0)
        .exclude(Exists(allocated))
        .order_by("code")
    )


def projects_without_recent_disbursement(*, region: Region, first: datetime.date, last: datetime.date) -> QuerySet:
    """Projects in ``region`` or below it marked in progress, already running on ``first``
    (started on or before it or, without a start date, of a plan year not after ``first``'s),
    with no disbursement paid from ``first`` to ``last``; by code, each with ``last_paid_on``
    (the latest payment before ``first``, or None). One query."""
    recent = Disbursement.objects.filter(project=OuterRef("pk"), paid_on__gte=first, paid_on__lte=last)
    latest = (
        Disbursement.objects.filter(project=OuterRef("pk"), paid_on__lt=first).order_by("-paid_on").values("paid_on")
    )
    return (
        records_in(Project.objects.filter(status=ProjectStatus.IN_PROGRESS), region=region)
        .filter(Q(started_on__lte=first) | Q(started_on__isnull=True, year__lte=first.year))
        .exclude(Exists(recent))
        .annotate(last_paid_on=Subquery(latest[:1]))
        .order_by("code")
    )
