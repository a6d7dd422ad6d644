"""The dashboard page's own reads: the region and year selectors."""

import datetime

import pytest

from dashboard import selectors


@pytest.mark.django_db
class TestDashboardChoices:
    def test_region_lookup_prefers_the_division_code(self, regions):
        assert selectors.region_lookup("513431") == regions["zhaojue"]
        assert selectors.region_lookup(str(regions["butuo"].pk)) == regions["butuo"]
        assert selectors.region_lookup("999999999999") is None

    def test_years_run_from_the_first_pairing(self, regions):
        from tests.factories import PairingFactory

        PairingFactory(
            east_region=regions["yuyao"], west_region=regions["zhaojue"], started_on=datetime.date(2021, 6, 1)
        )
        assert selectors.dashboard_years(datetime.date(2024, 3, 1)) == [2025, 2024, 2023, 2022, 2021]


@pytest.mark.django_db
def test_years_are_those_with_data_and_the_page_opens_on_the_latest(regions):
    from tests.consumption.factories import SaleFactory
    from tests.factories import TargetFactory

    TargetFactory(year=2022, indicator="talent.cadres", value=1)
    SaleFactory(sold_on=datetime.date(2024, 5, 1))
    years = selectors.dashboard_years(datetime.date(2026, 12, 1))
    assert years == [2024, 2023, 2022]
    assert selectors.dashboard_default_year(years, datetime.date(2026, 12, 1)) == 2024
    assert selectors.dashboard_default_year(years, datetime.date(2023, 6, 1)) == 2023
