"""The self-evaluation draft (``GET /api/v1/self-evaluation/``, CONTRACT.md 1.1) on the demo data:
the source report's figures in the text, the assessment's structure, Chinese throughout, a
region with no data, bad parameters, scopes, the content type and the file name.

Its own module: the demo data stay loaded (in one rolled-back transaction) for the module.
"""

import datetime
import re
from io import BytesIO
from urllib.parse import quote

import pytest
from django.utils import translation
from docx import Document

from cooperation.models import Region
from indicators.formatting import figure_display
from indicators.registry import INDICATORS
from indicators.selectors import indicator_values
from reports.self_evaluation import DOCX_TYPE, OTHER_PART, PARTS, part_of
from tests.factories import SubmissionFactory

URL = "/api/v1/self-evaluation/"
ZHAOJUE = "513431"
PAIR_TITLE = "余姚市—昭觉县东西部协作2023年度自评报告（草稿）"
HEADINGS = [
    PAIR_TITLE,
    "总体情况",
    "一、组织领导和人才交流",
    "二、资金使用",
    "三、产业合作",
    "四、劳务协作",
    "五、“组团式”医疗和教育帮扶",
    "六、消费帮扶",
    "七、携手促振兴",
    "附表：2023年度指标完成情况",
]


@pytest.fixture
def staff(demo, db, api_client_for):
    return api_client_for("staff")


def _document(response):
    assert response.status_code == 200, response.content[:500]
    return Document(BytesIO(response.content))


def _text(document) -> str:
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join([paragraph.text for paragraph in document.paragraphs] + cells)


def _headings(document) -> list[str]:
    return [p.text for p in document.paragraphs if p.style.name == "Title" or p.style.name.startswith("Heading")]


def _section(document, heading: str) -> str:
    """The text of the paragraphs under ``heading`` up to the next heading."""
    lines, inside = [], False
    for paragraph in document.paragraphs:
        if paragraph.style.name.startswith("Heading"):
            inside = paragraph.text == heading
        elif inside:
            lines.append(paragraph.text)
    return "\n".join(lines)


def _draft(client, **params):
    return _document(client.get(URL, {"year": 2023, **params}))


# -- the figures of the source report


def test_the_2023_draft_for_zhaojue_states_the_reports_figures(staff):
    document = _draft(staff, region=ZHAOJUE)
    industry = _section(document, "三、产业合作")
    assert "引导投资企业7 家" in industry
    assert "实际到位投资额6,727.00 万元" in industry  # the dashboard's display: 万元, two places
    teams = _section(document, "五、“组团式”医疗和教育帮扶")
    assert "诊疗人次12,813 人次" in teams
    assert "手术及有创操作733 例" in teams
    assert "危重病人抢救311 例" in teams
    assert "师徒结对27 对" in teams
    consumption = _section(document, "六、消费帮扶")
    assert "消费帮扶金额4,339.00 万元" in consumption
    assert "四川省特色农产品消费帮扶金额7,759.00 万元，其中昭觉县特色农产品4,339.00 万元" in consumption


def test_the_county_s_538_teacher_trainee_times_are_stated(staff):
    """The report's 538 trainee-times of 2023, county-wide sessions included (the demo holds
    them for the county's government), in Zhaojue's draft as in the programme's."""
    zhaojue = _section(_draft(staff, region=ZHAOJUE), "五、“组团式”医疗和教育帮扶")
    assert "培训教师538 人次" in zhaojue
    programme = _section(_draft(staff), "五、“组团式”医疗和教育帮扶")
    assert "培训教师538 人次" in programme


def test_every_non_zero_indicator_appears_in_the_text_with_its_target(staff):
    text = _text(_draft(staff, region=ZHAOJUE))
    zhaojue = Region.objects.get(code=ZHAOJUE)
    with translation.override("zh-hans"):
        rows = indicator_values(year=2023, region=zhaojue)
        for row in rows:
            unit = "" if row["money"] else str(row["unit_label"])
            if row["value"]:
                assert f"{row['label']}{figure_display(row['value'], money=row['money'], unit_label=unit)}" in text
            if row["target"] is not None:
                assert f"年度目标{figure_display(row['target'], money=row['money'], unit_label=unit)}" in text
    assert sum(1 for row in rows if row["value"]) >= 15


