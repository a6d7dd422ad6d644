"""Admin of the reports: ask for one now, regenerate, download link; query counts."""

import datetime

import pytest

from cooperation.services import set_scope
from reports import services
from reports.models import Report
from tests.reports.factories import ReportFactory

D = datetime.date
URL = "/admin/reports/report/"
pytestmark = pytest.mark.django_db


def test_staff_asks_for_a_report_from_the_admin(client, make_user, django_capture_on_commit_callbacks):
    client.force_login(make_user("staff"))
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(f"{URL}add/", {"kind": "monthly", "period_start": "2024-03-01"})
    assert response.status_code == 302, response.content
    report = Report.objects.get()
    assert (report.kind, report.period_end, report.status) == ("monthly", D(2024, 3, 31), "pending")
    assert len(callbacks) == 1
    # Asking again regenerates the same report instead of refusing the duplicate.
    response = client.post(f"{URL}add/", {"kind": "monthly", "period_start": "2024-03-01"})
    assert response.status_code == 302 and Report.objects.count() == 1


def test_a_bad_period_start_is_shown_on_the_form(client, make_user):
    client.force_login(make_user("staff"))
    response = client.post(f"{URL}add/", {"kind": "quarterly", "period_start": "2024-03-01"})
    assert response.status_code == 200
    assert "period_start" in response.context["adminform"].form.errors
    assert not Report.objects.exists()


def test_regenerate_action(client, make_user, regions):
    report = services.report_request(kind="annual", period_start=D(2023, 1, 1))
    services.report_generate(report_id=report.pk)
    client.force_login(make_user("staff"))
    response = client.post(URL, {"action": "regenerate", "_selected_action": [report.pk]})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == "pending"


def test_change_page_and_download_link(client, make_user, regions):
    report = services.report_request(kind="annual", period_start=D(2023, 1, 1))
    services.report_generate(report_id=report.pk)
    client.force_login(make_user("official"))
    page = client.get(f"{URL}{report.pk}/change/")
    assert page.status_code == 200
    assert f"/api/v1/reports/{report.pk}/file/" in page.content.decode()
    assert client.get(f"/api/v1/reports/{report.pk}/file/").status_code == 200


@pytest.mark.parametrize("size", [1, 30])
def test_changelist_query_count_is_flat(client, make_user, django_assert_max_num_queries, size):
    ReportFactory.create_batch(size)
    client.force_login(make_user("staff"))
    with django_assert_max_num_queries(12):
        response = client.get(URL)
    assert response.status_code == 200


# -- per region and for scoped users (CONTRACT.md 1.1)


@pytest.fixture
def scoped_staff(make_user):
    def make(*codes, role="staff"):
        user = make_user(role, username=f"{role}-{'-'.join(codes)}")
        set_scope(user=user, codes=list(codes))
        return user

    return make


def test_staff_asks_for_a_regions_report(client, make_user, regions):
    client.force_login(make_user("staff"))
    data = {"kind": "monthly", "period_start": "2024-03-01", "region": regions["zhaojue"].pk}
    assert client.post(f"{URL}add/", data).status_code == 302
    assert client.post(f"{URL}add/", {"kind": "monthly", "period_start": "2024-03-01"}).status_code == 302
    assert client.post(f"{URL}add/", data).status_code == 302  # asked again: regenerated
    assert sorted(Report.objects.values_list("region__code", flat=True), key=str) == ["513431", None]


def test_a_scoped_user_asks_for_its_region_by_default_and_only_within_its_scope(client, scoped_staff, regions):
    client.force_login(scoped_staff("513431"))
    form = client.get(f"{URL}add/").context["adminform"].form
    assert set(form.fields["region"].queryset) == {regions["zhaojue"], regions["town"], regions["village"]}
    assert client.post(f"{URL}add/", {"kind": "monthly", "period_start": "2024-03-01"}).status_code == 302
    assert Report.objects.get().region == regions["zhaojue"]
    response = client.post(
        f"{URL}add/", {"kind": "monthly", "period_start": "2024-04-01", "region": regions["butuo"].pk}
    )
    assert response.status_code == 200 and "region" in response.context["adminform"].form.errors
    assert Report.objects.count() == 1


def test_a_user_with_several_scope_regions_is_asked_to_choose(client, scoped_staff, regions):
    client.force_login(scoped_staff("513431", "513429"))
    response = client.post(f"{URL}add/", {"kind": "monthly", "period_start": "2024-03-01"})
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["region"] == ["请选择报告的地区：您的权限范围包含多个地区。"]
    assert not Report.objects.exists()


def test_a_scoped_list_shows_only_the_scopes_reports(client, scoped_staff, regions):
    ReportFactory(region=None, period_start=D(2023, 1, 1))
    zhaojue = ReportFactory(region=regions["zhaojue"], period_start=D(2023, 2, 1))
    butuo = ReportFactory(region=regions["butuo"], period_start=D(2023, 3, 1))
    client.force_login(scoped_staff("513431"))
    response = client.get(URL)
    assert list(response.context["cl"].result_list) == [zhaojue]
    assert "昭觉县 (513431)" in response.content.decode()
    for page in ("change", "history"):
        assert client.get(f"{URL}{zhaojue.pk}/{page}/").status_code == 200
        assert client.get(f"{URL}{butuo.pk}/{page}/").status_code in (302, 404)
    # The region filter offers only the scope's regions, and no programme-wide choice.
    filters = {spec.title: spec for spec in response.context["cl"].filter_specs}
    assert [choice[0] for choice in filters["地区"].lookup_choices] == [str(regions["zhaojue"].pk)]


def test_the_region_column_and_filter(client, make_user, regions):
    programme = ReportFactory(region=None, period_start=D(2023, 1, 1))
    zhaojue = ReportFactory(region=regions["zhaojue"], period_start=D(2023, 2, 1))
    client.force_login(make_user("staff"))
    page = client.get(URL).content.decode()
    assert "全部协作地区" in page and "昭觉县 (513431)" in page
    assert list(client.get(URL, {"region": regions["zhaojue"].pk}).context["cl"].result_list) == [zhaojue]
    assert list(client.get(URL, {"region": "none"}).context["cl"].result_list) == [programme]
    for bad in ("x", "²", "9" * 30):  # Django's answer to a bad lookup (back to the list), not a 500
        assert client.get(URL, {"region": bad}).status_code == 302
