"""The programme core's endpoints: permission matrix, contract fields, filters and 400s."""

import datetime

import pytest
from simple_history.utils import get_history_model_for_model

from cooperation.models import Organization, Region, Target
from tests.api_matrix import EndpointMatrix
from tests.factories import (
    OrganizationFactory,
    PairingFactory,
    RegionFactory,
    SecondmentFactory,
    TargetFactory,
    make_credit_code,
    region_tree,
)


class TestRegionMatrix(EndpointMatrix):
    url = "/api/v1/regions/"

    def make_record(self):
        return RegionFactory(code="630000", name="青海省", level="province")

    def payload(self):
        parent = RegionFactory(code="510000", level="province", name="四川省")
        return {"name": "成都市", "code": "510100", "level": "prefecture", "parent": parent.pk, "side": "west"}

    def update_payload(self, record):
        return {"name": "青海"}


class TestOrganizationMatrix(EndpointMatrix):
    url = "/api/v1/organizations/"

    def make_record(self):
        return OrganizationFactory()

    def payload(self):
        region = RegionFactory()
        return {"name": "昭觉县人民医院", "kind": "hospital", "side": "west", "region": region.pk}


class TestPairingMatrix(EndpointMatrix):
    url = "/api/v1/pairings/"

    def make_record(self):
        return PairingFactory()

    def payload(self):
        tree = region_tree()
        return {
            "kind": "region",
            "east_region": tree["yuyao"].pk,
            "west_region": tree["zhaojue"].pk,
            "started_on": "2021-06-01",
        }

    def update_payload(self, record):
        return {"focus": "产业、劳务、消费"}


class TestTargetMatrix(EndpointMatrix):
    url = "/api/v1/targets/"

    def make_record(self):
        return TargetFactory(year=2022)

    def payload(self):
        return {"year": 2024, "indicator": "projects.count", "value": "4"}

    def update_payload(self, record):
        return {"value": "5.00"}


class TestSecondmentMatrix(EndpointMatrix):
    url = "/api/v1/secondments/"

    def make_record(self):
        return SecondmentFactory()

    def payload(self):
        region = RegionFactory()
        return {
            "person_name": "张三",
            "direction": "east_to_west",
            "kind": "cadre",
            "region": region.pk,
            "started_on": "2024-03-01",
        }

    def update_payload(self, record):
        return {"position": "副县长"}


@pytest.mark.django_db
class TestRegions:
    def test_contract_fields(self, api_client_for, regions):
        body = api_client_for("official").get(f"/api/v1/regions/{regions['zhaojue'].pk}/").json()
        assert body == {
            "id": regions["zhaojue"].pk,
            "name": "昭觉县",
            "code": "513431",
            "level": "county",
            "parent": regions["liangshan"].pk,
            "side": "west",
        }

    @pytest.mark.parametrize(
        "change, field",
        [
            ({"code": "51343"}, "code"),  # too short for a county
            ({"code": "5134311"}, "code"),
            ({"code": "51343A"}, "code"),
            ({"code": "520101"}, "code"),  # does not start with the prefecture's 5134
            ({"level": "town"}, "code"),  # a town has 9 digits
            ({"level": "galaxy"}, "level"),
            ({"side": "east"}, "side"),  # its parent is in the west
            ({"parent": 999999}, "parent"),
            ({"name": ""}, "name"),
        ],
    )
    def test_bad_region_is_400_naming_the_field(self, api_client_for, regions, change, field):
        payload = {
            "name": "美姑县",
            "code": "513437",
            "level": "county",
            "side": "west",
            "parent": regions["liangshan"].pk,
        }
        response = api_client_for("staff").post("/api/v1/regions/", payload | change, format="json")
        assert response.status_code == 400
        assert field in response.json(), response.json()
        assert not Region.objects.filter(name="美姑县").exists()

    def test_duplicate_code_is_400(self, api_client_for, regions):
        payload = {"name": "x", "code": "513431", "level": "county", "side": "west", "parent": regions["liangshan"].pk}
        response = api_client_for("staff").post("/api/v1/regions/", payload, format="json")
        assert response.status_code == 400
        assert "code" in response.json()

    def test_within_filter_returns_the_subtree(self, api_client_for, regions):
        body = api_client_for("official").get("/api/v1/regions/", {"within": regions["zhaojue"].pk}).json()
        assert sorted(r["code"] for r in body["results"]) == ["513431", "513431104", "513431104201"]

    def test_delete_of_a_referenced_region_is_400(self, api_client_for, regions):
        response = api_client_for("admin").delete(f"/api/v1/regions/{regions['sichuan'].pk}/")
        assert response.status_code == 400
        assert Region.objects.filter(pk=regions["sichuan"].pk).exists()


