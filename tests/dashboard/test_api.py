"""``GET /api/v1/dashboard/summary/``: contract shape, parameters, permissions, query count."""

import datetime

import pytest

from indicators.registry import INDICATORS
from tests.factories import SecondmentFactory, TargetFactory

URL = "/api/v1/dashboard/summary/"


def _row(body, key):
    return next(row for row in body["indicators"] if row["key"] == key)


@pytest.fixture
def cadres(regions):
    SecondmentFactory.create_batch(2, region=regions["zhaojue"])
    SecondmentFactory(region=regions["village"], direction="west_to_east")
    SecondmentFactory(region=regions["butuo"])
    SecondmentFactory(region=regions["butuo"], started_on=datetime.date(2024, 1, 1))  # not in 2023
    TargetFactory(year=2023, indicator="talent.cadres", value=8)
    TargetFactory(year=2023, indicator="talent.cadres", value=3, region=regions["zhaojue"])
    return regions


@pytest.mark.django_db
class TestSummary:
    def test_contract_shape_and_values(self, api_client_for, cadres):
        response = api_client_for("official").get(URL, {"year": 2023})
        assert response.status_code == 200, response.content
        body = response.json()
        assert set(body) == {"year", "region", "indicators"}
        assert body["year"] == 2023 and body["region"] is None
        assert [row["key"] for row in body["indicators"]] == [indicator.key for indicator in INDICATORS]
        for row in body["indicators"]:
            assert set(row) == {"key", "label", "value", "unit", "target", "completion"}
        assert _row(body, "talent.cadres") == {
            "key": "talent.cadres",
            "label": _row(body, "talent.cadres")["label"],
            "value": 4,
            "unit": "people",
            "target": 8,
            "completion": 0.5,
        }

    def test_region_by_id_counts_the_subtree_and_takes_its_own_target(self, api_client_for, cadres):
        zhaojue = cadres["zhaojue"]
        body = api_client_for("official").get(URL, {"year": 2023, "region": zhaojue.pk}).json()
        assert body["region"] == zhaojue.pk
        assert _row(body, "talent.cadres") | {"label": ""} == {
            "key": "talent.cadres",
            "label": "",
            "value": 3,
            "unit": "people",
            "target": 3,
            "completion": 1.0,
        }

    def test_region_by_division_code_is_echoed_as_given(self, api_client_for, cadres):
        body = api_client_for("official").get(URL, {"year": "2023", "region": "513431"}).json()
        assert body["region"] == 513431
        assert _row(body, "talent.cadres")["value"] == 3

    def test_no_fallback_to_the_programme_target(self, api_client_for, cadres):
        body = api_client_for("official").get(URL, {"year": 2023, "region": cadres["butuo"].pk}).json()
        assert _row(body, "talent.cadres") | {"label": ""} == {
            "key": "talent.cadres",
            "label": "",
            "value": 1,
            "unit": "people",
            "target": None,
            "completion": None,
        }

    def test_completion_is_rounded_half_up(self, api_client_for, regions):
        SecondmentFactory(region=regions["zhaojue"])
        TargetFactory(year=2023, indicator="talent.cadres", value=3)
        assert _row(api_client_for("api").get(URL, {"year": 2023}).json(), "talent.cadres")["completion"] == 0.3333

    def test_money_is_a_decimal_string(self, api_client_for, regions):
        money = [indicator for indicator in INDICATORS if indicator.money]
        if not money:
            pytest.skip("no money indicator's app is installed yet")
        TargetFactory(year=2023, indicator=money[0].key, value="1000000")
        row = _row(api_client_for("official").get(URL, {"year": 2023}).json(), money[0].key)
        assert row["value"] == "0.00" and row["target"] == "1000000.00" and row["completion"] == 0.0

    @pytest.mark.parametrize(
        "params, field",
        [
            ({}, "year"),
            ({"year": ""}, "year"),
            ({"year": "abc"}, "year"),
            ({"year": "1999"}, "year"),
            ({"year": "2101"}, "year"),
            ({"year": "99999999999999999999999"}, "year"),
            ({"year": "2023.5"}, "year"),
            ({"year": 2023, "region": "999999999"}, "region"),
            ({"year": 2023, "region": "abc"}, "region"),
            ({"year": 2023, "region": "-1"}, "region"),
            ({"year": 2023, "region": "12345678901234567890"}, "region"),
        ],
    )
    def test_bad_parameters_are_400_naming_them(self, api_client_for, regions, params, field):
        response = api_client_for("official").get(URL, params)
        assert response.status_code == 400, response.content
        assert field in response.json()

    @pytest.mark.parametrize(
        "role, status", [(None, 401), ("norole", 403), ("official", 200), ("api", 200), ("staff", 200), ("admin", 200)]
    )
    def test_permissions(self, api_client_for, make_user, regions, role, status):
        client = api_client_for(user=make_user(None)) if role == "norole" else api_client_for(role)
        assert client.get(URL, {"year": 2023}).status_code == status

    def test_dashboard_permission_alone_is_enough(self, api_client_for, make_user):
        from django.contrib.auth.models import Permission

        user = make_user(None, username="viewer")
        user.user_permissions.add(Permission.objects.get(codename="view_dashboard"))
        assert api_client_for(user=user).get(URL, {"year": 2023}).status_code == 200

    @pytest.mark.parametrize("size", [1, 30])
    def test_query_count_does_not_grow_with_the_data(
        self, api_client_for, regions, django_assert_max_num_queries, size
    ):
        SecondmentFactory.create_batch(size, region=regions["zhaojue"])
        for indicator in INDICATORS[:size]:
            TargetFactory(year=2023, indicator=indicator.key, value=10, region=regions["zhaojue"])
        client = api_client_for("official")
        # token + user, permissions (user, groups), region, targets, then one query per indicator,
        # and the user's scope (empty: the whole programme).
        with django_assert_max_num_queries(5 + len(INDICATORS) + 1):
            response = client.get(URL, {"year": 2023, "region": "513431"})
        assert response.status_code == 200


@pytest.mark.django_db
def test_every_registry_key_has_the_contract_shape(api_client_for, regions):
    for indicator in INDICATORS:
        TargetFactory(year=2023, indicator=indicator.key, value=100)
    body = api_client_for("official").get(URL, {"year": 2023, "region": regions["zhaojue"].pk}).json()
    assert [row["key"] for row in body["indicators"]] == [indicator.key for indicator in INDICATORS]
    body = api_client_for("official").get(URL, {"year": 2023}).json()
    for indicator, row in zip(INDICATORS, body["indicators"], strict=True):
        assert set(row) == {"key", "label", "value", "unit", "target", "completion"}
        assert row["unit"] == indicator.unit and row["label"]
        if indicator.money:
            assert (
                isinstance(row["value"], str) and row["value"].count(".") == 1 and len(row["value"].split(".")[1]) == 2
            )
            assert row["target"] == "100.00"
        else:
            assert isinstance(row["value"], int) and row["target"] == 100
        assert isinstance(row["completion"], float)
