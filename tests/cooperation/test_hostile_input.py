"""Hostile input is answered as the contract says: JSON under /api/, 400 for bad input, never a 500.

Deeply nested JSON, lone surrogates and NUL characters (in bodies, query strings and paths),
unknown API paths, oversized bodies and a database that is down.
"""

import json

import pytest
from django.db import OperationalError, connection
from django.http import JsonResponse
from django.test import Client, override_settings
from django.urls import path
from django.views.decorators.csrf import csrf_exempt

from config import urls as root_urls
from consumption.models import Sale
from labor.models import Worker
from projects.models import Project
from tests.factories import RegionFactory
from tests.labor.factories import WorkerFactory
from tests.projects.factories import ProjectFactory

DEEP_BODIES = {
    "array": "[" * 1000 + "]" * 1000,
    "object": '{"a":' * 1000 + "1" + "}" * 1000,
    "unclosed": "[" * 100000,
}


def project_payload(**extra):
    return {
        "code": "2024-ZJ-01",
        "name": "肉牛养殖",
        "category": "industry",
        "year": 2024,
        "status": "planned",
        "region": RegionFactory().pk,
        "budget": "2960000.00",
    } | extra


def worker_payload(**extra):
    return {
        "name": "吉克阿依",
        "id_number": "11010519491231002X",
        "hometown": RegionFactory().pk,
        "poverty_alleviated": True,
    } | extra


def send(client, method, url, text):
    """``text`` as the raw JSON body (json.dumps escapes a lone surrogate as ``\\ud800``)."""
    return client.generic(method, url, text, content_type="application/json")


def assert_json(response, status):
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"].startswith("application/json"), response["Content-Type"]
    return response.json()


# -- 6. deeply nested JSON ---------------------------------------------------------------------


@pytest.mark.django_db
class TestDeeplyNestedJSON:
    @pytest.mark.parametrize("body", DEEP_BODIES.values(), ids=DEEP_BODIES.keys())
    @pytest.mark.parametrize(
        "url", ["/api/v1/projects/", "/api/v1/workers/", "/api/v1/regions/", "/api/v1/sales/bulk/"]
    )
    def test_post_is_400(self, api_client_for, url, body):
        body = assert_json(send(api_client_for("admin"), "POST", url, body), 400)
        assert body["detail"]

    @pytest.mark.parametrize("body", DEEP_BODIES.values(), ids=DEEP_BODIES.keys())
    @pytest.mark.parametrize("method", ["PATCH", "PUT"])
    def test_detail_update_is_400_and_changes_nothing(self, api_client_for, method, body):
        project = ProjectFactory(name="原名")
        response = send(api_client_for("admin"), method, f"/api/v1/projects/{project.pk}/", body)
        assert assert_json(response, 400)["detail"]
        project.refresh_from_db()
        assert project.name == "原名"

    def test_moderate_nesting_is_an_ordinary_validation_error(self, api_client_for):
        body = json.dumps(project_payload(name=[[[["x"]]]]))
        assert "name" in assert_json(send(api_client_for("admin"), "POST", "/api/v1/projects/", body), 400)

    def test_malformed_json_keeps_its_answer(self, api_client_for):
        client = api_client_for("admin")
        response = client.generic(
            "POST", "/api/v1/projects/", '{"name": ', content_type="application/json", HTTP_ACCEPT_LANGUAGE="en"
        )
        assert assert_json(response, 400)["detail"].startswith("JSON parse error - ")
        body = assert_json(send(client, "POST", "/api/v1/projects/", '{"name": '), 400)
        assert body["detail"].startswith("JSON 解析错误 - ")

    def test_nan_is_refused(self, api_client_for):
        body = '{"budget": NaN}'
        assert assert_json(send(api_client_for("admin"), "POST", "/api/v1/projects/", body), 400)["detail"]


# -- 7. lone surrogates and NUL characters -------------------------------------------------------


