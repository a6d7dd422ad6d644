"""The roll-up (indicators.rollup): each child region's value is the indicator's own value for
that child, read with one query per indicator however many children; targets compared."""

import random

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cooperation.scopes import scope_of
from indicators import rollup
from indicators.registry import INDICATORS
from tests.factories import RegionFactory, TargetFactory
from tests.indicators.rollup_data import YEARS, counties, populate


def check_children(*, year, area, children=None):
    """Every child's value of the roll-up equals ``indicator.value(year, child)``, and the
    children with what lies in no child add up to the area's own value."""
    result = rollup.indicator_rollup(year=year, area=area, children=children)
    assert result["children"], "nothing to check"
    for indicator, row in zip(INDICATORS, result["rows"], strict=True):
        assert row["key"] == indicator.key
        for cell in row["cells"]:
            expected = indicator.value(year=year, region=cell["region"])
            assert cell["value"] == expected, (indicator.key, year, cell["region"].code, cell["value"], expected)
        if indicator.additive:
            total = sum(cell["value"] for cell in row["cells"]) + row["rest"]
            assert total == indicator.value(year=year, region=area), (indicator.key, year, area)
    return result


@pytest.mark.django_db
@pytest.mark.parametrize("seed", [3, 4])
def test_random_children_values_equal_each_childs_indicator(regions, seed):
    rng = random.Random(seed)
    liangshan = regions["liangshan"]
    more = counties(liangshan, 3, start=90)
    towns = [
        RegionFactory(name=f"Town {i}", code=f"513431{i:03d}", level="town", side="west", parent=regions["zhaojue"])
        for i in (201, 202)
    ]
    # Records in the counties, in towns and villages below them, and at the prefecture itself.
    places = [regions["zhaojue"], regions["butuo"], regions["town"], regions["village"], liangshan, *more, *towns]
    populate(rng, places, rounds=8)
    for year in YEARS:
        liangshan_rollup = check_children(year=year, area=liangshan)
        assert [child.code for child in liangshan_rollup["children"]] == sorted(
            ["513431", "513429", *(county.code for county in more)]
        )
        check_children(year=year, area=regions["zhaojue"])  # towns (9-digit prefixes)
        check_children(year=year, area=regions["sichuan"])  # prefectures (4-digit prefixes)
        check_children(year=year, area=None)  # the western provinces, the schoolless training aside


@pytest.mark.django_db
def test_a_scope_of_regions_of_different_levels(regions, scoped_user):
    """A scope's regions are told apart by their own prefixes (a county and another county's town)."""
    rng = random.Random(7)
    butuo_town = RegionFactory(name="拖觉镇", code="513429101", level="town", side="west", parent=regions["butuo"])
    populate(rng, [regions["zhaojue"], regions["village"], regions["butuo"], butuo_town], rounds=8)
    user = scoped_user("official", regions["zhaojue"], butuo_town)
    scope = scope_of(user)
    assert [child.code for child in rollup.rollup_children(scope)] == ["513429101", "513431"]
    for year in YEARS:
        check_children(year=year, area=scope)


