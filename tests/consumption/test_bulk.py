"""``POST /api/v1/sales/bulk/``: upsert by (source, external_id), all rows or none, audited."""

import json
import threading
from decimal import Decimal

import pytest
from django.db import connection
from simple_history.utils import get_history_model_for_model

from consumption import selectors
from consumption.models import Sale
from tests.consumption.factories import ProductFactory, SaleFactory, VenueFactory, bulk_row

URL = "/api/v1/sales/bulk/"
HistoricalSale = get_history_model_for_model(Sale)


def post(client, body):
    return client.post(URL, body, format="json")


@pytest.mark.django_db
class TestBulkUpsert:
    def test_new_rows_are_created(self, api_client_for, regions):
        client = api_client_for("api")
        product = ProductFactory(origin_region=regions["zhaojue"])
        venue = VenueFactory(place=regions["yuyao"])
        rows = [bulk_row(regions["zhaojue"], n) for n in range(3)]
        rows[0] |= {"product": product.pk, "venue": venue.pk, "east_role": "bought", "quantity": "12.5", "unit": "kg"}
        response = post(client, rows)
        assert response.status_code == 200, response.json()
        assert response.json() == {"created": 3, "updated": 0}
        sale = Sale.objects.get(source="mall", external_id="m-0")
        assert (sale.product, sale.venue, sale.east_role, sale.quantity, sale.unit) == (
            product,
            venue,
            "bought",
            Decimal("12.500"),
            "kg",
        )
        assert sale.amount == Decimal("128.50") and sale.origin_region == regions["zhaojue"]
        assert sale.created_at is not None and sale.created_at == sale.updated_at
        other = Sale.objects.get(external_id="m-1")
        assert (other.product, other.venue, other.east_role, other.quantity, other.unit) == (None, None, "", None, "")

    def test_existing_rows_are_updated_and_new_ones_created(self, api_client_for, regions):
        existing = SaleFactory(source="mall", external_id="m-0", origin_region=regions["zhaojue"])
        created_at = existing.created_at
        response = post(
            api_client_for("staff"),
            [bulk_row(regions["zhaojue"], 0, amount="999.99", channel="fair"), bulk_row(regions["village"], 1)],
        )
        assert response.json() == {"created": 1, "updated": 1}
        existing.refresh_from_db()
        assert (existing.amount, existing.channel) == (Decimal("999.99"), "fair")
        assert existing.created_at == created_at and existing.updated_at > created_at
        assert Sale.objects.count() == 2

    def test_replay_stores_nothing_twice(self, api_client_for, regions):
        client = api_client_for("api")
        rows = [bulk_row(regions["zhaojue"], n) for n in range(10)]
        assert post(client, rows).json() == {"created": 10, "updated": 0}
        assert post(client, rows).json() == {"created": 0, "updated": 10}
        assert Sale.objects.count() == 10
        # Unchanged rows are left alone: no new version, no history row.
        assert HistoricalSale.objects.count() == 10
        rows[3]["amount"] = "1.00"
        assert post(client, rows).json() == {"created": 0, "updated": 10}
        assert list(HistoricalSale.objects.filter(history_type="~").values_list("external_id", flat=True)) == ["m-3"]

    def test_every_write_leaves_an_audit_record(self, api_client_for, regions):
        client = api_client_for("api")
        post(client, [bulk_row(regions["zhaojue"], 0)])
        post(client, [bulk_row(regions["zhaojue"], 0, amount="7.00")])
        sale = Sale.objects.get()
        history = HistoricalSale.objects.filter(id=sale.pk).order_by("history_date", "history_id")
        assert [(h.history_type, h.amount, h.history_user) for h in history] == [
            ("+", Decimal("128.50"), client.user),
            ("~", Decimal("7.00"), client.user),
        ]
        assert history.last().diff_against(history.first()).changed_fields == ["amount"]
        assert history.last().source == "mall" and history.last().origin_region_id == regions["zhaojue"].pk

    def test_empty_list_writes_nothing(self, api_client_for):
        response = post(api_client_for("api"), [])
        assert response.status_code == 200 and response.json() == {"created": 0, "updated": 0}


