"""Spreadsheet imports of a scoped user (CONTRACT.md 1.1): references find only what the user may
read, a row outside the scope is an error naming its column, a stored record outside the scope
is refused (not a duplicate), and nothing is written when any row fails."""

import pytest
import tablib
from django.core.files.uploadedfile import SimpleUploadedFile

from consumption.models import Sale
from consumption.resources import SaleResource
from cooperation.models import Region
from cooperation.resources import RegionResource
from labor.models import Placement, Worker
from labor.resources import WorkerPlacementResource
from projects.models import FundAllocation, Project
from projects.resources import FundAllocationResource, ProjectResource
from tests.consumption.factories import SaleFactory
from tests.labor.factories import WorkerFactory
from tests.labor.id_numbers import make_id_number
from tests.projects.factories import ProjectFactory

pytestmark = pytest.mark.django_db

OUTSIDE = "超出您的管辖范围（您的账号可以处理的地区）。"


@pytest.fixture
def user(scoped_user, regions):
    """Programme staff scoped to Zhaojue (Butuo, the other county of the prefecture, is not theirs)."""
    return scoped_user("staff", regions["zhaojue"])


def sheet(resource, *rows):
    """A sheet of ``resource`` with its Chinese headers, each row given as {field name: cell}."""
    names = [name for name, _field in resource.template_columns()]
    headers = resource.get_export_headers()
    return tablib.Dataset(*[[row.get(name, "") for name in names] for row in rows], headers=headers)


def cell_errors(result) -> list[tuple[int, str, str]]:
    return [(error.row, error.column, error.message) for error in result.cell_errors()]


def project_row(region, code="P-NEW", **changes):
    row = {"code": code, "name": "新项目", "category": "industry", "year": "2024", "status": "planned"}
    return row | {"region": getattr(region, "code", region), "budget": "100000"} | changes


def label(resource, name):
    return resource.column_labels()[name]


def test_a_reference_outside_the_scope_reads_as_one_that_does_not_exist(user, regions):
    resource = ProjectResource()
    result = resource.import_data(
        sheet(resource, project_row(regions["butuo"], "P-1"), project_row("999999", "P-2")),
        dry_run=True,
        user=user,
    )
    errors = cell_errors(result)
    column = label(resource, "region")
    assert [(row, col) for row, col, _message in errors] == [(2, column), (3, column)]
    outside, missing = errors[0][2], errors[1][2]
    assert outside.replace(regions["butuo"].code, "#") == missing.replace("999999", "#")
    # The examples an error lists are only regions the user may read (Butuo's code is the cell).
    examples = outside.split("。", 1)[1]
    assert regions["zhaojue"].code in examples and regions["butuo"].code not in examples


def test_a_record_outside_the_scope_is_an_error_under_the_column_that_leads_there(user, regions):
    """Readable references (the prefecture above the scope) that place the record outside it."""
    resource = ProjectResource()
    result = resource.import_data(sheet(resource, project_row(regions["liangshan"])), dry_run=True, user=user)
    assert cell_errors(result) == [(2, label(resource, "region"), OUTSIDE)]

    regions_resource = RegionResource()
    new_county = {
        "code": "513432",
        "name": "喜德县",
        "level": "county",
        "parent": regions["liangshan"].code,
        "side": "west",
    }
    result = regions_resource.import_data(sheet(regions_resource, new_county), dry_run=True, user=user)
    assert cell_errors(result) == [(2, label(regions_resource, "parent"), OUTSIDE)]


def test_a_reference_through_another_record_is_checked_too(user, regions):
    """An allocation names its project: Butuo's project does not exist for the user."""
    theirs = ProjectFactory(region=regions["butuo"], code="P-BT")
    resource = FundAllocationResource()
    row = {"project": theirs.code, "year": "2023", "source": "city", "amount": "10", "allocated_on": "2023-03-01"}
    result = resource.import_data(sheet(resource, row), dry_run=False, user=user)
    assert [column for _row, column, _message in cell_errors(result)] == [label(resource, "project")]
    assert not FundAllocation.objects.exists()