@pytest.mark.django_db
class TestTargetConsistency:
    def _row(self, area, key="talent.cadres"):
        result = rollup.indicator_rollup(year=2023, area=area)
        return next(row for row in result["rows"] if row["key"] == key)

    def test_children_targets_that_do_not_add_up_are_flagged(self, regions):
        TargetFactory(year=2023, indicator="talent.cadres", value=10, region=regions["liangshan"])
        TargetFactory(year=2023, indicator="talent.cadres", value=4, region=regions["zhaojue"])
        TargetFactory(year=2023, indicator="talent.cadres", value=3, region=regions["butuo"])
        row = self._row(regions["liangshan"])
        assert row["parent_target"] == 10 and row["children_targets"] == 7 and row["targets_differ"] is True
        assert [cell["target"] for cell in row["cells"]] == [3, 4]  # Butuo 513429, Zhaojue 513431

    def test_targets_that_add_up_are_not_flagged(self, regions):
        TargetFactory(year=2023, indicator="funds.allocated", value="1000000.00", region=regions["liangshan"])
        TargetFactory(year=2023, indicator="funds.allocated", value="400000.00", region=regions["zhaojue"])
        TargetFactory(year=2023, indicator="funds.allocated", value="600000", region=regions["butuo"])
        row = self._row(regions["liangshan"], "funds.allocated")
        assert row["children_targets"] == row["parent_target"] and row["targets_differ"] is False

    def test_a_missing_side_is_not_a_mismatch(self, regions):
        TargetFactory(year=2023, indicator="talent.cadres", value=10, region=regions["liangshan"])
        assert self._row(regions["liangshan"])["targets_differ"] is False  # no child has one
        TargetFactory(year=2023, indicator="talent.cadres", value=4, region=regions["zhaojue"])
        TargetFactory(year=2022, indicator="talent.cadres", value=4, region=regions["butuo"])  # another year
        row = self._row(regions["liangshan"])
        assert row["children_targets"] == 4 and row["targets_differ"] is True
        TargetFactory(year=2023, indicator="talent.cadres", value=4, region=regions["butuo"])
        assert self._row(regions["sichuan"])["targets_differ"] is False  # Sichuan has no target

    def test_the_programme_compares_with_its_programme_wide_target(self, regions):
        TargetFactory(year=2023, indicator="talent.cadres", value=10)
        TargetFactory(year=2023, indicator="talent.cadres", value=9, region=regions["sichuan"])
        row = self._row(None)
        assert row["parent_target"] == 10 and row["children_targets"] == 9 and row["targets_differ"] is True

    def test_a_non_additive_indicator_is_never_flagged(self, regions, monkeypatch):
        import dataclasses

        indicators = tuple(
            dataclasses.replace(i, additive=False) if i.key == "talent.cadres" else i for i in INDICATORS
        )
        monkeypatch.setattr(rollup, "INDICATORS", indicators)
        TargetFactory(year=2023, indicator="talent.cadres", value=10, region=regions["liangshan"])
        TargetFactory(year=2023, indicator="talent.cadres", value=4, region=regions["zhaojue"])
        assert self._row(regions["liangshan"])["targets_differ"] is False

    def test_pace_status_of_each_child(self, regions):
        from tests.factories import SecondmentFactory

        SecondmentFactory.create_batch(2, region=regions["zhaojue"])
        SecondmentFactory(region=regions["butuo"])
        TargetFactory(year=2023, indicator="talent.cadres", value=2, region=regions["zhaojue"])
        TargetFactory(year=2023, indicator="talent.cadres", value=4, region=regions["butuo"])
        cells = {cell["region"].code: cell for cell in self._row(regions["liangshan"])["cells"]}
        assert cells["513431"]["status"] == "done" and cells["513431"]["completion"] == 1
        assert cells["513429"]["status"] == "lagging" and str(cells["513429"]["completion"]) == "0.2500"


@pytest.mark.django_db
@pytest.mark.parametrize("kept", [True, False], ids=["kept", "not-kept"])
@pytest.mark.parametrize("size", [2, 10])
def test_queries_do_not_grow_with_the_children(regions, size, kept):
    from indicators.models import Figure, FigureYear

    if not kept:  # the year's figures are computed from the records
        FigureYear.objects.filter(year=2023).delete()
        Figure.objects.filter(year=2023).delete()
    prefecture = RegionFactory(name="Prefecture", code="519900", level="prefecture", side="west",
                               parent=regions["sichuan"])  # fmt: skip
    children = counties(prefecture, size)
    populate(random.Random(size), children, rounds=size)
    for child in children:
        TargetFactory(year=2023, indicator="talent.cadres", value=1, region=child)
    with CaptureQueriesContext(connection) as queries:
        result = rollup.indicator_rollup(year=2023, area=prefecture)
    assert len(result["children"]) == size
    # The children, their targets, the prefecture's own targets, whether the year is kept,
    # then one for every indicator's precomputed figures, or one per indicator.
    expected = 3 + 1 + (1 if kept else len(INDICATORS))
    assert len(queries) == expected, [q["sql"] for q in queries.captured_queries]


@pytest.mark.django_db
def test_a_region_without_children_has_no_rollup(regions):
    with CaptureQueriesContext(connection) as queries:
        assert rollup.indicator_rollup(year=2023, area=regions["village"]) == {"children": [], "rows": []}
    assert len(queries) == 1  # only the children


@pytest.mark.django_db
def test_an_eastern_region_has_no_rollup(regions):
    assert rollup.rollup_children(regions["ningbo"]) == []
    assert [r.code for r in rollup.rollup_children(None)] == ["510000"]


@pytest.mark.django_db
def test_empty_provinces_are_left_out_of_the_programme(regions):
    from tests.factories import SecondmentFactory

    empty = RegionFactory(name="Empty province", code="520000", level="province", side="west")
    SecondmentFactory(region=regions["zhaojue"])
    result = rollup.indicator_rollup(year=2023, area=None)
    assert empty in result["children"]
    trimmed = rollup.without_empty_children(result)
    assert [child.code for child in trimmed["children"]] == ["510000"]
    assert all(len(row["cells"]) == 1 for row in trimmed["rows"])
    TargetFactory(year=2023, indicator="talent.cadres", value=1, region=empty)  # a target keeps it
    assert empty in rollup.without_empty_children(rollup.indicator_rollup(year=2023, area=None))["children"]
