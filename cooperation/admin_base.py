"""Admin base shared by every app: change history and spreadsheet import/export."""

from import_export.admin import ImportExportModelAdmin
from simple_history.admin import SimpleHistoryAdmin


class ProgrammeAdmin(ImportExportModelAdmin, SimpleHistoryAdmin):
    """Base ModelAdmin of every programme record.

    The "History" page lists each change with its user, time and changed fields
    (django-simple-history); import and export use the class's ``resource_classes``.
    Import needs the ``add`` permission, export the ``view`` permission.
    """

    list_per_page = 50
    show_full_result_count = False  # avoids a second COUNT(*) on large lists
