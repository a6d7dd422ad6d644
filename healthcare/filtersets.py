"""FilterSets of healthcare, one per model (API, admin and dashboard alike)."""

import django_filters

from cooperation.dispatch.filtersets import DISPATCH_FILTER_FIELDS, DispatchFilterSet
from cooperation.filtering import ProgrammeFilterSet, RegionWithinFilter, YearFilter
from healthcare.models import Discipline, MedicalDispatch, MedicalServiceStat, NewTechnique, OutreachEvent


class MedicalDispatchFilterSet(DispatchFilterSet):
    class Meta:
        model = MedicalDispatch
        fields = [*DISPATCH_FILTER_FIELDS, "specialty"]


class MedicalServiceStatFilterSet(ProgrammeFilterSet):
    year = YearFilter(field_name="month")
    month = django_filters.DateFromToRangeFilter()
    host_region_within = RegionWithinFilter(field_name="host_org__region")

    class Meta:
        model = MedicalServiceStat
        fields = ["host_org"]


class DisciplineFilterSet(ProgrammeFilterSet):
    year = YearFilter(field_name="started_on")
    started_on = django_filters.DateFromToRangeFilter()
    host_region_within = RegionWithinFilter(field_name="host_org__region")

    class Meta:
        model = Discipline
        fields = ["host_org", "lead", "department"]


class NewTechniqueFilterSet(ProgrammeFilterSet):
    year = YearFilter(field_name="introduced_on")
    introduced_on = django_filters.DateFromToRangeFilter()
    host_region_within = RegionWithinFilter(field_name="host_org__region")

    class Meta:
        model = NewTechnique
        fields = ["host_org", "dispatch", "department"]


class OutreachEventFilterSet(ProgrammeFilterSet):
    year = YearFilter(field_name="held_on")
    held_on = django_filters.DateFromToRangeFilter()
    host_region_within = RegionWithinFilter(field_name="host_org__region")

    class Meta:
        model = OutreachEvent
        fields = ["host_org"]
