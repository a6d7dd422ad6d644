"""The dashboard page: access, year and region, pace and lagging rows, links, language, queries."""

import datetime

import pytest
from django.utils import timezone

from dashboard import views
from indicators.registry import INDICATORS
from reports import services
from tests.factories import SecondmentFactory, TargetFactory

URL = "/dashboard/"
pytestmark = pytest.mark.django_db


def _row_html(content: str, key: str) -> str:
    start = content.index(f'data-key="{key}"')
    return content[content.rindex("<tr", 0, start) : content.index("</tr>", start)]


@pytest.fixture
def official_client(client, make_user):
    client.force_login(make_user("official"))
    return client


def test_anonymous_is_sent_to_the_login_page(client):
    response = client.get(URL)
    assert response.status_code == 302 and response["Location"].startswith("/dashboard/login/")


def test_the_root_redirects_to_the_dashboard(client):
    assert client.get("/")["Location"] == "/dashboard/"


def test_a_user_without_a_role_is_refused(client, make_user):
    user = make_user(None)
    user.save()  # UserFactory saves the password only when it adds a role
    client.force_login(user)
    assert client.get(URL).status_code == 403


REFUSED = "此账号无权使用看板：API 客户端账号仅可使用 API。"


@pytest.mark.parametrize("role", ["admin", "staff", "official"])
def test_every_dashboard_role_logs_in_on_the_dashboards_own_page(client, make_user, role):
    make_user(role, is_staff=False)  # whether or not admitted to the admin
    response = client.post("/dashboard/login/", {"username": f"{role}-user", "password": "secret-pass-123"})
    assert response.status_code == 302 and response["Location"] == URL
    assert client.get(URL).status_code == 200


def test_an_api_client_cannot_log_in_on_the_dashboard(client, make_user):
    make_user("api")
    response = client.post("/dashboard/login/", {"username": "api-user", "password": "secret-pass-123"})
    assert response.status_code == 200
    assert REFUSED in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert client.get(URL).status_code == 302  # still sent to the login page


def test_a_wrong_password_is_still_the_plain_error(client, make_user):
    make_user("api")
    response = client.post("/dashboard/login/", {"username": "api-user", "password": "wrong"})
    page = response.content.decode()
    assert response.status_code == 200 and "请输入正确的用户名和密码。" in page and REFUSED not in page


def test_a_signed_in_api_client_is_refused_the_dashboard_pages(client, make_user):
    client.force_login(make_user("api"))
    response = client.get(URL)
    assert response.status_code == 403
    assert REFUSED in response.content.decode()
    assert client.post("/dashboard/subscription/", {"subscribed": "1"}).status_code == 403
    # The login page is shown (to sign in as someone else), not a redirect to the refusal.
    assert client.get("/dashboard/login/").status_code == 200


def test_an_api_client_keeps_the_summary_and_reports_api(api_client_for, regions):
    client = api_client_for("api")
    assert client.get("/api/v1/dashboard/summary/", {"year": 2023}).status_code == 200
    assert client.get("/api/v1/reports/").status_code == 200


def test_year_and_region_change_the_figures(official_client, regions):
    SecondmentFactory.create_batch(2, region=regions["zhaojue"], started_on=datetime.date(2023, 3, 1))
    SecondmentFactory(region=regions["butuo"], started_on=datetime.date(2023, 3, 1), ended_on=datetime.date(2023, 5, 1))
    whole = official_client.get(URL, {"year": 2023}).content.decode()
    assert "3 人" in _row_html(whole, "talent.cadres") or ">3 people<" in _row_html(whole, "talent.cadres")
    zhaojue = official_client.get(URL, {"year": 2023, "region": regions["zhaojue"].pk}).content.decode()
    assert "2 " in _row_html(zhaojue, "talent.cadres")
    later = official_client.get(URL, {"year": 2024}).content.decode()
    assert "2 " in _row_html(later, "talent.cadres")
    assert "昭觉县" in zhaojue


def test_a_lagging_indicator_stands_out(official_client, regions):
    SecondmentFactory(region=regions["zhaojue"], started_on=datetime.date(2022, 3, 1))
    TargetFactory(year=2022, indicator="talent.cadres", value=5)
    content = official_client.get(URL, {"year": 2022}).content.decode()
    row = _row_html(content, "talent.cadres")
    assert "status-lagging" in row and "badge-lagging" in row
    assert "20.0%" in row


def test_bad_parameters_fall_back_to_this_year_with_a_message(official_client):
    response = official_client.get(URL, {"year": "1800", "region": "abc"})
    assert response.status_code == 200
    assert response.context["year"] == timezone.localdate().year and response.context["region"] is None
    assert response.context["form"].errors


def test_figures_link_to_the_filtered_admin_list(official_client, regions):
    content = official_client.get(URL, {"year": 2023}).content.decode()
    row = _row_html(content, "talent.cadres")
    link = row[row.index('href="') + 6 : row.index('"', row.index('href="') + 6)].replace("&amp;", "&")
    assert link.startswith("/admin/cooperation/secondment/?") and "kind=cadre" in link
    assert official_client.get(link).status_code == 200


def test_english_is_available(official_client):
    official_client.post("/i18n/setlang/", {"language": "en", "next": URL})
    content = official_client.get(URL).content.decode()
    assert "Cadres seconded" in content and "Annual target" in content


