"""Admin base of every dispatch list: filterable by year (overlap), host and role."""

from django.contrib import admin

from cooperation.admin_base import ProgrammeAdmin


class DispatchAdmin(ProgrammeAdmin):
    """Subclasses set ``get_queryset`` from their selectors and add their own field."""

    list_display = ["person_name", "role", "source_org", "host_org", "started_on", "ended_on"]
    list_filter = [
        "role",
        ("host_org", admin.RelatedOnlyFieldListFilter),
    ]
    search_fields = ["person_name", "source_org__name", "host_org__name"]
    autocomplete_fields = ["source_org", "host_org"]
    date_hierarchy = "started_on"
    list_select_related = ["source_org", "host_org"]
