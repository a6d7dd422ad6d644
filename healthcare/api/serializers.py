"""Serializers of healthcare's endpoints (fields per the public contract, then our own)."""

from cooperation.api.base import ProgrammeSerializer
from cooperation.dispatch.api import DISPATCH_FIELDS
from healthcare.models import Discipline, MedicalDispatch, MedicalServiceStat, NewTechnique, OutreachEvent


class MedicalDispatchSerializer(ProgrammeSerializer):
    class Meta:
        model = MedicalDispatch
        fields = [*DISPATCH_FIELDS, "specialty"]


class MedicalServiceStatSerializer(ProgrammeSerializer):
    class Meta:
        model = MedicalServiceStat
        fields = ["id", "host_org", "month", "outpatients", "surgeries", "rescues", "staff_trained"]


class DisciplineSerializer(ProgrammeSerializer):
    class Meta:
        model = Discipline
        fields = ["id", "host_org", "department", "lead", "goal", "started_on"]


class NewTechniqueSerializer(ProgrammeSerializer):
    class Meta:
        model = NewTechnique
        fields = ["id", "host_org", "name", "department", "introduced_on", "dispatch"]


class OutreachEventSerializer(ProgrammeSerializer):
    class Meta:
        model = OutreachEvent
        fields = ["id", "host_org", "held_on", "place", "people_served", "medicine_value"]
