"""Reads of the dashboard page itself: the choices of its year and region selectors, and the
area a user's request shows (CONTRACT.md 1.1, "Scoped users"), for the page and the summary.

The figures come from :mod:`indicators.selectors` (values, pace, trends, breakdowns) and
:mod:`indicators.rollup` (the child regions); which months of them are approved from
:mod:`cooperation.selectors` (the monthly submissions).
"""

import datetime
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import DateField, Max, Min, Q, QuerySet, Value
from django.db.models.functions import ExtractYear
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cooperation.choices import RegionLevel, Side
from cooperation.models import Region, Target
from cooperation.records import record_kind
from cooperation.scopes import Scope, scope_of
from cooperation.selectors import approved_through, month_approvals, programme_years, region_list, west_region_list
from indicators.registry import INDICATORS
from indicators.rollup import indicator_rollup, rollup_children, without_empty_children


class OutsideScope(PermissionDenied):
    """The region asked for lies outside the user's scope (403)."""

    def __init__(self, region: Region):
        self.region = region
        super().__init__(
            _("The region %(region)s lies outside your scope (the regions your account may work on).")
            % {"region": region}
        )


@dataclass(frozen=True)
class DashboardArea:
    """What one request of the dashboard or the summary shows.

    ``region``: the region shown (the one asked for, or a scoped user's one region), None for
    the programme or a scoped user's several regions. ``figures``: what the figures count,
    passed where the indicator selectors take a region (a Region, a
    :class:`~cooperation.scopes.Scope` or None). ``scope``: the user's scope.
    """

    region: Region | None
    figures: Region | Scope | None
    scope: Scope

    @property
    def whole_scope(self) -> bool:
        """The figures of a scoped user's several regions together: no region, no targets."""
        return isinstance(self.figures, Scope)


def dashboard_area(*, user, region: Region | None) -> DashboardArea:
    """The area ``user`` sees for the ``region`` asked for (None: none given).

    Unscoped users: that region, or the programme. Scoped users (the contract's rules): a
    region must lie within the scope (a scope region or below one; the regions above it, though
    readable, are not), else :class:`OutsideScope`; without one, a user holding exactly one
    scope region (set on the user; a paired region does not count) sees that region, one
    holding several sees them all together. One query (the scope), cached on the user.
    """
    scope = scope_of(user)
    if scope.unrestricted:
        return DashboardArea(region=region, figures=region, scope=scope)
    if region is not None:
        if not scope.contains(region):
            raise OutsideScope(region)
        return DashboardArea(region=region, figures=region, scope=scope)
    if scope.sole_region is not None:
        return DashboardArea(region=scope.sole_region, figures=scope.sole_region, scope=scope)
    return DashboardArea(region=None, figures=scope, scope=scope)


def dashboard_regions(user=None) -> QuerySet:
    """The regions an official can choose (each stands for itself and everything below): the
    western regions down to towns; for a scoped user those within the scope, and the regions
    set on the user (an eastern city's staff open their own city)."""
    scope = scope_of(user)
    if scope.unrestricted:
        return west_region_list().exclude(level=RegionLevel.VILLAGE).order_by("code")
    within = Q(side=Side.WEST) & scope.subtree_q("")
    return (
        region_list()
        .filter(within | Q(pk__in=[region.pk for region in scope.own]))
        .exclude(level=RegionLevel.VILLAGE)
        .order_by("code")
    )


def _year_bound(aggregate, column: str, model):
    """MIN or MAX of a year column, or the year of the MIN or MAX of a date column: the
    aggregate of the column itself, which its index answers without a scan."""
    field = model._meta.get_field(column.split("__")[0])
    return ExtractYear(aggregate(column)) if isinstance(field, DateField) else aggregate(column)


def dashboard_years(today: datetime.date | None = None) -> list[int]:
    """The years of the year selector, newest first: every year from the first to the last that
    has a target or a record behind an indicator (by its record kind's year column), or the
    programme's years while there is no data at all. One query: a UNION of MIN/MAX per kind."""
    bounds = Target.objects.order_by().annotate(k=Value(1)).values("k").annotate(first=Min("year"), last=Max("year"))
    parts = []
    for model in dict.fromkeys(indicator.drilldown.model for indicator in INDICATORS):
        kind = record_kind(model)
        column = kind.year_field or (kind.period[0] if kind.period else kind.date)
        if not column:  # workers: their years are their placements'
            continue
        parts.append(
            model.objects.order_by()
            .annotate(k=Value(1))
            .values("k")
            .annotate(first=_year_bound(Min, column, model), last=_year_bound(Max, column, model))
            .values_list("first", "last")
        )
    rows = [row for row in bounds.values_list("first", "last").union(*parts, all=True) if row[0] is not None]
    if not rows:  # no data at all
        return programme_years(today)
    first, last = min(row[0] for row in rows), max(row[1] for row in rows)
    return list(range(last, first - 1, -1))


def dashboard_default_year(years: list[int], today: datetime.date | None = None) -> int:
    """This year when it has data, else the latest year that has (the demo's data ends in 2024)."""
    today = today or timezone.localdate()
    if today.year in years or not years:
        return today.year
    past = [year for year in years if year < today.year]
    return past[0] if past else years[-1]


def region_lookup(value: str) -> Region | None:
    """The region a request names: by GB/T 2260 code when the value is one, else by id.

    A code wins over an id of the same digits (513431 is Zhaojue County's code). One query.
    """
    candidates = list(Region.objects.filter(code=value) | Region.objects.filter(pk=int(value)))
    for region in candidates:
        if region.code == value:
            return region
    return candidates[0] if candidates else None


def dashboard_rollup(*, area: DashboardArea, year: int, parent_targets: dict, today: datetime.date | None = None):
    """The roll-up of the area shown (:func:`indicators.rollup.indicator_rollup`): its child
    regions within the user's scope; for the programme, the western provinces that hold a
    record or a target of the year (a province of the frame with nothing in it says nothing)."""
    children = [child for child in rollup_children(area.figures) if area.scope.contains(child)]
    rollup = indicator_rollup(
        year=year, area=area.figures, children=children, parent_targets=parent_targets, today=today
    )
    if area.figures is None:
        rollup = without_empty_children(rollup)
    return rollup


def dashboard_approvals(*, area: DashboardArea, year: int) -> dict:
    """Which months of ``year`` are approved for the area shown: ``{"months": [...], "through":
    date | None}``, the twelve entries of :func:`cooperation.selectors.month_approvals` and the
    month the figures are approved through (:func:`cooperation.selectors.approved_through`).

    The area is what the figures count (``area.figures``; a town: its county), so a scoped
    user's whole scope counts the counties of every scope region, paired ones included. Two
    queries, whatever the number of counties or submissions.
    """
    months = month_approvals(year=year, area=area.figures)
    return {"months": months, "through": approved_through(months)}
