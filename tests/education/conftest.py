"""Fixtures of the education tests: schools placed in the shared region tree."""

import pytest

from tests.factories import OrganizationFactory


@pytest.fixture
def schools(regions):
    """An eastern vocational school, two schools in Zhaojue (county and town) and one in Butuo."""
    return {
        "yuyao": OrganizationFactory(region=regions["yuyao"], kind="school", name="余姚市技师学院"),
        "zhaojue": OrganizationFactory(region=regions["zhaojue"], kind="school", name="昭觉民族中学"),
        "town": OrganizationFactory(region=regions["town"], kind="school", name="三岔河镇中心校"),
        "butuo": OrganizationFactory(region=regions["butuo"], kind="school", name="布拖县中学"),
    }
