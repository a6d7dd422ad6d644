"""``?cursor=``: keyset pages for clients that sync a whole list."""

import pytest

from tests.consumption.factories import SaleFactory

pytestmark = pytest.mark.django_db
URL = "/api/v1/sales/"


def test_a_sync_walks_every_record_once_in_id_order(api_client_for, django_assert_max_num_queries):
    sales = SaleFactory.create_batch(5)
    client = api_client_for("api")
    seen, url, params = [], URL, {"cursor": "", "page_size": 2}
    while url:
        with django_assert_max_num_queries(5):
            body = client.get(url, params).json()
        assert set(body) == {"next", "previous", "results"}  # no count: a sync needs none
        seen += [row["id"] for row in body["results"]]
        url, params = body["next"], None
    assert seen == sorted(sale.pk for sale in sales)


def test_filters_apply_with_a_cursor(api_client_for):
    kept = SaleFactory(channel="hall")
    SaleFactory(channel="fair")
    body = api_client_for("api").get(URL, {"cursor": "", "channel": "hall"}).json()
    assert [row["id"] for row in body["results"]] == [kept.pk]


def test_a_forged_cursor_is_a_400_naming_it(api_client_for):
    response = api_client_for("api").get(URL, {"cursor": "bm90LWEtY3Vyc29y"})
    assert response.status_code == 400 and list(response.json()) == ["cursor"]


def test_pages_without_a_cursor_keep_the_count(api_client_for):
    SaleFactory.create_batch(3)
    assert api_client_for("api").get(URL).json()["count"] == 3
