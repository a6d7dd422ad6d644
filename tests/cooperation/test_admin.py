"""The admin of the programme core: Chinese first, roles, audit history, spreadsheet import."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from simple_history.utils import get_history_model_for_model
from tablib import Dataset

from cooperation.models import Organization, Region
from cooperation.resources import RegionResource
from tests.factories import OrganizationFactory, make_credit_code

CORE_MODELS = ["region", "organization", "pairing", "target", "secondment"]


@pytest.mark.django_db
class TestLanguage:
    def test_admin_is_chinese_by_default(self, client, make_user):
        client.force_login(make_user("staff"))
        page = client.get("/admin/").content.decode()
        assert "东西部协作管理平台" in page
        assert "行政区划代码" in client.get("/admin/cooperation/region/add/").content.decode()

    def test_english_is_available(self, client, make_user):
        client.force_login(make_user("staff"))
        client.post("/i18n/setlang/", {"language": "en", "next": "/admin/"})
        page = client.get("/admin/").content.decode()
        assert "East-West Cooperation Portal" in page

    def test_login_page_in_chinese(self, client):
        assert "东西部协作管理平台" in client.get("/admin/login/").content.decode()


@pytest.mark.django_db
class TestRolesInTheAdmin:
    @pytest.mark.parametrize("model", CORE_MODELS)
    def test_official_views_but_cannot_add(self, client, make_user, model):
        client.force_login(make_user("official"))
        assert client.get(f"/admin/cooperation/{model}/").status_code == 200
        assert client.get(f"/admin/cooperation/{model}/add/").status_code == 403

    @pytest.mark.parametrize("model", CORE_MODELS)
    def test_staff_adds_but_cannot_delete(self, client, make_user, regions, model):
        client.force_login(make_user("staff"))
        assert client.get(f"/admin/cooperation/{model}/add/").status_code == 200
        if model == "region":
            delete_url = f"/admin/cooperation/region/{regions['village'].pk}/delete/"
            assert client.get(delete_url).status_code == 403

    def test_admin_deletes(self, client, make_user, regions):
        client.force_login(make_user("admin"))
        response = client.post(f"/admin/cooperation/region/{regions['village'].pk}/delete/", {"post": "yes"})
        assert response.status_code == 302
        assert not Region.objects.filter(pk=regions["village"].pk).exists()

    def test_api_client_has_no_admin(self, client, make_user):
        client.force_login(make_user("api"))
        assert client.get("/admin/").status_code == 302  # sent to the login page


@pytest.mark.django_db
class TestAuditInTheAdmin:
    def test_admin_edit_is_recorded_and_shown_in_history(self, client, make_user, regions):
        user = make_user("staff")
        client.force_login(user)
        org = OrganizationFactory(region=regions["zhaojue"], name="昭觉县人民医院", kind="hospital")
        data = {
            "name": "昭觉县人民医院（新院区）",
            "kind": "hospital",
            "side": "west",
            "region": regions["zhaojue"].pk,
            "credit_code": org.credit_code,
            "address": "",
            "contact": "",
        }
        response = client.post(f"/admin/cooperation/organization/{org.pk}/change/", data)
        assert response.status_code == 302, response.content.decode()[:2000]
        last = get_history_model_for_model(Organization).objects.filter(id=org.pk).latest("history_date")
        assert last.history_user == user and last.history_type == "~"
        history_page = client.get(f"/admin/cooperation/organization/{org.pk}/history/").content.decode()
        assert "昭觉县人民医院（新院区）" in history_page
        assert user.username in history_page

    def test_bad_credit_code_is_a_form_error(self, client, make_user, regions):
        client.force_login(make_user("staff"))
        data = {"name": "x", "kind": "enterprise", "side": "west", "region": regions["zhaojue"].pk}
        response = client.post("/admin/cooperation/organization/add/", data | {"credit_code": "91350100M000100Y44"})
        assert response.status_code == 200
        assert "统一社会信用代码的校验码错误" in response.content.decode()


def _csv(rows):
    dataset = Dataset(headers=list(rows[0].keys()))
    for row in rows:
        dataset.append(list(row.values()))
    return io.BytesIO(dataset.export("csv").encode())


def _import(client, model, rows, *, confirm):
    """Upload through the admin's import page (dry run); with confirm, confirm the preview."""
    upload = _csv(rows)
    upload.name = "rows.csv"
    response = client.post(
        f"/admin/cooperation/{model}/import/",
        {"import_file": upload, "format": "1", "resource": "0"},
    )
    if not confirm or response.status_code != 200 or "confirm_form" not in response.context:
        return response
    form = response.context["confirm_form"]
    data = {name: field.initial for name, field in form.fields.items()}
    data.update(form.initial)
    return client.post(reverse(f"admin:cooperation_{model}_process_import"), data)


