"""Admin base shared by every app: change history and spreadsheet import/export."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from import_export.admin import ImportExportModelAdmin
from simple_history.admin import SimpleHistoryAdmin

from cooperation.models import Region


class ProgrammeAdmin(ImportExportModelAdmin, SimpleHistoryAdmin):
    """Base ModelAdmin of every programme record.

    The "History" page lists each change with its user, time and changed fields
    (django-simple-history); import and export use the class's ``resource_classes``.
    Import needs the ``add`` permission, export the ``view`` permission.
    """

    list_per_page = 50
    show_full_result_count = False  # avoids a second COUNT(*) on large lists


class RegionWithinListFilter(admin.SimpleListFilter):
    """Sidebar filter ``?region_within=<id>``: a western province, prefecture or county and
    everything below it (the contract's region rule). Make one per list with
    :func:`region_within_filter`, naming the path from the listed model to its region."""

    title = _("region (and below)")
    parameter_name = "region_within"
    path = "region"

    def lookups(self, request, model_admin):
        regions = Region.objects.filter(side="west", level__in=["province", "prefecture", "county"]).order_by("code")
        return [(str(region.pk), str(region)) for region in regions]

    def queryset(self, request, queryset):
        value = self.value()
        if not value:
            return queryset
        region = Region.objects.filter(pk=int(value)).first() if value.isdigit() else None
        return queryset.filter(region.subtree_q(self.path)) if region else queryset.none()


def region_within_filter(path: str) -> type[RegionWithinListFilter]:
    """A :class:`RegionWithinListFilter` for records whose region is reached through ``path``."""
    return type(f"RegionWithin_{path}", (RegionWithinListFilter,), {"path": path})
