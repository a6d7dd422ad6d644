"""The report's summary sheet says through which month its figures are approved and which
months of its period are still provisional (the monthly submissions, CONTRACT.md 1.1)."""

import datetime
from io import BytesIO

import pytest
from openpyxl import load_workbook

from reports import services
from tests.factories import SubmissionFactory

D = datetime.date
pytestmark = pytest.mark.django_db


def _approve(county, *months, year=2023):
    for month in months:
        SubmissionFactory(region=county, month=D(year, month, 1), status="approved")


def _summary(kind, period_start, region=None):
    report = services.report_request(kind=kind, period_start=period_start, region=region)
    report = services.report_generate(report_id=report.pk)
    with report.file.open("rb") as handle:
        return load_workbook(BytesIO(handle.read())).worksheets[0]


def _statement(sheet) -> tuple[str, str]:
    return sheet["A5"].value, sheet["A6"].value


def test_a_countys_annual_report_says_through_which_month(regions):
    _approve(regions["zhaojue"], 1, 2, 3, 4)
    sheet = _summary("annual", D(2023, 1, 1), regions["zhaojue"])
    assert _statement(sheet) == (
        "数据已审核至2023年4月。",
        "暂定月份：5月、6月、7月、8月、9月、10月、11月、12月。",
    )
    # The rest of the sheet as before, the indicator table two rows lower.
    assert sheet["A2"].value == "地区：昭觉县 (513431)"
    assert [cell.value for cell in sheet[8]][:3] == ["序号", "指标", "单位"]
    assert sheet.freeze_panes == "A9"


def test_a_gap_stops_the_approved_run(regions):
    """January to March and May approved: approved through March, April provisional; the May
    report names no month after its own."""
    _approve(regions["zhaojue"], 1, 2, 3, 5)
    sheet = _summary("monthly", D(2023, 5, 1), regions["zhaojue"])
    assert _statement(sheet) == ("数据已审核至2023年3月。", "暂定月份：4月。")


def test_the_programme_counts_its_counties(regions):
    _approve(regions["zhaojue"], 1, 2)
    _approve(regions["butuo"], 1)
    sheet = _summary("quarterly", D(2023, 1, 1))
    assert _statement(sheet) == ("数据已审核至2023年1月。", "暂定月份：2月（1/2 县已审核）、3月。")


def test_no_approved_month(regions):
    _approve(regions["zhaojue"], 1, 2, year=2022)  # another year's months do not count
    sheet = _summary("monthly", D(2023, 2, 1), regions["zhaojue"])
    assert _statement(sheet) == ("本年尚无已审核月份，数据均为暂定。", "暂定月份：1月、2月。")


def test_a_later_month_approved_without_january(regions):
    _approve(regions["zhaojue"], 2)
    sheet = _summary("monthly", D(2023, 2, 1), regions["zhaojue"])
    assert _statement(sheet) == ("本年1月数据尚未审核。", "暂定月份：1月。")


def test_every_month_of_the_period_approved(regions):
    _approve(regions["zhaojue"], 1, 2, 3)
    sheet = _summary("quarterly", D(2023, 1, 1), regions["zhaojue"])
    assert _statement(sheet) == ("数据已审核至2023年3月。", "本期各月数据均已审核，没有暂定月份。")


def test_a_towns_report_reads_its_countys_months(regions):
    _approve(regions["zhaojue"], 1)
    sheet = _summary("monthly", D(2023, 1, 1), regions["town"])
    assert _statement(sheet) == ("数据已审核至2023年1月。", "本期各月数据均已审核，没有暂定月份。")


def test_an_area_without_a_reporting_county(regions):
    sheet = _summary("monthly", D(2023, 1, 1), regions["yuyao"])
    assert _statement(sheet)[0] == "本区域没有按月报送数据的县，数据均为暂定。"


def test_the_snapshot_keeps_its_shape(regions):
    """The stored indicators are the API's contract: the approvals are on the sheet only."""
    _approve(regions["zhaojue"], 1)
    report = services.report_request(kind="monthly", period_start=D(2023, 1, 1), region=regions["zhaojue"])
    report = services.report_generate(report_id=report.pk)
    assert {key for item in report.indicators for key in item} == {"key", "value", "unit", "target", "completion"}
