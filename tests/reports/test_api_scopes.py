"""The ``reports`` endpoint per region and for scoped users (CONTRACT.md 1.1): a scoped user
requests, lists, reads and downloads only the reports of regions within the scope."""

import datetime

import pytest

from cooperation.services import set_scope
from reports import services
from reports.models import Report
from tests.factories import PairingFactory
from tests.reports.factories import ReportFactory

URL = "/api/v1/reports/"
D = datetime.date
pytestmark = pytest.mark.django_db


@pytest.fixture
def client_scoped(api_client_for, make_user):
    """``client_scoped("513431", role="staff")``: an API client of a user scoped to those codes."""

    def make(*codes, role="staff"):
        user = make_user(role, username=f"{role}-{'-'.join(codes) or 'all'}")
        set_scope(user=user, codes=list(codes))
        return api_client_for(user=user)

    return make


@pytest.fixture
def done_reports(regions):
    """The 2023 annual report of the programme, of Zhaojue and of Butuo, generated."""
    reports = {}
    for key, region in (("programme", None), ("zhaojue", regions["zhaojue"]), ("butuo", regions["butuo"])):
        report = services.report_request(kind="annual", period_start=D(2023, 1, 1), region=region)
        reports[key] = services.report_generate(report_id=report.pk)
    return reports


def _post(client, **payload):
    return client.post(URL, {"kind": "monthly", "period_start": "2024-02-01", **payload}, format="json")


# -- requests


def test_an_unscoped_user_asks_for_a_region_or_the_programme(api_client_for, regions):
    client = api_client_for("staff")
    county = _post(client, region=regions["zhaojue"].pk)
    assert county.status_code == 202, county.content
    assert county.json()["region"] == regions["zhaojue"].pk
    programme = _post(client, region=None)
    assert programme.status_code == 202 and programme.json()["region"] is None
    assert _post(client).json()["id"] == programme.json()["id"]  # absent is null: the same report
    again = _post(client, region=regions["zhaojue"].pk)
    assert again.json()["id"] == county.json()["id"] and Report.objects.count() == 2


def test_a_user_with_one_scope_region_gets_that_regions_report(client_scoped, regions):
    response = _post(client_scoped("513431"))
    assert response.status_code == 202, response.content
    assert response.json()["region"] == regions["zhaojue"].pk
    assert Report.objects.get().region == regions["zhaojue"]


def test_a_user_with_several_scope_regions_must_name_one(client_scoped, regions):
    client = client_scoped("513431", "513429")
    for payload in ({}, {"region": None}):
        response = _post(client, **payload)
        assert response.status_code == 400
        assert response.json() == {"region": ["请选择报告的地区：您的权限范围包含多个地区。"]}
    assert not Report.objects.exists()
    assert _post(client, region=regions["butuo"].pk).status_code == 202


@pytest.mark.parametrize("region", ["butuo", "liangshan", "yuyao"])
def test_a_region_outside_the_scope_is_400_naming_region(client_scoped, regions, region):
    response = _post(client_scoped("513431"), region=regions[region].pk)
    assert response.status_code == 400
    assert list(response.json()) == ["region"]
    assert not Report.objects.exists()


def test_the_paired_county_is_in_an_eastern_users_scope(client_scoped, regions):
    PairingFactory(east_region=regions["yuyao"], west_region=regions["zhaojue"])
    response = _post(client_scoped("330281"), region=regions["zhaojue"].pk)
    assert response.status_code == 202 and response.json()["region"] == regions["zhaojue"].pk


@pytest.mark.parametrize("value", [999999, "x", [1], {"id": 1}, -1, 10**30, "9" * 30, True])
def test_a_bad_region_is_400(api_client_for, regions, value):
    response = _post(api_client_for("staff"), region=value)
    assert response.status_code == 400
    assert list(response.json()) == ["region"]
    assert not Report.objects.exists()


# -- reads


def _ids(response):
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


