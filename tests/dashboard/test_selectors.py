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
