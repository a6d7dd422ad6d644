"""Endpoints of healthcare."""

from cooperation.api.base import ProgrammeViewSet
from cooperation.dispatch.api import DispatchViewSet
from healthcare import filtersets, selectors
from healthcare.api import serializers


class MedicalDispatchViewSet(DispatchViewSet):
    queryset = selectors.medical_dispatch_list()
    serializer_class = serializers.MedicalDispatchSerializer
    filterset_class = filtersets.MedicalDispatchFilterSet
    search_fields = [*DispatchViewSet.search_fields, "specialty"]


class MedicalServiceStatViewSet(ProgrammeViewSet):
    queryset = selectors.medical_service_stat_list()
    serializer_class = serializers.MedicalServiceStatSerializer
    filterset_class = filtersets.MedicalServiceStatFilterSet
    search_fields = ["host_org__name"]
    ordering_fields = ["id", "month", "outpatients", "surgeries", "rescues", "staff_trained"]
    ordering = ["-month", "-id"]


class DisciplineViewSet(ProgrammeViewSet):
    queryset = selectors.discipline_list()
    serializer_class = serializers.DisciplineSerializer
    filterset_class = filtersets.DisciplineFilterSet
    search_fields = ["department", "goal", "host_org__name"]
    ordering_fields = ["id", "department", "started_on"]


class NewTechniqueViewSet(ProgrammeViewSet):
    queryset = selectors.new_technique_list()
    serializer_class = serializers.NewTechniqueSerializer
    filterset_class = filtersets.NewTechniqueFilterSet
    search_fields = ["name", "department", "host_org__name"]
    ordering_fields = ["id", "name", "department", "introduced_on"]


class OutreachEventViewSet(ProgrammeViewSet):
    queryset = selectors.outreach_event_list()
    serializer_class = serializers.OutreachEventSerializer
    filterset_class = filtersets.OutreachEventFilterSet
    search_fields = ["place", "host_org__name"]
    ordering_fields = ["id", "held_on", "people_served", "medicine_value"]
