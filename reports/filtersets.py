"""FilterSets of the reports."""

import django_filters
from django.utils.translation import gettext_lazy as _

from cooperation.filtering import ProgrammeFilterSet, YearFilter
from reports.models import Declaration, Report


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


class DeclarationFilterSet(ProgrammeFilterSet):
    """``?year=``, ``?year_min=``/``?year_max=``, ``?indicator=``, ``?region=`` (exactly that
    region; ``region_within`` from the record kind takes the regions below too), ``?side=``."""

    year = YearFilter()
    year_min = YearFilter(field_name="year", lookup_expr="gte", label=_("Year from"))
    year_max = YearFilter(field_name="year", lookup_expr="lte", label=_("Year to"))

    class Meta:
        model = Declaration
        fields = ["indicator", "region", "side"]
