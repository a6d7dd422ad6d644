"""The birth date is the masked part of the ID number (characters 7-14): shown beside
``513431********2981`` it gives the whole number back. Users without
``labor.view_full_id_number`` see the birth year only, everywhere: API, admin list, form,
view-only page, history, exports, import previews; and cannot find the date by filtering or
ordering on it. Users holding the permission see everything as before."""

import datetime
import io

import openpyxl
import pytest
import tablib
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from labor.models import Worker
from labor.resources import WorkerResource
from tests.labor.factories import PlacementFactory, WorkerFactory, make_id_number

BIRTH_DATE = datetime.date(1999, 4, 9)
ID_NUMBER = make_id_number(7, birth_date=BIRTH_DATE)
MASKED = ID_NUMBER[:6] + "********" + ID_NUMBER[-4:]
# The worker's ID number is changed once, in the history tests: the old date must not show either.
LATER_BIRTH_DATE = datetime.date(1988, 11, 23)
LATER_ID_NUMBER = make_id_number(8, birth_date=LATER_BIRTH_DATE)


def renderings(date: datetime.date) -> list[str]:
    """The ways a page, a sheet or a body may write ``date``."""
    y, m, d = date.year, date.month, date.day
    month_abbr = date.strftime("%b")
    return [
        f"{date:%Y-%m-%d}",
        f"{y}-{m}-{d}",
        f"{date:%Y%m%d}",
        f"{date:%Y/%m/%d}",
        f"{y}/{m}/{d}",
        f"{date:%Y.%m.%d}",
        f"{date:%m/%d/%Y}",
        f"{date:%d/%m/%Y}",
        f"{date:%d.%m.%Y}",
        f"{y}年{m}月{d}日",
        f"{y}年{m:02d}月{d:02d}日",
        f"{month_abbr}. {d}, {y}",
        f"{month_abbr} {d}, {y}",
        f"{date:%B} {d}, {y}",
        f"{d} {date:%B} {y}",
        f"{date:%Y-%m-%d}T",
    ]


def assert_no_birth_date(text: str, *dates: datetime.date) -> None:
    for date in dates or (BIRTH_DATE,):
        shown = [rendering for rendering in renderings(date) if rendering in text]
        assert not shown, f"birth date shown as {shown}"
    assert ID_NUMBER not in text and LATER_ID_NUMBER not in text


def assert_birth_date_shown(text: str) -> None:
    assert any(rendering in text for rendering in renderings(BIRTH_DATE)), "the birth date is missing"


def xlsx_text(content: bytes) -> str:
    """Every cell of a workbook, dates as ISO strings (a date cell is a number in the file)."""
    book = openpyxl.load_workbook(io.BytesIO(content))
    cells = []
    for sheet in book.worksheets:
        for row in sheet.iter_rows(values_only=True):
            for value in row:
                if isinstance(value, datetime.datetime):
                    value = value.date()
                cells.append(value.isoformat() if isinstance(value, datetime.date) else str(value))
    return "\n".join(cells)


@pytest.fixture
def worker(regions):
    worker = WorkerFactory(name="吉克阿依", id_number=ID_NUMBER, phone="13812345678", hometown=regions["village"])
    PlacementFactory(worker=worker)
    assert worker.birth_date == BIRTH_DATE
    return worker


@pytest.fixture
def admin_client_for(make_user):
    def make(role_key=None, user=None):
        client = Client()
        client.user = user or make_user(role_key)
        client.force_login(client.user)
        return client

    return make


RESTRICTED_API_ROLES = ["staff", "official", "api"]
RESTRICTED_ADMIN_ROLES = ["staff", "official"]


