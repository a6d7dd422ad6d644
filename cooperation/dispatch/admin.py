"""Admin base of every dispatch list: filterable by year (overlap), host and role."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from cooperation.admin_base import ProgrammeAdmin, region_within_filter
from cooperation.dispatch.selectors import period_years
from cooperation.selectors import overlapping_year


class OverlapsYearListFilter(admin.SimpleListFilter):
    """Sidebar filter "year": records whose period overlaps the year (the contract's rule)."""

    title = _("year")
    parameter_name = "year"
    start = "started_on"
    end = "ended_on"

    def lookups(self, request, model_admin):
        years = period_years(model_admin.model.objects.all(), start=self.start, end=self.end)
        return [(str(year), str(year)) for year in reversed(years)]

    def queryset(self, request, queryset):
        value = self.value()
        if not value:
            return queryset
        try:
            year = int(value)
        except ValueError:
            return queryset.none()
        return overlapping_year(queryset, year=year, start=self.start, end=self.end)


class DispatchAdmin(ProgrammeAdmin):
    """Subclasses set ``get_queryset`` from their selectors and add their own field."""

    list_display = ["person_name", "role", "source_org", "host_org", "started_on", "ended_on"]
    list_filter = [
        OverlapsYearListFilter,
        "role",
        ("host_org", admin.RelatedOnlyFieldListFilter),
        region_within_filter("host_org__region"),
    ]
    search_fields = ["person_name", "source_org__name", "host_org__name"]
    autocomplete_fields = ["source_org", "host_org"]
    date_hierarchy = "started_on"
    list_select_related = ["source_org", "host_org"]
