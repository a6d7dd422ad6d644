"""Endpoints of healthcare."""

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError

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

    # Two requests for the same hospital-month can both pass validation; the named unique
    # constraint stops the second at the database, which must still be a 400, not a 500.
    def perform_create(self, serializer):
        self._save_once(serializer)

    def perform_update(self, serializer):
        self._save_once(serializer)

    def _save_once(self, serializer):
        try:
            with transaction.atomic():
                serializer.save()
        except IntegrityError:
            raise ValidationError({"month": [_("This hospital already has statistics for this month.")]}) from None


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