@pytest.mark.django_db
class TestApi:
    @pytest.mark.parametrize("role", RESTRICTED_API_ROLES)
    def test_detail_and_list_show_the_birth_year_only(self, role, api_client_for, worker):
        client = api_client_for(role)
        detail = client.get(f"/api/v1/workers/{worker.pk}/")
        listing = client.get("/api/v1/workers/")
        for response in (detail, listing):
            assert response.status_code == 200
            assert_no_birth_date(response.content.decode())
        for body in (detail.json(), listing.json()["results"][0]):
            assert (body["id_number"], body["birth_date"], body["birth_year"]) == (MASKED, None, 1999)
            assert body["gender"] == worker.gender

    @pytest.mark.parametrize("role", ["staff", "official"])
    def test_browsable_api_shows_the_birth_year_only(self, role, api_client_for, worker):
        client = api_client_for(role)
        for url in (f"/api/v1/workers/{worker.pk}/", "/api/v1/workers/"):
            response = client.get(url, HTTP_ACCEPT="text/html")
            assert response.status_code == 200 and response["Content-Type"].startswith("text/html")
            assert_no_birth_date(response.content.decode())

    @pytest.mark.parametrize("role", RESTRICTED_API_ROLES)
    @pytest.mark.parametrize(
        "params, named",
        [
            ({"birth_date_after": "1999-04-09"}, "birth_date_after"),
            ({"birth_date_before": "1999-04-10"}, "birth_date_before"),
            ({"birth_date_after": "1999-04-01", "birth_date_before": "1999-04-30"}, "birth_date_after"),
            ({"ordering": "birth_date"}, "ordering"),
            ({"ordering": "name,-birth_date"}, "ordering"),
        ],
    )
    def test_no_bisection_on_the_birth_date(self, role, params, named, api_client_for, worker):
        response = api_client_for(role).get("/api/v1/workers/", params)
        assert response.status_code == 400, response.content
        assert named in response.json()
        assert_no_birth_date(response.content.decode())

    @pytest.mark.parametrize("role", RESTRICTED_API_ROLES)
    def test_filter_by_birth_year(self, role, api_client_for, worker, regions):
        other = WorkerFactory(id_number=make_id_number(9, birth_date=datetime.date(1990, 1, 2)))
        client = api_client_for(role)

        def ids(**params):
            response = client.get("/api/v1/workers/", params)
            assert response.status_code == 200, response.content
            return sorted(row["id"] for row in response.json()["results"])

        assert ids(birth_year=1999) == [worker.pk]
        assert ids(birth_year=1990) == [other.pk]
        assert ids(birth_year=2001) == []

    def test_create_answers_the_birth_year_only(self, api_client_for, regions):
        payload = {
            "name": "阿呷",
            "id_number": ID_NUMBER,
            "hometown": regions["village"].pk,
            "poverty_alleviated": False,
        }
        response = api_client_for("api").post("/api/v1/workers/", payload, format="json")
        assert response.status_code == 201, response.content
        assert (response.json()["birth_date"], response.json()["birth_year"]) == (None, 1999)
        assert_no_birth_date(response.content.decode())
        assert Worker.objects.get().birth_date == BIRTH_DATE  # stored all the same

    def test_administrators_see_everything(self, api_client_for, worker):
        client = api_client_for("admin")
        body = client.get(f"/api/v1/workers/{worker.pk}/").json()
        assert (body["id_number"], body["birth_date"], body["birth_year"]) == (ID_NUMBER, "1999-04-09", 1999)
        older = WorkerFactory(id_number=make_id_number(9, birth_date=datetime.date(1990, 1, 2)))
        ordered = client.get("/api/v1/workers/", {"ordering": "-birth_date"}).json()["results"]
        assert [row["id"] for row in ordered] == [worker.pk, older.pk]
        found = client.get("/api/v1/workers/", {"birth_date_after": "1999-04-09", "birth_date_before": "1999-04-09"})
        assert [row["id"] for row in found.json()["results"]] == [worker.pk]


