"""Spreadsheet resources of the programme core: regions and organisations."""

from import_export import fields, widgets

from cooperation.models import Organization, Region
from cooperation.resources_base import ProgrammeResource


class RegionResource(ProgrammeResource):
    """Regions by their division code; the parent is given by its code too."""

    parent = fields.Field(attribute="parent", column_name="parent", widget=widgets.ForeignKeyWidget(Region, "code"))

    class Meta(ProgrammeResource.Meta):
        model = Region
        import_id_fields = ["code"]
        fields = ["code", "name", "level", "parent", "side"]
        export_order = fields


class OrganizationResource(ProgrammeResource):
    """Organisations by id (blank id: a new one); region and parent by division code and name."""

    region = fields.Field(attribute="region", column_name="region", widget=widgets.ForeignKeyWidget(Region, "code"))

    class Meta(ProgrammeResource.Meta):
        model = Organization
        import_id_fields = ["id"]
        fields = ["id", "name", "kind", "side", "region", "credit_code", "address", "contact"]
        export_order = fields
