"""FilterSets of the reports."""

import django_filters
from django.utils.translation import gettext_lazy as _

from cooperation.filtering import ProgrammeFilterSet, YearFilter
from reports.models import Report


class ReportFilterSet(ProgrammeFilterSet):
    year = YearFilter(field_name="period_start")
    period_start = django_filters.DateFromToRangeFilter()
    period_end = django_filters.DateFromToRangeFilter()
    # ``?region=R`` is exactly R's reports (``region_within``, from the record kind, takes R and
    # the regions below it); ``?programme_wide=true`` the reports of the whole programme.
    programme_wide = django_filters.BooleanFilter(
        field_name="region", lookup_expr="isnull", label=_("Whole programme (no region)")
    )

    class Meta:
        model = Report
        fields = ["kind", "status", "region"]