@pytest.mark.django_db
class TestAdminPages:
    def _pages(self, worker):
        return [
            reverse("admin:labor_worker_changelist"),
            reverse("admin:labor_worker_change", args=[worker.pk]),
            reverse("admin:labor_worker_history", args=[worker.pk]),
            reverse("admin:labor_placement_changelist"),
            reverse("admin:labor_placement_change", args=[worker.placements.get().pk]),
        ]

    @pytest.mark.parametrize("role", RESTRICTED_ADMIN_ROLES)
    def test_pages_show_the_birth_year_only(self, role, admin_client_for, worker):
        client = admin_client_for(role)
        for url in self._pages(worker):
            response = client.get(url)
            assert response.status_code == 200, url
            assert_no_birth_date(response.content.decode())
        changelist = client.get(reverse("admin:labor_worker_changelist")).content.decode()
        change = client.get(reverse("admin:labor_worker_change", args=[worker.pk])).content.decode()
        assert MASKED in changelist and "1999" in changelist and "1999" in change

    @pytest.mark.parametrize("role", RESTRICTED_ADMIN_ROLES)
    def test_changelist_sorted_by_any_column(self, role, admin_client_for, worker):
        WorkerFactory(id_number=make_id_number(9, birth_date=datetime.date(1990, 1, 2)))
        client = admin_client_for(role)
        url = reverse("admin:labor_worker_changelist")
        columns = len(client.get(url).context["cl"].list_display)
        for order in [f"{prefix}{column}" for column in range(1, columns) for prefix in ("", "-")]:
            page = client.get(url, {"o": order})
            assert page.status_code == 200
            assert_no_birth_date(page.content.decode())

    @pytest.mark.parametrize("role", RESTRICTED_ADMIN_ROLES)
    @pytest.mark.parametrize(
        "params",
        [
            {"birth_date": "1999-04-09"},
            {"birth_date__gte": "1999-04-09"},
            {"birth_date__lt": "1999-04-10"},
            {"birth_date__range": "1999-04-01,1999-04-30"},
            {"birth_date__month": "4"},
            {"birth_date__day": "9"},
        ],
    )
    def test_changelist_refuses_birth_date_lookups(self, role, params, admin_client_for, worker):
        response = admin_client_for(role).get(reverse("admin:labor_worker_changelist"), params)
        assert response.status_code == 400

    def test_administrators_see_and_filter_the_birth_date(self, admin_client_for, worker):
        client = admin_client_for("admin")
        for url in self._pages(worker)[:2]:
            html = client.get(url).content.decode()
            assert_birth_date_shown(html)
        assert ID_NUMBER in client.get(reverse("admin:labor_worker_change", args=[worker.pk])).content.decode()
        found = client.get(reverse("admin:labor_worker_changelist"), {"birth_date__gte": "1999-04-09"})
        assert found.status_code == 200 and list(found.context["cl"].result_list) == [worker]


