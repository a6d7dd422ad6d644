"""Admin screens of healthcare."""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from cooperation.admin_base import ProgrammeAdmin
from cooperation.dispatch.admin import DispatchAdmin
from healthcare import selectors
from healthcare.filtersets import (
    DisciplineFilterSet,
    MedicalDispatchFilterSet,
    MedicalServiceStatFilterSet,
    NewTechniqueFilterSet,
    OutreachEventFilterSet,
)
from healthcare.models import Discipline, MedicalDispatch, MedicalServiceStat, NewTechnique, OutreachEvent
from healthcare.resources import MedicalServiceStatResource


@admin.register(MedicalDispatch)
class MedicalDispatchAdmin(DispatchAdmin):
    filterset_class = MedicalDispatchFilterSet
    list_display = [*DispatchAdmin.list_display[:2], "specialty", *DispatchAdmin.list_display[2:], "host_months"]
    search_fields = [*DispatchAdmin.search_fields, "specialty"]

    def get_queryset(self, request):
        return selectors.medical_dispatch_list()

    @admin.display(description=_("hospital's months"))
    def host_months(self, obj):
        # The hospital's monthly statistics are a filtered list, one click away.
        url = reverse("admin:healthcare_medicalservicestat_changelist")
        return format_html('<a href="{}?host_org__id__exact={}">{}</a>', url, obj.host_org_id, _("statistics"))


@admin.register(MedicalServiceStat)
class MedicalServiceStatAdmin(ProgrammeAdmin):
    """A hospital's months: filter the list by hospital (and year); import monthly sheets."""

    filterset_class = MedicalServiceStatFilterSet
    resource_classes = [MedicalServiceStatResource]
    list_display = ["host_org", "month", "outpatients", "surgeries", "rescues", "staff_trained"]
    list_display_links = ["month"]
    list_filter = [("host_org", admin.RelatedOnlyFieldListFilter), "month"]
    search_fields = ["host_org__name", "host_org__credit_code"]
    autocomplete_fields = ["host_org"]
    date_hierarchy = "month"

    def get_queryset(self, request):
        return selectors.medical_service_stat_list()


@admin.register(Discipline)
class DisciplineAdmin(ProgrammeAdmin):
    filterset_class = DisciplineFilterSet
    list_display = ["department", "host_org", "lead", "started_on"]
    list_filter = [
        ("host_org", admin.RelatedOnlyFieldListFilter),
        "started_on",
    ]
    search_fields = ["department", "goal", "host_org__name"]
    autocomplete_fields = ["host_org", "lead"]
    date_hierarchy = "started_on"

    def get_queryset(self, request):
        return selectors.discipline_list()


@admin.register(NewTechnique)
class NewTechniqueAdmin(ProgrammeAdmin):
    filterset_class = NewTechniqueFilterSet
    list_display = ["name", "department", "host_org", "introduced_on", "dispatch"]
    list_filter = [
        ("host_org", admin.RelatedOnlyFieldListFilter),
        "introduced_on",
    ]
    search_fields = ["name", "department", "host_org__name"]
    autocomplete_fields = ["host_org", "dispatch"]
    date_hierarchy = "introduced_on"

    def get_queryset(self, request):
        return selectors.new_technique_list()


@admin.register(OutreachEvent)
class OutreachEventAdmin(ProgrammeAdmin):
    filterset_class = OutreachEventFilterSet
    list_display = ["held_on", "place", "host_org", "people_served", "medicine_value"]
    list_filter = [("host_org", admin.RelatedOnlyFieldListFilter), "held_on"]
    search_fields = ["place", "host_org__name"]
    autocomplete_fields = ["host_org"]
    date_hierarchy = "held_on"

    def get_queryset(self, request):
        return selectors.outreach_event_list()