@pytest.mark.django_db
class TestOrganizations:
    def test_credit_code_validated(self, api_client_for, regions):
        payload = {"name": "x", "kind": "enterprise", "side": "west", "region": regions["zhaojue"].pk}
        client = api_client_for("staff")
        bad = client.post("/api/v1/organizations/", payload | {"credit_code": "91350100M000100Y44"}, format="json")
        assert bad.status_code == 400 and "credit_code" in bad.json()
        good = client.post("/api/v1/organizations/", payload | {"credit_code": "91350100M000100Y43"}, format="json")
        assert good.status_code == 201, good.json()
        again = client.post("/api/v1/organizations/", payload | {"credit_code": "91350100M000100Y43"}, format="json")
        assert again.status_code == 400 and "credit_code" in again.json()

    def test_blank_credit_codes_do_not_collide(self, api_client_for, regions):
        payload = {"name": "x", "kind": "cooperative", "side": "west", "region": regions["village"].pk}
        client = api_client_for("staff")
        for credit_code in ("", None):
            response = client.post("/api/v1/organizations/", payload | {"credit_code": credit_code}, format="json")
            assert response.status_code == 201, response.json()
            assert response.json()["credit_code"] is None

    def test_side_must_match_region(self, api_client_for, regions):
        payload = {"name": "x", "kind": "enterprise", "side": "east", "region": regions["zhaojue"].pk}
        response = api_client_for("staff").post("/api/v1/organizations/", payload, format="json")
        assert response.status_code == 400 and "region" in response.json()

    def test_filters(self, api_client_for, regions):
        OrganizationFactory(region=regions["zhaojue"], kind="hospital")
        OrganizationFactory(region=regions["yuyao"], kind="school")
        client = api_client_for("official")
        assert client.get("/api/v1/organizations/", {"kind": "hospital"}).json()["count"] == 1
        assert client.get("/api/v1/organizations/", {"side": "east"}).json()["count"] == 1
        within = client.get("/api/v1/organizations/", {"region_within": regions["sichuan"].pk}).json()
        assert within["count"] == 1
        bad = client.get("/api/v1/organizations/", {"kind": "spaceship"})
        assert bad.status_code == 400 and "kind" in bad.json()


@pytest.mark.django_db
class TestPairingsAndTargets:
    def test_pairing_sides_are_checked(self, api_client_for, regions):
        payload = {
            "kind": "region",
            "east_region": regions["zhaojue"].pk,
            "west_region": regions["yuyao"].pk,
            "started_on": "2021-06-01",
        }
        response = api_client_for("staff").post("/api/v1/pairings/", payload, format="json")
        assert response.status_code == 400
        assert {"east_region", "west_region"} <= set(response.json())

    def test_pairing_needs_two_sides(self, api_client_for, regions):
        payload = {"kind": "school", "started_on": "2021-06-01"}
        response = api_client_for("staff").post("/api/v1/pairings/", payload, format="json")
        assert response.status_code == 400

    def test_pairing_period_in_order(self, api_client_for, regions):
        payload = {
            "kind": "region",
            "east_region": regions["yuyao"].pk,
            "west_region": regions["zhaojue"].pk,
            "started_on": "2021-06-01",
            "ended_on": "2021-05-01",
        }
        response = api_client_for("staff").post("/api/v1/pairings/", payload, format="json")
        assert response.status_code == 400 and "ended_on" in response.json()

    def test_target_unique_per_year_indicator_region(self, api_client_for, regions):
        client = api_client_for("staff")
        payload = {"year": 2023, "indicator": "consumption.sales", "value": "77590000.00"}
        assert client.post("/api/v1/targets/", payload, format="json").status_code == 201
        again = client.post("/api/v1/targets/", payload, format="json")
        assert again.status_code == 400
        regional = client.post("/api/v1/targets/", payload | {"region": regions["zhaojue"].pk}, format="json")
        assert regional.status_code == 201
        assert Target.objects.count() == 2

    @pytest.mark.parametrize(
        "change, field",
        [
            ({"indicator": "funds.stolen"}, "indicator"),
            ({"year": 1900}, "year"),
            ({"year": "twenty"}, "year"),
            ({"value": "-1"}, "value"),
            ({"value": "abc"}, "value"),
        ],
    )
    def test_bad_target_is_400(self, api_client_for, change, field):
        payload = {"year": 2023, "indicator": "consumption.sales", "value": "1"} | change
        response = api_client_for("staff").post("/api/v1/targets/", payload, format="json")
        assert response.status_code == 400 and field in response.json()

    def test_target_region_must_be_west(self, api_client_for, regions):
        payload = {"year": 2023, "indicator": "consumption.sales", "value": "1", "region": regions["yuyao"].pk}
        response = api_client_for("staff").post("/api/v1/targets/", payload, format="json")
        assert response.status_code == 400 and "region" in response.json()

    def test_secondment_year_filter_uses_overlap(self, api_client_for, regions):
        SecondmentFactory(
            region=regions["zhaojue"], started_on=datetime.date(2021, 7, 1), ended_on=datetime.date(2022, 12, 31)
        )
        SecondmentFactory(region=regions["zhaojue"], started_on=datetime.date(2023, 1, 1), ended_on=None)
        client = api_client_for("official")
        assert client.get("/api/v1/secondments/", {"year": 2022}).json()["count"] == 1
        assert client.get("/api/v1/secondments/", {"year": 2023}).json()["count"] == 1
        assert client.get("/api/v1/secondments/", {"year": 2021}).json()["count"] == 1
        assert client.get("/api/v1/secondments/", {"year": 2020}).json()["count"] == 0
        after = client.get("/api/v1/secondments/", {"started_on_after": "2022-01-01"}).json()
        assert after["count"] == 1


