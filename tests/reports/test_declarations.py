"""Declarations (CONTRACT.md 1.1): the figure each side declares per (year, indicator, region,
side), through the API, the admin and imports: the unique key, the indicator and value rules,
the user's scope, the history, and the lock that closes a year with its approved December."""

import datetime

import pytest
import tablib
from django.contrib.auth.models import Permission

from reports.models import Declaration
from reports.resources import DeclarationResource
from tests.api_matrix import EndpointMatrix
from tests.factories import PairingFactory, RegionFactory, SubmissionFactory
from tests.reports.factories import DeclarationFactory

URL = "/api/v1/declarations/"
pytestmark = pytest.mark.django_db


def _body(where, **overrides):
    return {"year": 2023, "indicator": "talent.cadres", "region": where.pk, "side": "west", "value": "3", **overrides}


def _approve_december(county, year=2023):
    return SubmissionFactory(region=county, month=datetime.date(year, 12, 1), status="approved")


@pytest.fixture
def staff(api_client_for):
    return api_client_for("staff")


class TestDeclarationMatrix(EndpointMatrix):
    url = URL

    def make_record(self):
        return DeclarationFactory()

    def payload(self):
        return _body(RegionFactory())

    def update_payload(self, record):
        return {"value": "8", "note": "更正"}


def test_the_list_takes_a_fixed_number_of_queries(api_client_for, regions, django_assert_max_num_queries):
    for year in range(2015, 2025):
        DeclarationFactory(region=regions["zhaojue"], year=year)
    client = api_client_for("official")
    with django_assert_max_num_queries(8):
        assert client.get(URL, {"page_size": 100}).json()["count"] == 10


class TestWrite:
    def test_a_side_declares_a_figure(self, staff, regions):
        response = staff.post(URL, _body(regions["zhaojue"], note="自评报告第3页"), format="json")
        assert response.status_code == 201, response.content
        body = response.json()
        assert body | {"id": 0} == {
            "id": 0, "year": 2023, "indicator": "talent.cadres", "region": regions["zhaojue"].pk, "side": "west",
            "value": "3.00", "note": "自评报告第3页",
        }  # fmt: skip
        declaration = Declaration.objects.get(pk=body["id"])
        assert declaration.history.count() == 1  # audited
        assert staff.get(f"{URL}{body['id']}/").json() == body

    def test_money_is_declared_in_yuan_with_cents(self, staff, regions):
        response = staff.post(URL, _body(regions["zhaojue"], indicator="consumption.sales", value="77590000.50"))
        assert response.status_code == 201, response.content
        assert response.json()["value"] == "77590000.50"

    def test_the_same_key_twice_is_400(self, staff, regions):
        assert staff.post(URL, _body(regions["zhaojue"]), format="json").status_code == 201
        response = staff.post(URL, _body(regions["zhaojue"], value="4"), format="json")
        assert response.status_code == 400
        assert response.json() == {
            "non_field_errors": ["这一方已申报过该年度、该地区的这项指标。"],
        }
        # The other side, another year or another region is another declaration.
        for other in ({"side": "east"}, {"year": 2024}, {"region": regions["butuo"].pk}):
            assert staff.post(URL, _body(regions["zhaojue"], **other), format="json").status_code == 201
        assert Declaration.objects.count() == 4

    def test_an_unknown_indicator_is_400_naming_it(self, staff, regions):
        response = staff.post(URL, _body(regions["zhaojue"], indicator="talent.unknown"), format="json")
        assert response.status_code == 400
        assert list(response.json()) == ["indicator"]
        assert not Declaration.objects.exists()

    @pytest.mark.parametrize(
        "overrides, field",
        [
            ({"value": "2.5"}, "value"),  # a count of cadres
            ({"indicator": "healthcare.outpatients", "value": "12813.40"}, "value"),
            ({"value": "-1"}, "value"),
            ({"value": ""}, "value"),
            ({"side": "north"}, "side"),
            ({"year": 1999}, "year"),
        ],
    )
    def test_value_and_field_rules(self, staff, regions, overrides, field):
        response = staff.post(URL, _body(regions["zhaojue"], **overrides), format="json")
        assert response.status_code == 400, response.content
        assert field in response.json()
        assert not Declaration.objects.exists()

    def test_a_count_message_names_the_indicator(self, staff, regions):
        response = staff.post(URL, _body(regions["zhaojue"], value="2.5"), format="json")
        assert response.json() == {"value": ["挂职干部是计数指标：请申报整数。"]}

    def test_the_region_is_a_western_one(self, staff, regions):
        response = staff.post(URL, _body(regions["yuyao"]), format="json")
        assert response.status_code == 400
        assert list(response.json()) == ["region"]

    def test_officials_read_and_do_not_write(self, api_client_for, regions):
        DeclarationFactory(region=regions["zhaojue"], year=2023, indicator="talent.cadres")
        client = api_client_for("official")
        assert client.get(URL).json()["count"] == 1
        assert client.post(URL, _body(regions["zhaojue"], year=2024), format="json").status_code == 403
        assert api_client_for().get(URL).status_code == 401

    def test_the_list_filters_on_its_key(self, staff, regions):
        DeclarationFactory(region=regions["zhaojue"], year=2023, indicator="talent.cadres", side="east")
        DeclarationFactory(region=regions["zhaojue"], year=2023, indicator="consumption.sales", side="west")
        DeclarationFactory(region=regions["butuo"], year=2022, indicator="talent.cadres", side="west")

        def keys(**params):
            rows = staff.get(URL, params).json()["results"]
            return sorted((row["year"], row["indicator"], row["side"]) for row in rows)

        assert keys(year=2023, side="east") == [(2023, "talent.cadres", "east")]
        assert keys(indicator="talent.cadres") == [(2022, "talent.cadres", "west"), (2023, "talent.cadres", "east")]
        assert len(keys(region=regions["butuo"].pk)) == 1
        assert len(keys(region_within=regions["liangshan"].pk)) == 3
        assert staff.get(URL, {"indicator": "nope"}).status_code == 400


