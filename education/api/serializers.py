"""Serializers of education's endpoints (fields per the public contract, then our own)."""

from cooperation.api.base import ProgrammeSerializer
from cooperation.dispatch.api import DISPATCH_FIELDS
from education.models import Activity, Mentorship, TeacherDispatch, TeacherTraining, VocationalStudent


class TeacherDispatchSerializer(ProgrammeSerializer):
    class Meta:
        model = TeacherDispatch
        fields = [*DISPATCH_FIELDS, "subject"]


class MentorshipSerializer(ProgrammeSerializer):
    class Meta:
        model = Mentorship
        fields = ["id", "mentor", "apprentice_name", "started_on"]


class TeacherTrainingSerializer(ProgrammeSerializer):
    class Meta:
        model = TeacherTraining
        fields = ["id", "held_on", "topic", "participants", "school"]


class VocationalStudentSerializer(ProgrammeSerializer):
    class Meta:
        model = VocationalStudent
        fields = ["id", "name", "hometown", "school", "enrolled_on", "major", "status"]


class ActivitySerializer(ProgrammeSerializer):
    class Meta:
        model = Activity
        fields = ["id", "held_on", "kind", "title", "participants", "school"]
