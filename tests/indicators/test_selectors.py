"""The indicators' composition: completion, pace, the indicator rows, trends and breakdowns."""

import datetime
from decimal import Decimal

import pytest

from indicators import selectors
from indicators.formatting import figure_display, money_display
from indicators.registry import INDICATORS
from tests.factories import SecondmentFactory, TargetFactory


@pytest.mark.parametrize(
    "value, target, expected",
    [
        (3, 4, Decimal("0.7500")),
        (1, 3, Decimal("0.3333")),
        (2, 3, Decimal("0.6667")),
        (1, 20000, Decimal("0.0001")),  # 0.00005: half-up, not half-even
        (Decimal("77590000.00"), Decimal("70000000.00"), Decimal("1.1084")),
        (5, None, None),
        (5, 0, None),
        (None, 10, None),
    ],
)
def test_completion_rounds_half_up_to_four_places(value, target, expected):
    assert selectors.completion(value, target) == expected


@pytest.mark.parametrize(
    "year, today, months",
    [
        (2023, datetime.date(2024, 5, 20), 12),
        (2024, datetime.date(2024, 5, 20), 4),
        (2025, datetime.date(2024, 5, 20), 0),
    ],
)
def test_months_elapsed(year, today, months):
    assert selectors.months_elapsed(year, today) == months


@pytest.mark.parametrize(
    "value, target, months, status",
    [
        (10, 10, 3, "done"),
        (3, 10, 3, "on_pace"),  # pace 2.5
        (2, 10, 3, "lagging"),
        (0, 10, 0, "on_pace"),  # January: nothing is due yet
        (9, 10, 12, "lagging"),  # a past year needs the full target
        (5, None, 6, "no_target"),
    ],
)
def test_pace_status(value, target, months, status):
    assert selectors.pace_status(value, target, months)[0] == status


def test_money_reads_in_wan_and_yi():
    assert money_display(Decimal("67270000.00")) == (Decimal("6727.00"), "万元")
    assert money_display(Decimal("246000000.00")) == (Decimal("2.46"), "亿元")
    assert figure_display(Decimal("43390000"), money=True) == "4,339.00 万元"
    assert figure_display(12813, money=False, unit_label="人次") == "12,813 人次"


@pytest.mark.django_db
class TestIndicatorRows:
    def test_rows_follow_the_registry_with_exact_targets(self, regions):
        SecondmentFactory.create_batch(2, region=regions["zhaojue"])
        SecondmentFactory(region=regions["butuo"])
        SecondmentFactory(region=regions["village"], kind="professional")  # not a cadre
        SecondmentFactory(
            region=regions["town"], ended_on=datetime.date(2023, 1, 1), started_on=datetime.date(2022, 1, 1)
        )
        TargetFactory(year=2023, indicator="talent.cadres", value=8, region=None)
        TargetFactory(year=2023, indicator="talent.cadres", value=2, region=regions["zhaojue"])

        rows = selectors.indicator_values(year=2023, region=None)
        assert [row["key"] for row in rows] == [indicator.key for indicator in INDICATORS]
        cadres = next(row for row in rows if row["key"] == "talent.cadres")
        assert (cadres["value"], cadres["target"], cadres["completion"]) == (4, 8, Decimal("0.5000"))

        zhaojue = next(
            r for r in selectors.indicator_values(year=2023, region=regions["zhaojue"]) if r["key"] == "talent.cadres"
        )
        assert (zhaojue["value"], zhaojue["target"], zhaojue["completion"]) == (3, 2, Decimal("1.5000"))

        # No fall-back: Butuo has no target of its own.
        butuo = next(
            r for r in selectors.indicator_values(year=2023, region=regions["butuo"]) if r["key"] == "talent.cadres"
        )
        assert (butuo["value"], butuo["target"], butuo["completion"]) == (1, None, None)

    def test_pace_rows_mark_the_lagging(self, regions):
        SecondmentFactory(region=regions["zhaojue"])
        TargetFactory(year=2023, indicator="talent.cadres", value=5)
        rows = selectors.indicator_rows(year=2023, region=None, today=datetime.date(2024, 2, 1))
        cadres = next(row for row in rows if row["key"] == "talent.cadres")
        assert cadres["status"] == "lagging" and cadres["pace"] == Decimal("5.00")
        rows = selectors.indicator_rows(year=2023, region=None, today=datetime.date(2023, 3, 15))
        cadres = next(row for row in rows if row["key"] == "talent.cadres")
        assert cadres["status"] == "on_pace"  # two months gone by: pace 0.83

    def test_every_declared_trend_and_breakdown_is_listed(self, regions):
        trends = selectors.indicator_trends(year=2023, region=None)
        assert [t["key"] for t in trends] == [i.key for i in INDICATORS if i.trend]
        assert all(len(trend["months"]) == 12 for trend in trends)
        breakdowns = selectors.indicator_breakdowns(year=2023, region=None)
        assert [b["name"] for b in breakdowns] == [b.name for i in INDICATORS for b in i.breakdowns]


@pytest.mark.django_db
def test_only_flows_get_a_pace_line(regions):
    for indicator in INDICATORS:
        if indicator.trend:
            TargetFactory(year=2023, indicator=indicator.key, value=1200)
    trends = {t["key"]: t for t in selectors.indicator_trends(year=2023, region=None)}
    assert trends["labor.employed"]["pace"] is None  # people employed in a month: a stock
    assert trends["consumption.sales"]["pace"][-1] == Decimal("1200.00")


def test_money_reads_in_millions_in_english():
    from django.utils import translation

    with translation.override("en"):
        assert figure_display(Decimal("76013600.00"), money=True) == "76.01 million yuan"
