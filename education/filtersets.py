"""FilterSets of education, one per model (API, admin and dashboard alike)."""

import django_filters

from cooperation.dispatch.filtersets import DISPATCH_FILTER_FIELDS, DispatchFilterSet
from cooperation.filtering import ProgrammeFilterSet, RegionWithinFilter, YearFilter
from education.models import Activity, Mentorship, TeacherDispatch, TeacherTraining, VocationalStudent


class TeacherDispatchFilterSet(DispatchFilterSet):
    class Meta:
        model = TeacherDispatch
        fields = [*DISPATCH_FILTER_FIELDS, "subject"]


class MentorshipFilterSet(ProgrammeFilterSet):
    year = YearFilter(field_name="started_on")
    started_on = django_filters.DateFromToRangeFilter()
    host_region_within = RegionWithinFilter(field_name=Mentorship.record_kind.region)  # the mentor's host
    host_org = django_filters.NumberFilter(field_name="mentor__host_org", min_value=1, max_value=2**63 - 1)

    class Meta:
        model = Mentorship
        fields = ["mentor"]


class TeacherTrainingFilterSet(ProgrammeFilterSet):
    year = YearFilter(field_name="held_on")
    held_on = django_filters.DateFromToRangeFilter()
    school_region_within = RegionWithinFilter(field_name="school__region")

    class Meta:
        model = TeacherTraining
        fields = ["school"]


class VocationalStudentFilterSet(ProgrammeFilterSet):
    year = YearFilter(field_name="enrolled_on")
    enrolled_on = django_filters.DateFromToRangeFilter()
    hometown_within = RegionWithinFilter(field_name="hometown")

    class Meta:
        model = VocationalStudent
        fields = ["hometown", "school", "status", "major"]


class ActivityFilterSet(ProgrammeFilterSet):
    year = YearFilter(field_name="held_on")
    held_on = django_filters.DateFromToRangeFilter()
    school_region_within = RegionWithinFilter(field_name="school__region")

    class Meta:
        model = Activity
        fields = ["kind", "school"]
