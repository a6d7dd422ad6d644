"""Endpoints of education."""

from cooperation.api.base import ProgrammeViewSet
from cooperation.dispatch.api import DispatchViewSet
from education import filtersets, selectors
from education.api import serializers


class TeacherDispatchViewSet(DispatchViewSet):
    queryset = selectors.teacher_dispatch_list()
    serializer_class = serializers.TeacherDispatchSerializer
    filterset_class = filtersets.TeacherDispatchFilterSet
    search_fields = [*DispatchViewSet.search_fields, "subject"]


class MentorshipViewSet(ProgrammeViewSet):
    queryset = selectors.mentorship_list()
    serializer_class = serializers.MentorshipSerializer
    filterset_class = filtersets.MentorshipFilterSet
    search_fields = ["apprentice_name", "mentor__person_name"]
    ordering_fields = ["id", "apprentice_name", "started_on"]


class TeacherTrainingViewSet(ProgrammeViewSet):
    queryset = selectors.teacher_training_list()
    serializer_class = serializers.TeacherTrainingSerializer
    filterset_class = filtersets.TeacherTrainingFilterSet
    search_fields = ["topic", "school__name"]
    ordering_fields = ["id", "held_on", "topic", "participants"]


class VocationalStudentViewSet(ProgrammeViewSet):
    queryset = selectors.vocational_student_list()
    serializer_class = serializers.VocationalStudentSerializer
    filterset_class = filtersets.VocationalStudentFilterSet
    search_fields = ["name", "major", "school__name"]
    ordering_fields = ["id", "name", "enrolled_on", "major", "status"]


class ActivityViewSet(ProgrammeViewSet):
    queryset = selectors.activity_list()
    serializer_class = serializers.ActivitySerializer
    filterset_class = filtersets.ActivityFilterSet
    search_fields = ["title", "school__name"]
    ordering_fields = ["id", "held_on", "kind", "participants"]