def test_sentences_give_the_completion_the_change_and_the_lagging_items(staff):
    document = _draft(staff)
    funds = _section(document, "二、资金使用")
    assert "拨付帮扶资金7,601.36 万元，年度目标9,000.00 万元，完成率84.5%；比上年减少1,906.46 万元" in funds
    assert "滞后指标：拨付帮扶资金（完成率84.5%，按进度应达9,000.00 万元）。" in funds
    assert "安排帮扶资金1.02 亿元" in funds  # 亿元 from one hundred million yuan up
    assert "全部18项指标中，18项设定了年度目标：已完成17项，进度正常0项，进度滞后1项。" in _text(document)
    labor = _section(document, "四、劳务协作")
    assert "本部分设定年度目标的指标均已完成或达到进度要求。" in labor


def test_the_records_behind_the_parts(staff):
    document = _draft(staff, region=ZHAOJUE)
    leadership = _section(document, "一、组织领导和人才交流")
    assert "余姚市与昭觉县自2021年6月起结对" in leadership
    industry = _section(document, "三、产业合作")
    assert "项目资金入股合作社和企业7家，入股资金300.00 万元" in industry
    assert "2023年度分红18.00 万元，其中村集体7.20 万元、农户10.80 万元" in industry
    teams = _section(document, "五、“组团式”医疗和教育帮扶")
    assert "医院结对：余姚市人民医院—昭觉县人民医院。" in teams
    revitalisation = _section(document, "七、携手促振兴")
    assert "横坎头村与三河村自2021年9月起结对" in revitalisation
    assert "参与合作社肉牛存栏由212 头提高到506 头" in revitalisation


def test_the_header_names_the_pair_the_period_and_the_months_approved(staff):
    text = _text(_draft(staff, region=ZHAOJUE))
    assert "结对双方：余姚市—昭觉县（自2021年6月起）。" in text
    assert "评估期间：2023年1月1日至2023年12月31日。" in text
    assert "数据范围：昭觉县（513431）及所辖地区。" in text
    assert "2023年尚无审核通过的月份，所列数据均为暂定数据。" in text


def test_the_approved_months_are_stated(staff):
    zhaojue = Region.objects.get(code=ZHAOJUE)
    for month in (1, 2, 3, 4, 5, 6, 9):
        SubmissionFactory(region=zhaojue, month=datetime.date(2023, month, 1), status="approved")
    text = _text(_draft(staff, region=ZHAOJUE))
    assert "数据已审核至2023年6月；2023年7月至2023年12月为暂定数据。另已审核：2023年9月。" in text


# -- structure and language


def test_every_indicator_belongs_to_a_part_of_the_assessment():
    assert all(part_of(indicator.key) is not OTHER_PART for indicator in INDICATORS)
    assert {part_of(indicator.key).key for indicator in INDICATORS} == {part.key for part in PARTS if part.prefixes}


def test_the_sections_in_order_and_the_table_of_every_indicator(staff):
    document = _draft(staff, region=ZHAOJUE)
    assert _headings(document) == HEADINGS
    (table,) = document.tables
    assert [cell.text for cell in table.rows[0].cells] == [
        "序号",
        "指标",
        "完成值",
        "年度目标",
        "完成率",
        "上年",
        "状态",
    ]
    with translation.override("zh-hans"):
        labels = [str(indicator.label) for indicator in INDICATORS]
    assert [row.cells[1].text for row in table.rows[1:]] == labels
    investment = next(row for row in table.rows if row.cells[1].text == "实际到位投资额")
    assert [cell.text for cell in investment.cells[2:]] == ["6,727.00 万元", "—", "—", "2,500.00 万元", "无目标"]
    sales = next(row for row in table.rows if row.cells[1].text == "消费帮扶金额")
    assert [cell.text for cell in sales.cells[2:]] == [
        "4,339.00 万元",
        "4,000.00 万元",
        "108.5%",
        "2,586.00 万元",
        "已完成",
    ]


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_draft_is_chinese_whatever_the_language_asked_for(staff, language):
    document = _document(staff.get(URL, {"year": 2023, "region": ZHAOJUE}, HTTP_ACCEPT_LANGUAGE=language))
    text = _text(document)
    # No English leaks: Latin letters only in the records' own names (none in the demo's).
    assert re.findall(r"[A-Za-z]{2,}", text) == []
    assert document.core_properties.language == "zh-CN"
    assert document.core_properties.title == PAIR_TITLE


