"""Spreadsheet formula injection: text that staff type is written as text in every workbook the
portal produces (admin exports in .xlsx and .csv, the report workbooks), and an exported file
imports back to the same text."""

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.conf import settings as django_settings
from django.urls import reverse
from openpyxl import load_workbook

from projects.models import Project
from projects.resources import ProjectResource
from reports import services
from tests.projects.factories import DisbursementFactory, FundAllocationFactory, ProjectFactory

pytestmark = pytest.mark.django_db

HYPERLINK = '=HYPERLINK("http://x","y")'
# What staff legitimately type and a spreadsheet program would take for a formula.
FORMULA_LIKE = [HYPERLINK, "+86 138 0000 0000", "-5%", "@home", "=1+1", "-2+3+cmd|' /C calc'!A0"]
TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
EXPORT_URL = "/admin/projects/project/export/"
COLUMNS = {f"projectresource_{name}": "on" for name in ProjectResource.Meta.fields}


def _h(name):
    """The export's header of the column ``name`` (the verbose name, see cooperation.resources_base)."""
    return ProjectResource().column_labels()[name]


def _format(title):
    """The admin's format of that title (its index in the export form and the class)."""
    for index, fmt in enumerate(django_settings.EXPORT_FORMATS):
        if fmt().get_title() == title:
            return index, fmt
    raise AssertionError(f"no {title} export format")


def _export(client, title):
    index, _ = _format(title)
    response = client.post(EXPORT_URL, {"format": str(index), "resource": "0", **COLUMNS})
    assert response.status_code == 200, response.content.decode()[:2000]
    return response.content


def _csv_rows(content: bytes) -> list[dict]:
    return list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))


@pytest.fixture
def official_client(client, make_user):
    client.force_login(make_user("official"))
    return client


@pytest.mark.parametrize("name", FORMULA_LIKE)
def test_the_name_is_accepted_as_typed(regions, name):
    project = ProjectFactory(name=name, region=regions["zhaojue"])
    project.full_clean()
    assert Project.objects.get(pk=project.pk).name == name


@pytest.mark.parametrize("name", [*FORMULA_LIKE, "#N/A", "#REF!"])  # not error values either
def test_xlsx_export_writes_the_name_as_text(official_client, regions, name):
    ProjectFactory(code="ZJ-1", name=name, region=regions["zhaojue"])
    sheet = load_workbook(io.BytesIO(_export(official_client, "xlsx"))).active
    header = [cell.value for cell in sheet[1]]
    formulas = [cell.coordinate for row in sheet.iter_rows() for cell in row if cell.data_type == "f"]
    assert formulas == []
    cell = sheet.cell(row=2, column=header.index(_h("name")) + 1)
    assert (cell.value, cell.data_type) == (name, "s")


def test_xlsx_export_keeps_numbers_and_dates_native(official_client, regions):
    ProjectFactory(
        code="ZJ-1",
        name=HYPERLINK,
        region=regions["zhaojue"],
        budget=Decimal("1000.00"),
        started_on=datetime.date(2023, 3, 1),
    )
    sheet = load_workbook(io.BytesIO(_export(official_client, "xlsx"))).active
    row = dict(zip([cell.value for cell in sheet[1]], [cell.value for cell in sheet[2]], strict=True))
    assert row[_h("year")] == 2023 and row[_h("budget")] == 1000
    assert row[_h("started_on")].date() == datetime.date(2023, 3, 1)
    assert row[_h("completed_on")] is None


@pytest.mark.parametrize("name", FORMULA_LIKE)
def test_csv_export_escapes_the_name(official_client, regions, name):
    ProjectFactory(code="ZJ-1", name=name, region=regions["zhaojue"])
    row = _csv_rows(_export(official_client, "csv"))[0]
    assert not row[_h("name")].startswith(TRIGGERS)
    assert row[_h("name")] == "'" + name  # a leading apostrophe: a spreadsheet shows it as text
    assert row[_h("code")] == "ZJ-1" and row[_h("year")] == "2023"  # other cells as they were


def test_csv_export_leaves_plain_numbers_alone(official_client, regions):
    ProjectFactory(code="ZJ-1", name="-42", region=regions["zhaojue"])
    assert _csv_rows(_export(official_client, "csv"))[0][_h("name")] == "-42"


def _import(client, content: bytes, title: str):
    """Upload through the admin's import page, then confirm the preview."""
    index = next(i for i, fmt in enumerate(django_settings.IMPORT_FORMATS) if fmt().get_title() == title)
    upload = io.BytesIO(content)
    upload.name = f"projects.{title}"
    response = client.post(
        "/admin/projects/project/import/", {"import_file": upload, "format": str(index), "resource": "0"}
    )
    assert response.status_code == 200 and "confirm_form" in response.context, response.content.decode()[:3000]
    form = response.context["confirm_form"]
    data = {name: field.initial for name, field in form.fields.items()}
    data.update(form.initial)
    return client.post(reverse("admin:projects_project_process_import"), data)


@pytest.mark.parametrize("title", ["csv", "xlsx"])
@pytest.mark.parametrize("name", [*FORMULA_LIKE, "'quoted", "''", "'=already escaped"])
def test_an_export_imports_back_to_the_same_text(client, make_user, regions, title, name):
    client.force_login(make_user("staff"))
    project = ProjectFactory(code="ZJ-1", name=name, description=name, region=regions["zhaojue"])
    exported = _export(client, title)
    Project.objects.filter(pk=project.pk).update(name="renamed", description="")
    response = _import(client, exported, title)
    assert response.status_code == 302, response.content.decode()[:3000]
    project.refresh_from_db()
    assert (project.name, project.description) == (name, name)


def test_a_hand_made_csv_with_a_formula_like_name_is_imported_as_typed(client, make_user, regions):
    client.force_login(make_user("staff"))
    ProjectFactory(code="ZJ-1", name="before", region=regions["zhaojue"])
    # Typed by hand with the field names as headers (still accepted besides the verbose names).
    exported = _csv_rows(_export(client, "csv"))[0]
    row = {name: exported[_h(name)] for name in ProjectResource.Meta.fields} | {
        "name": "@home",
        "description": "'quoted",
    }
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=ProjectResource.Meta.fields)
    writer.writeheader()
    writer.writerow(row)
    assert _import(client, out.getvalue().encode(), "csv").status_code == 302
    assert Project.objects.filter(code="ZJ-1", name="@home", description="'quoted").exists()


def test_the_report_workbook_writes_the_lagging_project_name_as_text(regions, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    project = ProjectFactory(code="ZJ-LAG", name=HYPERLINK, year=2023, region=regions["zhaojue"])
    FundAllocationFactory(project=project, amount=Decimal("100000.00"))
    DisbursementFactory(project=project, amount=Decimal("1000.00"))
    report = services.report_request(kind="annual", period_start=datetime.date(2023, 1, 1))
    report = services.report_generate(report_id=report.pk)
    assert report.status == "done", report.error
    with report.file.open("rb") as handle:
        workbook = load_workbook(io.BytesIO(handle.read()))

    cells = [cell for sheet in workbook.worksheets for row in sheet.iter_rows() for cell in row]
    formulas = [f"{cell.parent.title}!{cell.coordinate}" for cell in cells if cell.data_type == "f"]
    assert formulas == []  # the workbook has no formula of its own either
    names = [cell for cell in cells if cell.value == HYPERLINK]
    assert names and all(cell.data_type == "s" for cell in names)