@pytest.mark.django_db
class TestConventions:
    @pytest.mark.parametrize(
        "params, field",
        [
            ({"page": "abc"}, "page"),
            ({"page": "0"}, "page"),
            ({"page": "99"}, "page"),
            ({"page_size": "1001"}, "page_size"),
            ({"page_size": "0"}, "page_size"),
            ({"ordering": "password"}, "ordering"),
            ({"year": "nineteen"}, "year"),
            ({"year": "99999999999999999999"}, "year"),
            ({"started_on_after": "2023-13-01"}, "started_on_after"),
            ({"region": "abc"}, "region"),
        ],
    )
    def test_bad_query_parameters_are_400_naming_them(self, api_client_for, params, field):
        response = api_client_for("official").get("/api/v1/secondments/", params)
        assert response.status_code == 400, response.content
        assert field in response.json()

    def test_page_size_and_ordering(self, api_client_for, regions):
        for n in range(5):
            SecondmentFactory(region=regions["zhaojue"], person_name=f"P{n}")
        client = api_client_for("official")
        body = client.get("/api/v1/secondments/", {"page_size": 2, "ordering": "person_name"}).json()
        assert body["count"] == 5
        assert [r["person_name"] for r in body["results"]] == ["P0", "P1"]
        assert body["next"] and body["previous"] is None
        desc = client.get("/api/v1/secondments/", {"ordering": "-person_name"}).json()
        assert desc["results"][0]["person_name"] == "P4"
        found = client.get("/api/v1/secondments/", {"search": "P3"}).json()
        assert [r["person_name"] for r in found["results"]] == ["P3"]

    def test_bad_json_is_400(self, api_client_for):
        response = api_client_for("staff").generic(
            "POST", "/api/v1/targets/", "{not json", content_type="application/json"
        )
        assert response.status_code == 400

    def test_api_root_needs_login_but_schema_does_not(self, api_client_for):
        assert api_client_for().get("/api/v1/").status_code == 401
        assert api_client_for("official").get("/api/v1/").status_code == 200
        assert api_client_for().get("/api/schema/").status_code == 200
        assert api_client_for().get("/api/docs/").status_code == 200

    def test_money_is_a_two_place_string(self, api_client_for):
        response = api_client_for("staff").post(
            "/api/v1/targets/", {"year": 2023, "indicator": "funds.allocated", "value": 3000000}, format="json"
        )
        assert response.json()["value"] == "3000000.00"


@pytest.mark.django_db
class TestAuditThroughTheApi:
    def test_create_and_update_are_recorded_with_the_user(self, api_client_for, regions):
        client = api_client_for("staff")
        payload = {"name": "昭觉县中学", "kind": "school", "side": "west", "region": regions["zhaojue"].pk}
        created = client.post("/api/v1/organizations/", payload, format="json").json()
        client.patch(f"/api/v1/organizations/{created['id']}/", {"name": "昭觉民族中学"}, format="json")
        history = get_history_model_for_model(Organization).objects.filter(id=created["id"]).order_by("history_date")
        assert [(h.history_type, h.name, h.history_user) for h in history] == [
            ("+", "昭觉县中学", client.user),
            ("~", "昭觉民族中学", client.user),
        ]
        assert history.last().diff_against(history.first()).changed_fields == ["name"]

    def test_delete_is_recorded(self, api_client_for, regions):
        org = OrganizationFactory(region=regions["zhaojue"], credit_code=make_credit_code(7))
        client = api_client_for("admin")
        assert client.delete(f"/api/v1/organizations/{org.pk}/").status_code == 204
        last = get_history_model_for_model(Organization).objects.filter(id=org.pk).latest("history_date")
        assert last.history_type == "-" and last.history_user == client.user
