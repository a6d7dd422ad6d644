"""Admin screens of the programme core."""

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext_lazy as _

from cooperation import selectors
from cooperation.admin_base import ProgrammeAdmin
from cooperation.filtersets import (
    OrganizationFilterSet,
    PairingFilterSet,
    RegionFilterSet,
    SecondmentFilterSet,
    TargetFilterSet,
)
from cooperation.models import Organization, Pairing, Region, ScopeRegion, Secondment, Target
from cooperation.resources import OrganizationResource, RegionResource
from cooperation.scopes import scope_of


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


class ScopeRegionInline(admin.TabularInline):
    """The user's scope on the user's page: the regions they work on (none: the whole programme)."""

    model = ScopeRegion
    extra = 0
    autocomplete_fields = ["region"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        scope = scope_of(request.user)
        if db_field.name == "region" and not scope.unrestricted:
            # A scoped administrator hands out only regions within their own scope.
            field.queryset = field.queryset.filter(scope.subtree_q(""))
        return field

    verbose_name = _("region of the scope")
    verbose_name_plural = _(
        "Scope: the regions this user works on (and the regions paired with them). None: the whole programme."
    )


User = get_user_model()
admin.site.unregister(User)


@admin.register(User)
class ScopedUserAdmin(UserAdmin):
    inlines = [*UserAdmin.inlines, ScopeRegionInline]
