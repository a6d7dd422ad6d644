"""``POST /api/v1/sales/bulk/`` and locked months (CONTRACT.md 1.1): a row that would create a
sale in, change a sale of, or move a sale into an approved month refuses the whole request at
its index under ``sold_on``, nothing written; the check costs the same queries for any batch."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from consumption.models import Sale
from tests.consumption.factories import SaleFactory, bulk_row
from tests.factories import SubmissionFactory

URL = "/api/v1/sales/bulk/"

pytestmark = pytest.mark.django_db


@pytest.fixture
def client(api_client_for):
    return api_client_for("api")


def _lock(region, month="2023-06-01"):
    return SubmissionFactory(region=region, month=datetime.date.fromisoformat(month), status="approved")


def test_a_row_in_a_locked_month_refuses_the_whole_batch(client, regions):
    _lock(regions["zhaojue"])
    rows = [
        bulk_row(regions["zhaojue"], 0, sold_on="2023-05-31"),
        bulk_row(regions["zhaojue"], 1),  # 2023-06-15: locked
        bulk_row(regions["butuo"], 2),  # another county's June: open
        bulk_row(regions["village"], 3, sold_on="2023-06-01"),  # below Zhaojue: locked with it
    ]
    response = client.post(URL, rows, format="json")
    assert response.status_code == 400, response.json()
    errors = response.json()["errors"]
    assert [error["index"] for error in errors] == [1, 3]
    assert all(list(error["errors"]) == ["sold_on"] for error in errors)
    assert "2023年6月" in errors[0]["errors"]["sold_on"][0]
    assert Sale.objects.count() == 0


def test_a_stored_sale_of_a_locked_month_is_not_changed_nor_moved_out(client, regions):
    SaleFactory(source="mall", external_id="m-0", origin_region=regions["zhaojue"], sold_on=datetime.date(2023, 6, 2))
    _lock(regions["zhaojue"])
    before = list(Sale.objects.values())
    for change in ({"amount": "1.00"}, {"sold_on": "2023-07-02"}, {"origin_region": regions["butuo"].pk}):
        response = client.post(URL, [bulk_row(regions["zhaojue"], 0, sold_on="2023-06-02") | change], format="json")
        assert response.status_code == 400, change
        assert response.json()["errors"][0]["index"] == 0
        assert list(response.json()["errors"][0]["errors"]) == ["sold_on"]
    assert list(Sale.objects.values()) == before


def test_a_stored_sale_is_not_moved_into_a_locked_month(client, regions):
    SaleFactory(source="mall", external_id="m-0", origin_region=regions["zhaojue"], sold_on=datetime.date(2023, 5, 2))
    _lock(regions["zhaojue"])
    response = client.post(URL, [bulk_row(regions["zhaojue"], 0, sold_on="2023-06-02")], format="json")
    assert response.status_code == 400
    assert Sale.objects.get().sold_on == datetime.date(2023, 5, 2)


def test_a_reopened_month_takes_the_batch(client, regions, api_client_for):
    submission = _lock(regions["zhaojue"])
    assert client.post(URL, [bulk_row(regions["zhaojue"], 0)], format="json").status_code == 400
    admin = api_client_for("admin")
    admin.post(f"/api/v1/submissions/{submission.pk}/reopen/", {"reason": "补录"}, format="json")
    response = client.post(URL, [bulk_row(regions["zhaojue"], 0)], format="json")
    assert response.status_code == 200, response.json()
    assert response.json() == {"created": 1, "updated": 0}


def _queries(client, rows) -> int:
    """The lock check's queries (those asking for submissions) of one batch."""
    with CaptureQueriesContext(connection) as ctx:
        response = client.post(URL, rows, format="json")
    assert response.status_code == 200, response.json()
    return sum("cooperation_submission" in query["sql"] for query in ctx.captured_queries)


def test_the_lock_check_costs_the_same_for_any_batch_size(client, regions):
    _lock(regions["zhaojue"], "2023-01-01")
    _lock(regions["butuo"], "2023-02-01")
    small = _queries(client, [bulk_row(regions["zhaojue"], n) for n in range(3)])
    months = [f"2023-{m:02d}-1{m % 9}" for m in range(3, 13)]
    large = _queries(
        client,
        [
            bulk_row(regions["zhaojue" if n % 2 else "butuo"], 1000 + n, sold_on=months[n % len(months)])
            for n in range(600)
        ],
    )
    assert large == small
