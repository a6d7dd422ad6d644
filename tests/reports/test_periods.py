"""Report periods: valid first days, ends, and the period the schedule reports on."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from reports.periods import period_end, previous_period_start, validate_period_start

D = datetime.date


@pytest.mark.parametrize(
    "kind, start, end",
    [
        ("monthly", D(2024, 2, 1), D(2024, 2, 29)),
        ("monthly", D(2023, 12, 1), D(2023, 12, 31)),
        ("quarterly", D(2023, 10, 1), D(2023, 12, 31)),
        ("quarterly", D(2024, 4, 1), D(2024, 6, 30)),
        ("annual", D(2023, 1, 1), D(2023, 12, 31)),
    ],
)
def test_period_end(kind, start, end):
    validate_period_start(kind, start)
    assert period_end(kind, start) == end


@pytest.mark.parametrize(
    "kind, start",
    [
        ("monthly", D(2024, 2, 2)),
        ("quarterly", D(2024, 2, 1)),
        ("quarterly", D(2024, 4, 2)),
        ("annual", D(2024, 4, 1)),
        ("annual", D(1999, 1, 1)),
        ("monthly", D(9999, 12, 1)),
    ],
)
def test_bad_period_start_names_the_field(kind, start):
    with pytest.raises(ValidationError) as error:
        validate_period_start(kind, start)
    assert "period_start" in error.value.message_dict


@pytest.mark.parametrize(
    "kind, today, start",
    [
        ("monthly", D(2024, 3, 1), D(2024, 2, 1)),
        ("monthly", D(2024, 1, 1), D(2023, 12, 1)),
        ("quarterly", D(2024, 4, 1), D(2024, 1, 1)),
        ("quarterly", D(2024, 1, 1), D(2023, 10, 1)),
        ("quarterly", D(2024, 5, 17), D(2024, 1, 1)),
        ("annual", D(2024, 1, 1), D(2023, 1, 1)),
    ],
)
def test_previous_period(kind, today, start):
    assert previous_period_start(kind, today) == start
