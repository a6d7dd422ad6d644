"""Spreadsheets of every record kind: the same columns both ways (Chinese headers and labels,
references by natural key), an export re-imported unchanged is a dry run with every row
"unchanged", errors name the Excel row, the header and the accepted values, and each kind has
a template with data validation and an explanation sheet.

The record kinds come from the admin registry (every ``ProgrammeAdmin``), and a record of each
from the factories in ``tests/**/factories.py``: a new kind is covered by itself.
"""

import importlib
import io
from pathlib import Path

import factory
import pytest
import tablib
from django.conf import settings
from django.contrib import admin
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import RequestFactory
from openpyxl import load_workbook

from consumption.models import Sale
from consumption.resources import SaleResource
from cooperation.admin_base import ProgrammeAdmin
from cooperation.resources import RegionResource
from tests.consumption.factories import ProductFactory, SaleFactory
from tests.factories import OrganizationFactory
from tests.labor.factories import PlacementFactory, WorkerFactory

pytestmark = pytest.mark.django_db

KINDS = sorted(
    (model._meta.label, model_admin)
    for model, model_admin in admin.site._registry.items()
    if isinstance(model_admin, ProgrammeAdmin)
)


def _factories():
    found = {}
    root = Path(__file__).resolve().parent.parent
    for path in sorted(root.rglob("factories.py")):
        module = importlib.import_module(".".join(path.relative_to(root.parent).with_suffix("").parts))
        for value in vars(module).values():
            if isinstance(value, type) and issubclass(value, factory.django.DjangoModelFactory):
                model = value._meta.model
                # The factory named after the model (EastSchoolFactory also makes organisations).
                if model is not None and (model not in found or value.__name__ == f"{model.__name__}Factory"):
                    found[model] = value
    return found


FACTORIES = _factories()


def _request(user):
    request = RequestFactory().get("/")
    request.user = user
    return request


def _format(extension):
    return next(fmt for fmt in settings.IMPORT_EXPORT_FORMATS if fmt().get_extension() == extension)


def _round_trip(model_admin, request, extension):
    """Export every record of the kind as the admin does, read the file back, import it as a dry run."""
    fmt = _format(extension)()
    queryset = model_admin.get_queryset(request)
    export_class = model_admin.get_export_resource_classes(request)[0]
    exported = export_class(**model_admin.get_export_resource_kwargs(request)).export(
        queryset, force_native_type=fmt.is_binary()
    )
    content = fmt.export_data(exported)
    dataset = fmt.create_dataset(content)
    import_class = model_admin.get_import_resource_classes(request)[0]
    resource = import_class(**model_admin.get_import_resource_kwargs(request))
    return exported, resource.import_data(dataset, dry_run=True, raise_errors=False, user=request.user)


def test_every_kind_has_a_factory():
    missing = [label for label, model_admin in KINDS if model_admin.model not in FACTORIES]
    assert not missing


@pytest.mark.parametrize("extension", ["xlsx", "csv"])
@pytest.mark.parametrize("role", ["staff", "admin"])
@pytest.mark.parametrize("label, model_admin", KINDS, ids=[label for label, _admin in KINDS])
def test_an_export_imports_back_unchanged(regions, make_user, label, model_admin, role, extension):
    FACTORIES[model_admin.model]()
    request = _request(make_user(role))
    exported, result = _round_trip(model_admin, request, extension)
    assert len(exported) >= 1
    assert not result.has_errors() and not result.has_validation_errors(), result.messages()
    assert result.totals["skip"] == len(exported), [row.diff for row in result.rows]
    assert result.totals["new"] == result.totals["update"] == 0
    # Headers are the verbose names (Chinese), the sheet is named after the kind.
    assert all(not header.isascii() or header == "ID" for header in exported.headers), exported.headers
    assert exported.title == str(model_admin.model._meta.verbose_name_plural)


