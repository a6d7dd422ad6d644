"""FilterSets of labor cooperation (API, admin and dashboard alike)."""

import django_filters
from django.utils.translation import gettext_lazy as _

from cooperation.filtering import OverlapsYearFilter, ProgrammeFilterSet, RegionWithinFilter, YearFilter
from labor import selectors
from labor.choices import Destination
from labor.models import Placement, RecruitmentEvent, SkillsTraining, Worker, Workshop


class WorkerFilterSet(ProgrammeFilterSet):
    """Workers; ``year`` and ``destination`` select workers with such a placement (each worker once)."""

    hometown_within = RegionWithinFilter(field_name="hometown")
    id_number = django_filters.CharFilter(method="filter_id_number", label=_("Full ID number (exact match)"))
    year = OverlapsYearFilter(method="filter_year", label=_("Employed in year"))
    destination = django_filters.ChoiceFilter(
        choices=Destination.choices, method="filter_destination", label=_("Has a placement of destination")
    )
    birth_date = django_filters.DateFromToRangeFilter()

    class Meta:
        model = Worker
        fields = ["hometown", "poverty_alleviated", "monitored_household", "gender", "external_id"]

    def filter_id_number(self, qs, name, value):
        return selectors.worker_filter_id_number(qs, value) if value else qs

    def filter_year(self, qs, name, value):
        if value in (None, ""):
            return qs
        from cooperation.selectors import overlapping_year

        return qs.filter(pk__in=overlapping_year(Placement.objects.all(), year=value).values("worker_id"))

    def filter_destination(self, qs, name, value):
        if not value:
            return qs
        return qs.filter(pk__in=Placement.objects.filter(destination=value).values("worker_id"))


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
