"""Scoped users (CONTRACT.md 1.1) on the summary API and the dashboard page, and the roll-up of
the child regions on the page."""

import datetime
import re

import pytest

from indicators.registry import INDICATORS
from tests.factories import PairingFactory, RegionFactory, SecondmentFactory, TargetFactory

SUMMARY = "/api/v1/dashboard/summary/"
PAGE = "/dashboard/"
pytestmark = pytest.mark.django_db


def _row(body, key):
    return next(row for row in body["indicators"] if row["key"] == key)


@pytest.fixture
def data(regions):
    """Cadres: Zhaojue 2 (+1 in its village), Butuo 1; targets everywhere; Yuyao helps Zhaojue."""
    SecondmentFactory.create_batch(2, region=regions["zhaojue"])
    SecondmentFactory(region=regions["village"])
    SecondmentFactory(region=regions["butuo"])
    TargetFactory(year=2023, indicator="talent.cadres", value=8)
    TargetFactory(year=2023, indicator="talent.cadres", value=6, region=regions["liangshan"])
    TargetFactory(year=2023, indicator="talent.cadres", value=3, region=regions["zhaojue"])
    TargetFactory(year=2023, indicator="talent.cadres", value=2, region=regions["butuo"])
    PairingFactory(east_region=regions["yuyao"], west_region=regions["zhaojue"], started_on=datetime.date(2021, 6, 1))
    return regions


class TestSummary:
    def test_one_scope_region_answers_for_it(self, api_client_for, scoped_user, data):
        client = api_client_for(user=scoped_user("official", data["zhaojue"]))
        body = client.get(SUMMARY, {"year": 2023}).json()
        assert body["region"] == data["zhaojue"].pk
        assert _row(body, "talent.cadres") | {"label": ""} == {
            "key": "talent.cadres", "label": "", "value": 3, "unit": "people", "target": 3, "completion": 1.0,
        }  # fmt: skip

    def test_several_scope_regions_answer_for_the_whole_scope_without_targets(self, api_client_for, scoped_user, data):
        client = api_client_for(user=scoped_user("official", data["zhaojue"], data["butuo"]))
        body = client.get(SUMMARY, {"year": 2023}).json()
        assert body["region"] is None
        assert _row(body, "talent.cadres")["value"] == 4  # 3 in Zhaojue, 1 in Butuo
        assert all(row["target"] is None and row["completion"] is None for row in body["indicators"])
        assert [row["key"] for row in body["indicators"]] == [indicator.key for indicator in INDICATORS]

    @pytest.mark.parametrize(
        "name, status",
        [("zhaojue", 200), ("town", 200), ("village", 200), ("yuyao", 200),
         ("butuo", 403), ("liangshan", 403), ("sichuan", 403), ("ningbo", 403)],
    )  # fmt: skip
    def test_a_region_outside_the_scope_is_403(self, api_client_for, scoped_user, data, name, status):
        """Zhaojue's subtree and Yuyao (paired with it) are in; the regions above them are not."""
        client = api_client_for(user=scoped_user("official", data["zhaojue"]))
        by_id = client.get(SUMMARY, {"year": 2023, "region": data[name].pk})
        by_code = client.get(SUMMARY, {"year": 2023, "region": data[name].code})
        assert (by_id.status_code, by_code.status_code) == (status, status), by_id.content
        if status == 200:
            assert by_id.json()["region"] == data[name].pk and by_code.json()["region"] == int(data[name].code)
        else:
            assert "detail" in by_id.json()

    def test_an_east_user_reaches_the_paired_county_only(self, api_client_for, scoped_user, data):
        client = api_client_for(user=scoped_user("staff", data["yuyao"]))
        own = client.get(SUMMARY, {"year": 2023}).json()
        # One scope region set on the user (the pairing brings Zhaojue in, but does not count).
        assert own["region"] == data["yuyao"].pk and _row(own, "talent.cadres")["value"] == 0
        paired = client.get(SUMMARY, {"year": 2023, "region": data["zhaojue"].pk})
        assert paired.status_code == 200
        assert _row(paired.json(), "talent.cadres") | {"label": ""} == {
            "key": "talent.cadres", "label": "", "value": 3, "unit": "people", "target": 3, "completion": 1.0,
        }  # fmt: skip
        assert client.get(SUMMARY, {"year": 2023, "region": data["butuo"].pk}).status_code == 403
        assert client.get(SUMMARY, {"year": 2023, "region": data["liangshan"].pk}).status_code == 403

    def test_unscoped_users_are_unchanged(self, api_client_for, data):
        client = api_client_for("official")
        body = client.get(SUMMARY, {"year": 2023}).json()
        assert body["region"] is None and _row(body, "talent.cadres")["value"] == 4
        assert _row(body, "talent.cadres")["target"] == 8
        body = client.get(SUMMARY, {"year": 2023, "region": data["butuo"].pk}).json()
        assert _row(body, "talent.cadres")["value"] == 1 and _row(body, "talent.cadres")["target"] == 2

    def test_bad_input_is_still_400_before_the_scope(self, api_client_for, scoped_user, data):
        client = api_client_for(user=scoped_user("official", data["zhaojue"]))
        assert client.get(SUMMARY, {"year": 2023, "region": "999999999"}).status_code == 400

    @pytest.mark.parametrize("size", [2, 12])
    @pytest.mark.parametrize("with_region", [True, False])
    def test_queries_stay_constant_whatever_the_scope(
        self, api_client_for, scoped_user, data, django_assert_max_num_queries, size, with_region
    ):
        extra = [
            RegionFactory(name=f"County {i}", code=f"5134{60 + i:02d}", parent=data["liangshan"]) for i in range(size)
        ]
        for county in extra:
            PairingFactory(east_region=data["yuyao"], west_region=county)
        client = api_client_for(user=scoped_user("official", data["zhaojue"], *extra))
        params = {"year": 2023, "region": data["zhaojue"].pk} if with_region else {"year": 2023}
        # token + user, permissions (user, groups), the scope, the region, the targets, then one
        # query per indicator (without a region: neither the region nor targets, several regions).
        with django_assert_max_num_queries(5 + len(INDICATORS) + 1):
            response = client.get(SUMMARY, params)
        assert response.status_code == 200


