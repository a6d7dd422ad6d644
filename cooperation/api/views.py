"""Endpoints of the programme core."""

from cooperation import selectors
from cooperation.api import serializers
from cooperation.api.base import ProgrammeViewSet
from cooperation.filtersets import (
    OrganizationFilterSet,
    PairingFilterSet,
    RegionFilterSet,
    SecondmentFilterSet,
    TargetFilterSet,
)


class RegionViewSet(ProgrammeViewSet):
    queryset = selectors.region_list()
    serializer_class = serializers.RegionSerializer
    filterset_class = RegionFilterSet
    search_fields = ["name", "code"]
    ordering_fields = ["id", "name", "code", "level"]
    ordering = ["code"]


class OrganizationViewSet(ProgrammeViewSet):
    queryset = selectors.organization_list()
    serializer_class = serializers.OrganizationSerializer
    filterset_class = OrganizationFilterSet
    search_fields = ["name", "credit_code"]
    ordering_fields = ["id", "name", "kind", "side"]
    ordering = ["name", "id"]


class PairingViewSet(ProgrammeViewSet):
    queryset = selectors.pairing_list()
    serializer_class = serializers.PairingSerializer
    filterset_class = PairingFilterSet
    search_fields = ["focus", "east_region__name", "west_region__name", "east_org__name", "west_org__name"]
    ordering_fields = ["id", "kind", "started_on", "ended_on"]


class TargetViewSet(ProgrammeViewSet):
    queryset = selectors.target_list()
    serializer_class = serializers.TargetSerializer
    filterset_class = TargetFilterSet
    search_fields = ["indicator", "region__name", "notes"]
    ordering_fields = ["id", "year", "indicator", "value"]


class SecondmentViewSet(ProgrammeViewSet):
    queryset = selectors.secondment_list()
    serializer_class = serializers.SecondmentSerializer
    filterset_class = SecondmentFilterSet
    search_fields = ["person_name", "position"]
    ordering_fields = ["id", "person_name", "started_on", "ended_on"]