@pytest.mark.django_db
class TestBulkRefusals:
    def test_a_bad_row_rolls_back_all(self, api_client_for, regions):
        rows = [bulk_row(regions["zhaojue"], n) for n in range(5)]
        rows[3]["amount"] = "0"
        rows[1]["sold_on"] = "2023-02-30"
        response = post(api_client_for("api"), rows)
        assert response.status_code == 400
        errors = response.json()["errors"]
        assert [(e["index"], list(e["errors"])) for e in errors] == [(1, ["sold_on"]), (3, ["amount"])]
        assert all(isinstance(m, str) and m for e in errors for ms in e["errors"].values() for m in ms)
        assert Sale.objects.count() == 0
        assert HistoricalSale.objects.count() == 0

    def test_a_bad_row_does_not_touch_stored_rows(self, api_client_for, regions):
        SaleFactory(source="mall", external_id="m-0", origin_region=regions["zhaojue"], amount=Decimal("1.00"))
        rows = [bulk_row(regions["zhaojue"], 0, amount="5.00"), bulk_row(regions["zhaojue"], 1, channel="moon")]
        response = post(api_client_for("api"), rows)
        assert response.status_code == 400
        assert [e["index"] for e in response.json()["errors"]] == [1]
        assert list(Sale.objects.values_list("amount", flat=True)) == [Decimal("1.00")]

    @pytest.mark.parametrize(
        "change, field",
        [
            ({"source": ""}, "source"),
            ({"source": "x" * 65}, "source"),
            ({"source": None}, "source"),
            ({"source": ["a"]}, "source"),
            ({"external_id": "a\x00b"}, "external_id"),
            ({"sold_on": "15/06/2023"}, "sold_on"),
            ({"sold_on": 20230615}, "sold_on"),
            ({"sold_on": "2023-W01-1"}, "sold_on"),
            ({"origin_region": 999999}, "origin_region"),
            ({"origin_region": 2**70}, "origin_region"),
            ({"origin_region": "abc"}, "origin_region"),
            ({"origin_region": True}, "origin_region"),
            ({"origin_region": -1}, "origin_region"),
            ({"product": 999999}, "product"),
            ({"venue": 999999}, "venue"),
            ({"channel": "moon"}, "channel"),
            ({"channel": ""}, "channel"),
            ({"buyer_kind": None}, "buyer_kind"),
            ({"east_role": "stole"}, "east_role"),
            ({"amount": "-5"}, "amount"),
            ({"amount": "0.00"}, "amount"),
            ({"amount": "1.234"}, "amount"),
            ({"amount": "1e400"}, "amount"),
            ({"amount": "NaN"}, "amount"),
            ({"amount": "Infinity"}, "amount"),
            ({"amount": "12345678901234567"}, "amount"),
            ({"amount": True}, "amount"),
            ({"amount": {"a": 1}}, "amount"),
            ({"quantity": "0"}, "quantity"),
            ({"quantity": "1.0001"}, "quantity"),
            ({"unit": "u" * 21}, "unit"),
        ],
    )
    def test_bad_fields_are_named_with_the_row(self, api_client_for, regions, change, field):
        rows = [bulk_row(regions["zhaojue"], 0), bulk_row(regions["zhaojue"], 1) | change]
        response = post(api_client_for("api"), rows)
        assert response.status_code == 400, response.content
        errors = response.json()["errors"]
        assert [e["index"] for e in errors] == [1]
        assert field in errors[0]["errors"], errors
        assert Sale.objects.count() == 0

    @pytest.mark.parametrize("field", ["source", "external_id", "sold_on", "origin_region", "channel", "amount"])
    def test_missing_required_field(self, api_client_for, regions, field):
        row = bulk_row(regions["zhaojue"], 0)
        del row[field]
        response = post(api_client_for("api"), [row])
        assert response.status_code == 400
        assert response.json()["errors"][0]["errors"][field]

    def test_origin_must_be_west(self, api_client_for, regions):
        response = post(api_client_for("api"), [bulk_row(regions["yuyao"], 0)])
        assert response.status_code == 400
        assert "origin_region" in response.json()["errors"][0]["errors"]

    def test_same_key_twice_in_one_request_names_both_rows(self, api_client_for, regions):
        rows = [bulk_row(regions["zhaojue"], 0), bulk_row(regions["zhaojue"], 1), bulk_row(regions["zhaojue"], 0)]
        response = post(api_client_for("api"), rows)
        assert response.status_code == 400
        errors = response.json()["errors"]
        assert [e["index"] for e in errors] == [0, 2]
        assert all("0, 2" in e["errors"]["external_id"][0] for e in errors)

    def test_lone_surrogates_are_refused(self, api_client_for, regions):
        body = json.dumps([bulk_row(regions["zhaojue"], 0, external_id="SURROGATE")]).replace("SURROGATE", "\\ud800")
        response = api_client_for("api").generic("POST", URL, body, content_type="application/json")
        assert response.status_code == 400
        assert "external_id" in response.json()["errors"][0]["errors"]

    def test_whitespace_is_trimmed_like_the_single_endpoint(self, api_client_for, regions):
        response = post(api_client_for("api"), [bulk_row(regions["zhaojue"], 0, external_id="  m-0 ")])
        assert response.status_code == 200
        assert Sale.objects.get().external_id == "m-0"

    @pytest.mark.parametrize("body", [{"source": "x"}, "rows", 5, None])
    def test_a_body_that_is_not_a_list_is_400(self, api_client_for, body):
        response = post(api_client_for("api"), body)
        assert response.status_code == 400
        assert response.json()["non_field_errors"]

    def test_rows_that_are_not_objects(self, api_client_for, regions):
        response = post(api_client_for("api"), [bulk_row(regions["zhaojue"], 0), [1, 2], "x"])
        assert response.status_code == 400
        assert [e["index"] for e in response.json()["errors"]] == [1, 2]
        assert response.json()["errors"][0]["errors"]["non_field_errors"]

    @pytest.mark.parametrize("body", ["[{", '[{"amount": NaN}]', "[" * 100000 + "]" * 100000, "\xff"])
    def test_bad_json_is_400(self, api_client_for, body):
        response = api_client_for("api").generic("POST", URL, body, content_type="application/json")
        assert response.status_code == 400
        assert response.json()["detail"]

    def test_other_media_types_are_415(self, api_client_for):
        response = api_client_for("api").generic("POST", URL, "a=1", content_type="application/x-www-form-urlencoded")
        assert response.status_code == 415

    def test_the_5000_row_limit(self, api_client_for, regions):
        client = api_client_for("api")
        region = regions["zhaojue"]
        too_many = [bulk_row(region, n) for n in range(5001)]
        response = post(client, too_many)
        assert response.status_code == 400
        assert "5000" in response.json()["non_field_errors"][0]
        assert Sale.objects.count() == 0
        # Long ids and an unknown (ignored) field: a 5,000-row body above Django's 2.5 MB form limit.
        full = [row | {"external_id": f"{n:0128d}", "note": "x" * 300} for n, row in enumerate(too_many[:5000])]
        body = json.dumps(full)
        assert len(body) > 2.5 * 1024 * 1024
        response = client.generic("POST", URL, body, content_type="application/json")
        assert response.status_code == 200, response.content[:3000]
        assert response.json() == {"created": 5000, "updated": 0}


