"""The ``consumption.sales`` indicator and the dashboard's breakdowns."""

import datetime
from decimal import Decimal

import pytest

from consumption import selectors
from consumption.models import Sale
from indicators.registry import get_indicator
from tests.consumption.factories import SaleFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def sales(regions):
    SaleFactory(origin_region=regions["zhaojue"], sold_on=datetime.date(2023, 1, 1), amount=Decimal("100.00"))
    SaleFactory(
        origin_region=regions["village"],
        sold_on=datetime.date(2023, 12, 31),
        amount=Decimal("50.25"),
        channel="ecommerce",
        buyer_kind="union",
    )
    SaleFactory(origin_region=regions["butuo"], sold_on=datetime.date(2023, 5, 20), amount=Decimal("30.00"))
    SaleFactory(origin_region=regions["zhaojue"], sold_on=datetime.date(2022, 12, 31), amount=Decimal("999.00"))
    SaleFactory(origin_region=regions["zhaojue"], sold_on=datetime.date(2024, 1, 1), amount=Decimal("999.00"))
    return regions


def test_sales_of_a_year(sales):
    assert selectors.consumption_sales(year=2023) == Decimal("180.25")
    assert selectors.consumption_sales(year=2021) == Decimal("0.00")


def test_region_filter_is_on_the_origin_subtree(sales):
    assert selectors.consumption_sales(year=2023, region=sales["zhaojue"]) == Decimal("150.25")
    assert selectors.consumption_sales(year=2023, region=sales["village"]) == Decimal("50.25")
    assert selectors.consumption_sales(year=2023, region=sales["liangshan"]) == Decimal("180.25")
    assert selectors.consumption_sales(year=2023, region=sales["yuyao"]) == Decimal("0.00")


def test_the_registry_computes_it(sales):
    value = get_indicator("consumption.sales").compute(year=2023, region=sales["sichuan"])
    assert value == Decimal("180.25")


def test_by_channel_lists_every_channel_in_order(sales):
    rows = selectors.sales_by_channel(year=2023)
    assert [row["channel"] for row in rows] == ["hall", "store", "warehouse", "ecommerce", "canteen", "fair", "other"]
    amounts = {row["channel"]: row["amount"] for row in rows}
    assert amounts["hall"] == Decimal("130.00")
    assert amounts["ecommerce"] == Decimal("50.25")
    assert amounts["fair"] == Decimal("0.00")
    assert all(row["label"] for row in rows)
    in_zhaojue = selectors.sales_by_channel(year=2023, region=sales["zhaojue"])
    assert {row["channel"]: row["amount"] for row in in_zhaojue}["hall"] == Decimal("100.00")


def test_by_buyer_kind(sales):
    rows = selectors.sales_by_buyer_kind(year=2023)
    assert set(rows[0]) == {"buyer_kind", "label", "amount"}
    amounts = {row["buyer_kind"]: row["amount"] for row in rows}
    assert amounts == {
        "government": Decimal("0.00"),
        "enterprise": Decimal("130.00"),
        "union": Decimal("50.25"),
        "individual": Decimal("0.00"),
        "other": Decimal("0.00"),
    }


def test_by_month_gives_twelve_amounts(sales):
    months = selectors.sales_by_month(year=2023)
    assert len(months) == 12
    assert months[0] == Decimal("100.00")
    assert months[4] == Decimal("30.00")
    assert months[11] == Decimal("50.25")
    assert sum(months) == selectors.consumption_sales(year=2023)
    assert selectors.sales_by_month(year=2023, region=sales["butuo"])[4] == Decimal("30.00")
    assert selectors.sales_by_month(year=2019) == [Decimal("0.00")] * 12


def test_sales_total_of_any_queryset_in_one_query(sales, django_assert_num_queries):
    with django_assert_num_queries(1):
        total = selectors.sales_total(Sale.objects.filter(channel="hall").order_by("-sold_on"))
    assert total == Decimal("2128.00")
    assert selectors.sales_total(Sale.objects.none()) == Decimal("0.00")


def test_each_figure_is_one_query(sales, django_assert_num_queries):
    for function in (
        selectors.consumption_sales,
        selectors.sales_by_channel,
        selectors.sales_by_buyer_kind,
        selectors.sales_by_month,
    ):
        with django_assert_num_queries(1):
            function(year=2023, region=sales["zhaojue"])