@pytest.mark.django_db
class TestSpreadsheetImport:
    def test_dry_run_writes_nothing_then_confirm_writes_all(self, client, make_user, regions):
        client.force_login(make_user("staff"))
        rows = [
            {"code": "513431105", "name": "四开镇", "level": "town", "parent": "513431", "side": "west"},
            {"code": "513431106", "name": "谷曲镇", "level": "town", "parent": "513431", "side": "west"},
        ]
        preview = _import(client, "region", rows, confirm=False)
        assert preview.status_code == 200
        assert "四开镇" in preview.content.decode()
        assert not Region.objects.filter(code="513431105").exists()
        done = _import(client, "region", rows, confirm=True)
        assert done.status_code == 302
        assert Region.objects.filter(code__in=["513431105", "513431106"]).count() == 2
        history = get_history_model_for_model(Region).objects.get(code="513431105")
        assert history.history_user.username == "staff-user"

    def test_one_bad_row_names_row_and_column_and_writes_nothing(self, client, make_user, regions):
        client.force_login(make_user("staff"))
        rows = [
            {"code": "513431105", "name": "四开镇", "level": "town", "parent": "513431", "side": "west"},
            {"code": "5134311", "name": "坏镇", "level": "town", "parent": "513431", "side": "west"},
        ]
        response = _import(client, "region", rows, confirm=True)
        page = response.content.decode()
        assert response.status_code == 200
        assert "code" in page and "9" in page  # the column and the rule (a town has 9 digits)
        result = response.context["result"]
        assert result.has_validation_errors()
        assert [row.number for row in result.invalid_rows] == [2]
        assert not Region.objects.filter(code="513431105").exists()

    def test_blank_cell_keeps_the_stored_value_on_update(self, client, make_user, regions):
        client.force_login(make_user("staff"))
        org = OrganizationFactory(
            region=regions["zhaojue"],
            name="昭觉县供销社",
            kind="cooperative",
            credit_code=make_credit_code(42),
            contact="阿且",
        )
        rows = [
            {
                "id": org.pk,
                "name": "",
                "kind": "",
                "side": "",
                "region": "",
                "credit_code": "",
                "address": "昭觉县新城",
                "contact": "",
            }
        ]
        response = _import(client, "organization", rows, confirm=True)
        assert response.status_code == 302, response.content.decode()[:3000]
        org.refresh_from_db()
        assert (org.name, org.contact, org.address) == ("昭觉县供销社", "阿且", "昭觉县新城")
        assert org.credit_code == make_credit_code(42)

    def test_export_xlsx(self, client, make_user, regions):
        client.force_login(make_user("official"))
        columns = {f"regionresource_{name}": "on" for name in ("code", "name", "level", "parent", "side")}
        response = client.post("/admin/cooperation/region/export/", {"format": "0", "resource": "0", **columns})
        assert response.status_code == 200
        assert response["Content-Type"].startswith("application/vnd.openxmlformats")
        sheet = load_workbook(io.BytesIO(response.content)).active
        rows = list(sheet.iter_rows(values_only=True))
        # Headers are the verbose names, choices their labels (see cooperation.resources_base).
        assert rows[0] == tuple(RegionResource().get_export_headers())
        label = {name: dict(Region._meta.get_field(name).flatchoices) for name in ("level", "side")}
        assert ("513431", "昭觉县", label["level"]["county"], "513400", label["side"]["west"]) in rows