def test_choices_references_and_money_are_written_for_people(regions):
    product = ProductFactory(name="苦荞茶", origin_region=regions["zhaojue"])
    SaleFactory(product=product, origin_region=regions["zhaojue"], channel="ecommerce", amount="1234.50")
    row = SaleResource().export().dict[0]
    assert row["销售渠道"] != "ecommerce" and row["产品"] == "苦荞茶"
    assert row["产地"] == regions["zhaojue"].code
    xlsx = load_workbook(io.BytesIO(_format("xlsx")().export_data(SaleResource().export(force_native_type=True))))
    sheet = xlsx.active
    assert sheet.title == "销售记录"
    header = [cell.value for cell in sheet[1]]
    assert isinstance(sheet.cell(row=2, column=header.index("金额（元）") + 1).value, (int, float))


def test_codes_and_field_names_are_still_accepted(regions):
    product = ProductFactory(name="苦荞茶", origin_region=regions["zhaojue"])
    dataset = tablib.Dataset(
        [
            "shop",
            "A-1",
            "2023-05-01",
            regions["zhaojue"].code,
            "苦荞茶",
            "",
            "ecommerce",
            "enterprise",
            "",
            "10",
            "",
            "",
        ],
        headers=list(SaleResource.Meta.fields),
    )
    result = SaleResource().import_data(dataset, dry_run=False)
    assert not result.has_validation_errors(), result.messages()
    sale = Sale.objects.get()
    assert sale.product == product and sale.channel == "ecommerce"


def test_a_bad_sheet_names_row_header_and_accepted_values(regions):
    ProductFactory(name="苦荞茶", origin_region=regions["zhaojue"])
    headers = SaleResource().get_export_headers()
    good = ["shop", "A-1", "2023-05-01", "513431", "苦荞茶", "", "电商", "企业", "", "10", "", ""]
    bad = ["shop", "A-2", "2023-02-30", "513431", "不存在的产品", "", "淘宝", "企业", "", "十元", "", ""]
    result = SaleResource().import_data(tablib.Dataset(good, bad, headers=headers), dry_run=True)
    assert result.has_validation_errors() and not result.has_errors()
    messages = result.messages()
    text = "\n".join(messages)
    # Every bad cell of the row, each with its Excel row (3: the header is row 1) and header.
    for column in ("销售日期", "产品", "销售渠道", "金额（元）"):
        assert any(m.startswith("第 3 行") and f"“{column}”" in m for m in messages), text
    assert "苦荞茶" in text  # the accepted references, as examples
    assert "电商" in text  # the accepted choices
    for english in ("matching query", "ConversionSyntax", "Traceback", "<class", "does not exist"):
        assert english not in text
    assert not any("第 2 行" in m for m in messages)


def test_a_sheet_without_its_key_columns_says_so_in_chinese(regions):
    dataset = tablib.Dataset(["a"], headers=["名称"])
    result = SaleResource().import_data(dataset, dry_run=True)
    assert result.has_errors()
    text = " ".join(result.messages())
    assert "来源" in text and "FieldError" not in text


def test_the_worker_export_imports_back_in_the_admin(client, make_user, regions):
    """What staff do: export workers, upload the file unchanged: a preview of unchanged rows."""
    worker = WorkerFactory()
    PlacementFactory(worker=worker)
    client.force_login(make_user("staff"))
    index = next(i for i, f in enumerate(settings.EXPORT_FORMATS) if f().get_extension() == "xlsx")
    form = client.get("/admin/labor/worker/export/").context["form"]
    columns = {name: "on" for name in form.fields if name.startswith("workerresource_")}
    content = client.post("/admin/labor/worker/export/", {"format": str(index), "resource": "0", **columns}).content
    upload = SimpleUploadedFile("workers.xlsx", content)
    response = client.post("/admin/labor/worker/import/", {"import_file": upload, "resource": "0"})
    assert response.status_code == 200
    assert "confirm_form" in response.context, response.context["result"].messages()
    html = response.content.decode()
    assert "未变更" in html and worker.id_number not in html
    assert "Traceback" not in html


