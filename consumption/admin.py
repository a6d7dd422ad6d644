"""Admin screens of consumption assistance."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from consumption import selectors
from consumption.filtersets import ProductFilterSet, SaleFilterSet, VenueFilterSet
from consumption.models import Product, Sale, Venue
from consumption.resources import ProductResource, SaleResource
from cooperation.admin_base import ProgrammeAdmin


class SaleMonthFilter(admin.SimpleListFilter):
    """Sales of one calendar month (``?month=2023-05``), listing the months that have sales."""

    title = _("month sold")
    parameter_name = "month"

    def lookups(self, request, model_admin):
        months = selectors.sale_months(model_admin.get_queryset(request))
        return [(month.strftime("%Y-%m"), month.strftime("%Y-%m")) for month in months]

    def queryset(self, request, queryset):
        value = self.value()
        if not value:
            return queryset
        try:
            year, month = (int(part) for part in value.split("-"))
        except ValueError:
            return queryset.none()
        if not (1 <= month <= 12 and 1 <= year <= 9999):
            return queryset.none()
        return queryset.filter(sold_on__year=year, sold_on__month=month)


@admin.register(Product)
class ProductAdmin(ProgrammeAdmin):
    filterset_class = ProductFilterSet
    resource_classes = [ProductResource]
    list_display = ["name", "category", "origin_region", "supplier", "certificate_number", "certificate_valid_until"]
    list_filter = [
        "category",
        ("origin_region", admin.RelatedOnlyFieldListFilter),
    ]
    search_fields = ["name", "category", "certificate_number"]
    autocomplete_fields = ["origin_region", "supplier"]

    def get_queryset(self, request):
        return selectors.product_list()


@admin.register(Venue)
class VenueAdmin(ProgrammeAdmin):
    filterset_class = VenueFilterSet
    list_display = ["name", "kind", "place", "operator"]
    list_filter = ["kind"]
    search_fields = ["name", "address"]
    autocomplete_fields = ["place", "operator"]

    def get_queryset(self, request):
        return selectors.venue_list()


@admin.register(Sale)
class SaleAdmin(ProgrammeAdmin):
    """Sales, with the total amount of the filtered rows above the list."""

    filterset_class = SaleFilterSet
    resource_classes = [SaleResource]
    change_list_template = "admin/consumption/sale/change_list.html"
    list_display = [
        "sold_on",
        "source",
        "external_id",
        "origin_region",
        "product",
        "venue",
        "channel",
        "buyer_kind",
        "east_role",
        "amount",
    ]
    list_filter = [
        SaleMonthFilter,
        "channel",
        "buyer_kind",
        ("origin_region", admin.RelatedOnlyFieldListFilter),
        ("venue", admin.RelatedOnlyFieldListFilter),
    ]
    search_fields = ["source", "external_id", "product__name"]
    autocomplete_fields = ["origin_region", "product", "venue"]

    def get_queryset(self, request):
        return selectors.sale_list()

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        changelist = getattr(response, "context_data", {}).get("cl")
        if changelist is not None:  # not on redirects or action confirmations
            response.context_data["sales_total"] = selectors.sales_total(changelist.queryset)
        return response
