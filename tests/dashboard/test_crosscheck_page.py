"""The cross-check page (``/dashboard/cross-check/``) and the inspectors' sample as ``.xlsx``:
statuses in Chinese, the size of a difference with the records behind it, and a sample drawn the
same way on every call, at most 10 records per indicator, with its evidence."""

import datetime
import re
from decimal import Decimal
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from indicators.registry import INDICATORS
from projects.models import ProgressAttachment
from reports.crosscheck import SAMPLE_SIZE
from tests.consumption.factories import SaleFactory
from tests.factories import SecondmentFactory
from tests.projects.factories import FundAllocationFactory, ProgressReportFactory, ProjectFactory
from tests.reports.factories import DeclarationFactory

PAGE = "/dashboard/cross-check/"
SAMPLE = "/dashboard/cross-check/sample.xlsx"
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _row_html(content: str, key: str) -> str:
    start = content.index(f'data-key="{key}"')
    return content[content.rindex("<tr", 0, start) : content.index("</tr>", start)]


def _section_html(content: str, key: str) -> str:
    start = content.index(f'<details class="sample" data-key="{key}"')
    return content[start : content.index("</details>", start)]


@pytest.fixture
def data(regions):
    """Zhaojue 2023: 12 cadres (declared 12 by both sides), 15 sales of 100 yuan (declared 1,500
    by the east, 1,400 by the west), a project's allocation with an acceptance record attached."""
    zhaojue = regions["zhaojue"]
    SecondmentFactory.create_batch(12, region=zhaojue, started_on=datetime.date(2023, 4, 1))
    SaleFactory.create_batch(15, origin_region=zhaojue, amount=Decimal("100.00"))
    SaleFactory(origin_region=regions["butuo"], amount=Decimal("100.00"))
    project = ProjectFactory(region=zhaojue, code="ZJ-2023-01", name="昭觉肉牛养殖")
    FundAllocationFactory(project=project, amount=Decimal("500000.00"), document="浙财〔2023〕12号")
    report = ProgressReportFactory(project=project)
    ProgressAttachment.objects.create(
        report=report, title="验收单", file=SimpleUploadedFile("acceptance.pdf", b"%PDF-1.4 demo")
    )
    for side in ("east", "west"):
        DeclarationFactory(year=2023, region=zhaojue, indicator="talent.cadres", side=side, value=12)
    DeclarationFactory(year=2023, region=zhaojue, indicator="consumption.sales", side="east", value="1500")
    DeclarationFactory(year=2023, region=zhaojue, indicator="consumption.sales", side="west", value="1400")
    return regions


@pytest.fixture
def official(client, make_user):
    client.force_login(make_user("official"))
    return client


def _query(data):
    return {"year": 2023, "region": data["zhaojue"].pk}