class TestScope:
    def test_a_scoped_user_sees_and_writes_only_their_region(self, api_client_for, scoped_user, regions):
        mine = DeclarationFactory(region=regions["zhaojue"], year=2023)
        theirs = DeclarationFactory(region=regions["butuo"], year=2023)
        client = api_client_for(user=scoped_user("staff", regions["zhaojue"]))
        assert [row["id"] for row in client.get(URL).json()["results"]] == [mine.pk]
        assert client.get(f"{URL}{theirs.pk}/").status_code == 404
        assert client.patch(f"{URL}{theirs.pk}/", {"value": "1"}, format="json").status_code == 404

        response = client.post(URL, _body(regions["butuo"]), format="json")
        assert response.status_code == 400 and list(response.json()) == ["region"]
        response = client.patch(f"{URL}{mine.pk}/", {"region": regions["butuo"].pk}, format="json")
        assert response.status_code == 400 and list(response.json()) == ["region"]
        assert client.post(URL, _body(regions["town"]), format="json").status_code == 201

    def test_the_eastern_partner_declares_for_the_county_it_helps(self, api_client_for, scoped_user, regions):
        PairingFactory(east_region=regions["yuyao"], west_region=regions["zhaojue"])
        client = api_client_for(user=scoped_user("staff", regions["yuyao"]))
        response = client.post(URL, _body(regions["zhaojue"], side="east"), format="json")
        assert response.status_code == 201, response.content
        assert client.post(URL, _body(regions["butuo"], side="east"), format="json").status_code == 400


class TestLock:
    """A declaration of 2023 for Zhaojue is locked once Zhaojue's December 2023 is approved."""

    def test_no_declaration_of_a_closed_year_is_created_changed_or_deleted(self, api_client_for, regions):
        client = api_client_for("admin")
        declaration = DeclarationFactory(region=regions["zhaojue"], year=2023, indicator="talent.cadres")
        _approve_december(regions["zhaojue"])
        before = client.get(f"{URL}{declaration.pk}/").json()

        response = client.post(URL, _body(regions["zhaojue"], indicator="consumption.sales"), format="json")
        assert response.status_code == 400
        assert list(response.json()) == ["year"]
        assert "2023年12月" in response.json()["year"][0] and "昭觉县" in response.json()["year"][0]

        response = client.patch(f"{URL}{declaration.pk}/", {"value": "9"}, format="json")
        assert response.status_code == 400 and list(response.json()) == ["year"]
        response = client.delete(f"{URL}{declaration.pk}/")
        assert response.status_code == 400 and list(response.json()) == ["non_field_errors"]
        assert client.get(f"{URL}{declaration.pk}/").json() == before
        # Below the county too: a town's declaration closes with its county.
        response = client.post(URL, _body(regions["town"]), format="json")
        assert response.status_code == 400 and list(response.json()) == ["year"]
        assert Declaration.objects.count() == 1

    def test_other_years_and_counties_stay_open_and_nothing_moves_into_a_closed_year(self, api_client_for, regions):
        client = api_client_for("admin")
        _approve_december(regions["zhaojue"])
        SubmissionFactory(region=regions["zhaojue"], month=datetime.date(2024, 11, 1), status="approved")
        SubmissionFactory(region=regions["zhaojue"], month=datetime.date(2022, 12, 1), status="submitted")
        for body in (_body(regions["zhaojue"], year=2024), _body(regions["zhaojue"], year=2022)):
            assert client.post(URL, body, format="json").status_code == 201
        response = client.post(URL, _body(regions["butuo"]), format="json")
        assert response.status_code == 201
        moving = response.json()["id"]
        response = client.patch(f"{URL}{moving}/", {"region": regions["zhaojue"].pk}, format="json")
        assert response.status_code == 400 and list(response.json()) == ["year"]
        assert Declaration.objects.get(pk=moving).region == regions["butuo"]

    def test_a_region_above_the_counties_closes_with_all_of_them(self, api_client_for, regions):
        client = api_client_for("admin")
        _approve_december(regions["zhaojue"])
        assert client.post(URL, _body(regions["liangshan"]), format="json").status_code == 201
        _approve_december(regions["butuo"])
        response = client.post(URL, _body(regions["liangshan"], side="east"), format="json")
        assert response.status_code == 400 and list(response.json()) == ["year"]
        assert "凉山彝族自治州" in response.json()["year"][0]

    def test_a_reopened_december_opens_the_year_again(self, api_client_for, regions):
        client = api_client_for("admin")
        submission = _approve_december(regions["zhaojue"])
        assert client.post(URL, _body(regions["zhaojue"]), format="json").status_code == 400
        submission.status = "returned"
        submission.save()
        assert client.post(URL, _body(regions["zhaojue"]), format="json").status_code == 201


