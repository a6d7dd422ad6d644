"""Factories of consumption assistance."""

import datetime
from decimal import Decimal

import factory

from consumption.models import Product, Sale, Venue
from tests.factories import OrganizationFactory, RegionFactory


class ProductFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Product

    name = factory.Sequence(lambda n: f"Product {n}")
    category = "beef"
    origin_region = factory.SubFactory(RegionFactory)
    supplier = None


class VenueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Venue

    name = factory.Sequence(lambda n: f"Venue {n}")
    kind = "hall"
    place = factory.SubFactory(RegionFactory, side="east")
    operator = factory.SubFactory(OrganizationFactory)


class SaleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Sale

    source = "shop"
    external_id = factory.Sequence(lambda n: f"order-{n}")
    sold_on = datetime.date(2023, 5, 1)
    origin_region = factory.SubFactory(RegionFactory)
    channel = "hall"
    buyer_kind = "enterprise"
    amount = Decimal("100.00")


def bulk_row(region, n: int, **changes) -> dict:
    """A valid row of ``sales/bulk/``."""
    row = {
        "source": "mall",
        "external_id": f"m-{n}",
        "sold_on": "2023-06-15",
        "origin_region": region.pk,
        "channel": "ecommerce",
        "buyer_kind": "individual",
        "amount": "128.50",
    }
    return row | changes