def _options(content: str) -> list[str]:
    select = content[content.index('id="id_region"') : content.index("</select>", content.index('id="id_region"'))]
    return re.findall(r'<option value="(\d*)"', select)


def _row_html(content: str, key: str, table: str = 'id="figures"') -> str:
    part = content[content.index(table) :]
    start = part.index(f'data-key="{key}"')
    return part[part.rindex("<tr", 0, start) : part.index("</tr>", start)]


class TestPage:
    def test_one_scope_region_opens_on_it_and_offers_only_its_subtree(self, client, scoped_user, data):
        client.force_login(scoped_user("official", data["zhaojue"]))
        response = client.get(PAGE, {"year": 2023})
        content = response.content.decode()
        assert response.status_code == 200 and response.context["region"] == data["zhaojue"]
        assert "昭觉县" in content[content.index('id="figures-title"') :][:200]
        options = _options(content)
        assert "" not in options  # no "whole programme": the default is the user's region
        assert set(options) == {str(data["zhaojue"].pk), str(data["town"].pk)}  # not villages, not Butuo
        row = _row_html(content, "talent.cadres")
        assert ">3 人<" in row or "3 人" in row
        assert "100.0%" in row  # against Zhaojue's own target of 3

    def test_a_region_outside_the_scope_is_refused(self, client, scoped_user, data):
        client.force_login(scoped_user("official", data["zhaojue"]))
        for name in ("butuo", "liangshan"):
            response = client.get(PAGE, {"year": 2023, "region": data[name].pk})
            assert response.status_code == 403
            content = response.content.decode()
            assert "超出" in content and data[name].name in content
            assert 'href="/dashboard/?year=2023"' in content

    def test_several_regions_show_the_whole_scope_without_targets(self, client, scoped_user, data):
        client.force_login(scoped_user("official", data["zhaojue"], data["butuo"]))
        content = client.get(PAGE, {"year": 2023}).content.decode()
        assert 'id="whole-scope"' in content and "布拖县、昭觉县" in content
        options = _options(content)
        assert options[0] == "" and str(data["butuo"].pk) in options and str(data["liangshan"].pk) not in options
        row = _row_html(content, "talent.cadres")
        assert "4 人" in row and "badge-no_target" in row
        # The roll-up: one column per scope region, with their own targets.
        rollup = content[content.index('id="rollup-table"') :]
        assert f'data-region="{data["zhaojue"].pk}"' in rollup and f'data-region="{data["butuo"].pk}"' in rollup

    def test_an_east_user_opens_on_the_city_and_is_shown_the_paired_county(self, client, scoped_user, data):
        client.force_login(scoped_user("staff", data["yuyao"]))
        content = client.get(PAGE, {"year": 2023}).content.decode()
        assert set(_options(content)) == {str(data["yuyao"].pk), str(data["zhaojue"].pk), str(data["town"].pk)}
        note = content[content.index('id="east-note"') :][:600]
        assert f"region={data['zhaojue'].pk}" in note
        assert client.get(PAGE, {"year": 2023, "region": data["zhaojue"].pk}).status_code == 200
        assert client.get(PAGE, {"year": 2023, "region": data["butuo"].pk}).status_code == 403

    def test_unscoped_users_keep_the_programme(self, client, make_user, data):
        client.force_login(make_user("official"))
        response = client.get(PAGE, {"year": 2023})
        assert response.context["region"] is None
        assert "" in _options(response.content.decode())

    def test_drill_down_links_of_a_scoped_user_open_their_scoped_lists(self, client, scoped_user, data):
        client.force_login(scoped_user("official", data["zhaojue"], data["butuo"]))
        response = client.get(PAGE, {"year": 2023})
        link = next(row["link"] for row in response.context["rows"] if row["key"] == "talent.cadres")
        assert "region_within" not in link  # the whole scope: the admin list is scoped by the core
        listed = client.get(link)
        assert listed.status_code == 200 and listed.context["cl"].queryset.count() == 4

    def test_the_rollup_shows_the_children_with_links(self, client, make_user, data):
        client.force_login(make_user("official"))
        content = client.get(PAGE, {"year": 2023, "region": data["liangshan"].pk}).content.decode()
        rollup = content[content.index('id="rollup"') : content.index("</section>", content.index('id="rollup"'))]
        for name, value in (("zhaojue", "3 人"), ("butuo", "1 人")):
            link = f'href="/dashboard/?year=2023&amp;region={data[name].pk}"'
            assert link in rollup and data[name].name in rollup
            row = _row_html(content, "talent.cadres", 'id="rollup-table"')
            cell = re.search(re.escape(f'data-region="{data[name].pk}"><a {link}') + ".*?</td>", row, re.S)
            assert cell and value in cell.group(0)
        opened = client.get(f"/dashboard/?year=2023&region={data['butuo'].pk}")
        assert opened.status_code == 200 and opened.context["region"] == data["butuo"]

    def test_targets_that_do_not_add_up_are_flagged_on_the_page(self, client, make_user, data):
        client.force_login(make_user("official"))
        content = client.get(PAGE, {"year": 2023, "region": data["liangshan"].pk}).content.decode()
        warning = content[content.index('id="target-mismatches"') :][:800]
        # Liangshan's target 6; Zhaojue 3 + Butuo 2 = 5.
        assert 'data-key="talent.cadres"' in warning and "6 人" in warning and "5 人" in warning
        assert "badge-mismatch" in _row_html(content, "talent.cadres", 'id="rollup-table"')
        TargetFactory(year=2023, indicator="talent.cadres", value=1, region=data["village"])  # not a child
        TargetFactory(year=2023, indicator="talent.cadres", value=1, region=data["sichuan"])
        content = client.get(PAGE, {"year": 2023, "region": data["butuo"].pk}).content.decode()
        assert 'id="target-mismatches"' not in content  # Butuo has no child region

    def test_the_programme_rollup_lists_the_provinces_holding_records(self, client, make_user, data):
        client.force_login(make_user("official"))
        RegionFactory(name="空省", code="520000", level="province", side="west")
        response = client.get(PAGE, {"year": 2023})
        assert [child["region"].code for child in response.context["rollup"]["children"]] == ["510000"]

    def test_a_scoped_rollup_shows_only_children_within_the_scope(self, client, scoped_user, data):
        client.force_login(scoped_user("official", data["liangshan"]))
        response = client.get(PAGE, {"year": 2023})
        children = [child["region"] for child in response.context["rollup"]["children"]]
        assert children == [data["butuo"], data["zhaojue"]]
        client.force_login(scoped_user("official", data["zhaojue"], username="zhaojue-official"))
        children = [c["region"] for c in client.get(PAGE, {"year": 2023}).context["rollup"]["children"]]
        assert children == [data["town"]]

    @pytest.mark.parametrize("size", [2, 10])
    def test_page_queries_do_not_grow_with_the_children(
        self, client, make_user, data, django_assert_max_num_queries, size
    ):
        prefecture = RegionFactory(name="Prefecture", code="519900", level="prefecture", parent=data["sichuan"])
        for i in range(size):
            county = RegionFactory(name=f"County {i}", code=f"5199{i + 1:02d}", parent=prefecture)
            SecondmentFactory(region=county)
            TargetFactory(year=2023, indicator="talent.cadres", value=1, region=county)
        client.force_login(make_user("official"))
        # The page's own queries, then the roll-up's: the children, their targets, one per indicator;
        # + 2: which months are approved (tests/dashboard/test_approval_marks.py).
        with django_assert_max_num_queries(43 + 2 + len(INDICATORS) + 2):
            response = client.get(PAGE, {"year": 2023, "region": prefecture.pk})
        assert len(response.context["rollup"]["children"]) == size


def test_a_report_asked_for_on_a_regions_dashboard_is_that_regions(client, scoped_user, regions):
    from reports.models import Report

    client.force_login(scoped_user("staff", regions["zhaojue"], regions["butuo"]))
    response = client.post("/dashboard/reports/request/", {"kind": "annual", "year": 2023, "region": ""})
    assert response.status_code == 302 and not Report.objects.exists()  # several regions: choose one
    response = client.post(
        "/dashboard/reports/request/", {"kind": "annual", "year": 2023, "region": regions["zhaojue"].pk}
    )
    assert response["Location"] == f"/dashboard/?year=2023&region={regions['zhaojue'].pk}#reports"
    assert Report.objects.get().region == regions["zhaojue"]