@pytest.mark.django_db
class TestSurrogatesAndNulInBodies:
    @pytest.mark.parametrize("bad", ["\ud800", "HR-\udfff-1", "HR\x00001"])
    def test_worker_external_id(self, api_client_for, bad):
        response = send(api_client_for("api"), "POST", "/api/v1/workers/", json.dumps(worker_payload(external_id=bad)))
        body = assert_json(response, 400)
        assert list(body) == ["external_id"] and body["external_id"]
        assert not Worker.objects.exists()

    def test_the_answer_names_the_field_and_the_code_point(self, api_client_for):
        client = api_client_for("api")
        body = json.dumps(worker_payload(external_id="\ud800", name="a\x00"))
        response = client.generic(
            "POST", "/api/v1/workers/", body, content_type="application/json", HTTP_ACCEPT_LANGUAGE="en"
        )
        assert assert_json(response, 400) == {
            "external_id": ["Surrogate characters are not allowed: U+D800."],
            "name": ["Null characters are not allowed."],
        }

    def test_the_create_view_validates_the_id_before_looking_it_up(self, api_client_for, monkeypatch):
        # Behind the parser: the view never looks up an id its field refuses.
        monkeypatch.setattr("cooperation.api.parsers.check_parsed_data", lambda data: None)
        body = json.dumps(worker_payload(external_id="\ud800"))
        answer = assert_json(send(api_client_for("api"), "POST", "/api/v1/workers/", body), 400)
        assert "external_id" in answer
        assert not Worker.objects.exists()

    def test_worker_external_id_with_a_stored_worker(self, api_client_for):
        WorkerFactory(external_id="HR-1")
        payload = worker_payload(external_id="HR-1\ud800")
        body = assert_json(send(api_client_for("api"), "POST", "/api/v1/workers/", json.dumps(payload)), 400)
        assert "external_id" in body
        assert Worker.objects.count() == 1

    def test_worker_upsert_still_strips_and_finds_the_stored_worker(self, api_client_for):
        stored = WorkerFactory(external_id="HR-7")
        response = api_client_for("api").post(
            "/api/v1/workers/", worker_payload(external_id="  HR-7 ", name="新名字"), format="json"
        )
        assert assert_json(response, 200)["id"] == stored.pk
        assert Worker.objects.get().name == "新名字"

    def test_worker_external_id_of_the_wrong_type_is_400(self, api_client_for):
        response = api_client_for("api").post("/api/v1/workers/", worker_payload(external_id=["HR-1"]), format="json")
        assert "external_id" in assert_json(response, 400)
        assert not Worker.objects.exists()

    @pytest.mark.parametrize("bad", ["\ud800", "a\x00b"])
    @pytest.mark.parametrize("field", ["name", "category", "code"])
    def test_project_string_fields(self, api_client_for, field, bad):
        body = json.dumps(project_payload(**{field: bad}))
        answer = assert_json(send(api_client_for("admin"), "POST", "/api/v1/projects/", body), 400)
        assert field in answer
        assert not Project.objects.exists()

    def test_patch_of_a_detail(self, api_client_for):
        project = ProjectFactory(name="原名")
        body = json.dumps({"name": "新\ud83d"})
        answer = assert_json(send(api_client_for("admin"), "PATCH", f"/api/v1/projects/{project.pk}/", body), 400)
        assert "name" in answer
        project.refresh_from_db()
        assert project.name == "原名"

    def test_a_surrogate_in_a_key_is_400(self, api_client_for):
        body = json.dumps(project_payload() | {"\ud800": 1})
        assert assert_json(send(api_client_for("admin"), "POST", "/api/v1/projects/", body), 400)
        assert not Project.objects.exists()

    def test_a_surrogate_pair_is_an_ordinary_character(self, api_client_for):
        body = json.dumps(project_payload(name="肉牛养殖 \U0001f404"))  # escaped as \ud83d\udc04
        assert assert_json(send(api_client_for("admin"), "POST", "/api/v1/projects/", body), 201)
        assert Project.objects.get().name == "肉牛养殖 \U0001f404"

    def test_bulk_keeps_naming_the_row(self, api_client_for, regions):
        row = {
            "source": "m",
            "external_id": "\ud800",
            "product_name": "x",
            "origin_region": regions["zhaojue"].pk,
            "sold_on": "2023-01-01",
            "amount": "1.00",
            "channel": "online",
            "buyer_kind": "enterprise",
        }
        answer = assert_json(send(api_client_for("api"), "POST", "/api/v1/sales/bulk/", json.dumps([row])), 400)
        assert answer["errors"][0]["index"] == 0
        assert not Sale.objects.exists()


