"""Spreadsheet import and export of the declarations.

A declaration is keyed by what it declares: (year, indicator, region, side), so that a side
fills in its sheet of figures and imports it again to correct them (a row of a stored key
updates it). The indicator is written and read by its label (or its key), the region by its
division code or name. Each row goes through the model's ``full_clean()``: the value rules,
the side of the region, the user's scope and the lock of a closed year.
"""

# The indicator column's choices are read when the resource class is built: the registry must
# be filled by then (the admin is loaded before the ``indicators`` app is ready).
import indicators.registry  # noqa: F401
from cooperation.resources_base import ProgrammeResource
from reports.models import Declaration


class DeclarationResource(ProgrammeResource):
    class Meta(ProgrammeResource.Meta):
        model = Declaration
        import_id_fields = ["year", "indicator", "region", "side"]
        fields = ["year", "indicator", "region", "side", "value", "note"]
        export_order = fields

    def get_queryset(self):
        return super().get_queryset().select_related("region")
