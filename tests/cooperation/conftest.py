"""Fixtures of the programme core's tests."""

import pytest

from tests.cooperation.locking import lock_world


@pytest.fixture
def pair(db):
    """The locked-month tests' world: (county, the other county, an eastern city)."""
    return lock_world()
