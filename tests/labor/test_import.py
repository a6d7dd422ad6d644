"""Spreadsheet import of workers with their placements: one row per placement, the worker
named by the ID number; all rows or none; errors by row and column, never echoing a number."""

import datetime

import pytest
import tablib
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from labor.models import Placement, Worker
from labor.resources import WorkerPlacementResource
from tests.factories import OrganizationFactory, UserFactory
from tests.labor.factories import WorkerFactory, make_id_number

HEADERS = [
    "id_number",
    "name",
    "hometown",
    "poverty_alleviated",
    "monitored_household",
    "phone",
    "external_id",
    "destination",
    "employer",
    "position",
    "started_on",
    "ended_on",
    "monthly_wage",
]
A, B = make_id_number(101), make_id_number(102)


def _row(id_number, **values):
    row = {
        "id_number": id_number,
        "name": "阿呷",
        "hometown": "513431104201",
        "poverty_alleviated": "1",
        "monitored_household": "0",
        "phone": "13812345678",
        "external_id": "",
        "destination": "east",
        "employer": "",
        "position": "",
        "started_on": "2023-03-01",
        "ended_on": "",
        "monthly_wage": "4500",
    } | values
    return [row[h] for h in HEADERS]


def _dataset(*rows):
    return tablib.Dataset(*rows, headers=HEADERS)


def _import(dataset, user=None, dry_run=False):
    return WorkerPlacementResource(user=user).import_data(dataset, dry_run=dry_run, raise_errors=False)


@pytest.mark.django_db
class TestImportResource:
    def test_workers_and_placements_from_one_sheet(self, regions):
        employer = OrganizationFactory(region=regions["yuyao"])
        result = _import(
            _dataset(
                _row(A, name="阿呷", ended_on="2023-08-31", employer=employer.credit_code),
                _row(A, name="阿呷", started_on="2023-10-01", destination="east"),
                _row(A, name="阿呷", started_on="2023-05-01", destination="outworker", monthly_wage=""),
                _row(B.lower(), name="木呷", poverty_alleviated="0", hometown="513429", phone=""),
            )
        )
        assert not result.has_errors() and not result.has_validation_errors()
        assert Worker.objects.count() == 2 and Placement.objects.count() == 4
        a = Worker.objects.get(name="阿呷")
        assert a.id_number == A and a.poverty_alleviated and a.phone == "13812345678"
        assert a.placements.filter(employer=employer).count() == 1
        b = Worker.objects.get(name="木呷")
        assert b.id_number == B and b.hometown == regions["butuo"] and not b.poverty_alleviated

    def test_reimport_updates_instead_of_duplicating(self, regions):
        sheet = _dataset(_row(A), _row(A, started_on="2024-01-01", destination="local"))
        _import(sheet)
        again = _import(
            _dataset(
                _row(A, name="阿呷呷", ended_on="2023-12-31"),
                _row(A, name="阿呷呷", started_on="2024-01-01", destination="local"),
            )
        )
        assert not again.has_errors() and not again.has_validation_errors()
        assert Worker.objects.count() == 1 and Placement.objects.count() == 2
        worker = Worker.objects.get()
        assert worker.name == "阿呷呷"
        assert worker.placements.get(destination="east").ended_on == datetime.date(2023, 12, 31)

    def test_existing_worker_is_found_by_id_number(self, regions):
        worker = WorkerFactory(id_number=A, hometown=regions["village"], phone="13900000000")
        _import(_dataset(_row(A, name="新名字", phone="")))
        worker.refresh_from_db()
        assert worker.name == "新名字" and worker.phone == "13900000000"  # a blank cell keeps the value
        assert worker.placements.count() == 1

    def test_errors_by_row_and_column_and_nothing_stored(self, regions):
        bad_check = A[:-1] + ("0" if A[-1] != "0" else "1")
        result = _import(
            _dataset(
                _row(A),  # fine on its own
                _row(bad_check),  # wrong check digit
                _row(B, hometown="999999999"),  # no such region
                _row(A, started_on="2023-06-01", destination="local"),  # overlaps row 1
                _row(make_id_number(103), destination="moon"),
                _row(make_id_number(104), started_on="2023-02-30"),
            )
        )
        assert Worker.objects.count() == 0 and Placement.objects.count() == 0  # all rows or none
        invalid = {row.number: row for row in result.invalid_rows}
        errors = {number: set(row.field_specific_errors) for number, row in invalid.items()}
        assert errors[2] == {"id_number"}
        assert errors[3] == {"hometown"}
        assert errors[4] == {"started_on"}
        assert errors[5] == {"destination"}
        assert 1 not in errors
        date_error = errors.get(6) or {e.error.__class__.__name__ for e in dict(result.row_errors()).get(6, [])}
        assert date_error
        shown = repr([(row.values, row.error_dict) for row in result.invalid_rows])
        for number in (A, B, bad_check):
            assert number not in shown
        assert A[:6] + "********" + A[-4:] in shown


@pytest.mark.django_db
class TestAdminImport:
    def _client(self, make_user, role="staff"):
        client = Client()
        client.force_login(make_user(role))
        return client

    def _upload(self, client, dataset):
        upload = SimpleUploadedFile("workers.csv", dataset.export("csv").encode("utf-8"), content_type="text/csv")
        return client.post(
            reverse("admin:labor_worker_import"), {"format": "1", "resource": "0", "import_file": upload}
        )

    def test_preview_then_confirm(self, make_user, regions):
        client = self._client(make_user)
        preview = self._upload(client, _dataset(_row(A), _row(B, destination="workshop")))
        assert preview.status_code == 200
        html = preview.content.decode()
        assert A not in html and B not in html and A[:6] + "********" in html
        assert Worker.objects.count() == 0  # a dry run
        confirm = preview.context["confirm_form"]
        done = client.post(reverse("admin:labor_worker_process_import"), confirm.initial)
        assert done.status_code == 302
        assert Worker.objects.count() == 2 and Placement.objects.count() == 2

    def test_errors_page_does_not_echo_numbers(self, make_user, regions):
        client = self._client(make_user)
        bad = A[:-1] + ("0" if A[-1] != "0" else "1")
        response = self._upload(client, _dataset(_row(bad), _row(B, phone="13812345678", hometown="1")))
        html = response.content.decode()
        assert response.status_code == 200 and "confirm_form" not in response.context
        assert bad not in html and B not in html and "13812345678" not in html
        assert str(_("The check digit of this ID number is wrong.")) in html
        assert Worker.objects.count() == 0

    def test_full_view_preview_for_administrators(self, make_user, regions):
        boss = UserFactory(username="root", is_superuser=True, is_staff=True)
        boss.save()
        client = Client()
        client.force_login(boss)
        html = self._upload(client, _dataset(_row(A))).content.decode()
        assert A in html, html[html.find("import-preview") :][:3000]
