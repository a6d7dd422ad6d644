"""The consumption admin: the total of the filtered sales, the filters, query counts, import."""

import datetime
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from simple_history.utils import get_history_model_for_model
from tablib import Dataset

from consumption.models import Sale
from tests.consumption.factories import ProductFactory, SaleFactory, VenueFactory
from tests.cooperation.admin_pages import AdminPages

URL = "/admin/consumption/sale/"


class TestAdminPages(AdminPages):
    app = "consumption"
    pages = [("product", ProductFactory), ("venue", VenueFactory), ("sale", SaleFactory)]


@pytest.fixture
def sales(regions):
    hall = VenueFactory(place=regions["yuyao"], name="余姚馆")
    SaleFactory(
        origin_region=regions["zhaojue"], venue=hall, amount=Decimal("100.00"), sold_on=datetime.date(2023, 5, 3)
    )
    SaleFactory(
        origin_region=regions["village"],
        amount=Decimal("20.50"),
        channel="ecommerce",
        sold_on=datetime.date(2023, 5, 30),
    )
    SaleFactory(origin_region=regions["butuo"], amount=Decimal("7.00"), sold_on=datetime.date(2023, 6, 1))
    return {"hall": hall, **regions}


@pytest.mark.django_db
class TestSaleChangelist:
    @pytest.mark.parametrize(
        "params, total",
        [
            ({}, "127.50"),
            ({"channel__exact": "ecommerce"}, "20.50"),
            ({"month": "2023-05"}, "120.50"),
            ({"month": "2023-06"}, "7.00"),
            ({"month": "2023-13"}, "0.00"),
            ({"month": "garbage"}, "0.00"),
            ({"q": "shop"}, "127.50"),
        ],
    )
    def test_total_of_the_filtered_rows(self, client, make_user, sales, params, total):
        client.force_login(make_user("official"))
        response = client.get(URL, params)
        assert response.status_code == 200
        assert response.context["sales_total"] == Decimal(total)
        page = response.content.decode()
        assert f"<strong>{total}</strong>" in page
        assert "筛选结果销售总额" in page  # the admin speaks Chinese first

    def test_origin_and_venue_filters(self, client, make_user, sales):
        client.force_login(make_user("official"))
        by_origin = client.get(URL, {"origin_region__id__exact": sales["butuo"].pk})
        assert by_origin.context["sales_total"] == Decimal("7.00")
        by_venue = client.get(URL, {"venue__id__exact": sales["hall"].pk})
        assert by_venue.context["sales_total"] == Decimal("100.00")
        page = by_venue.content.decode()
        assert "余姚馆" in page and "2023-05" in page  # the venue and month filters list their choices

    def test_the_total_is_one_aggregate_query_and_the_list_is_flat(
        self, client, make_user, regions, django_assert_max_num_queries
    ):
        client.force_login(make_user("staff"))
        client.get(URL)
        product = ProductFactory(origin_region=regions["zhaojue"])
        venue = VenueFactory()
        for size in (3, 40):
            SaleFactory.create_batch(size, origin_region=regions["zhaojue"], product=product, venue=venue)
            with django_assert_max_num_queries(14) as context:
                response = client.get(URL)
            assert response.status_code == 200
            sums = [q["sql"] for q in context.captured_queries if "SUM(" in q["sql"].upper()]
            assert len(sums) == 1

    def test_official_may_look_but_not_add(self, client, make_user, sales):
        client.force_login(make_user("official"))
        assert client.get(URL).status_code == 200
        assert client.get(f"{URL}add/").status_code == 403


def _upload(client, rows, *, confirm: bool):
    dataset = Dataset(headers=list(rows[0].keys()))
    for row in rows:
        dataset.append(list(row.values()))
    upload = io.BytesIO(dataset.export("csv").encode())
    upload.name = "sales.csv"
    response = client.post(f"{URL}import/", {"import_file": upload, "format": "1", "resource": "0"})
    if not confirm or response.status_code != 200 or "confirm_form" not in response.context:
        return response
    form = response.context["confirm_form"]
    data = {name: field.initial for name, field in form.fields.items()}
    data.update(form.initial)
    return client.post(reverse("admin:consumption_sale_process_import"), data)


def _row(external_id, **changes):
    row = {
        "source": "sheet",
        "external_id": external_id,
        "sold_on": "2023-07-01",
        "origin_region": "513431",
        "product": "",
        "venue": "",
        "channel": "fair",
        "buyer_kind": "government",
        "east_role": "bought",
        "amount": "1000.00",
        "quantity": "",
        "unit": "",
    }
    return row | changes


@pytest.mark.django_db
class TestSaleImport:
    def test_import_creates_then_updates_by_source_and_external_id(self, client, make_user, regions):
        user = make_user("staff")
        client.force_login(user)
        response = _upload(client, [_row("s-1"), _row("s-2")], confirm=True)
        assert response.status_code == 302, response.content.decode()[:3000]
        assert Sale.objects.count() == 2
        _upload(client, [_row("s-1", amount="1500.00")], confirm=True)
        assert Sale.objects.count() == 2
        assert Sale.objects.get(external_id="s-1").amount == Decimal("1500.00")
        history = get_history_model_for_model(Sale).objects.filter(external_id="s-1").order_by("history_date")
        assert [(h.history_type, h.history_user) for h in history] == [("+", user), ("~", user)]

    def test_a_bad_row_stops_the_whole_import(self, client, make_user, regions):
        client.force_login(make_user("staff"))
        response = _upload(client, [_row("s-1"), _row("s-2", origin_region="330281")], confirm=True)
        assert response.status_code == 200
        assert Sale.objects.count() == 0
        bad_amount = _upload(client, [_row("s-3", amount="0")], confirm=True)
        assert bad_amount.status_code == 200
        assert Sale.objects.count() == 0
