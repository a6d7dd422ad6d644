"""FilterSets of the programme core."""

import django_filters

from cooperation.filtering import OverlapsYearFilter, ProgrammeFilterSet, RegionWithinFilter, YearFilter
from cooperation.models import Organization, Pairing, Region, Secondment, Submission, Target


class RegionFilterSet(ProgrammeFilterSet):
    within = RegionWithinFilter(path="")

    class Meta:
        model = Region
        fields = ["level", "side", "parent", "code"]


class OrganizationFilterSet(ProgrammeFilterSet):
    region_within = RegionWithinFilter(field_name="region")

    class Meta:
        model = Organization
        fields = ["kind", "side", "region", "credit_code", "parent"]


class PairingFilterSet(ProgrammeFilterSet):
    year = OverlapsYearFilter()
    started_on = django_filters.DateFromToRangeFilter()
    ended_on = django_filters.DateFromToRangeFilter()

    class Meta:
        model = Pairing
        fields = ["kind", "east_region", "west_region", "east_org", "west_org"]


class TargetFilterSet(ProgrammeFilterSet):
    year = YearFilter()
    year_min = YearFilter(field_name="year", lookup_expr="gte", label="Year from")
    year_max = YearFilter(field_name="year", lookup_expr="lte", label="Year to")
    programme_wide = django_filters.BooleanFilter(field_name="region", lookup_expr="isnull")

    class Meta:
        model = Target
        fields = ["indicator", "region"]


class SecondmentFilterSet(ProgrammeFilterSet):
    year = OverlapsYearFilter()
    started_on = django_filters.DateFromToRangeFilter()
    ended_on = django_filters.DateFromToRangeFilter()
    region_within = RegionWithinFilter(field_name="region")

    class Meta:
        model = Secondment
        fields = ["direction", "kind", "region", "home_org", "host_org"]


class SubmissionFilterSet(ProgrammeFilterSet):
    year = YearFilter(field_name="month")
    month = django_filters.DateFromToRangeFilter()
    region_within = RegionWithinFilter(field_name="region")

    class Meta:
        model = Submission
        fields = ["region", "status"]
