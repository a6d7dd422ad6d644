"""FilterSets of the reports."""

import django_filters

from cooperation.filtering import ProgrammeFilterSet, YearFilter
from reports.models import Report


class ReportFilterSet(ProgrammeFilterSet):
    year = YearFilter(field_name="period_start")
    period_start = django_filters.DateFromToRangeFilter()
    period_end = django_filters.DateFromToRangeFilter()

    class Meta:
        model = Report
        fields = ["kind", "status"]
