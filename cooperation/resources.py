"""Spreadsheet resources of the programme core: regions and organisations.

References are written and read by natural key (see ``cooperation.resources_base``): a
region by its division code or name, an organisation by its credit code or name.
"""

from cooperation.models import Organization, Region
from cooperation.resources_base import ProgrammeResource


class RegionResource(ProgrammeResource):
    """Regions by their division code; the parent is given by its code (or name) too."""

    class Meta(ProgrammeResource.Meta):
        model = Region
        import_id_fields = ["code"]
        fields = ["code", "name", "level", "parent", "side"]
        export_order = fields


class OrganizationResource(ProgrammeResource):
    """Organisations by id (blank id: a new one); region by division code or name."""

    class Meta(ProgrammeResource.Meta):
        model = Organization
        import_id_fields = ["id"]
        fields = ["id", "name", "kind", "side", "region", "credit_code", "parent", "address", "contact"]
        export_order = fields
