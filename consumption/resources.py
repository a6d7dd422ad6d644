"""Spreadsheet import and export of consumption assistance (the foundation's mechanism)."""

from consumption.models import Product, Sale
from cooperation.resources_base import Field, ProgrammeResource, ReferenceWidget, region_scope


class ProductResource(ProgrammeResource):
    """Products by id (blank id: a new one); the origin region by its division code or name."""

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

    The origin region is given by its division code or name; the product by its name within
    that origin region, the venue by its name.
    """

    product = Field(
        attribute="product", column_name="product", widget=ReferenceWidget(Product, scope=region_scope("origin_region"))
    )

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