@pytest.mark.django_db
class TestSurrogatesAndNulInQueries:
    @pytest.mark.parametrize(
        "url",
        [
            "/api/v1/workers/?search=%ED%A0%80",
            "/api/v1/workers/?search=%00",
            "/api/v1/workers/?search=%C0%80",
            "/api/v1/workers/?external_id=%00",
            "/api/v1/workers/?ordering=%00",
            "/api/v1/projects/?search=a%00",
            "/api/v1/projects/?code=%00",
            "/api/v1/projects/?status=%00",
            "/api/v1/projects/?page=%00",
            "/api/v1/projects/?%00=1",
            "/api/v1/regions/?search=%00",
        ],
    )
    def test_never_a_500(self, api_client_for, url):
        response = api_client_for("admin").get(url)
        assert response.status_code in (200, 400), response.content[:300]
        assert response["Content-Type"].startswith("application/json")

    @pytest.mark.parametrize("param", ["search", "external_id", "name", "ordering"])
    def test_a_nul_names_the_parameter(self, api_client_for, param):
        response = api_client_for("admin").get(f"/api/v1/workers/?{param}=a%00b", HTTP_ACCEPT_LANGUAGE="en")
        assert assert_json(response, 400) == {param: ["Null characters are not allowed."]}

    def test_invalid_utf8_is_searched_as_replacement_characters(self, api_client_for):
        WorkerFactory(name="阿牛")
        assert assert_json(api_client_for("admin").get("/api/v1/workers/?search=%ED%A0%80"), 200)["count"] == 0


# -- 8. NUL characters in paths and in the admin -------------------------------------------------


@pytest.mark.django_db
class TestNulOutsideTheAPI:
    @pytest.mark.parametrize("model", ["projects/project", "labor/worker", "consumption/sale"])
    def test_admin_search(self, client, make_user, model):
        client.force_login(make_user("admin"))
        response = client.get(f"/admin/{model}/?q=%00")
        assert response.status_code == 400
        assert response["Content-Type"].startswith("text/html")

    @pytest.mark.parametrize(
        "url",
        [
            "/admin/projects/project/?status__exact=%00",
            "/admin/projects/project/?region_within=%00",
            "/admin/projects/project/?year=%00",
            "/admin/labor/worker/?destination=%00",
            "/admin/labor/worker/?year=%00",
            "/admin/autocomplete/?term=%00&app_label=projects&model_name=project&field_name=project",
            "/dashboard/?year=%00",
        ],
    )
    def test_other_pages_with_a_nul_in_the_query(self, make_user, url):
        client = Client(raise_request_exception=False)
        client.force_login(make_user("admin"))
        assert client.get(url).status_code == 400

    def test_admin_search_still_works(self, client, make_user):
        client.force_login(make_user("admin"))
        ProjectFactory(name="肉牛养殖")
        assert "肉牛养殖" in client.get("/admin/projects/project/?q=%E8%82%89%E7%89%9B").content.decode()

    def test_admin_change_page_with_a_nul_in_the_path(self, client, make_user):
        client.force_login(make_user("admin"))
        assert client.get("/admin/projects/project/1%00/change/").status_code == 404

    def test_api_detail_with_a_nul_in_the_path(self, api_client_for):
        assert_json(api_client_for("admin").get("/api/v1/projects/1%00/"), 404)