def test_a_region_with_no_data_gets_a_short_honest_draft(staff):
    document = _draft(staff, region="513499")  # the demo's second county: its pair starts in 2024
    text = _text(document)
    assert "示例县（虚构）2023年度尚无录入的协作数据，暂无法形成自评内容。" in text
    assert document.tables == []
    assert _headings(document) == ["示例县（虚构）东西部协作2023年度自评报告（草稿）"]


# -- the request


def test_content_type_and_file_name(staff):
    response = staff.get(URL, {"year": 2023, "region": ZHAOJUE})
    assert response.status_code == 200
    assert response["Content-Type"] == DOCX_TYPE
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert 'filename="self-evaluation-2023-513431.docx"' in disposition
    assert f"filename*=UTF-8''{quote(PAIR_TITLE + '.docx')}" in disposition


def test_a_client_may_ask_for_the_document_type(staff):
    assert staff.get(URL, {"year": 2023}, HTTP_ACCEPT=DOCX_TYPE)["Content-Type"] == DOCX_TYPE
    refused = staff.get(URL, {"year": "abc"}, HTTP_ACCEPT=DOCX_TYPE)
    assert refused.status_code == 400 and "year" in refused.json()


@pytest.mark.parametrize(
    "params, field",
    [
        ({}, "year"),
        ({"year": ""}, "year"),
        ({"year": "abc"}, "year"),
        ({"year": "1999"}, "year"),
        ({"year": "2101"}, "year"),
        ({"year": "2023.5"}, "year"),
        ({"year": 2023, "region": "999999999"}, "region"),
        ({"year": 2023, "region": "abc"}, "region"),
        ({"year": 2023, "region": "12345678901234567890"}, "region"),
    ],
)
def test_bad_parameters_are_400_naming_them(staff, params, field):
    response = staff.get(URL, params)
    assert response.status_code == 400, response.content
    body = response.json()
    assert field in body and isinstance(body[field], list)


@pytest.mark.parametrize("role, status", [(None, 401), ("norole", 403), ("official", 200), ("api", 200)])
def test_permissions_are_the_summarys(demo, db, api_client_for, make_user, role, status):
    client = api_client_for(user=make_user(None)) if role == "norole" else api_client_for(role)
    assert client.get(URL, {"year": 2023}).status_code == status


def test_a_scoped_user_gets_their_region_and_nothing_outside(demo, db, api_client_for, scoped_user):
    zhaojue = Region.objects.get(code=ZHAOJUE)
    client = api_client_for(user=scoped_user("official", zhaojue))
    response = client.get(URL, {"year": 2023})
    assert 'filename="self-evaluation-2023-513431.docx"' in response["Content-Disposition"]
    text = _text(_document(response))
    assert "数据范围：昭觉县（513431）及所辖地区。" in text
    assert "实际到位投资额6,727.00 万元" in text
    assert "四川省" not in text  # the province's figures lie outside the scope
    assert client.get(URL, {"year": 2023, "region": "513499"}).status_code == 403
    assert client.get(URL, {"year": 2023, "region": "510000"}).status_code == 403


def test_a_user_with_several_regions_gets_the_whole_scope_without_targets(demo, db, api_client_for, scoped_user):
    regions = Region.objects.filter(code__in=[ZHAOJUE, "513499"]).order_by("code")
    client = api_client_for(user=scoped_user("official", *regions))
    response = client.get(URL, {"year": 2023})
    assert 'filename="self-evaluation-2023-scope.docx"' in response["Content-Disposition"]
    text = _text(_document(response))
    assert "数据范围：昭觉县、示例县（虚构）合计（年度目标按地区设定，合计不列目标）。" in text
    assert "实际到位投资额6,727.00 万元；" in text
    assert "年度目标" not in text.split("附表")[0].replace("年度目标按地区设定", "")