def test_chinese_comes_first(official_client):
    content = official_client.get(URL, HTTP_ACCEPT_LANGUAGE="").content.decode()
    assert 'lang="zh-hans"' in content


def test_the_page_renders_without_the_chart_library(official_client, monkeypatch):
    monkeypatch.setattr(views.finders, "find", lambda path: None)
    content = official_client.get(URL).content.decode()
    assert "chart.umd.js" not in content and 'id="figures"' in content


def test_reports_are_listed_for_download(official_client, regions, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    report = services.report_request(kind="annual", period_start=datetime.date(2023, 1, 1))
    services.report_generate(report_id=report.pk)
    content = official_client.get(URL, {"year": 2023}).content.decode()  # the list follows the year
    assert f"/api/v1/reports/{report.pk}/file/" in content


def test_asking_for_the_monthly_report_by_mail(official_client):
    response = official_client.post("/dashboard/subscription/", {"subscribed": "1", "next": "/dashboard/?year=2023"})
    assert response["Location"] == "/dashboard/?year=2023"
    assert official_client.get(URL).context["subscribed"] is True
    response = official_client.post("/dashboard/subscription/", {"subscribed": "0", "next": "https://evil.example/"})
    assert response["Location"] == "/dashboard/"
    assert official_client.get(URL).context["subscribed"] is False


def test_no_personal_data_on_the_page(official_client, regions):
    SecondmentFactory(region=regions["zhaojue"], person_name="王秘密")
    assert "王秘密" not in official_client.get(URL, {"year": 2023}).content.decode()


@pytest.mark.parametrize("size", [1, 30])
def test_query_count_does_not_grow_with_the_data(official_client, regions, django_assert_max_num_queries, size):
    SecondmentFactory.create_batch(size, region=regions["zhaojue"])
    for indicator in INDICATORS[:size]:
        TargetFactory(year=2023, indicator=indicator.key, region=regions["zhaojue"], value=10)
    # session, user, permissions, region, targets, one per indicator, trend and breakdown, the
    # lagging projects, the year range, the reports, the subscription, the region choices: 38;
    # the user's scope; the roll-up of Zhaojue's towns: the children, their targets, then one
    # query per indicator (tests/dashboard/test_scopes.py: none per child); + 2: which months
    # are approved (the counties, their approved submissions; tests/dashboard/test_approval_marks.py).
    with django_assert_max_num_queries(43 + 2 + len(INDICATORS) + 2):
        response = official_client.get(URL, {"year": 2023, "region": regions["zhaojue"].pk})
    assert response.status_code == 200


def test_every_figure_link_opens_its_admin_list(client, make_user, regions):
    client.force_login(make_user("admin"))
    response = client.get(URL, {"year": 2023, "region": regions["zhaojue"].pk})
    links = {row["key"]: row["link"] for row in response.context["rows"] if row["link"]}
    links |= {b["name"]: b["link"] for b in response.context["breakdowns"] if b["link"]}
    for breakdown in response.context["breakdowns"]:
        links |= {
            f"{breakdown['name']}:{item['code']}": item["link"] for item in breakdown["items"] or [] if item["link"]
        }
    assert "talent.cadres" in links
    if "funds.allocated" in links:  # the projects lists filter on the region's subtree
        assert f"region_within={regions['zhaojue'].pk}" in links["funds.allocated"]
    for key, link in links.items():
        opened = client.get(link)
        assert opened.status_code == 200, (key, link, opened.status_code)
        assert "?e=1" not in opened.get("Location", ""), (key, link)


@pytest.mark.parametrize(
    ("kind", "month", "period_start"),
    [("monthly", "5", datetime.date(2023, 5, 1)), ("quarterly", "5", datetime.date(2023, 4, 1)),
     ("annual", "", datetime.date(2023, 1, 1))],
)  # fmt: skip
def test_an_official_asks_for_a_report_of_the_selected_period(official_client, regions, kind, month, period_start):
    from reports.models import Report

    response = official_client.post("/dashboard/reports/request/", {"kind": kind, "year": 2023, "month": month})
    assert response.status_code == 302 and response["Location"].startswith("/dashboard/?year=2023")
    report = Report.objects.get()
    assert (report.kind, report.period_start, report.status) == (kind, period_start, "pending")
    page = official_client.get(response["Location"]).content.decode()
    assert "正在生成报告" in page and "生成中" in page


def test_a_monthly_report_needs_its_month(official_client, regions):
    from reports.models import Report

    response = official_client.post("/dashboard/reports/request/", {"kind": "monthly", "year": 2023}, follow=True)
    assert "请选择报告的月份" in response.content.decode()
    assert not Report.objects.exists()


def test_the_reports_list_follows_the_selected_year(official_client, regions):
    from tests.reports.factories import ReportFactory

    ReportFactory(kind="annual", period_start=datetime.date(2022, 1, 1), status="done", file="r-2022.xlsx")
    ReportFactory(kind="annual", period_start=datetime.date(2023, 1, 1), status="done", file="r-2023.xlsx")
    reports = official_client.get(URL, {"year": 2023}).context["reports"]
    assert [report.period_start.year for report in reports] == [2023]
