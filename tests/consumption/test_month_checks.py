"""``consumption.sales_spike``: the month's sales against the median of the six months before."""

import datetime
from decimal import Decimal

import pytest

from consumption.models import Sale
from consumption.month_checks import sales_spike
from cooperation.month_checks import month_warnings
from tests.consumption.factories import SaleFactory

pytestmark = pytest.mark.django_db

JULY = datetime.date(2024, 7, 1)
HISTORY = [datetime.date(2024, month, 15) for month in range(1, 7)]  # January to June


def _sell(region, day, amount):
    return SaleFactory(origin_region=region, sold_on=day, amount=Decimal(amount))


def _history(region, amounts=("10000.00",) * 6):
    for day, amount in zip(HISTORY, amounts, strict=True):
        if amount:
            _sell(region, day, amount)


def test_a_month_above_five_times_the_median_warns_with_both_amounts_in_wan(regions):
    _history(regions["zhaojue"])
    _sell(regions["zhaojue"], datetime.date(2024, 7, 1), "30000.00")
    _sell(regions["zhaojue"], datetime.date(2024, 7, 31), "20000.01")

    assert sales_spike(region=regions["zhaojue"], month=JULY) == [
        "2024年7月销售额为5.00万元，超过此前六个月月销售额中位数（1.00万元）的5倍："
        "请检查是否重复报送了同一批数据，或金额单位不是元。"
    ]
    assert [w["code"] for w in month_warnings(region=regions["zhaojue"], month=JULY)] == ["consumption.sales_spike"]


def test_exactly_five_times_the_median_does_not_warn(regions):
    _history(regions["zhaojue"])
    _sell(regions["zhaojue"], datetime.date(2024, 7, 10), "50000.00")
    assert sales_spike(region=regions["zhaojue"], month=JULY) == []


def test_an_ordinary_month_does_not_warn(regions):
    _history(regions["zhaojue"])
    _sell(regions["zhaojue"], datetime.date(2024, 7, 10), "25000.00")
    assert sales_spike(region=regions["zhaojue"], month=JULY) == []


def test_no_history_means_no_warning(regions):
    _sell(regions["zhaojue"], datetime.date(2024, 7, 10), "99999999.00")
    assert sales_spike(region=regions["zhaojue"], month=JULY) == []


def test_months_without_sales_count_as_zero_in_the_median(regions):
    # Three months of six with sales: the median is (0 + 10,000) / 2 = 5,000 yuan.
    _history(regions["zhaojue"], ("10000.00", "10000.00", "10000.00", None, None, None))
    _sell(regions["zhaojue"], datetime.date(2024, 7, 10), "25000.01")
    [message] = sales_spike(region=regions["zhaojue"], month=JULY)
    assert "2.50万元" in message and "0.50万元" in message

    # Two months of six with sales: the median is zero, no usual level to compare with.
    Sale.objects.filter(sold_on=HISTORY[0]).delete()
    assert sales_spike(region=regions["zhaojue"], month=JULY) == []


def test_one_earlier_spike_does_not_raise_the_bar(regions):
    _history(regions["zhaojue"], ("10000.00",) * 5 + ("900000.00",))
    _sell(regions["zhaojue"], datetime.date(2024, 7, 10), "60000.00")
    assert len(sales_spike(region=regions["zhaojue"], month=JULY)) == 1


def test_the_history_is_the_six_months_just_before(regions):
    # Sales seven months back, and later in the month after, are no history of July.
    _sell(regions["zhaojue"], datetime.date(2023, 12, 31), "10000.00")
    _sell(regions["zhaojue"], datetime.date(2024, 8, 1), "10000.00")
    _sell(regions["zhaojue"], datetime.date(2024, 7, 10), "90000.00")
    assert sales_spike(region=regions["zhaojue"], month=JULY) == []


def test_a_january_looks_back_into_the_year_before(regions):
    for month in range(7, 13):
        _sell(regions["zhaojue"], datetime.date(2023, month, 1), "10000.00")
    _sell(regions["zhaojue"], datetime.date(2024, 1, 20), "60000.00")
    assert len(sales_spike(region=regions["zhaojue"], month=datetime.date(2024, 1, 1))) == 1


def test_the_county_and_below_only(regions):
    _history(regions["village"])
    _sell(regions["town"], datetime.date(2024, 7, 10), "60000.00")
    # Butuo's spike, and its sales in Zhaojue's history months, are none of Zhaojue's business.
    _history(regions["butuo"], ("900000.00",) * 6)
    _sell(regions["butuo"], datetime.date(2024, 7, 10), "1.00")
    _sell(regions["butuo"], datetime.date(2024, 6, 10), "1.00")

    assert len(sales_spike(region=regions["zhaojue"], month=JULY)) == 1
    assert sales_spike(region=regions["butuo"], month=JULY) == []


def test_one_query_whatever_the_number_of_sales(regions, django_assert_max_num_queries):
    Sale.objects.bulk_create(
        Sale(
            source="bulk",
            external_id=f"b-{n}",
            sold_on=datetime.date(2024, n % 7 + 1, n % 28 + 1),
            origin_region=regions["village" if n % 3 else "butuo"],
            channel="hall",
            buyer_kind="enterprise",
            amount=Decimal("100.00") * (50 if n % 7 == 6 else 1),
        )
        for n in range(700)
    )
    with django_assert_max_num_queries(1):
        messages = sales_spike(region=regions["zhaojue"], month=JULY)
    assert len(messages) == 1
