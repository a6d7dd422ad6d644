"""Reads shared by every dispatch model."""

import datetime

from django.db.models import Max, Min, QuerySet

from cooperation.models import Region
from cooperation.selectors import overlapping_year, within_region

# Dispatches count in the region of the organisation hosting them (the contract's rule).
HOST_REGION = "host_org__region"


def dispatch_list(model) -> QuerySet:
    """Every dispatch of ``model`` with what its lists show, in one query."""
    return model.objects.select_related("source_org", "host_org")


def dispatches_overlapping(qs: QuerySet, *, year: int, region: Region | None = None) -> QuerySet:
    """Dispatches whose stay overlaps ``year``, hosted in ``region`` or below it (None: all)."""
    return within_region(overlapping_year(qs, year=year), region=region, path=HOST_REGION)


def dispatch_count(qs: QuerySet, *, year: int, region: Region | None = None) -> int:
    """Dispatch records overlapping the year: one person sent twice counts twice."""
    return dispatches_overlapping(qs, year=year, region=region).count()


def period_years(qs: QuerySet, *, start: str = "started_on", end: str = "ended_on") -> list[int]:
    """The calendar years the periods of ``qs`` touch, oldest first (for year pickers).

    An open period runs to the current year.
    """
    bounds = qs.aggregate(first=Min(start), last_start=Max(start), last_end=Max(end))
    if bounds["first"] is None:
        return []
    last = max(d.year for d in (bounds["last_start"], bounds["last_end"]) if d is not None)
    if qs.filter(**{f"{end}__isnull": True}).exists():
        last = max(last, datetime.date.today().year)
    return list(range(bounds["first"].year, last + 1))
