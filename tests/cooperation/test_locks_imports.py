"""Locked months in spreadsheet imports (CONTRACT.md 1.1, issue 15), generated from the registry
of record kinds: for every kind with a lock date whose admin page imports, a row that creates a
record in, or moves one into, an approved month is a row error under the date column, in
Chinese, naming the month and the county; the whole import is rolled back; an unchanged row of
a locked month is no error (nothing is written).

The sheets are what staff have: the kind's own export (through the admin's import resource),
with a cell changed.
"""

import datetime

import pytest
import tablib
from django.contrib import admin
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import RequestFactory

from cooperation.models import month_label
from cooperation.records import record_kinds
from tests.cooperation.locking import lock, month_before, month_of
from tests.factories import build_record

pytestmark = pytest.mark.django_db

DATED = {
    model._meta.label: (model, kind)
    for model, kind in record_kinds()
    if kind.date and kind.region and model in admin.site._registry
}
IMPORTED = sorted(
    label for label, (model, _kind) in DATED.items() if hasattr(admin.site._registry[model], "import_action")
)
LOCKED = "已审核锁定"


@pytest.fixture
def staff(make_user):
    return make_user("admin")


def resource_for(model, user):
    """The resource the admin's import page of ``model`` uses, for ``user``."""
    model_admin = admin.site._registry[model]
    request = RequestFactory().get("/")
    request.user = user
    resource_class = model_admin.get_import_resource_classes(request)[0]
    return resource_class(**model_admin.get_import_resource_kwargs(request))


def exported(resource, record) -> tablib.Dataset:
    return resource.export(queryset=type(record)._default_manager.filter(pk=record.pk))


def date_column(resource, dataset, kind) -> int:
    return dataset.headers.index(resource.column_labels()[kind.date])


def with_cell(dataset, column, value) -> tablib.Dataset:
    rows = [list(row) for row in dataset]
    for row in rows:
        row[column] = value
    return tablib.Dataset(*rows, headers=dataset.headers)


def cell_value(old, day: datetime.date):
    """``day`` written as the exported cell was (a date, or text such as "2023-04")."""
    if isinstance(old, str):
        return day.strftime("%Y-%m") if len(old.strip()) == 7 else day.isoformat()
    return day


def cell_errors(result) -> list[tuple[int, str, str]]:
    return [(error.row, error.column, error.message) for error in result.cell_errors()]


def _snapshot(model) -> list:
    return list(model._base_manager.order_by("pk").values())


@pytest.mark.parametrize("label", IMPORTED)
def test_a_row_moving_a_record_into_or_creating_one_in_a_locked_month_is_an_error_under_the_date_column(
    label, pair, staff
):
    model, kind = DATED[label]
    county, _other, east = pair
    record = build_record(model, county=county, east=east)
    day = getattr(record, kind.date)
    setattr(record, kind.date, month_before(month_of(day)))
    record.save()
    lock(county, month_of(day))
    resource = resource_for(model, staff)
    sheet = exported(resource, record)
    column = date_column(resource, sheet, kind)
    sheet = with_cell(sheet, column, cell_value(sheet[0][column], day))
    keys = {resource.fields[name].attribute for name in resource.get_import_id_fields()}
    if kind.date in keys:
        # The date names the record (a placement): the row is a new one, entered after the
        # stored one was deleted while its month was open.
        record.delete()
    before = _snapshot(model)

    result = resource_for(model, staff).import_data(sheet, dry_run=False, user=staff)
    assert not result.has_errors()  # a row error, not a failure
    [(row, header, message)] = cell_errors(result)
    assert (row, header) == (2, sheet.headers[column])
    assert LOCKED in message and month_label(month_of(day)) in message and "甲县" in message
    assert _snapshot(model) == before


@pytest.mark.parametrize("label", IMPORTED)
def test_an_unchanged_row_of_a_locked_month_writes_nothing_and_is_no_error(label, pair, staff):
    model, kind = DATED[label]
    county, _other, east = pair
    record = build_record(model, county=county, east=east)
    lock(county, month_of(getattr(record, kind.date)))
    resource = resource_for(model, staff)
    sheet = exported(resource, record)
    before = _snapshot(model)
    result = resource_for(model, staff).import_data(sheet, dry_run=False, user=staff)
    assert cell_errors(result) == []
    assert _snapshot(model) == before