@pytest.mark.django_db
class TestBulkPermissions:
    @pytest.mark.parametrize(
        "role, status", [(None, 401), ("norole", 403), ("official", 403), ("api", 200), ("staff", 200), ("admin", 200)]
    )
    def test_who_may_send(self, api_client_for, make_user, regions, role, status):
        client = api_client_for(user=make_user(None)) if role == "norole" else api_client_for(role)
        response = post(client, [bulk_row(regions["zhaojue"], 0)])
        assert response.status_code == status
        assert Sale.objects.count() == (1 if status == 200 else 0)


@pytest.mark.django_db
def test_statement_count_does_not_grow_with_the_batch(api_client_for, regions, django_assert_max_num_queries):
    client = api_client_for("api")
    product = ProductFactory(origin_region=regions["zhaojue"])
    venue = VenueFactory()
    for size in (10, 1000):
        rows = [bulk_row(regions["zhaojue"], n, product=product.pk, venue=venue.pk) for n in range(size)]
        # 10, 2 for the locked months (CONTRACT.md 1.1: the stored sales and the approved
        # months) and 10 for the precomputed figures of the one (region, month) cell the rows lie
        # in (indicators.figures: positions before and after, the kept years, the lock, four
        # computes, a delete and an insert).
        with django_assert_max_num_queries(22) as context:
            assert post(client, rows).status_code == 200
        upserts = [q["sql"] for q in context.captured_queries if "ON CONFLICT" in q["sql"]]
        assert len(upserts) == 1


