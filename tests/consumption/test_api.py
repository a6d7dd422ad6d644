"""The products, venues and sales endpoints: permission matrix, contract fields, filters, 400s."""

import datetime
from decimal import Decimal

import pytest

from consumption.models import Sale
from tests.api_matrix import EndpointMatrix
from tests.consumption.factories import ProductFactory, SaleFactory, VenueFactory, bulk_row
from tests.factories import OrganizationFactory, RegionFactory


class TestProductMatrix(EndpointMatrix):
    url = "/api/v1/products/"

    def make_record(self):
        return ProductFactory()

    def payload(self):
        return {"name": "昭觉苦荞", "category": "grain", "origin_region": RegionFactory().pk}

    def update_payload(self, record):
        return {"certificate_number": "XFBF-2023-001", "certificate_valid_until": "2025-12-31"}


class TestVenueMatrix(EndpointMatrix):
    url = "/api/v1/venues/"

    def make_record(self):
        return VenueFactory()

    def payload(self):
        return {"name": "余姚消费帮扶馆", "kind": "hall", "place": RegionFactory(side="east").pk}

    def update_payload(self, record):
        return {"address": "余姚市阳明街道"}


class TestSaleMatrix(EndpointMatrix):
    url = "/api/v1/sales/"

    def make_record(self):
        return SaleFactory()

    def payload(self):
        return {
            "source": "yuyao-hall",
            "external_id": "2023-0001",
            "sold_on": "2023-03-08",
            "origin_region": RegionFactory().pk,
            "channel": "hall",
            "buyer_kind": "union",
            "amount": "5000.00",
        }

    def update_payload(self, record):
        return {"amount": "6000.00"}


@pytest.mark.django_db
class TestSales:
    def test_contract_fields(self, api_client_for, regions):
        product = ProductFactory(origin_region=regions["zhaojue"])
        sale = SaleFactory(origin_region=regions["zhaojue"], product=product, amount=Decimal("3000000"))
        body = api_client_for("official").get(f"/api/v1/sales/{sale.pk}/").json()
        assert body == {
            "id": sale.pk,
            "source": "shop",
            "external_id": sale.external_id,
            "sold_on": "2023-05-01",
            "origin_region": regions["zhaojue"].pk,
            "product": product.pk,
            "channel": "hall",
            "buyer_kind": "enterprise",
            "amount": "3000000.00",
            "venue": None,
            "east_role": "",
            "quantity": None,
            "unit": "",
        }

    def test_create_with_the_optional_fields(self, api_client_for, regions):
        venue = VenueFactory(place=regions["yuyao"])
        payload = bulk_row(regions["zhaojue"], 1) | {
            "venue": venue.pk,
            "east_role": "helped_sell",
            "quantity": "20",
            "unit": "箱",
        }
        response = api_client_for("staff").post("/api/v1/sales/", payload, format="json")
        assert response.status_code == 201, response.json()
        assert response.json()["quantity"] == "20.000"
        assert Sale.objects.get().venue == venue

    def test_duplicate_key_is_400_naming_external_id(self, api_client_for, regions):
        SaleFactory(source="mall", external_id="m-1", origin_region=regions["zhaojue"])
        response = api_client_for("staff").post("/api/v1/sales/", bulk_row(regions["zhaojue"], 1), format="json")
        assert response.status_code == 400
        assert "external_id" in response.json()

    @pytest.mark.parametrize(
        "change, field",
        [
            ({"amount": "0"}, "amount"),
            ({"amount": "-1.00"}, "amount"),
            ({"amount": "1.001"}, "amount"),
            ({"amount": "99999999999999999999"}, "amount"),
            ({"channel": "moon"}, "channel"),
            ({"buyer_kind": ""}, "buyer_kind"),
            ({"sold_on": "2023-02-30"}, "sold_on"),
            ({"origin_region": 99999999999999999999}, "origin_region"),
            ({"product": 424242}, "product"),
            ({"quantity": "0"}, "quantity"),
            ({"external_id": ""}, "external_id"),
        ],
    )
    def test_the_same_bad_field_is_named_by_both_endpoints(self, api_client_for, regions, change, field):
        client = api_client_for("staff")
        single = client.post("/api/v1/sales/", bulk_row(regions["zhaojue"], 1) | change, format="json")
        assert single.status_code == 400 and field in single.json(), single.json()
        bulk = client.post("/api/v1/sales/bulk/", [bulk_row(regions["zhaojue"], 1) | change], format="json")
        assert bulk.status_code == 400
        assert field in bulk.json()["errors"][0]["errors"]

    def test_origin_must_be_west_on_both_endpoints(self, api_client_for, regions):
        client = api_client_for("staff")
        single = client.post("/api/v1/sales/", bulk_row(regions["yuyao"], 1), format="json")
        bulk = client.post("/api/v1/sales/bulk/", [bulk_row(regions["yuyao"], 1)], format="json")
        assert single.json()["origin_region"] == bulk.json()["errors"][0]["errors"]["origin_region"]

    def test_filters(self, api_client_for, regions):
        product = ProductFactory(origin_region=regions["zhaojue"])
        venue = VenueFactory(place=regions["yuyao"])
        SaleFactory(
            source="mall",
            external_id="a",
            origin_region=regions["village"],
            product=product,
            venue=venue,
            channel="ecommerce",
            sold_on=datetime.date(2023, 2, 1),
        )
        SaleFactory(source="hall", external_id="a", origin_region=regions["butuo"], sold_on=datetime.date(2024, 2, 1))
        client = api_client_for("official")

        def count(**params):
            response = client.get("/api/v1/sales/", params)
            assert response.status_code == 200, response.json()
            return response.json()["count"]

        assert count(source="mall") == 1
        assert count(external_id="a") == 2
        assert count(year=2023) == 1
        assert count(sold_on_after="2023-06-01") == 1
        assert count(sold_on_before="2023-06-01") == 1
        assert count(origin_region_within=regions["zhaojue"].pk) == 1
        assert count(origin_region_within=regions["liangshan"].pk) == 2
        assert count(origin_region=regions["butuo"].pk) == 1
        assert count(product=product.pk) == 1
        assert count(venue=venue.pk) == 1
        assert count(channel="ecommerce") == 1
        assert count(buyer_kind="enterprise") == 2
        assert count(search="mall") == 1
        body = client.get("/api/v1/sales/", {"ordering": "sold_on"}).json()
        assert [row["source"] for row in body["results"]] == ["mall", "hall"]

    @pytest.mark.parametrize(
        "params, field",
        [
            ({"channel": "moon"}, "channel"),
            ({"year": "1800"}, "year"),
            ({"sold_on_after": "yesterday"}, "sold_on_after"),
            ({"origin_region_within": "x"}, "origin_region_within"),
            ({"product": "99999999999999999999999"}, "product"),
            ({"ordering": "secret"}, "ordering"),
        ],
    )
    def test_bad_filters_are_400(self, api_client_for, params, field):
        response = api_client_for("official").get("/api/v1/sales/", params)
        assert response.status_code == 400 and field in response.json()

    def test_list_query_count_is_flat(self, api_client_for, regions, django_assert_max_num_queries):
        client = api_client_for("official")
        client.get("/api/v1/sales/")  # the user, token and permissions are cached after this
        product = ProductFactory(origin_region=regions["zhaojue"])
        venue = VenueFactory()
        for size in (3, 30):
            SaleFactory.create_batch(size, origin_region=regions["zhaojue"], product=product, venue=venue)
            with django_assert_max_num_queries(6):
                response = client.get("/api/v1/sales/", {"page_size": 100})
            assert response.status_code == 200


