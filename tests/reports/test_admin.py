"""Admin of the reports: ask for one now, regenerate, download link; query counts."""

import datetime

import pytest

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