@pytest.mark.django_db(transaction=True)
def test_two_identical_requests_at_once_leave_one_copy(api_client_for, regions):
    rows = [bulk_row(regions["zhaojue"], n) for n in range(300)]
    clients = [api_client_for("api"), api_client_for("staff")]
    barrier = threading.Barrier(2)
    results = [None, None]

    def send(i):
        try:
            barrier.wait()
            response = post(clients[i], rows)
            results[i] = (response.status_code, response.json())
        finally:
            connection.close()

    threads = [threading.Thread(target=send, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert [status for status, _ in results] == [200, 200], results
    assert sum(body["created"] for _, body in results) == 300
    assert sum(body["updated"] for _, body in results) == 300
    assert Sale.objects.count() == 300
    assert HistoricalSale.objects.count() == 300  # the second request changed nothing


@pytest.mark.django_db
def test_a_key_taken_meanwhile_is_400_on_the_single_endpoint(api_client_for, regions, monkeypatch):
    """A sale validated before a batch took its key is stopped by the constraint: a 400 naming
    ``external_id``, nothing stored twice."""
    client = api_client_for("api")
    post(client, [bulk_row(regions["zhaojue"], 0)])  # takes the key after the single sale's check
    monkeypatch.setattr(Sale, "full_clean", lambda self, *args, **kwargs: None)  # the check passed before
    response = client.post("/api/v1/sales/", bulk_row(regions["zhaojue"], 0), format="json")
    assert response.status_code == 400, response.content
    assert response.json() == {"external_id": ["已存在相同来源系统和外部编号的销售记录。"]}
    assert Sale.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_reference_deleted_meanwhile_is_a_400_and_nothing_is_written(api_client_for, regions, monkeypatch):
    """A product deleted between the batch's check and its write: the database refuses the
    reference (at commit, the foreign keys being deferred), and the client is told to resend."""
    product = ProductFactory(origin_region=regions["zhaojue"])
    product_id = product.pk
    product.delete()
    checked = selectors.bulk_references

    def still_there(**ids):  # what the check saw before the product was deleted
        sides, products, venues = checked(**ids)
        return sides, products | {product_id}, venues

    monkeypatch.setattr(selectors, "bulk_references", still_there)
    response = post(api_client_for("api"), [bulk_row(regions["zhaojue"], 0, product=product_id)])
    assert response.status_code == 400, response.content
    assert response.json() == {"non_field_errors": ["引用的记录在此期间已被修改，请重新发送请求。"]}
    assert Sale.objects.count() == 0
