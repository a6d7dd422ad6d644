"""Reads of consumption assistance: lists, the ``consumption.sales`` indicator and its breakdowns.

Every figure counts sales by the year they were sold in and, with a region, by the sale's
origin region or anywhere below it (the contract's region rule).
"""

import datetime
from decimal import Decimal

from django.db.models import DecimalField, QuerySet, Sum, Value
from django.db.models.functions import Coalesce, ExtractMonth, TruncMonth

from consumption.choices import BuyerKind, SaleChannel
from consumption.models import Product, Sale, Venue
from cooperation import locks
from cooperation.models import Region
from cooperation.scopes import scope_of, scoped
from cooperation.selectors import records_in

ZERO = Decimal("0.00")


def product_list() -> QuerySet:
    return Product.objects.select_related("origin_region", "supplier")


def venue_list() -> QuerySet:
    return Venue.objects.select_related("place", "operator")


def sale_list() -> QuerySet:
    return Sale.objects.select_related("origin_region", "product", "venue")


def sales_of_year(*, year: int, region: Region | None = None) -> QuerySet:
    """Sales sold in ``year`` whose origin is ``region`` or below it (None: everywhere)."""
    return records_in(Sale.objects.all(), year=year, region=region)


def _sum_amount() -> Coalesce:
    return Coalesce(Sum("amount"), Value(ZERO), output_field=DecimalField(max_digits=20, decimal_places=2))


def sales_total(queryset: QuerySet) -> Decimal:
    """Total amount (yuan) of the sales in ``queryset``, in one aggregate query (0.00 when empty)."""
    # order_by(): a changelist queryset carries its ordering, which an aggregate does not need.
    return queryset.order_by().aggregate(total=_sum_amount())["total"]


def consumption_sales(*, year: int, region: Region | None = None) -> Decimal:
    """``consumption.sales``: sum of the amounts of the sales sold in the year (yuan)."""
    return sales_total(sales_of_year(year=year, region=region))


def _breakdown(*, year: int, region: Region | None, field: str, choices) -> list[dict]:
    amounts = dict(
        sales_of_year(year=year, region=region)
        .order_by()
        .values_list(field)
        .annotate(amount=_sum_amount())
        .values_list(field, "amount")
    )
    # Every choice in its declared order, zeros included, so that charts keep stable colours.
    return [{field: value, "label": str(label), "amount": amounts.get(value, ZERO)} for value, label in choices]


def sales_by_channel(*, year: int, region: Region | None = None) -> list[dict]:
    """Sales of the year by channel: ``[{"channel", "label", "amount"}, ...]`` for every channel."""
    return _breakdown(year=year, region=region, field="channel", choices=SaleChannel.choices)


def sales_by_buyer_kind(*, year: int, region: Region | None = None) -> list[dict]:
    """Sales of the year by buyer kind: ``[{"buyer_kind", "label", "amount"}, ...]`` for every kind."""
    return _breakdown(year=year, region=region, field="buyer_kind", choices=BuyerKind.choices)


def sales_by_month(*, year: int, region: Region | None = None) -> list[Decimal]:
    """Sales of the year by month: twelve amounts (yuan), January first."""
    rows = (
        sales_of_year(year=year, region=region)
        .order_by()
        .annotate(month=ExtractMonth("sold_on"))
        .values_list("month")
        .annotate(amount=_sum_amount())
        .values_list("month", "amount")
    )
    by_month = dict(rows)
    return [by_month.get(month, ZERO) for month in range(1, 13)]


def bulk_references(*, region_ids, product_ids, venue_ids, user=None) -> tuple[dict, set, set]:
    """What the bulk endpoint needs to know about the ids a batch refers to, one query per kind.

    Returns ``({region id: region (id, side, code)}, {product ids}, {venue ids})``, each
    holding only what ``user`` may read (:func:`cooperation.scopes.scoped`): to a scoped user a
    record outside the scope does not exist.
    """
    regions = (
        {region.pk: region for region in scoped(Region.objects.filter(pk__in=region_ids), user).only("side", "code")}
        if region_ids
        else {}
    )
    products = (
        set(scoped(Product.objects.filter(pk__in=product_ids), user).values_list("pk", flat=True))
        if product_ids
        else set()
    )
    venues = (
        set(scoped(Venue.objects.filter(pk__in=venue_ids), user).values_list("pk", flat=True)) if venue_ids else set()
    )
    return regions, products, venues


def sale_keys_outside_scope(*, keys, user) -> set[tuple[str, str]]:
    """The (source, external_id) among ``keys`` of stored sales that ``user`` may not write
    (outside their scope), in one query; nothing to ask for an unscoped user."""
    write_q = scope_of(user).write_q(Sale)
    if write_q is None or not keys:
        return set()
    # Sources and ids filtered apart (a superset of the pairs, narrowed here): one statement
    # whatever the batch's size, where an OR of pairs would grow with it.
    sources, external_ids = zip(*keys, strict=True)
    pairs = (
        Sale.objects.filter(source__in=set(sources), external_id__in=set(external_ids))
        .exclude(write_q)
        .values_list("source", "external_id")
    )
    return set(pairs) & set(keys)


def sales_totals_by_month(*, region: Region, first: datetime.date, last: datetime.date) -> dict:
    """Sales (yuan) per month sold from ``first`` to ``last`` inclusive, whose origin is ``region``
    or below it: ``{first day of a month: amount}``, months without sales left out. One query."""
    rows = (
        records_in(Sale.objects.filter(sold_on__gte=first, sold_on__lte=last), region=region)
        .order_by()
        .annotate(month=TruncMonth("sold_on"))
        .values_list("month")
        .annotate(amount=_sum_amount())
        .values_list("month", "amount")
    )
    return dict(rows)


def sale_keys_locked(*, keys) -> dict[tuple[str, str], tuple]:
    """``{(source, external_id): (county code, month)}`` of the stored sales among ``keys`` that
    lie in an approved (locked) month (CONTRACT.md 1.1), in one query whatever the batch's size."""
    if not keys:
        return {}
    sources, external_ids = zip(*keys, strict=True)
    rows = (
        Sale.objects.filter(source__in=set(sources), external_id__in=set(external_ids))
        .filter(locks.locked_q(Sale))
        .values_list("source", "external_id", "sold_on", "origin_region__code")
    )
    return {
        (source, external_id): (locks.county_code(code), sold_on.replace(day=1))
        for source, external_id, sold_on, code in rows
        if (source, external_id) in keys
    }