class TestAdmin:
    def test_a_declaration_of_a_closed_year_opens_read_only_and_is_not_deleted(self, client, make_user, regions):
        client.force_login(make_user("admin"))
        declaration = DeclarationFactory(region=regions["zhaojue"], year=2023, indicator="talent.cadres", value=3)
        _approve_december(regions["zhaojue"])
        url = f"/admin/reports/declaration/{declaration.pk}/"
        page = client.get(f"{url}change/")
        assert page.status_code == 200
        assert 'name="value"' not in page.text and 'name="_save"' not in page.text  # no form to send
        assert f"{url}delete/" not in page.text
        [message] = [str(message) for message in page.context["messages"]]
        assert "2023年12月" in message and "昭觉县" in message and "已审核" in message
        assert message in page.text
        form = {
            "year": 2023, "region": regions["zhaojue"].pk, "indicator": "talent.cadres", "side": "west",
            "value": "9", "note": "",
        }  # fmt: skip
        assert client.post(f"{url}change/", form).status_code == 403
        response = client.get(f"{url}delete/")
        assert response.status_code == 200 and "2023年12月" in response.text
        client.post(f"{url}delete/", {"post": "yes"})
        declaration.refresh_from_db()
        assert declaration.value == 3
        # Another year of the same county stays open.
        other = DeclarationFactory(region=regions["zhaojue"], year=2024, indicator="talent.cadres", value=3)
        page = client.get(f"/admin/reports/declaration/{other.pk}/change/")
        assert 'name="value"' in page.text and not list(page.context["messages"])

    def test_the_admin_refuses_moving_a_declaration_into_a_closed_year(self, client, make_user, regions):
        client.force_login(make_user("admin"))
        declaration = DeclarationFactory(region=regions["zhaojue"], year=2024, indicator="talent.cadres", value=3)
        _approve_december(regions["zhaojue"])
        form = {
            "year": 2023, "region": regions["zhaojue"].pk, "indicator": "talent.cadres", "side": "west",
            "value": "9", "note": "",
        }  # fmt: skip
        response = client.post(f"/admin/reports/declaration/{declaration.pk}/change/", form)
        assert response.status_code == 200
        assert "已审核" in response.context["adminform"].form.errors["year"][0]
        declaration.refresh_from_db()
        assert (declaration.year, declaration.value) == (2024, 3)

    def test_the_list_and_the_export(self, client, make_user, regions):
        client.force_login(make_user("official"))
        DeclarationFactory(region=regions["zhaojue"], year=2023, indicator="talent.cadres")
        response = client.get("/admin/reports/declaration/")
        assert response.status_code == 200 and "昭觉县" in response.text
        assert client.get("/admin/reports/declaration/export/").status_code == 200

    def test_an_import_creates_then_updates_by_the_key(self, make_user, regions):
        user = make_user("staff")
        user.user_permissions.add(Permission.objects.get(codename="add_declaration"))
        dataset = tablib.Dataset(headers=["年度", "指标", "地区", "申报方", "申报值", "备注"])
        dataset.append([2023, "挂职干部", "513431", "西部（受帮扶方）", 3, ""])
        result = DeclarationResource().import_data(dataset, dry_run=False, user=user)
        assert not result.has_errors() and not result.has_validation_errors()
        dataset = tablib.Dataset(headers=["年度", "指标", "地区", "申报方", "申报值", "备注"])
        dataset.append([2023, "talent.cadres", "昭觉县", "west", 4, "更正"])
        result = DeclarationResource().import_data(dataset, dry_run=False, user=user)
        assert not result.has_errors() and not result.has_validation_errors()
        declaration = Declaration.objects.get()
        assert (declaration.value, declaration.note, declaration.history.count()) == (4, "更正", 2)

    def test_an_import_into_a_closed_year_is_refused(self, make_user, regions):
        _approve_december(regions["zhaojue"])
        dataset = tablib.Dataset(headers=["年度", "指标", "地区", "申报方", "申报值"])
        dataset.append([2023, "挂职干部", "513431", "西部（受帮扶方）", 3])
        result = DeclarationResource().import_data(dataset, dry_run=False, user=make_user("staff"))
        assert result.has_validation_errors()
        assert "year" in result.invalid_rows[0].error_dict
        assert not Declaration.objects.exists()
