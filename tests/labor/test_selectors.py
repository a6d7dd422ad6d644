"""The ``labor.*`` indicators and the dashboard's series: distinct people, overlap, region."""

import datetime

import pytest

from labor import selectors
from tests.labor.factories import PlacementFactory, WorkerFactory

D = datetime.date


@pytest.fixture
def people(regions):
    """Workers from Zhaojue (village), Zhaojue (county) and Butuo."""
    return {
        "village": WorkerFactory(hometown=regions["village"], poverty_alleviated=True),
        "county": WorkerFactory(hometown=regions["zhaojue"]),
        "butuo": WorkerFactory(hometown=regions["butuo"], poverty_alleviated=True),
    }


@pytest.mark.django_db
class TestLaborIndicators:
    def test_boundary_days(self, people):
        PlacementFactory(worker=people["village"], started_on=D(2023, 12, 31), ended_on=D(2024, 2, 1))
        PlacementFactory(worker=people["county"], started_on=D(2022, 3, 1), ended_on=D(2023, 1, 1))
        PlacementFactory(worker=people["butuo"], started_on=D(2022, 3, 1), ended_on=D(2022, 12, 31))
        assert selectors.labor_employed(year=2023) == 2
        assert selectors.labor_employed(year=2022) == 2
        assert selectors.labor_employed(year=2024) == 1
        assert selectors.labor_employed(year=2021) == 0

    def test_open_ended_placement_counts_every_later_year(self, people):
        PlacementFactory(worker=people["county"], started_on=D(2021, 6, 1), ended_on=None)
        assert [selectors.labor_employed(year=y) for y in (2020, 2021, 2022, 2030)] == [0, 1, 1, 1]

    def test_several_placements_count_once(self, people):
        worker = people["village"]
        PlacementFactory(worker=worker, destination="east", started_on=D(2023, 1, 1), ended_on=D(2023, 3, 31))
        PlacementFactory(worker=worker, destination="east", started_on=D(2023, 5, 1), ended_on=D(2023, 9, 30))
        PlacementFactory(worker=worker, destination="outworker", started_on=D(2023, 2, 1), ended_on=None)
        assert selectors.labor_employed(year=2023) == 1
        assert selectors.labor_employed_east(year=2023) == 1
        assert selectors.labor_employed_poverty_alleviated(year=2023) == 1

    def test_poverty_alleviated_and_east_subsets(self, people):
        PlacementFactory(worker=people["village"], destination="local", started_on=D(2023, 1, 1))
        PlacementFactory(worker=people["county"], destination="east", started_on=D(2023, 1, 1))
        PlacementFactory(worker=people["butuo"], destination="east", started_on=D(2023, 1, 1))
        assert selectors.labor_employed(year=2023) == 3
        assert selectors.labor_employed_poverty_alleviated(year=2023) == 2
        assert selectors.labor_employed_east(year=2023) == 2

    def test_region_filter_on_hometown_subtree(self, people, regions):
        for worker in people.values():
            PlacementFactory(worker=worker, destination="east", started_on=D(2023, 1, 1))
        assert selectors.labor_employed(year=2023, region=regions["zhaojue"]) == 2
        assert selectors.labor_employed(year=2023, region=regions["town"]) == 1
        assert selectors.labor_employed(year=2023, region=regions["butuo"]) == 1
        assert selectors.labor_employed(year=2023, region=regions["liangshan"]) == 3
        assert selectors.labor_employed_poverty_alleviated(year=2023, region=regions["zhaojue"]) == 1
        assert selectors.labor_employed_east(year=2023, region=regions["yuyao"]) == 0

    def test_other_years_do_not_count(self, people):
        PlacementFactory(worker=people["county"], started_on=D(2019, 1, 1), ended_on=D(2020, 12, 31))
        PlacementFactory(worker=people["village"], started_on=D(2024, 1, 1))
        assert selectors.labor_employed(year=2023) == 0

    def test_registry_computes_through_these_selectors(self, people):
        from indicators.registry import get_indicator

        PlacementFactory(worker=people["county"], destination="east", started_on=D(2023, 1, 1))
        assert get_indicator("labor.employed").compute(year=2023) == 1
        assert get_indicator("labor.employed_east").compute(year=2023) == 1
        assert get_indicator("labor.employed_poverty_alleviated").compute(year=2023) == 0


@pytest.mark.django_db
class TestDashboardSeries:
    def test_by_destination(self, people, regions):
        PlacementFactory(worker=people["village"], destination="east", started_on=D(2023, 1, 1), ended_on=D(2023, 2, 1))
        PlacementFactory(worker=people["village"], destination="east", started_on=D(2023, 3, 1), ended_on=D(2023, 4, 1))
        PlacementFactory(worker=people["village"], destination="outworker", started_on=D(2023, 1, 1))
        PlacementFactory(worker=people["butuo"], destination="workshop", started_on=D(2022, 1, 1))
        rows = selectors.placements_by_destination(year=2023)
        assert [row["destination"] for row in rows] == ["east", "local", "workshop", "outworker", "other"]
        assert {row["destination"]: row["workers"] for row in rows} == {
            "east": 1,
            "local": 0,
            "workshop": 1,
            "outworker": 1,
            "other": 0,
        }
        assert all(isinstance(row["label"], str) and row["label"] for row in rows)
        in_zhaojue = selectors.placements_by_destination(year=2023, region=regions["zhaojue"])
        assert {row["destination"]: row["workers"] for row in in_zhaojue}["workshop"] == 0

    def test_by_month_in_one_query(self, people, django_assert_num_queries):
        PlacementFactory(worker=people["village"], started_on=D(2022, 6, 1), ended_on=D(2023, 2, 1))
        PlacementFactory(worker=people["village"], destination="outworker", started_on=D(2023, 1, 15))
        PlacementFactory(worker=people["county"], started_on=D(2023, 3, 31), ended_on=D(2023, 5, 1))
        PlacementFactory(worker=people["butuo"], started_on=D(2023, 12, 31))
        with django_assert_num_queries(1):
            months = selectors.labor_employed_by_month(year=2023)
        assert months == [1, 1, 2, 2, 2, 1, 1, 1, 1, 1, 1, 2]

    def test_by_month_region(self, people, regions):
        PlacementFactory(worker=people["butuo"], started_on=D(2023, 1, 1))
        assert selectors.labor_employed_by_month(year=2023, region=regions["zhaojue"]) == [0] * 12
        assert selectors.labor_employed_by_month(year=2023, region=regions["butuo"]) == [1] * 12
