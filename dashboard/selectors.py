"""Reads of the dashboard page itself: the choices of its year and region selectors.

The figures come from :mod:`indicators.selectors` (values, pace, trends, breakdowns).
"""

import datetime

from django.db.models import QuerySet

from cooperation.models import Region
from cooperation.selectors import programme_years, west_region_list


def dashboard_regions() -> QuerySet:
    """The western regions an official can choose (each stands for itself and everything below)."""
    return west_region_list().exclude(level="village").order_by("code")


def dashboard_years(today: datetime.date | None = None) -> list[int]:
    """The years of the year selector, newest first."""
    return programme_years(today)


def region_lookup(value: str) -> Region | None:
    """The region a request names: by GB/T 2260 code when the value is one, else by id.

    A code wins over an id of the same digits (513431 is Zhaojue County's code). One query.
    """
    candidates = list(Region.objects.filter(code=value) | Region.objects.filter(pk=int(value)))
    for region in candidates:
        if region.code == value:
            return region
    return candidates[0] if candidates else None
