"""Spreadsheet import of monthly statistics: hospital by credit code or name; a month sent again updates."""

import datetime

import pytest
import tablib
from django.core.files.uploadedfile import SimpleUploadedFile

from healthcare.models import MedicalServiceStat
from healthcare.resources import MedicalServiceStatResource

D = datetime.date
HEADERS = ["host_org", "month", "outpatients", "surgeries", "rescues", "staff_trained"]


def run_import(rows, dry_run=False):
    dataset = tablib.Dataset(*rows, headers=HEADERS)
    return MedicalServiceStatResource().import_data(dataset, dry_run=dry_run, raise_errors=False)


@pytest.mark.django_db
class TestImport:
    def test_a_second_import_of_a_month_updates_it(self, hospitals):
        code = hospitals["zhaojue"].credit_code
        first = run_import([(code, "2023-05", 1000, 60, 20, 5), ("三岔河镇卫生院", "2023-05-01", 30, 1, 0, 0)])
        assert not first.has_errors() and not first.has_validation_errors()
        assert first.totals["new"] == 2
        second = run_import([("昭觉县人民医院", datetime.datetime(2023, 5, 1), 1067, 61, 26, "")])
        assert not second.has_errors() and not second.has_validation_errors()
        assert second.totals["update"] == 1 and second.totals["new"] == 0
        assert MedicalServiceStat.objects.count() == 2
        stat = MedicalServiceStat.objects.get(host_org=hospitals["zhaojue"], month=D(2023, 5, 1))
        assert (stat.outpatients, stat.surgeries, stat.rescues) == (1067, 61, 26)
        assert stat.staff_trained == 5  # a blank cell keeps the stored value
        assert [h.history_type for h in stat.history.order_by("history_date")] == ["+", "~"]

    @pytest.mark.parametrize(
        "row",
        [
            ("不存在的医院", "2023-05", 1, 1, 1, 0),  # unknown hospital
            ("HOST", "2023-05-15", 1, 1, 1, 0),  # not the first day
            ("HOST", "May", 1, 1, 1, 0),  # not a month
            ("HOST", "2023-05", -1, 1, 1, 0),  # negative
            ("余姚市人民医院", "2023-05", 1, 1, 1, 0),  # an eastern hospital
        ],
    )
    def test_a_bad_row_imports_nothing(self, hospitals, row):
        row = tuple(hospitals["zhaojue"].credit_code if cell == "HOST" else cell for cell in row)
        good = (hospitals["town"].credit_code, "2023-04", 5, 5, 5, 5)
        result = run_import([good, row])
        assert result.has_errors() or result.has_validation_errors()
        assert not MedicalServiceStat.objects.exists()

    def test_an_ambiguous_name_asks_for_the_credit_code(self, hospitals):
        hospitals["butuo"].name = "昭觉县人民医院"
        hospitals["butuo"].save()
        result = run_import([("昭觉县人民医院", "2023-05", 1, 1, 1, 0)])
        assert result.has_errors() or result.has_validation_errors()
        assert not MedicalServiceStat.objects.exists()

    def test_export_round_trips(self, hospitals):
        MedicalServiceStat.objects.create(host_org=hospitals["zhaojue"], month=D(2023, 5, 1), outpatients=7)
        dataset = MedicalServiceStatResource().export()
        labels = MedicalServiceStatResource().column_labels()  # the headers are the verbose names
        assert dataset.headers == [labels[name] for name in HEADERS]
        assert list(dataset[0])[:3] == [hospitals["zhaojue"].credit_code, "2023-05", "7"]
        result = run_import(list(dataset))
        assert not result.has_errors() and not result.has_validation_errors()
        assert MedicalServiceStat.objects.count() == 1


@pytest.mark.django_db
def test_admin_import_of_a_sheet(client, make_user, hospitals):
    """What staff do: upload a CSV in the admin, confirm, then upload the month again corrected."""
    client.force_login(make_user("staff"))
    url = "/admin/healthcare/medicalservicestat/import/"
    assert client.get(url).status_code == 200
    for outpatients in (1000, 1067):
        sheet = ",".join(HEADERS) + f"\n昭觉县人民医院,2023-05,{outpatients},61,26,0\n"
        upload = SimpleUploadedFile("stats.csv", sheet.encode("utf-8"))
        response = client.post(url, {"import_file": upload, "format": "1", "resource": "0"})  # format 1: CSV
        assert response.status_code == 200, response.content
        form = response.context["confirm_form"]
        assert form is not None, response.context.get("result")
        confirm = client.post("/admin/healthcare/medicalservicestat/process_import/", form.initial)
        assert confirm.status_code == 302
    assert MedicalServiceStat.objects.get().outpatients == 1067
