"""FilterSets of projects, funds and investments (API and admin alike)."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cooperation.filtering import OverlapsYearFilter, ProgrammeFilterSet, RegionWithinFilter, YearFilter
from projects.choices import ProjectCategory, ProjectStatus
from projects.models import (
    Disbursement,
    EquityDividend,
    EquityInvestment,
    FundAllocation,
    Investment,
    OutcomeMeasure,
    ProgressReport,
    Project,
)


class ProjectFilterSet(ProgrammeFilterSet):
    year = YearFilter()
    year_min = YearFilter(field_name="year", lookup_expr="gte", label=_("Year from"))
    year_max = YearFilter(field_name="year", lookup_expr="lte", label=_("Year to"))
    active_in = OverlapsYearFilter(end="completed_on", label=_("Running in year"))
    started_on = django_filters.DateFromToRangeFilter()
    completed_on = django_filters.DateFromToRangeFilter()
    region_within = RegionWithinFilter(field_name="region")
    cancelled = django_filters.BooleanFilter(method="filter_cancelled", label=_("Cancelled"))

    class Meta:
        model = Project
        fields = ["code", "category", "status", "region", "implementer"]

    def filter_cancelled(self, qs, name, value):
        if value is None:
            return qs
        cancelled = Q(status=ProjectStatus.CANCELLED)
        return qs.filter(cancelled) if value else qs.exclude(cancelled)


class FundAllocationFilterSet(ProgrammeFilterSet):
    year = YearFilter()
    category = django_filters.ChoiceFilter(
        field_name="project__category", choices=ProjectCategory.choices, label=_("Project category")
    )
    allocated_on = django_filters.DateFromToRangeFilter()
    region_within = RegionWithinFilter(field_name="project__region")

    class Meta:
        model = FundAllocation
        fields = ["project", "source"]


class DisbursementFilterSet(ProgrammeFilterSet):
    year = YearFilter(field_name="paid_on")
    paid_on = django_filters.DateFromToRangeFilter()
    region_within = RegionWithinFilter(field_name="project__region")

    class Meta:
        model = Disbursement
        fields = ["project"]


class EquityInvestmentFilterSet(ProgrammeFilterSet):
    year = YearFilter(field_name="invested_on")
    invested_on = django_filters.DateFromToRangeFilter()

    class Meta:
        model = EquityInvestment
        fields = ["project", "investee"]


class EquityDividendFilterSet(ProgrammeFilterSet):
    year = YearFilter()
    paid_on = django_filters.DateFromToRangeFilter()

    class Meta:
        model = EquityDividend
        fields = ["equity", "equity__project"]


class ProgressReportFilterSet(ProgrammeFilterSet):
    year = YearFilter(field_name="reported_on")
    reported_on = django_filters.DateFromToRangeFilter()

    class Meta:
        model = ProgressReport
        fields = ["project"]


class OutcomeMeasureFilterSet(ProgrammeFilterSet):
    year = YearFilter(field_name="measured_on")
    measured_on = django_filters.DateFromToRangeFilter()

    class Meta:
        model = OutcomeMeasure
        fields = ["project"]


class InvestmentFilterSet(ProgrammeFilterSet):
    year = YearFilter()
    year_min = YearFilter(field_name="year", lookup_expr="gte", label=_("Year from"))
    year_max = YearFilter(field_name="year", lookup_expr="lte", label=_("Year to"))
    region_within = RegionWithinFilter(field_name="enterprise__region")

    class Meta:
        model = Investment
        fields = ["enterprise", "east_parent", "sector", "project"]
