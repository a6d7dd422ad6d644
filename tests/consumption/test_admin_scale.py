"""The sales list at scale: filter choices from small tables, searches served by indexes, the
total only for a small filtered list, query counts that do not grow with the rows."""

import datetime
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from consumption import admin as consumption_admin
from tests.consumption.factories import ProductFactory, SaleFactory, VenueFactory

URL = "/admin/consumption/sale/"


def _sales_reads(queries) -> list[str]:
    return [q["sql"] for q in queries if re.search(r'FROM "consumption_sale"', q["sql"])]


@pytest.fixture
def sales(regions):
    beef = ProductFactory(origin_region=regions["zhaojue"], name="昭觉黑山羊肉")
    hall = VenueFactory(place=regions["yuyao"], name="余姚馆")
    VenueFactory(place=regions["yuyao"], name="空馆")  # no sales: still a choice
    SaleFactory(
        origin_region=regions["zhaojue"],
        product=beef,
        venue=hall,
        external_id="JD-2023-0001",
        amount=Decimal("100.00"),
        sold_on=datetime.date(2023, 5, 3),
    )
    SaleFactory(
        origin_region=regions["butuo"], external_id="TB-9", amount=Decimal("7.00"), sold_on=datetime.date(2023, 6, 1)
    )
    return {"hall": hall, "beef": beef}


@pytest.mark.django_db
class TestFilterChoices:
    def test_month_and_venue_choices_do_not_read_the_sales(self, client, make_user, sales):
        client.force_login(make_user("staff"))
        with CaptureQueriesContext(connection) as context:
            response = client.get(URL)
        page = response.content.decode()
        assert "?month=2023-05" in page  # a month of the programme's years
        assert "余姚馆" in page and "空馆" in page  # venues from the venue table, with or without sales
        reads = _sales_reads(context.captured_queries)
        # The page, its count and (a short list) its total only: no DISTINCT over sales for choices.
        assert len(reads) == 3, reads
        assert not any("DISTINCT" in sql.upper() for sql in reads)

    def test_month_choices_run_to_this_month(self, client, make_user, sales):
        client.force_login(make_user("staff"))
        response = client.get(URL, {"month": "2023-05"})
        today = datetime.date.today()
        page = response.content.decode()
        assert f"{today:%Y-%m}" in page
        assert response.context["sales_total"] == Decimal("100.00")

    def test_a_month_is_a_range_of_days_december_included(self, client, make_user, regions):
        """The month filter reads a range the sold_on index serves, not EXTRACT(MONTH) of every
        sale of the year; the last day of December is in December."""
        for day in (datetime.date(2023, 11, 30), datetime.date(2023, 12, 31), datetime.date(2024, 1, 1)):
            SaleFactory(origin_region=regions["zhaojue"], sold_on=day, amount=Decimal(day.month))
        client.force_login(make_user("staff"))
        with CaptureQueriesContext(connection) as context:
            response = client.get(URL, {"month": "2023-12"})
        assert [sale.sold_on for sale in response.context["cl"].result_list] == [datetime.date(2023, 12, 31)]
        assert not any("EXTRACT" in sql for sql in _sales_reads(context.captured_queries))

    def test_venue_choices_are_scoped(self, client, scoped_user, sales, regions):
        user = scoped_user("staff", regions["butuo"])
        client.force_login(user)
        page = client.get(URL).content.decode()
        assert "余姚馆" not in page


@pytest.mark.django_db
class TestSearch:
    @pytest.mark.parametrize(
        "q, found",
        [
            ("JD-2023", ["JD-2023-0001"]),  # identifier prefix
            ("jd-2023-0001", ["JD-2023-0001"]),  # any case
            ("2023-0001", []),  # an identifier is not searched inside
            ("黑山羊", ["JD-2023-0001"]),  # the product's name, contains
            ("shop", ["JD-2023-0001", "TB-9"]),  # the source, exact
            ("sho", []),
            ("50%", []),  # a wildcard is a character
        ],
    )
    def test_finds_by_identifier_prefix_and_name(self, client, make_user, sales, q, found):
        client.force_login(make_user("staff"))
        response = client.get(URL, {"q": q})
        assert sorted(sale.external_id for sale in response.context["cl"].result_list) == found

    def test_search_by_product_name_is_one_statement_on_sales(self, client, make_user, sales):
        client.force_login(make_user("staff"))
        with CaptureQueriesContext(connection) as context:
            client.get(URL, {"q": "黑山羊"})
        reads = _sales_reads(context.captured_queries)
        assert len(reads) == 3  # the count, the total of these few, the page
        # The matching products' ids, listed: an index condition, not a join ORed row by row.
        assert all(re.search(r'"product_id" IN \(\d', sql) for sql in reads)


@pytest.mark.django_db
class TestTotalAndQueryCounts:
    def test_query_count_does_not_grow_with_the_rows(self, client, make_user, regions):
        client.force_login(make_user("staff"))
        product = ProductFactory(origin_region=regions["zhaojue"])
        venue = VenueFactory()
        counts = []
        for size in (3, 60):
            SaleFactory.create_batch(size, origin_region=regions["zhaojue"], product=product, venue=venue)
            with CaptureQueriesContext(connection) as context:
                assert client.get(URL, {"q": "order"}).status_code == 200
            counts.append(len(context.captured_queries))
        assert counts[0] == counts[1]

    def test_a_long_list_shows_no_total(self, client, make_user, regions, monkeypatch):
        monkeypatch.setattr(consumption_admin, "SALES_TOTAL_LIMIT", 2)
        SaleFactory.create_batch(3, origin_region=regions["zhaojue"], amount=Decimal("1.00"))
        client.force_login(make_user("staff"))
        with CaptureQueriesContext(connection) as context:
            response = client.get(URL)
        assert response.context["sales_total"] is None
        assert response.context["cl"].result_count == 3
        reads = _sales_reads(context.captured_queries)
        assert len(reads) == 2 and not any("SUM(" in sql.upper() for sql in reads)  # counted, not summed
        assert 'id="sales-total"' in response.content.decode()  # says why there is no total
        small = client.get(URL, {"q": "order"})
        assert small.context["cl"].result_count == 3


@pytest.mark.django_db
def test_trigram_indexes_exist(trigram):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")
        assert cursor.fetchone() is not None
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename IN ('consumption_sale', 'consumption_product')"
        )
        indexes = dict(cursor.fetchall())
    assert "gin_trgm_ops" in indexes["product_name_trgm"]
    assert "gin_trgm_ops" in indexes["sale_external_id_trgm"]
    assert "sale_sold_on_id" in indexes and "sale_source_upper" in indexes