def test_a_stored_record_outside_the_scope_is_refused_not_duplicated(user, regions):
    theirs = SaleFactory(source="shop", external_id="A-1", origin_region=regions["butuo"], amount="5.00")
    resource = SaleResource()
    row = {
        "source": "shop",
        "external_id": "A-1",
        "sold_on": "2023-05-01",
        "origin_region": regions["zhaojue"].code,
        "channel": "ecommerce",
        "buyer_kind": "enterprise",
        "amount": "10",
    }
    result = resource.import_data(sheet(resource, row), dry_run=False, user=user)
    assert not result.has_errors()  # a row error, not a database failure
    [(number, column, message)] = cell_errors(result)
    assert (number, column) == (2, label(resource, "external_id"))
    assert "超出您的管辖范围" in message and label(resource, "source") in message and "重复" not in message
    theirs.refresh_from_db()
    assert (theirs.origin_region, str(theirs.amount)) == (regions["butuo"], "5.00")
    assert Sale.objects.count() == 1


def test_a_region_above_the_scope_is_read_only(user, regions):
    """An exported sheet re-imported unchanged is "unchanged"; a change to the prefecture is refused."""
    resource = RegionResource(user=None)
    exported = resource.export(queryset=Region.objects.filter(pk=regions["liangshan"].pk))
    result = RegionResource().import_data(exported, dry_run=True, user=user)
    assert not result.has_validation_errors(), result.messages()
    assert [row.import_type for row in result.rows] == ["skip"]

    changed = {"code": "513400", "name": "改名州", "level": "prefecture", "parent": "510000", "side": "west"}
    result = RegionResource().import_data(sheet(RegionResource(), changed), dry_run=False, user=user)
    [(number, column, _message)] = cell_errors(result)
    assert (number, column) == (2, label(resource, "code"))
    assert Region.objects.get(code="513400").name == regions["liangshan"].name

    # A region the user may not even read: refused the same way, not created again.
    butuo = {"code": "513429", "name": "改名县", "level": "county", "parent": "513400", "side": "west"}
    result = RegionResource().import_data(sheet(RegionResource(), butuo), dry_run=False, user=user)
    assert [column for _row, column, _message in cell_errors(result)] == [label(resource, "code")]
    assert Region.objects.get(code="513429").name == "布拖县"


def test_nothing_is_written_when_one_row_is_outside(user, regions):
    resource = ProjectResource()
    rows = [project_row(regions["town"], "P-1"), project_row(regions["butuo"], "P-2")]
    result = resource.import_data(sheet(resource, *rows), dry_run=False, user=user)
    assert result.has_validation_errors()
    assert not Project.objects.exists()


def test_rows_within_the_scope_import(user, regions):
    resource = ProjectResource()
    result = resource.import_data(sheet(resource, project_row(regions["town"])), dry_run=False, user=user)
    assert not result.has_validation_errors(), result.messages()
    assert Project.objects.get().region == regions["town"]


def test_an_unscoped_user_imports_everywhere(make_user, regions):
    resource = ProjectResource()
    result = resource.import_data(
        sheet(resource, project_row(regions["butuo"])), dry_run=False, user=make_user("staff")
    )
    assert not result.has_validation_errors(), result.messages()
    assert Project.objects.get().region == regions["butuo"]


def test_a_placement_sheet_neither_changes_nor_places_another_countys_worker(user, regions):
    theirs = WorkerFactory(name="布拖工人", hometown=regions["butuo"])
    resource = WorkerPlacementResource(user=user)
    row = {
        "worker": theirs.id_number,
        "name": "改名",
        "hometown": "513431",
        "destination": "east",
        "started_on": "2023-03-01",
    }
    result = resource.import_data(sheet(resource, row), dry_run=False, user=user)
    assert [column for _row, column, _message in cell_errors(result)] == [label(resource, "worker")]
    theirs.refresh_from_db()
    assert (theirs.name, theirs.hometown) == ("布拖工人", regions["butuo"])
    assert not Placement.objects.exists()

    # A new worker from outside the scope is not registered either.
    newcomer = row | {"worker": make_id_number(4242), "hometown": "513429"}
    result = WorkerPlacementResource(user=user).import_data(sheet(resource, newcomer), dry_run=False, user=user)
    assert [column for _row, column, _message in cell_errors(result)] == [label(resource, "hometown")]
    assert Worker.objects.count() == 1


def test_the_admin_import_applies_the_scope(client, user, regions):
    """What a scoped user does: upload a sheet in the admin; the preview names row and column."""
    client.force_login(user)
    resource = ProjectResource()
    content = sheet(resource, project_row(regions["butuo"])).export("csv").encode()
    upload = SimpleUploadedFile("projects.csv", content)
    response = client.post("/admin/projects/project/import/", {"import_file": upload, "resource": "0"})
    assert response.status_code == 200
    assert "confirm_form" not in response.context
    html = response.content.decode()
    assert f"第 2 行，列“{label(resource, 'region')}”" in html
    assert not Project.objects.exists()
