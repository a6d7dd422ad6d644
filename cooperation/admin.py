"""Admin screens of the programme core."""

from django.contrib import admin

from cooperation import selectors
from cooperation.admin_base import ProgrammeAdmin
from cooperation.filtersets import (
    OrganizationFilterSet,
    PairingFilterSet,
    RegionFilterSet,
    SecondmentFilterSet,
    TargetFilterSet,
)
from cooperation.models import Organization, Pairing, Region, Secondment, Target
from cooperation.resources import OrganizationResource, RegionResource


@admin.register(Region)
class RegionAdmin(ProgrammeAdmin):
    filterset_class = RegionFilterSet
    resource_classes = [RegionResource]
    list_display = ["name", "code", "level", "side", "parent"]
    list_filter = ["level", "side"]
    search_fields = ["name", "code"]
    autocomplete_fields = ["parent"]

    def get_queryset(self, request):
        return selectors.region_list()


@admin.register(Organization)
class OrganizationAdmin(ProgrammeAdmin):
    filterset_class = OrganizationFilterSet
    resource_classes = [OrganizationResource]
    list_display = ["name", "kind", "side", "region", "credit_code"]
    list_filter = ["kind", "side"]
    search_fields = ["name", "credit_code"]
    autocomplete_fields = ["region", "parent"]

    def get_queryset(self, request):
        return selectors.organization_list()


@admin.register(Pairing)
class PairingAdmin(ProgrammeAdmin):
    filterset_class = PairingFilterSet
    list_display = ["__str__", "kind", "started_on", "ended_on"]
    list_filter = ["kind", "started_on"]
    search_fields = ["focus", "east_region__name", "west_region__name", "east_org__name", "west_org__name"]
    autocomplete_fields = ["east_region", "west_region", "east_org", "west_org"]
    date_hierarchy = "started_on"

    def get_queryset(self, request):
        return selectors.pairing_list()


@admin.register(Target)
class TargetAdmin(ProgrammeAdmin):
    filterset_class = TargetFilterSet
    list_display = ["year", "indicator", "region", "value"]
    list_filter = ["year", "indicator"]
    search_fields = ["indicator", "region__name", "notes"]
    autocomplete_fields = ["region"]

    def get_queryset(self, request):
        return selectors.target_list()


@admin.register(Secondment)
class SecondmentAdmin(ProgrammeAdmin):
    filterset_class = SecondmentFilterSet
    list_display = ["person_name", "kind", "direction", "region", "position", "started_on", "ended_on"]
    list_filter = ["kind", "direction", "started_on"]
    search_fields = ["person_name", "position"]
    autocomplete_fields = ["region", "home_org", "host_org"]
    date_hierarchy = "started_on"

    def get_queryset(self, request):
        return selectors.secondment_list()
