"""FilterSets of labor cooperation (API, admin and dashboard alike)."""

import django_filters
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from cooperation.filtering import OverlapsYearFilter, ProgrammeFilterSet, RegionWithinFilter, YearFilter
from cooperation.selectors import records_in
from labor import selectors
from labor.choices import Destination
from labor.models import Placement, RecruitmentEvent, SkillsTraining, Worker, Workshop
from labor.personal_data import can_view_full
from labor.validators import EARLIEST_BIRTH_DATE

# Narrowing a birth date range would give back the date, which is the masked part of the ID
# number: only users holding labor.view_full_id_number may (the others filter by birth year).
FULL_VIEW_PARAMETERS = ("birth_date_after", "birth_date_before")
FULL_VIEW_ONLY = _(
    "Filtering by birth date needs the permission to view full ID numbers; filter by birth_year instead."
)


class WorkerFilterSet(ProgrammeFilterSet):
    """Workers; ``year`` and ``destination`` select workers with such a placement (each worker once).

    ``birth_date_after`` / ``birth_date_before`` need ``labor.view_full_id_number`` (else a
    400 naming the parameter); ``birth_year`` is open to all.
    """

    hometown_within = RegionWithinFilter(field_name="hometown")
    id_number = django_filters.CharFilter(method="filter_id_number", label=_("Full ID number (exact match)"))
    year = OverlapsYearFilter(method="filter_year", label=_("Employed in year"))
    destination = django_filters.ChoiceFilter(
        choices=Destination.choices, method="filter_destination", label=_("Has a placement of destination")
    )
    birth_date = django_filters.DateFromToRangeFilter()
    birth_year = YearFilter(
        field_name="birth_date", label=_("Birth year"), min_value=EARLIEST_BIRTH_DATE.year, max_value=2100
    )

    class Meta:
        model = Worker
        fields = ["hometown", "poverty_alleviated", "monitored_household", "gender", "external_id"]

    def refused_parameters(self) -> list[str]:
        """The birth date parameters sent by a user who may not use them."""
        sent = [name for name in FULL_VIEW_PARAMETERS if name in self.data]
        if not sent or can_view_full(getattr(self.request, "user", None)):
            return []
        return sent

    def is_valid(self):
        return super().is_valid() and not self.refused_parameters()

    @property
    def errors(self):
        errors = super().errors
        for name in self.refused_parameters():
            errors[name] = self.form.error_class([ValidationError(FULL_VIEW_ONLY, code="permission_denied")])
        return errors

    def filter_id_number(self, qs, name, value):
        return selectors.worker_filter_id_number(qs, value) if value else qs

    def filter_year(self, qs, name, value):
        return qs  # applied with ``destination`` in filter_queryset: one placement must match both

    def filter_destination(self, qs, name, value):
        return qs  # see filter_queryset

    def filter_queryset(self, queryset):
        """``year`` and ``destination`` select workers having one placement that overlaps the
        year *and* has that destination (``labor.employed_east`` counts exactly these)."""
        if self.refused_parameters():  # never narrowed, even when validity is not checked
            return queryset.none()
        queryset = super().filter_queryset(queryset)
        year, destination = self.form.cleaned_data.get("year"), self.form.cleaned_data.get("destination")
        if year in (None, "") and not destination:
            return queryset
        placements = Placement.objects.all()
        if year not in (None, ""):
            placements = records_in(placements, year=year)
        if destination:
            placements = placements.filter(destination=destination)
        return queryset.filter(pk__in=placements.values("worker_id"))


class PlacementFilterSet(ProgrammeFilterSet):
    year = OverlapsYearFilter()
    started_on = django_filters.DateFromToRangeFilter()
    ended_on = django_filters.DateFromToRangeFilter()
    hometown = django_filters.NumberFilter(field_name="worker__hometown", label=_("Worker's hometown"))
    hometown_within = RegionWithinFilter(field_name="worker__hometown")
    poverty_alleviated = django_filters.BooleanFilter(field_name="worker__poverty_alleviated")
    current = django_filters.BooleanFilter(field_name="ended_on", lookup_expr="isnull", label=_("Still employed"))

    class Meta:
        model = Placement
        fields = ["worker", "employer", "destination"]


class WorkshopFilterSet(ProgrammeFilterSet):
    year = OverlapsYearFilter(start="opened_on", end="closed_on")
    opened_on = django_filters.DateFromToRangeFilter()
    closed_on = django_filters.DateFromToRangeFilter()
    region_within = RegionWithinFilter(field_name="region")

    class Meta:
        model = Workshop
        fields = ["operator", "region"]


class RecruitmentEventFilterSet(ProgrammeFilterSet):
    year = YearFilter(field_name="held_on")
    held_on = django_filters.DateFromToRangeFilter()
    region_within = RegionWithinFilter(field_name="region")

    class Meta:
        model = RecruitmentEvent
        fields = ["organiser", "region", "employers"]


class SkillsTrainingFilterSet(ProgrammeFilterSet):
    year = OverlapsYearFilter()
    started_on = django_filters.DateFromToRangeFilter()
    ended_on = django_filters.DateFromToRangeFilter()
    region_within = RegionWithinFilter(field_name="region")

    class Meta:
        model = SkillsTraining
        fields = ["organiser", "region"]