def test_an_unscoped_user_reads_every_report(api_client_for, done_reports):
    client = api_client_for("official")
    assert _ids(client.get(URL)) == {report.pk for report in done_reports.values()}
    for report in done_reports.values():
        assert client.get(f"{URL}{report.pk}/file/").status_code == 200


def test_a_scoped_user_reads_only_its_regions_reports(client_scoped, done_reports, regions):
    client = client_scoped("513431", role="official")
    zhaojue = done_reports["zhaojue"]
    assert _ids(client.get(URL)) == {zhaojue.pk}
    body = client.get(f"{URL}{zhaojue.pk}/").json()
    assert body["region"] == regions["zhaojue"].pk
    assert body["file"] == f"http://testserver{URL}{zhaojue.pk}/file/"
    download = client.get(f"{URL}{zhaojue.pk}/file/")
    assert download.status_code == 200
    assert 'filename="annual-2023-01-01-513431.xlsx"' in download["Content-Disposition"]
    # The programme-wide report and another county's are outside the scope: they do not exist.
    for other in (done_reports["programme"], done_reports["butuo"]):
        assert client.get(f"{URL}{other.pk}/").status_code == 404
        assert client.get(f"{URL}{other.pk}/file/").status_code == 404


def test_a_prefecture_official_reads_its_counties_reports(client_scoped, done_reports):
    client = client_scoped("513400", role="official")
    assert _ids(client.get(URL)) == {done_reports["zhaojue"].pk, done_reports["butuo"].pk}


def test_an_eastern_user_reads_the_paired_countys_reports(client_scoped, done_reports, regions):
    PairingFactory(east_region=regions["yuyao"], west_region=regions["zhaojue"])
    client = client_scoped("330281", role="official")
    assert _ids(client.get(URL)) == {done_reports["zhaojue"].pk}
    assert client.get(f"{URL}{done_reports['butuo'].pk}/file/").status_code == 404


def test_region_filters(api_client_for, client_scoped, regions):
    programme = ReportFactory(region=None)
    zhaojue = ReportFactory(region=regions["zhaojue"])
    village = ReportFactory(region=regions["village"])
    butuo = ReportFactory(region=regions["butuo"])
    client = api_client_for("official")
    assert _ids(client.get(URL, {"region": regions["zhaojue"].pk})) == {zhaojue.pk}
    assert _ids(client.get(URL, {"region_within": regions["zhaojue"].pk})) == {zhaojue.pk, village.pk}
    assert _ids(client.get(URL, {"region_within": regions["liangshan"].pk})) == {zhaojue.pk, village.pk, butuo.pk}
    assert _ids(client.get(URL, {"programme_wide": "true"})) == {programme.pk}
    assert _ids(client.get(URL, {"programme_wide": "false"})) == {zhaojue.pk, village.pk, butuo.pk}
    assert list(client.get(URL, {"region": "x"}).json()) == ["region"]
    assert list(client.get(URL, {"region": "9" * 30}).json()) == ["region"]
    # A scoped user's filter takes only regions it may read: another county is not a choice.
    scoped = client_scoped("513431", role="official")
    assert _ids(scoped.get(URL, {"region": regions["village"].pk})) == {village.pk}
    response = scoped.get(URL, {"region": regions["butuo"].pk})
    assert response.status_code == 400 and list(response.json()) == ["region"]


@pytest.mark.parametrize("size", [1, 25])
def test_a_scoped_list_query_count_is_flat(client_scoped, regions, django_assert_max_num_queries, size):
    ReportFactory.create_batch(size, region=regions["zhaojue"])
    ReportFactory.create_batch(size, region=regions["butuo"])
    client = client_scoped("513431", "513400", role="official")
    # As unscoped (test_api.test_list_query_count_is_flat): the scope is one query whatever its size.
    with django_assert_max_num_queries(6):
        response = client.get(URL)
    assert response.json()["count"] == 2 * size