@pytest.mark.django_db
class TestNulInHeaders:
    def test_a_header_with_a_nul_is_400(self, db):
        client = Client(HTTP_AUTHORIZATION="Token abc\x00def", HTTP_ACCEPT_LANGUAGE="en")
        body = assert_json(client.get("/api/v1/projects/"), 400)
        assert body == {"detail": "The Authorization header contains a null character."}
        response = Client(HTTP_X_SOMETHING="a\x00b").get("/admin/login/")
        assert response.status_code == 400 and response["Content-Type"].startswith("text/html")

    @pytest.mark.parametrize("url", ["/api/v1/projects/", "/admin/", "/dashboard/"])
    def test_a_session_cookie_with_a_nul_is_ignored(self, url):
        client = Client()
        client.cookies["sessionid"] = "abcdefgh\x00ijklmnop"
        assert client.get(url).status_code in (302, 401)

    def test_other_cookies_still_reach_the_view(self, make_user):
        client = Client()
        client.force_login(make_user("admin"))
        client.cookies["other"] = "a\x00b"
        assert client.get("/admin/").status_code == 200


# -- 9. JSON error answers under /api/ -----------------------------------------------------------


@pytest.mark.django_db
class TestJSONErrorAnswers:
    @pytest.mark.parametrize("url", ["/api/v1/nothing/", "/api/v2/x", "/api/", "/api/v1/projects/abc/"])
    @pytest.mark.parametrize("role", [None, "official"])
    def test_unknown_api_path_is_404_json(self, api_client_for, role, url):
        response = api_client_for(role).get(url, HTTP_ACCEPT_LANGUAGE="en")
        if role is None and url == "/api/v1/projects/abc/":
            assert_json(response, 401)
        else:
            assert assert_json(response, 404) == {"detail": "Not found."}

    @pytest.mark.parametrize("method", ["POST", "PUT", "DELETE"])
    def test_unknown_api_path_is_404_json_for_writes_too(self, api_client_for, method):
        assert_json(send(api_client_for("admin"), method, "/api/v2/projects/", "{}"), 404)

    def test_unknown_page_stays_html(self, client):
        response = client.get("/nothing/")
        assert response.status_code == 404
        assert response["Content-Type"].startswith("text/html")

    def test_schema_and_docs_still_answer(self, client):
        assert client.get("/api/schema/").status_code == 200
        assert client.get("/api/docs/").status_code == 200

    @override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=100)
    @pytest.mark.parametrize("method, url", [("POST", "/api/v1/projects/"), ("PUT", "/api/v1/projects/1/")])
    def test_oversized_body_is_400_json(self, api_client_for, method, url):
        ProjectFactory(pk=1)
        body = json.dumps(project_payload(description="x" * 500))
        response = api_client_for("admin").generic(
            method, url, body, content_type="application/json", HTTP_ACCEPT_LANGUAGE="en"
        )
        assert assert_json(response, 400) == {"detail": "The request body is larger than 100 bytes."}

    @override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=100)
    def test_bulk_keeps_its_own_limit(self, api_client_for):
        assert assert_json(send(api_client_for("api"), "POST", "/api/v1/sales/bulk/", "[" + " " * 200 + "]"), 200)

    @override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=100)
    def test_oversized_form_outside_the_api_stays_html(self, client):
        response = Client(raise_request_exception=False).post("/admin/login/", {"username": "x" * 500})
        assert response.status_code == 400
        assert response["Content-Type"].startswith("text/html")


# A plain Django view under /api/ (outside DRF's exception handling), for the handler500 tests.
def _plain_view_using_the_database(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"ok": True})


def _plain_view_that_fails(request):
    raise RuntimeError("boom")


@csrf_exempt
def _plain_view_reading_the_body(request):
    return JsonResponse({"length": len(request.body)})


