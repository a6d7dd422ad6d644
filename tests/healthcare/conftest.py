"""Fixtures of the healthcare tests: hospitals placed in the shared region tree."""

import pytest

from tests.factories import OrganizationFactory


@pytest.fixture
def hospitals(regions):
    """An eastern hospital, two in Zhaojue (county and town level) and one in Butuo."""
    return {
        "yuyao": OrganizationFactory(region=regions["yuyao"], kind="hospital", name="余姚市人民医院"),
        "zhaojue": OrganizationFactory(region=regions["zhaojue"], kind="hospital", name="昭觉县人民医院"),
        "town": OrganizationFactory(region=regions["town"], kind="hospital", name="三岔河镇卫生院"),
        "butuo": OrganizationFactory(region=regions["butuo"], kind="hospital", name="布拖县人民医院"),
    }
