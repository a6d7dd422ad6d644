"""Checks that the precomputed figures equal the records (issue 13), shared by the tests."""

from cooperation.models import Region
from indicators import figures
from indicators.registry import INDICATORS
from indicators.rollup import indicator_by_child, kept_by_child, rollup_children
from indicators.selectors import indicator_breakdowns, indicator_trends, indicator_values


def live_values(*, year, region):
    return {indicator.key: indicator.value(year=year, region=region) for indicator in INDICATORS}


def live_trends(*, year, region):
    return {
        indicator.key: (list(indicator.trend.compute(year=year, region=region)) + [0] * 12)[:12]
        for indicator in INDICATORS
        if indicator.trend is not None
    }


def live_breakdowns(*, year, region):
    return {
        breakdown.name: [
            (item.get(breakdown.code_field), item.get(breakdown.value_field))
            for item in breakdown.compute(year=year, region=region)
        ]
        for indicator in INDICATORS
        for breakdown in indicator.breakdowns
    }


def kept_values(*, year, region):
    return {row["key"]: row["value"] for row in indicator_values(year=year, region=region)}


def kept_trends(*, year, region):
    return {
        trend["key"]: trend["months"] if not trend["cumulative"] else _flows(trend["months"])
        for trend in indicator_trends(year=year, region=region, targets={})
    }


def _flows(running):
    return [value - (running[index - 1] if index else 0) for index, value in enumerate(running)]


def kept_breakdowns(*, year, region):
    return {
        b["name"]: [(row["code"], row["value"]) for row in b["rows"]]
        for b in indicator_breakdowns(year=year, region=region)
    }


def mismatches(*, years, areas=None, rollup_areas=None) -> list:
    """Every figure (value, trend month, breakdown row) where the kept figures differ from the
    records, over ``years`` and ``areas`` (default: the programme and every region), and every
    roll-up cell of ``rollup_areas`` (default: ``areas``)."""
    assert all(figures.is_kept(year) for year in years), "the years checked must be kept"
    if areas is None:
        areas = [None, *Region.objects.order_by("code")]
    if rollup_areas is None:
        rollup_areas = areas
    found = []
    for year in years:
        for area in areas:
            for name, live, kept in (
                ("value", live_values, kept_values),
                ("trend", live_trends, kept_trends),
                ("breakdown", live_breakdowns, kept_breakdowns),
            ):
                expected, got = live(year=year, region=area), kept(year=year, region=area)
                if expected != got:
                    found.append((name, year, area, expected, got))
            children = rollup_children(area) if area in rollup_areas else []
            if children:
                kept = kept_by_child(year=year, area=area, children=children)
                for indicator in INDICATORS:
                    expected = indicator_by_child(indicator, year=year, area=area, children=children)
                    if expected != kept[indicator.key]:
                        found.append(("rollup", year, area, indicator.key, expected, kept[indicator.key]))
    return found
