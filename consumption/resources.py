"""Spreadsheet import and export of consumption assistance (the foundation's mechanism)."""

from import_export import fields, widgets

from consumption.models import Product, Sale, Venue
from cooperation.models import Region
from cooperation.resources_base import ProgrammeResource


class ProductResource(ProgrammeResource):
    """Products by id (blank id: a new one); the origin region by its division code."""

    origin_region = fields.Field(
        attribute="origin_region", column_name="origin_region", widget=widgets.ForeignKeyWidget(Region, "code")
    )

    class Meta(ProgrammeResource.Meta):
        model = Product
        import_id_fields = ["id"]
        fields = [
            "id",
            "name",
            "category",
            "origin_region",
            "supplier",
            "certificate_number",
            "certificate_valid_until",
        ]
        export_order = fields


class SaleResource(ProgrammeResource):
    """Sales keyed like the bulk endpoint, by (source, external_id): a re-imported sheet updates.

    The origin region is given by its division code; product and venue by id.
    """

    origin_region = fields.Field(
        attribute="origin_region", column_name="origin_region", widget=widgets.ForeignKeyWidget(Region, "code")
    )
    product = fields.Field(attribute="product", column_name="product", widget=widgets.ForeignKeyWidget(Product))
    venue = fields.Field(attribute="venue", column_name="venue", widget=widgets.ForeignKeyWidget(Venue))

    class Meta(ProgrammeResource.Meta):
        model = Sale
        import_id_fields = ["source", "external_id"]
        fields = [
            "source",
            "external_id",
            "sold_on",
            "origin_region",
            "product",
            "venue",
            "channel",
            "buyer_kind",
            "east_role",
            "amount",
            "quantity",
            "unit",
        ]
        export_order = fields
