"""The ``reports`` endpoint: permissions, 202 on request, the period rule, the download."""

import datetime

import pytest

from reports import services
from reports.models import Report
from tests.reports.factories import ReportFactory

URL = "/api/v1/reports/"
D = datetime.date
pytestmark = pytest.mark.django_db


def _client(api_client_for, make_user, role):
    return api_client_for(user=make_user(None)) if role == "norole" else api_client_for(role)


@pytest.fixture
def done_report(regions):
    report = services.report_request(kind="annual", period_start=D(2023, 1, 1))
    return services.report_generate(report_id=report.pk)


@pytest.mark.parametrize(
    "role, read, create", [(None, 401, 401), ("norole", 403, 403), ("official", 200, 403), ("api", 200, 202),
                           ("staff", 200, 202), ("admin", 200, 202)]
)  # fmt: skip
def test_permissions(api_client_for, make_user, role, read, create):
    report = ReportFactory()
    client = _client(api_client_for, make_user, role)
    assert client.get(URL).status_code == read
    assert client.get(f"{URL}{report.pk}/").status_code == read
    response = client.post(URL, {"kind": "monthly", "period_start": "2024-02-01"}, format="json")
    assert response.status_code == create, response.content


@pytest.mark.parametrize("method", ["put", "patch", "delete"])
def test_reports_are_not_edited_through_the_api(api_client_for, method):
    report = ReportFactory()
    response = getattr(api_client_for("admin"), method)(f"{URL}{report.pk}/", {}, format="json")
    assert response.status_code == 405


def test_post_answers_202_with_the_report_and_a_second_post_reuses_it(api_client_for):
    client = api_client_for("staff")
    first = client.post(URL, {"kind": "quarterly", "period_start": "2023-10-01"}, format="json")
    assert first.status_code == 202, first.content
    body = first.json()
    assert body | {"id": 0} == {
        "id": 0,
        "kind": "quarterly",
        "region": None,
        "period_start": "2023-10-01",
        "period_end": "2023-12-31",
        "status": "pending",
        "generated_at": None,
        "indicators": [],
        "file": None,
        "error": "",
    }
    second = client.post(URL, {"kind": "quarterly", "period_start": "2023-10-01"}, format="json")
    assert second.status_code == 202 and second.json()["id"] == body["id"]
    assert Report.objects.count() == 1


@pytest.mark.parametrize(
    "payload, field",
    [
        ({"kind": "monthly", "period_start": "2024-02-02"}, "period_start"),
        ({"kind": "quarterly", "period_start": "2024-02-01"}, "period_start"),
        ({"kind": "annual", "period_start": "2024-07-01"}, "period_start"),
        ({"kind": "annual", "period_start": "9999-01-01"}, "period_start"),
        ({"kind": "annual", "period_start": "2024-13-01"}, "period_start"),
        ({"kind": "annual", "period_start": "yesterday"}, "period_start"),
        ({"kind": "annual"}, "period_start"),
        ({"kind": "weekly", "period_start": "2024-01-01"}, "kind"),
        ({"period_start": "2024-01-01"}, "kind"),
    ],
)
def test_bad_requests_are_400_naming_the_field(api_client_for, payload, field):
    response = api_client_for("staff").post(URL, payload, format="json")
    assert response.status_code == 400, response.content
    assert field in response.json()
    assert not Report.objects.exists()


def test_a_list_body_is_400(api_client_for):
    response = api_client_for("staff").post(URL, [{"kind": "annual"}], format="json")
    assert response.status_code == 400


def test_done_report_lists_its_indicators_and_an_absolute_file_url(api_client_for, done_report):
    body = api_client_for("official").get(f"{URL}{done_report.pk}/").json()
    assert body["status"] == "done" and body["generated_at"]
    assert body["file"] == f"http://testserver{URL}{done_report.pk}/file/"
    cadres = next(row for row in body["indicators"] if row["key"] == "talent.cadres")
    assert set(cadres) == {"key", "label", "value", "unit", "target", "completion"} and cadres["value"] == 0


@pytest.mark.parametrize("role, status", [(None, 401), ("norole", 403), ("official", 200), ("api", 200)])
def test_download_is_permission_checked(api_client_for, make_user, done_report, role, status):
    response = _client(api_client_for, make_user, role).get(f"{URL}{done_report.pk}/file/")
    assert response.status_code == status
    if status == 200:
        assert response["Content-Type"].startswith("application/vnd.openxmlformats")
        assert b"".join(response.streaming_content)[:2] == b"PK"  # a zip: the xlsx


def test_download_of_a_pending_report_is_404(api_client_for):
    report = ReportFactory()
    assert api_client_for("official").get(f"{URL}{report.pk}/file/").status_code == 404


def test_filters(api_client_for):
    ReportFactory(kind="monthly", period_start=D(2023, 5, 1))
    ReportFactory(kind="annual", period_start=D(2022, 1, 1), period_end=D(2022, 12, 31), status="done")
    client = api_client_for("official")
    assert client.get(URL, {"kind": "annual"}).json()["count"] == 1
    assert client.get(URL, {"year": 2023}).json()["count"] == 1
    assert client.get(URL, {"status": "done"}).json()["count"] == 1
    assert client.get(URL, {"period_start_after": "2023-01-01"}).json()["count"] == 1
    assert client.get(URL, {"kind": "weekly"}).status_code == 400
    assert client.get(URL, {"period_start_after": "x"}).status_code == 400


@pytest.mark.parametrize("size", [1, 25])
def test_list_query_count_is_flat(api_client_for, django_assert_max_num_queries, size):
    ReportFactory.create_batch(size)
    client = api_client_for("official")
    # Token user, the scope (one query, CONTRACT.md 1.1, even when it is empty), two of
    # permissions, the count, the page (the region joined).
    with django_assert_max_num_queries(6):
        response = client.get(URL)
    assert response.json()["count"] == size
