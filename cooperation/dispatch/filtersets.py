"""FilterSet base of every dispatch list (API, admin and dashboard alike)."""

import django_filters
from django.utils.translation import gettext_lazy as _

from cooperation.filtering import OverlapsYearFilter, ProgrammeFilterSet, RegionWithinFilter

DISPATCH_FILTER_FIELDS = ["role", "source_org", "host_org"]


class DispatchFilterSet(ProgrammeFilterSet):
    """``?year=`` (the stay overlaps the year), date ranges, host region subtree, and the
    subclass's ``Meta.fields`` (start from ``DISPATCH_FILTER_FIELDS``)."""

    year = OverlapsYearFilter()
    started_on = django_filters.DateFromToRangeFilter()
    ended_on = django_filters.DateFromToRangeFilter()
    host_region_within = RegionWithinFilter(field_name="host_org__region", label=_("Host region (and below)"))
    active = django_filters.BooleanFilter(field_name="ended_on", lookup_expr="isnull", label=_("Still there"))