def _change_the_id_number(admin_client_for, worker):
    """Staff replace the ID number: the history then holds both birth dates."""
    data = {
        "name": worker.name,
        "id_number": LATER_ID_NUMBER,
        "hometown": worker.hometown_id,
        "poverty_alleviated": "",
        "monitored_household": "",
        "phone": "",
        "external_id": "",
        "placements-TOTAL_FORMS": "0",
        "placements-INITIAL_FORMS": "0",
        "placements-MIN_NUM_FORMS": "0",
        "placements-MAX_NUM_FORMS": "1000",
    }
    response = admin_client_for("staff").post(reverse("admin:labor_worker_change", args=[worker.pk]), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    worker.refresh_from_db()
    assert worker.birth_date == LATER_BIRTH_DATE and worker.history.count() == 2


@pytest.mark.django_db
class TestHistory:
    @pytest.mark.parametrize("role", RESTRICTED_ADMIN_ROLES)
    def test_history_list_and_records_show_birth_years_only(self, role, admin_client_for, worker):
        _change_the_id_number(admin_client_for, worker)
        client = admin_client_for(role)
        history = client.get(reverse("admin:labor_worker_history", args=[worker.pk]))
        assert history.status_code == 200
        html = history.content.decode()
        assert_no_birth_date(html, BIRTH_DATE, LATER_BIRTH_DATE)
        for record in worker.history.all():
            url = reverse("admin:labor_worker_simple_history", args=[worker.pk, record.history_id])
            response = client.get(url)
            assert response.status_code == 200
            assert_no_birth_date(response.content.decode(), BIRTH_DATE, LATER_BIRTH_DATE)
            assert str(record.birth_date.year) in response.content.decode()

    @pytest.mark.parametrize("full_view", [False, True])
    def test_history_changes_of_the_birth_date(self, full_view, worker):
        # The history list diffs editable fields only today; should the birth date ever be
        # diffed, it is shown by year.
        from simple_history.models import ModelChange

        from labor.admin import WorkerHistoryHelper

        helper = WorkerHistoryHelper(Worker, worker.history.get())
        helper.full_view = full_view
        change = helper.format_delta_change(ModelChange("birth_date", BIRTH_DATE, LATER_BIRTH_DATE))
        if full_view:
            assert (change.old, change.new) == ("1999-04-09", "1988-11-23")
        else:
            assert (change.old, change.new) == ("1999", "1988")

    def test_administrators_see_the_dates_in_history(self, admin_client_for, worker):
        _change_the_id_number(admin_client_for, worker)
        client = admin_client_for("admin")
        record = worker.history.earliest("history_date")
        old = client.get(reverse("admin:labor_worker_simple_history", args=[worker.pk, record.history_id]))
        assert_birth_date_shown(old.content.decode())


def _export(client, file_format):
    """Export through the admin's export page, every column the page offers ticked."""
    url = reverse("admin:labor_worker_export")
    form = client.get(url).context["form"]
    formats = {str(label).lower(): value for value, label in form.fields["format"].choices}
    data = {"format": formats[file_format], "resource": "0"}
    data |= {name: "on" for name, field in form.fields.items() if getattr(field, "is_selectable_field", False)}
    response = client.post(url, data)
    assert response.status_code == 200 and response.get("Content-Disposition"), response.content[:500]
    return response.content


def _header(name):
    """The export's header of the column ``name`` (the verbose name, see cooperation.resources_base)."""
    return WorkerResource().column_labels()[name]


@pytest.mark.django_db
class TestExport:
    @pytest.mark.parametrize("role", RESTRICTED_ADMIN_ROLES)
    def test_admin_export_carries_the_birth_year(self, role, admin_client_for, worker):
        client = admin_client_for(role)
        csv = _export(client, "csv").decode("utf-8")
        assert_no_birth_date(csv)
        header, row = csv.splitlines()[:2]
        assert _header("birth_year") in header and _header("birth_date") not in header
        assert "1999" in row and MASKED in row
        sheet = xlsx_text(_export(client, "xlsx"))
        assert_no_birth_date(sheet)
        assert _header("birth_year") in sheet and "1999" in sheet

    @pytest.mark.parametrize("role", RESTRICTED_ADMIN_ROLES)
    def test_export_form_offers_no_birth_date(self, role, admin_client_for, worker):
        client = admin_client_for(role)
        form = client.get(reverse("admin:labor_worker_export")).context["form"]
        assert not [name for name in form.fields if "birth_date" in name]
        # Ticking it anyway changes nothing.
        data = {"format": "1", "resource": "0", "workerresource_name": "on", "workerresource_birth_date": "on"}
        response = client.post(reverse("admin:labor_worker_export"), data)
        assert_no_birth_date(response.content.decode("utf-8"))

    @pytest.mark.parametrize("role", RESTRICTED_ADMIN_ROLES)
    def test_resource_with_the_user(self, role, make_user, worker):
        dataset = WorkerResource(user=make_user(role)).export()
        assert _header("birth_date") not in dataset.headers and _header("birth_year") in dataset.headers
        assert dataset.dict[0][_header("birth_year")] == 1999
        for exported in (dataset.export("csv"), xlsx_text(dataset.export("xlsx"))):
            assert_no_birth_date(exported)
        selected = WorkerResource(user=make_user(role, username="other")).export(export_fields=["name", "birth_date"])
        assert_no_birth_date(selected.export("csv"))

    def test_resource_without_a_user_is_restricted(self, worker):
        assert_no_birth_date(WorkerResource().export().export("csv"))

    def test_administrators_export_the_birth_date(self, admin_client_for, make_user, worker):
        client = admin_client_for("admin")
        csv = _export(client, "csv").decode("utf-8")
        assert _header("birth_date") in csv.splitlines()[0] and "1999-04-09" in csv and ID_NUMBER in csv
        assert "1999-04-09" in xlsx_text(_export(client, "xlsx"))
        dataset = WorkerResource(user=client.user).export()
        assert _header("birth_date") in dataset.headers and "1999-04-09" in dataset.export("csv")


IMPORT_HEADERS = ["id_number", "name", "hometown", "poverty_alleviated", "destination", "started_on", "ended_on"]


@pytest.mark.django_db
class TestImportPreview:
    def _preview(self, client, *rows):
        dataset = tablib.Dataset(*rows, headers=IMPORT_HEADERS)
        upload = SimpleUploadedFile("workers.csv", dataset.export("csv").encode("utf-8"), content_type="text/csv")
        response = client.post(
            reverse("admin:labor_worker_import"), {"format": "1", "resource": "0", "import_file": upload}
        )
        assert response.status_code == 200
        return response.content.decode()

    def test_preview_shows_no_birth_date(self, admin_client_for, worker):
        client = admin_client_for("staff")
        html = self._preview(
            client,
            [ID_NUMBER, "吉克阿依", "513431104201", "1", "east", "2023-03-01", "2023-12-31"],
            [ID_NUMBER, "吉克阿依", "513431104201", "1", "local", "2024-02-01", ""],
            [LATER_ID_NUMBER, "阿牛", "513431104201", "0", "east", "2024-02-01", ""],
        )
        assert "confirm_form" in html or "import-preview" in html
        assert_no_birth_date(html, BIRTH_DATE, LATER_BIRTH_DATE)
        assert MASKED in html

    def test_error_page_shows_no_birth_date(self, admin_client_for, worker):
        html = self._preview(admin_client_for("staff"), [ID_NUMBER, "吉克阿依", "1", "1", "moon", "2023-02-30", ""])
        assert_no_birth_date(html)
