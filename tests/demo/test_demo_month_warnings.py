"""The demo data are those of a well-run programme: after ``seed_demo`` no month of a demo county
carries a warning (CONTRACT.md 1.1, ``warnings``), from January 2023 to the current month.

A month with warnings is submitted only with a comment, so an API client that knows only the
contract (create the month, submit it) would be refused on the demo data otherwise. Since the
portal is used years after the report, the months after the demo's records count too: a project
left "in progress" or a medical team left without an end date would warn in each of them.

The demo data are loaded once for the module (inside a transaction rolled back at the end);
each test runs in a savepoint inside it.
"""

import datetime

import pytest

from cooperation.models import Region
from cooperation.month_checks import month_warnings

pytestmark = pytest.mark.slow

FIRST_MONTH = datetime.date(2023, 1, 1)
# The demo's western counties: Zhaojue, the second pair's fictitious county, and the counties
# that only sell products to the east (consumption.sales of Sichuan).
COUNTIES = ["513431", "513499", "513429", "513432", "513436"]


@pytest.fixture
def seeded(demo, db):
    return None


def _months() -> list[datetime.date]:
    """January 2023 to the current month, and at least to December 2024."""
    today = datetime.date.today()
    last = max((today.year, today.month), (2024, 12))
    months, (year, month) = [], (FIRST_MONTH.year, FIRST_MONTH.month)
    while (year, month) <= last:
        months.append(datetime.date(year, month, 1))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def test_the_counties_are_every_western_county_of_the_demo(seeded):
    assert sorted(Region.objects.filter(level="county", side="west").values_list("code", flat=True)) == sorted(COUNTIES)


@pytest.mark.parametrize("code", COUNTIES)
def test_no_month_of_a_demo_county_has_warnings(seeded, code):
    county = Region.objects.get(code=code)
    found = {}
    for month in _months():
        if warnings := month_warnings(region=county, month=month):
            found[f"{month:%Y-%m}"] = warnings
    assert found == {}


@pytest.mark.parametrize(("code", "month"), [("513431", "2023-12-01"), ("513499", "2024-03-01")])
def test_a_client_submits_a_demo_month_without_a_comment(seeded, api_client_for, code, month):
    """What a client of the contract does: create the month and submit it, no comment given."""
    client = api_client_for("staff")
    county = Region.objects.get(code=code)
    created = client.post("/api/v1/submissions/", {"region": county.pk, "month": month}, format="json")
    assert created.status_code == 201, created.json()
    submitted = client.post(f"/api/v1/submissions/{created.json()['id']}/submit/", {}, format="json")
    assert submitted.status_code == 200, submitted.json()
    assert (submitted.json()["status"], submitted.json()["warnings"]) == ("submitted", [])
