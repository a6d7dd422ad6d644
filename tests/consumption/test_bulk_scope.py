"""``POST /api/v1/sales/bulk/`` for a scoped client (CONTRACT.md 1.1): a row outside the scope
refuses the whole request, at its index, naming the field, and nothing leaks or is written."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from consumption.models import Sale
from tests.consumption.factories import ProductFactory, SaleFactory, VenueFactory, bulk_row
from tests.factories import PairingFactory

URL = "/api/v1/sales/bulk/"
OUTSIDE = "超出您的管辖范围（您的账号可以处理的地区）。"

pytestmark = pytest.mark.django_db


@pytest.fixture
def zhaojue_client(api_client_for, scoped_user, regions):
    """An API client of a programme staff member scoped to Zhaojue."""
    return api_client_for(user=scoped_user("staff", regions["zhaojue"]))


def post(client, rows):
    return client.post(URL, rows, format="json")


def missing_id():
    return (Sale.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 10_000_000


def same_message(outside: str, outside_pk: int, missing: str, missing_pk: int) -> bool:
    """The message about an out-of-scope id reads exactly as the one about an id that does not exist."""
    return outside.replace(str(outside_pk), "#") == missing.replace(str(missing_pk), "#")


def test_an_origin_region_outside_the_scope_reads_as_one_that_does_not_exist(zhaojue_client, regions):
    nowhere = missing_id()
    response = post(
        zhaojue_client,
        [
            bulk_row(regions["zhaojue"], 0),
            bulk_row(regions["butuo"], 1),
            bulk_row(regions["zhaojue"], 2, origin_region=nowhere),
        ],
    )
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert [error["index"] for error in errors] == [1, 2]
    assert set(errors[0]["errors"]) == {"origin_region"}
    assert same_message(
        errors[0]["errors"]["origin_region"][0], regions["butuo"].pk, errors[1]["errors"]["origin_region"][0], nowhere
    )
    assert Sale.objects.count() == 0  # the valid row 0 was not written either


def test_a_product_or_venue_outside_the_scope_reads_as_one_that_does_not_exist(zhaojue_client, regions):
    theirs = ProductFactory(origin_region=regions["butuo"])
    venue_elsewhere = VenueFactory(place=regions["yuyao"])  # Yuyao is not paired with Zhaojue here
    nowhere = missing_id()
    response = post(
        zhaojue_client,
        [
            bulk_row(regions["zhaojue"], 0, product=theirs.pk, venue=venue_elsewhere.pk),
            bulk_row(regions["zhaojue"], 1, product=nowhere, venue=nowhere),
        ],
    )
    assert response.status_code == 400
    outside, missing = (error["errors"] for error in response.json()["errors"])
    assert set(outside) == {"product", "venue"}
    assert same_message(outside["product"][0], theirs.pk, missing["product"][0], nowhere)
    assert same_message(outside["venue"][0], venue_elsewhere.pk, missing["venue"][0], nowhere)
    assert Sale.objects.count() == 0


def test_a_region_above_the_scope_is_outside_it(zhaojue_client, regions):
    """The prefecture is readable (above the scope) but a sale of it is not the user's to write."""
    response = post(zhaojue_client, [bulk_row(regions["liangshan"], 0)])
    assert response.status_code == 400
    assert response.json() == {"errors": [{"index": 0, "errors": {"origin_region": [OUTSIDE]}}]}


def test_a_stored_sale_outside_the_scope_is_not_overwritten(zhaojue_client, regions):
    theirs = SaleFactory(source="mall", external_id="m-1", origin_region=regions["butuo"], amount=Decimal("5.00"))
    response = post(zhaojue_client, [bulk_row(regions["zhaojue"], 0), bulk_row(regions["zhaojue"], 1, amount="999.00")])
    assert response.status_code == 400
    assert response.json() == {"errors": [{"index": 1, "errors": {"external_id": [OUTSIDE]}}]}
    theirs.refresh_from_db()
    assert (theirs.origin_region, theirs.amount) == (regions["butuo"], Decimal("5.00"))
    assert Sale.objects.count() == 1


def test_own_sales_are_created_and_updated(zhaojue_client, regions):
    mine = SaleFactory(source="mall", external_id="m-0", origin_region=regions["village"])
    product = ProductFactory(origin_region=regions["zhaojue"])
    response = post(
        zhaojue_client,
        [bulk_row(regions["village"], 0, amount="42.00"), bulk_row(regions["town"], 1, product=product.pk)],
    )
    assert response.status_code == 200, response.json()
    assert response.json() == {"created": 1, "updated": 1}
    mine.refresh_from_db()
    assert mine.amount == Decimal("42.00")


def test_an_eastern_client_writes_the_paired_county_only(api_client_for, scoped_user, regions):
    PairingFactory(east_region=regions["yuyao"], west_region=regions["zhaojue"])
    client = api_client_for(user=scoped_user("api", regions["yuyao"]))
    venue = VenueFactory(place=regions["yuyao"])
    assert post(client, [bulk_row(regions["zhaojue"], 0, venue=venue.pk)]).json() == {"created": 1, "updated": 0}
    response = post(client, [bulk_row(regions["butuo"], 1)])
    assert response.status_code == 400
    assert set(response.json()["errors"][0]["errors"]) == {"origin_region"}
    assert Sale.objects.count() == 1


def test_an_unscoped_client_writes_everywhere(api_client_for, regions):
    SaleFactory(source="mall", external_id="m-1", origin_region=regions["butuo"])
    response = post(api_client_for("staff"), [bulk_row(regions["zhaojue"], 0), bulk_row(regions["butuo"], 1)])
    assert response.json() == {"created": 1, "updated": 1}


@pytest.mark.parametrize("valid", [True, False], ids=["accepted", "refused"])
def test_scoping_adds_a_constant_number_of_queries(zhaojue_client, regions, valid, django_assert_num_queries):
    """The same statements for 10 and 1,000 rows, with products, venues and stored sales."""
    PairingFactory(east_region=regions["yuyao"], west_region=regions["zhaojue"])
    product = ProductFactory(origin_region=regions["zhaojue"])
    venue = VenueFactory(place=regions["yuyao"])
    # Stored on the rows' day: the batch then touches one cell of the precomputed figures
    # (indicators.figures), whose recompute costs a fixed number of queries per cell.
    SaleFactory(source="mall", external_id="m-0", origin_region=regions["zhaojue"], sold_on=datetime.date(2023, 6, 15))
    if not valid:
        SaleFactory(source="mall", external_id="m-5", origin_region=regions["butuo"])

    def rows(size):
        return [bulk_row(regions["zhaojue"], n, product=product.pk, venue=venue.pk) for n in range(size)]

    with CaptureQueriesContext(connection) as small:
        response = post(zhaojue_client, rows(10))
    assert response.status_code == (200 if valid else 400)
    with django_assert_num_queries(len(small.captured_queries)):
        response = post(zhaojue_client, rows(1000))
    assert response.status_code == (200 if valid else 400)
    assert Sale.objects.count() == (1000 if valid else 2)
