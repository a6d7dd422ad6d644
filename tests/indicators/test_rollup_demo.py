"""The roll-up on the demo data: each child's value is the indicator's value for that child.

Its own module: the demo data stay loaded (in one rolled-back transaction) for the module.
"""

import pytest

from cooperation.models import Region
from tests.indicators.rollup_data import YEARS
from tests.indicators.test_rollup import check_children


@pytest.mark.slow
@pytest.mark.parametrize("year", YEARS)
def test_demo_children_values_equal_each_childs_indicator(demo, db, year):
    liangshan = Region.objects.get(code="513400")
    result = check_children(year=year, area=liangshan)
    assert "513431" in [child.code for child in result["children"]]
    check_children(year=year, area=Region.objects.get(code="513431"))
    check_children(year=year, area=None)
