"""Healthcare's indicators on hand-made data (boundary days, region filter)."""

import datetime

import pytest

from healthcare import selectors
from healthcare.models import MedicalServiceStat
from indicators import registry as indicators
from tests.healthcare.factories import MedicalDispatchFactory

D = datetime.date


@pytest.fixture
def stats(hospitals):
    rows = [
        ("zhaojue", D(2022, 12, 1), 9000, 900, 90),  # the month before: not in 2023
        ("zhaojue", D(2023, 1, 1), 1000, 60, 20),
        ("zhaojue", D(2023, 12, 1), 2000, 70, 30),
        ("town", D(2023, 1, 1), 300, 3, 1),
        ("butuo", D(2023, 6, 1), 50, 5, 5),
        ("zhaojue", D(2024, 1, 1), 7000, 700, 70),  # the month after
    ]
    for key, month, outpatients, surgeries, rescues in rows:
        MedicalServiceStat.objects.create(
            host_org=hospitals[key], month=month, outpatients=outpatients, surgeries=surgeries, rescues=rescues
        )


@pytest.mark.django_db
class TestServiceFigures:
    def test_sums_over_the_months_of_the_year(self, stats):
        assert selectors.healthcare_outpatients(year=2023) == 3350
        assert selectors.healthcare_surgeries(year=2023) == 138
        assert selectors.healthcare_rescues(year=2023) == 56

    def test_region_is_the_hospitals_and_below(self, stats, regions):
        assert selectors.healthcare_outpatients(year=2023, region=regions["zhaojue"]) == 3300
        assert selectors.healthcare_outpatients(year=2023, region=regions["town"]) == 300
        assert selectors.healthcare_outpatients(year=2023, region=regions["butuo"]) == 50
        assert selectors.healthcare_outpatients(year=2023, region=regions["sichuan"]) == 3350
        assert selectors.healthcare_surgeries(year=2023, region=regions["village"]) == 0

    def test_no_data_is_zero(self, db):
        assert selectors.healthcare_outpatients(year=2023) == 0
        assert selectors.healthcare_rescues(year=2023) == 0
        assert selectors.healthcare_outpatients_by_month(year=2023) == [0] * 12

    def test_by_month(self, stats, regions):
        assert selectors.healthcare_outpatients_by_month(year=2023) == [1300, 0, 0, 0, 0, 50, 0, 0, 0, 0, 0, 2000]
        zhaojue = selectors.healthcare_outpatients_by_month(year=2023, region=regions["zhaojue"])
        assert zhaojue == [1300] + [0] * 10 + [2000]
        assert sum(zhaojue) == selectors.healthcare_outpatients(year=2023, region=regions["zhaojue"])


@pytest.mark.django_db
class TestStaffDispatched:
    def test_records_overlapping_the_year_by_host_region(self, hospitals, regions):
        east = hospitals["yuyao"]
        MedicalDispatchFactory(source_org=east, host_org=hospitals["zhaojue"], started_on=D(2023, 12, 31))
        MedicalDispatchFactory(
            source_org=east, host_org=hospitals["town"], started_on=D(2022, 1, 1), ended_on=D(2023, 1, 1)
        )
        MedicalDispatchFactory(
            source_org=east, host_org=hospitals["butuo"], started_on=D(2022, 1, 1), ended_on=D(2022, 12, 31)
        )
        MedicalDispatchFactory(source_org=east, host_org=hospitals["butuo"], started_on=D(2024, 1, 1))
        assert selectors.healthcare_staff_dispatched(year=2023) == 2
        assert selectors.healthcare_staff_dispatched(year=2023, region=regions["town"]) == 1
        assert selectors.healthcare_staff_dispatched(year=2023, region=regions["butuo"]) == 0
        assert selectors.healthcare_staff_dispatched(year=2022) == 2


@pytest.mark.django_db
def test_the_registry_computes_every_healthcare_indicator(stats):
    mine = [i for i in indicators.INDICATORS if i.key.startswith("healthcare.")]
    assert {i.key for i in mine} == {
        "healthcare.staff_dispatched",
        "healthcare.outpatients",
        "healthcare.surgeries",
        "healthcare.rescues",
    }
    values = {i.key: i.compute(year=2023) for i in mine}
    assert values == {
        "healthcare.staff_dispatched": 0,
        "healthcare.outpatients": 3350,
        "healthcare.surgeries": 138,
        "healthcare.rescues": 56,
    }