def test_the_format_comes_from_the_file_name(client, make_user, regions):
    client.force_login(make_user("staff"))
    sheet = RegionResource().export(force_native_type=False)
    upload = SimpleUploadedFile("regions.txt", sheet.export("csv").encode())
    response = client.post("/admin/cooperation/region/import/", {"import_file": upload, "resource": "0"})
    assert response.status_code == 200
    assert ".xlsx" in str(response.context["form"].errors["import_file"])
    upload = SimpleUploadedFile("regions.csv", sheet.export("csv").encode())
    response = client.post("/admin/cooperation/region/import/", {"import_file": upload, "resource": "0"})
    assert "confirm_form" in response.context
    page = client.get("/admin/cooperation/region/import/").content.decode()
    assert '<select name="format"' not in page and "---" not in page


def test_the_admin_error_page_shows_rows_and_headers(client, make_user, regions):
    client.force_login(make_user("staff"))
    headers = SaleResource().get_export_headers()
    rows = [["shop", "A-1", "2023-05-01", "513431", "", "", "淘宝", "企业", "", "abc", "", ""]]
    upload = SimpleUploadedFile("sales.csv", tablib.Dataset(*rows, headers=headers).export("csv").encode())
    html = client.post("/admin/consumption/sale/import/", {"import_file": upload, "resource": "0"}).content.decode()
    assert "第 2 行，列“销售渠道”" in html and "第 2 行，列“金额（元）”" in html
    assert "Traceback" not in html and "decimal" not in html


def test_the_preview_shows_old_and_new_per_changed_cell(regions):
    OrganizationFactory(region=regions["zhaojue"], name="旧名")
    exported = RegionResource().export()
    resource = admin.site._registry[OrganizationFactory._meta.model].get_import_resource_classes(None)[0]()
    sheet = resource.export()
    column = sheet.headers.index("名称")
    rows = [list(row) for row in sheet]
    rows[0][column] = "新名"
    result = resource.import_data(tablib.Dataset(*rows, headers=sheet.headers), dry_run=True)
    assert result.totals["update"] == 1, result.messages()
    cells = [str(cell) for cell in result.rows[0].diff]
    assert any("旧名" in cell and "新名" in cell and "→" in cell for cell in cells)
    assert len(exported) > 0


@pytest.mark.parametrize("label, model_admin", KINDS, ids=[label for label, _admin in KINDS])
def test_every_kind_has_a_template(client, make_user, regions, label, model_admin):
    client.force_login(make_user("staff"))
    opts = model_admin.model._meta
    response = client.get(f"/admin/{opts.app_label}/{opts.model_name}/import/template/")
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.content))
    sheet, explanation = workbook.worksheets[0], workbook.worksheets[1]
    headers = [cell.value for cell in sheet[1]]
    assert headers and all(headers)
    explained = [row[0].value for row in explanation.iter_rows(min_row=2)]
    assert explained == headers
    # The template imports as an empty sheet, without errors.
    resource = model_admin.get_import_resource_classes(_request(make_user("admin", username="x")))[0]()
    result = resource.import_data(_format("xlsx")().create_dataset(response.content), dry_run=True)
    assert not result.has_errors() and not result.has_validation_errors(), result.messages()


def test_the_template_has_drop_downs_dates_and_numbers(client, make_user, regions):
    client.force_login(make_user("staff"))
    response = client.get("/admin/consumption/sale/import/template/")
    workbook = load_workbook(io.BytesIO(response.content))
    sheet = workbook.worksheets[0]
    headers = [cell.value for cell in sheet[1]]
    kinds = {}
    for validation in sheet.data_validations.dataValidation:
        column = str(validation.sqref).split(":")[0].rstrip("0123456789")
        kinds[headers[ord(column) - ord("A")]] = validation.type
    assert kinds["销售渠道"] == "list" and kinds["销售日期"] == "date" and kinds["金额（元）"] == "decimal"
    lists = workbook["选项"]
    assert lists.sheet_state == "hidden"
    assert "电商" in [cell.value for row in lists.iter_rows() for cell in row]
    assert workbook.worksheets[1].title == "填写说明"
