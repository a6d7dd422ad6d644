"""Admin screens of consumption assistance.

The sales list stays fast at a province's scale (a million sales): its filter choices come from
small tables (the programme's years, the venues, the regions), never from a DISTINCT over the
sales; its total is summed only when the filtered list is small (:class:`SalePaginator`); its
search is served by indexes (:class:`~cooperation.admin_filters.IndexedSearchMixin`).
"""

import datetime
from functools import cached_property

from django.contrib import admin
from django.core.paginator import Paginator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from consumption import selectors
from consumption.filtersets import ProductFilterSet, SaleFilterSet, VenueFilterSet
from consumption.models import Product, Sale, Venue
from consumption.resources import ProductResource, SaleResource
from cooperation.admin_base import ProgrammeAdmin
from cooperation.admin_filters import IndexedSearchMixin, ScopedRelatedFieldListFilter
from cooperation.selectors import programme_years

# The largest filtered list whose total is shown: summing it reads at most this many sales.
SALES_TOTAL_LIMIT = 10_000


def _months_from_programme_years(today: datetime.date) -> list[datetime.date]:
    """The first days of the months from January of the programme's first year to this month,
    newest first."""
    first_year = min(programme_years(today))
    months = []
    year, month = today.year, today.month
    while year >= first_year:
        months.append(datetime.date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return months


class SaleMonthFilter(admin.SimpleListFilter):
    """Sales of one calendar month (``?month=2023-05``).

    The choices are the months of the programme's years up to this month (one query on the
    small pairing table), not the months that hold sales: those would be a DISTINCT over every
    sale (close to a second at a million rows). A month without sales shows an empty list; a
    month outside the programme's years can still be asked for in the URL.
    """

    title = _("month sold")
    parameter_name = "month"

    def lookups(self, request, model_admin):
        months = _months_from_programme_years(timezone.localdate())
        return [(month.strftime("%Y-%m"), month.strftime("%Y-%m")) for month in months]

    def queryset(self, request, queryset):
        value = self.value()
        if not value:
            return queryset
        try:
            year, month = (int(part) for part in value.split("-"))
        except ValueError:
            return queryset.none()
        if not (1 <= month <= 12 and 1 <= year <= 9998):
            return queryset.none()
        # A range of days, which the index on sold_on serves; ``__month`` would extract the month
        # of every sale of the year (0.2 s for a page at a million sales).
        first = datetime.date(year, month, 1)
        following = datetime.date(year + month // 12, month % 12 + 1, 1)
        return queryset.filter(sold_on__gte=first, sold_on__lt=following)


@admin.register(Product)
class ProductAdmin(ProgrammeAdmin):
    filterset_class = ProductFilterSet
    resource_classes = [ProductResource]
    list_display = ["name", "category", "origin_region", "supplier", "certificate_number", "certificate_valid_until"]
    list_filter = [
        "category",
        ("origin_region", ScopedRelatedFieldListFilter),
    ]
    search_fields = ["name", "category", "^certificate_number"]
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


class SalePaginator(Paginator):
    """The sales list's paginator, which also sums the filtered sales when there are at most
    :data:`SALES_TOTAL_LIMIT` of them (``total``; None for a longer list).

    The count comes first, as Django counts (the pagination needs it, and the indexes answer
    it); only a list of at most ``SALES_TOTAL_LIMIT`` rows is then summed. A long list costs
    its count alone: summing it would be a scan of up to every sale (the dashboard has the
    year's figures), and reading a first ``SALES_TOTAL_LIMIT + 1`` rows to find out that it is
    long cost more than the count itself on a search matching 100,000 sales.
    """

    total = None

    @cached_property
    def count(self):
        rows = super().count
        if rows <= SALES_TOTAL_LIMIT:
            self.total = selectors.sales_total(self.object_list)
        return rows


@admin.register(Sale)
class SaleAdmin(IndexedSearchMixin, ProgrammeAdmin):
    """Sales, with the total amount of the filtered rows above the list when they are few."""

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
        ("origin_region", ScopedRelatedFieldListFilter),
        ("venue", ScopedRelatedFieldListFilter),
    ]
    # Identifiers by exact or prefix match, the product's name by contains (indexes: 0003).
    search_fields = ["=source", "^external_id", "product__name"]
    autocomplete_fields = ["origin_region", "product", "venue"]
    paginator = SalePaginator

    def get_queryset(self, request):
        return selectors.sale_list()

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        changelist = getattr(response, "context_data", {}).get("cl")
        if changelist is not None:  # not on redirects or action confirmations
            response.context_data["sales_total"] = changelist.paginator.total
            response.context_data["sales_total_limit"] = SALES_TOTAL_LIMIT
        return response