class TestPage:
    def test_statuses_in_chinese_with_the_difference_and_its_records(self, official, data):
        response = official.get(PAGE, _query(data))
        assert response.status_code == 200
        page = response.content.decode()
        assert "昭觉县 2023年度交叉核查" in page
        cadres = _row_html(page, "talent.cadres")
        assert 'data-status="agree"' in cadres and "一致" in cadres and "12 人" in cadres
        sales = _row_html(page, "consumption.sales")
        assert 'data-status="differs"' in sales and "不一致" in sales
        assert "西部 −0.01 万元" in sales  # 1,400 declared against 1,500 recorded
        assert "/admin/consumption/sale/?year=2023&amp;region_within=" in sales
        assert "查看台账记录" in sales
        funds = _row_html(page, "funds.allocated")
        assert 'data-status="missing"' in funds and "未申报" in funds
        keys = re.findall(r'<tr class="status-[a-z_]+" data-key="([^"]+)"', page)
        assert keys == [indicator.key for indicator in INDICATORS]

    def test_the_sample_has_at_most_ten_records_per_indicator_with_their_evidence(self, official, data):
        response = official.get(PAGE, _query(data))
        sample = {group["key"]: group for group in response.context["sample"]}
        assert list(sample) == [indicator.key for indicator in INDICATORS]
        assert all(len(group["records"]) <= SAMPLE_SIZE for group in sample.values())
        assert (sample["talent.cadres"]["total"], len(sample["talent.cadres"]["records"])) == (12, 10)
        assert (sample["consumption.sales"]["total"], len(sample["consumption.sales"]["records"])) == (15, 10)
        [allocation] = sample["funds.allocated"]["records"]
        assert allocation["number"] == "浙财〔2023〕12号"
        assert [attachment["title"] for attachment in allocation["attachments"]] == ["验收单"]
        page = response.content.decode()
        section = _section_html(page, "funds.allocated")
        assert (
            "/projects/attachments/" in section
            and f"/admin/projects/fundallocation/{allocation['pk']}/change/" in section
        )
        assert "抽取 10 条，共 15 条" in _section_html(page, "consumption.sales")
        assert "该数值没有对应的记录。" in _section_html(page, "healthcare.outpatients")

    def test_the_sample_is_the_same_on_two_calls(self, official, data):
        def drawn():
            response = official.get(PAGE, _query(data))
            return {group["key"]: [item["pk"] for item in group["records"]] for group in response.context["sample"]}

        first, second = drawn(), drawn()
        assert first == second
        assert len(first["consumption.sales"]) == 10

    def test_no_region_asks_for_one(self, official, data):
        response = official.get(PAGE, {"year": 2023})
        assert response.status_code == 200
        assert "请选择一个地区" in response.content.decode() and "rows" not in response.context

    def test_access(self, client, make_user, scoped_user, data):
        assert client.get(PAGE, _query(data))["Location"].startswith("/dashboard/login/")
        client.force_login(make_user("api"))
        assert client.get(PAGE, _query(data)).status_code == 403
        client.force_login(scoped_user("official", data["butuo"]))
        assert client.get(PAGE, _query(data)).status_code == 403
        assert client.get(SAMPLE, _query(data)).status_code == 403
        # Without a region, a user with one scope region gets that region.
        response = client.get(PAGE, {"year": 2023})
        assert response.status_code == 200 and response.context["region"] == data["butuo"]


class TestDownload:
    def test_the_sample_downloads_as_a_workbook_matching_the_page(self, official, data):
        response = official.get(SAMPLE, _query(data))
        assert response.status_code == 200
        assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        assert 'filename="cross-check-sample-2023-513431.xlsx"' in response["Content-Disposition"]
        sheet = load_workbook(BytesIO(response.content)).active
        assert sheet.title == "检查抽样"
        assert "昭觉县（513431）2023年度检查抽样" in sheet["A1"].value
        rows = list(sheet.iter_rows(min_row=5, values_only=True))
        page = official.get(PAGE, _query(data)).context["sample"]
        sales = next(group for group in page if group["key"] == "consumption.sales")
        assert [row[2] for row in rows if row[0] == "消费帮扶金额"] == [item["record"] for item in sales["records"]]
        allocation = next(row for row in rows if row[0] == "安排帮扶资金")
        assert (
            allocation[6] == "浙财〔2023〕12号" and "验收单: http://testserver/projects/attachments/" in allocation[7]
        )
        assert allocation[8].startswith("http://testserver/admin/projects/fundallocation/")
        assert allocation[4] == 50.0 and allocation[5] == "万元"

    def test_two_downloads_hold_the_same_sample(self, official, data):
        def records():
            sheet = load_workbook(BytesIO(official.get(SAMPLE, _query(data)).content)).active
            return [row[:3] for row in sheet.iter_rows(min_row=5, values_only=True)]

        assert records() == records()

    @pytest.mark.parametrize("params", [{"year": 2023}, {"region": "513431"}, {"year": "x", "region": "513431"}])
    def test_a_bad_query_is_400(self, official, data, params):
        assert official.get(SAMPLE, params).status_code == 400