def _sale_row(county, external_id, sold_on, amount="10"):
    return {
        "source": "shop",
        "external_id": external_id,
        "sold_on": sold_on,
        "origin_region": county.code,
        "channel": "ecommerce",
        "buyer_kind": "enterprise",
        "amount": amount,
    }


def _sheet(resource, *rows):
    names = [name for name, _field in resource.template_columns()]
    return tablib.Dataset(
        *[[row.get(name, "") for name in names] for row in rows], headers=resource.get_export_headers()
    )


def test_new_sales_of_a_locked_month_roll_the_whole_import_back(pair, staff):
    from consumption.models import Sale

    county, other, _east = pair
    lock(county, datetime.date(2023, 4, 1))
    resource = resource_for(Sale, staff)
    sheet = _sheet(
        resource,
        _sale_row(county, "OK-1", "2023-05-02"),  # an open month
        _sale_row(other, "OK-2", "2023-04-02"),  # the same month, another county
        _sale_row(county, "LOCKED-1", "2023-04-30"),
    )
    result = resource.import_data(sheet, dry_run=False, user=staff)
    [(row, header, message)] = cell_errors(result)
    assert (row, header) == (4, resource.column_labels()["sold_on"])
    assert LOCKED in message and "2023年4月" in message and "甲县" in message
    assert not Sale.objects.exists()


def test_placements_of_a_locked_month_are_refused_and_their_worker_is_not_registered(pair, staff):
    """The combined sheet registers a worker before the placement: both roll back."""
    from labor.models import Placement, Worker
    from tests.labor.id_numbers import make_id_number

    county, _other, _east = pair
    lock(county, datetime.date(2023, 4, 1))
    resource = resource_for(Placement, staff)
    row = {
        "worker": make_id_number(),
        "name": "阿牛",
        "hometown": county.code,
        "destination": "local",
        "position": "操作工",
        "started_on": "2023-04-10",
    }
    result = resource.import_data(_sheet(resource, row), dry_run=False, user=staff)
    errors = cell_errors(result)
    assert [(number, header) for number, header, _message in errors] == [(2, resource.column_labels()["started_on"])]
    assert LOCKED in errors[0][2]
    assert not Placement.objects.exists() and not Worker.objects.exists()


def test_disbursements_of_a_locked_month_are_refused(pair, staff):
    from projects.models import Disbursement
    from tests.projects.factories import FundAllocationFactory

    county, _other, _east = pair
    allocation = FundAllocationFactory(project__region=county, project__year=2023, amount="1000.00")
    lock(county, datetime.date(2023, 4, 1))
    resource = resource_for(Disbursement, staff)
    labels = resource.column_labels()
    headers = [labels[name] for name in ("project", "amount", "paid_on", "payee")]
    sheet = tablib.Dataset([allocation.project.code, "10", "2023-04-15", "某合作社"], headers=headers)
    result = resource.import_data(sheet, dry_run=False, user=staff)
    [(row, header, message)] = cell_errors(result)
    assert (row, header) == (2, labels["paid_on"]) and LOCKED in message
    assert not Disbursement.objects.exists()


def test_the_admin_import_page_shows_the_refusal_under_the_column(client, pair, staff):
    from consumption.models import Sale

    county, _other, _east = pair
    lock(county, datetime.date(2023, 4, 1))
    client.force_login(staff)
    resource = resource_for(Sale, staff)
    sheet = _sheet(resource, _sale_row(county, "LOCKED-1", "2023-04-30"))
    upload = SimpleUploadedFile("sales.csv", sheet.export("csv").encode())
    response = client.post("/admin/consumption/sale/import/", {"import_file": upload, "resource": "0"})
    assert response.status_code == 200
    html = response.content.decode()
    assert f"第 2 行，列“{resource.column_labels()['sold_on']}”" in html
    assert LOCKED in html and "2023年4月" in html and "甲县" in html
    assert "confirm_form" not in response.context
    assert not Sale.objects.exists()
