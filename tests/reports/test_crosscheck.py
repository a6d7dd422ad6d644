"""``GET /api/v1/cross-check/?year=Y&region=R`` (CONTRACT.md 1.1): every indicator in registry
order, the recorded value (the summary's) against both sides' declarations, and the status."""

import datetime
from decimal import Decimal

import pytest

from indicators.registry import INDICATORS
from reports.crosscheck import crosscheck_rows, crosscheck_status
from tests.consumption.factories import SaleFactory
from tests.factories import PairingFactory, SecondmentFactory
from tests.reports.factories import DeclarationFactory

URL = "/api/v1/cross-check/"
SUMMARY = "/api/v1/dashboard/summary/"
pytestmark = pytest.mark.django_db


def _row(body, key):
    return next(row for row in body["rows"] if row["key"] == key)


@pytest.fixture
def data(regions):
    """Zhaojue 2023: 2 cadres (one in its village) and 1,234.50 yuan of sales; declarations:
    cadres agreed by both sides, sales differing on the west's, funds declared by the east only."""
    zhaojue = regions["zhaojue"]
    SecondmentFactory(region=zhaojue, started_on=datetime.date(2023, 3, 1))
    SecondmentFactory(region=regions["village"], started_on=datetime.date(2023, 5, 1))
    SecondmentFactory(region=regions["butuo"], started_on=datetime.date(2023, 5, 1))
    SaleFactory(origin_region=zhaojue, amount=Decimal("1000.00"))
    SaleFactory(origin_region=regions["town"], amount=Decimal("234.50"))
    for side in ("east", "west"):
        DeclarationFactory(year=2023, region=zhaojue, indicator="talent.cadres", side=side, value=2)
    DeclarationFactory(year=2023, region=zhaojue, indicator="consumption.sales", side="east", value="1234.50")
    DeclarationFactory(year=2023, region=zhaojue, indicator="consumption.sales", side="west", value="1200")
    DeclarationFactory(year=2023, region=zhaojue, indicator="funds.allocated", side="east", value=0)
    # Not this cross-check's: another year, another region.
    DeclarationFactory(year=2022, region=zhaojue, indicator="projects.count", side="east", value=1)
    DeclarationFactory(year=2023, region=regions["butuo"], indicator="projects.count", side="west", value=0)
    return regions


@pytest.fixture
def official(api_client_for):
    return api_client_for("official")


class TestRows:
    def test_agree_differs_and_missing(self, official, data):
        response = official.get(URL, {"year": 2023, "region": data["zhaojue"].pk})
        assert response.status_code == 200, response.content
        body = response.json()
        assert (body["year"], body["region"]) == (2023, data["zhaojue"].pk)
        assert _row(body, "talent.cadres") == {
            "key": "talent.cadres", "recorded": 2, "east": 2, "west": 2, "status": "agree",
        }  # fmt: skip
        assert _row(body, "consumption.sales") == {
            "key": "consumption.sales", "recorded": "1234.50", "east": "1234.50", "west": "1200.00",
            "status": "differs",
        }  # fmt: skip
        assert _row(body, "funds.allocated") == {
            "key": "funds.allocated", "recorded": "0.00", "east": "0.00", "west": None, "status": "missing",
        }  # fmt: skip
        assert _row(body, "projects.count") == {
            "key": "projects.count", "recorded": 0, "east": None, "west": None, "status": "missing",
        }  # fmt: skip

    def test_one_row_per_indicator_in_registry_order(self, official, data):
        body = official.get(URL, {"year": 2023, "region": data["zhaojue"].pk}).json()
        assert [row["key"] for row in body["rows"]] == [indicator.key for indicator in INDICATORS]
        assert all(set(row) == {"key", "recorded", "east", "west", "status"} for row in body["rows"])

    def test_recorded_is_the_summarys_value(self, official, data):
        for region in ("zhaojue", "liangshan", "town"):
            params = {"year": 2023, "region": data[region].pk}
            summary = {row["key"]: row["value"] for row in official.get(SUMMARY, params).json()["indicators"]}
            rows = official.get(URL, params).json()["rows"]
            assert {row["key"]: row["recorded"] for row in rows} == summary

    def test_money_is_a_decimal_string_and_counts_are_numbers(self, official, data):
        body = official.get(URL, {"year": 2023, "region": data["zhaojue"].pk}).json()
        for indicator in INDICATORS:
            recorded = _row(body, indicator.key)["recorded"]
            assert isinstance(recorded, str) if indicator.money else isinstance(recorded, int), indicator.key

    def test_a_region_by_its_code_is_echoed_as_given(self, official, data):
        body = official.get(URL, {"year": 2023, "region": "513431"}).json()
        assert body["region"] == 513431
        assert _row(body, "talent.cadres")["status"] == "agree"

    def test_a_region_without_declarations(self, official, data):
        body = official.get(URL, {"year": 2021, "region": data["zhaojue"].pk}).json()
        assert {row["status"] for row in body["rows"]} == {"missing"}

    def test_the_status_rule(self):
        assert crosscheck_status(2, Decimal("2.00"), Decimal("2")) == "agree"
        assert crosscheck_status(2, Decimal("2"), None) == "missing"
        assert crosscheck_status(2, None, Decimal("3")) == "missing"
        assert crosscheck_status(2, Decimal("3"), Decimal("3")) == "differs"
        assert crosscheck_status(Decimal("10.00"), Decimal("10.00"), Decimal("10.01")) == "differs"

    def test_the_rows_carry_the_differences(self, data):
        rows = {row["key"]: row for row in crosscheck_rows(year=2023, region=data["zhaojue"])}
        assert rows["consumption.sales"]["west_difference"] == Decimal("-34.50")
        assert rows["consumption.sales"]["east_difference"] == 0
        assert rows["projects.count"]["east_difference"] is None

    def test_queries_do_not_grow_with_the_declarations(self, official, data, django_assert_max_num_queries):
        with django_assert_max_num_queries(len(INDICATORS) + 12):
            assert official.get(URL, {"year": 2023, "region": data["zhaojue"].pk}).status_code == 200