@pytest.mark.django_db
class TestProducts:
    def test_origin_must_be_west(self, api_client_for, regions):
        payload = {"name": "x", "category": "tea", "origin_region": regions["yuyao"].pk}
        response = api_client_for("staff").post("/api/v1/products/", payload, format="json")
        assert response.status_code == 400 and "origin_region" in response.json()

    def test_certificate_number_is_unique_and_needed_for_an_expiry(self, api_client_for, regions):
        client = api_client_for("staff")
        payload = {"name": "x", "category": "beef", "origin_region": regions["zhaojue"].pk}
        expiry_only = client.post("/api/v1/products/", payload | {"certificate_valid_until": "2025-01-01"})
        assert expiry_only.status_code == 400 and "certificate_number" in expiry_only.json()
        first = client.post("/api/v1/products/", payload | {"certificate_number": "C-1"}, format="json")
        assert first.status_code == 201
        again = client.post("/api/v1/products/", payload | {"certificate_number": "C-1"}, format="json")
        assert again.status_code == 400 and "certificate_number" in again.json()
        for _ in range(2):  # products without a certificate do not collide
            assert client.post("/api/v1/products/", payload, format="json").status_code == 201

    def test_filters(self, api_client_for, regions):
        supplier = OrganizationFactory(region=regions["zhaojue"])
        ProductFactory(origin_region=regions["village"], supplier=supplier, certificate_number="C-9")
        ProductFactory(origin_region=regions["butuo"], category="potato")
        client = api_client_for("official")
        assert client.get("/api/v1/products/", {"certified": "true"}).json()["count"] == 1
        assert client.get("/api/v1/products/", {"certified": "false"}).json()["count"] == 1
        assert client.get("/api/v1/products/", {"supplier": supplier.pk}).json()["count"] == 1
        assert client.get("/api/v1/products/", {"category": "potato"}).json()["count"] == 1
        within = client.get("/api/v1/products/", {"origin_region_within": regions["zhaojue"].pk}).json()
        assert within["count"] == 1

    def test_list_query_count_is_flat(self, api_client_for, regions, django_assert_max_num_queries):
        client = api_client_for("official")
        client.get("/api/v1/products/")
        supplier = OrganizationFactory(region=regions["zhaojue"])
        for size in (3, 30):
            ProductFactory.create_batch(size, origin_region=regions["zhaojue"], supplier=supplier)
            with django_assert_max_num_queries(6):
                assert client.get("/api/v1/products/", {"page_size": 100}).status_code == 200


@pytest.mark.django_db
def test_venue_filters(api_client_for, regions):
    VenueFactory(kind="origin_warehouse", place=regions["town"])
    VenueFactory(kind="hall", place=regions["yuyao"])
    client = api_client_for("official")
    assert client.get("/api/v1/venues/", {"kind": "origin_warehouse"}).json()["count"] == 1
    assert client.get("/api/v1/venues/", {"place_within": regions["zhaojue"].pk}).json()["count"] == 1
    assert client.get("/api/v1/venues/", {"kind": "castle"}).status_code == 400
