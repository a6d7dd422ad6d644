"""Reads of the dashboard page itself: the choices of its year and region selectors.

The figures come from :mod:`indicators.selectors` (values, pace, trends, breakdowns).
"""

import datetime

from django.db.models import DateField, F, Max, Min, QuerySet, Value
from django.db.models.functions import ExtractYear
from django.utils import timezone

from cooperation.models import Region, Target
from cooperation.records import record_kind
from cooperation.selectors import programme_years, west_region_list
from indicators.registry import INDICATORS


def dashboard_regions() -> QuerySet:
    """The western regions an official can choose (each stands for itself and everything below)."""
    return west_region_list().exclude(level="village").order_by("code")


def _year_of(column: str, model) -> F | ExtractYear:
    field = model._meta.get_field(column.split("__")[0])
    return ExtractYear(column) if isinstance(field, DateField) else F(column)


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
            .annotate(first=Min(_year_of(column, model)), last=Max(_year_of(column, model)))
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