urlpatterns = [
    path("api/plain/db/", _plain_view_using_the_database),
    path("api/plain/boom/", _plain_view_that_fails),
    path("api/plain/body/", _plain_view_reading_the_body),
    path("plain/db/", _plain_view_using_the_database),
    path("plain/boom/", _plain_view_that_fails),
    *root_urls.urlpatterns,
]
# getattr: so that this module still imports where the root URLconf sets no handlers.
handler400 = getattr(root_urls, "handler400", "django.views.defaults.bad_request")
handler404 = getattr(root_urls, "handler404", "django.views.defaults.page_not_found")
handler500 = getattr(root_urls, "handler500", "django.views.defaults.server_error")


@pytest.fixture
def database_down(transactional_db):
    """The default connection pointed at a closed port for the duration of the test."""

    def stop():
        connection.close()
        connection.settings_dict["HOST"], connection.settings_dict["PORT"] = "127.0.0.1", "9"

    saved = (connection.settings_dict["HOST"], connection.settings_dict["PORT"])
    yield stop
    connection.close()
    connection.settings_dict["HOST"], connection.settings_dict["PORT"] = saved
    connection.ensure_connection()


class TestDatabaseDown:
    def test_api_request_is_503_json(self, api_client_for, database_down):
        client = api_client_for("official")
        database_down()
        with pytest.raises(OperationalError):
            connection.ensure_connection()
        response = client.get("/api/v1/projects/", HTTP_ACCEPT_LANGUAGE="en")
        assert assert_json(response, 503) == {"detail": "The database is unavailable; please try again later."}
        assert assert_json(client.get("/api/v1/projects/"), 503) == {"detail": "数据库暂时无法访问，请稍后重试。"}

    def test_anonymous_api_request_is_503_json(self, database_down):
        database_down()
        response = Client(raise_request_exception=False, HTTP_AUTHORIZATION="Token abc").get("/api/v1/projects/")
        assert_json(response, 503)

    @override_settings(ROOT_URLCONF=__name__)
    def test_outside_drf_under_api_is_503_json(self, database_down):
        database_down()
        response = Client(raise_request_exception=False, HTTP_ACCEPT_LANGUAGE="en").get("/api/plain/db/")
        assert assert_json(response, 503) == {"detail": "The database is unavailable; please try again later."}

    @override_settings(ROOT_URLCONF=__name__)
    def test_database_down_outside_the_api_stays_html(self, database_down):
        database_down()
        response = Client(raise_request_exception=False).get("/plain/db/")
        assert response.status_code == 500
        assert response["Content-Type"].startswith("text/html")

    @override_settings(ROOT_URLCONF=__name__)
    def test_other_server_errors_under_api_are_500_json(self, db):
        response = Client(raise_request_exception=False, HTTP_ACCEPT_LANGUAGE="en").get("/api/plain/boom/")
        assert assert_json(response, 500) == {"detail": "A server error occurred."}

    @override_settings(ROOT_URLCONF=__name__, DATA_UPLOAD_MAX_MEMORY_SIZE=100)
    def test_oversized_body_outside_drf_under_api_is_400_json(self, db):
        client = Client(HTTP_ACCEPT_LANGUAGE="en")
        response = client.post("/api/plain/body/", "x" * 500, content_type="text/plain")
        assert assert_json(response, 400) == {"detail": "The request body is larger than 100 bytes."}

    @override_settings(ROOT_URLCONF=__name__)
    def test_server_errors_outside_the_api_stay_html(self, db):
        response = Client(raise_request_exception=False).get("/plain/boom/")
        assert response.status_code == 500
        assert response["Content-Type"].startswith("text/html")

    def test_the_health_check_still_reports_the_database(self, database_down, monkeypatch):
        monkeypatch.setattr("config.views._broker_ok", lambda: True)
        database_down()
        response = Client().get("/healthz")
        assert response.status_code == 503 and response.json()["down"] == ["database"]