class TestParameters:
    @pytest.mark.parametrize(
        "params, field",
        [
            ({"region": "513431"}, "year"),
            ({"year": "abc", "region": "513431"}, "year"),
            ({"year": 1999, "region": "513431"}, "year"),
            ({"year": 2023}, "region"),
            ({"year": 2023, "region": ""}, "region"),
            ({"year": 2023, "region": "99999999"}, "region"),
            ({"year": 2023, "region": "51-3431"}, "region"),
        ],
    )
    def test_a_bad_or_missing_parameter_is_400_naming_it(self, official, data, params, field):
        response = official.get(URL, params)
        assert response.status_code == 400, response.content
        assert field in response.json()

    def test_the_region_is_required(self, official, data):
        assert official.get(URL, {"year": 2023}).json() == {"region": ["该字段是必填项。"]}


class TestAccess:
    def test_anonymous_is_401_and_every_reader_of_the_summary_may_read(self, api_client_for, make_user, data):
        params = {"year": 2023, "region": data["zhaojue"].pk}
        assert api_client_for().get(URL, params).status_code == 401
        for role in ("api", "staff", "reviewer", "admin"):
            assert api_client_for(role).get(URL, params).status_code == 200, role
        assert api_client_for(user=make_user(None)).get(URL, params).status_code == 403  # signed in, no role

    def test_a_region_outside_the_scope_is_403(self, api_client_for, scoped_user, data):
        client = api_client_for(user=scoped_user("official", data["zhaojue"]))
        assert client.get(URL, {"year": 2023, "region": data["zhaojue"].pk}).status_code == 200
        assert client.get(URL, {"year": 2023, "region": data["village"].pk}).status_code == 200
        for outside in ("butuo", "liangshan", "sichuan"):
            response = client.get(URL, {"year": 2023, "region": data[outside].pk})
            assert response.status_code == 403, outside
            assert "detail" in response.json()

    def test_the_eastern_partner_checks_the_county_it_helps(self, api_client_for, scoped_user, data):
        PairingFactory(east_region=data["yuyao"], west_region=data["zhaojue"])
        client = api_client_for(user=scoped_user("staff", data["yuyao"]))
        body = client.get(URL, {"year": 2023, "region": data["zhaojue"].pk}).json()
        assert _row(body, "talent.cadres")["status"] == "agree"
        assert client.get(URL, {"year": 2023, "region": data["butuo"].pk}).status_code == 403
