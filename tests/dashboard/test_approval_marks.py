"""The dashboard marks each month of the year approved or provisional (the monthly submissions,
CONTRACT.md 1.1) and says through which month the figures are approved."""

import datetime
import html
import re

import pytest

from dashboard import selectors
from indicators.registry import INDICATORS
from tests.factories import RegionFactory, SubmissionFactory

PAGE = "/dashboard/"
pytestmark = pytest.mark.django_db

MARK = re.compile(
    r'<li class="mark[^"]*" data-month="(?P<month>\d{4}-\d{2})" data-state="(?P<state>\w+)" title="(?P<title>[^"]*)">'
    r"(?P<body>.*?)</li>",
    re.S,
)


def _approve(county, *months, year=2023):
    for month in months:
        SubmissionFactory(region=county, month=datetime.date(year, month, 1), status="approved")


def _strip(content: str) -> dict:
    """The strip as a user reads it: the sentence, and each month's state, label and count."""
    block = content[content.index('id="approvals"') : content.index('id="figures"')]
    sentence = re.search(r'id="approval-sentence">(.*?)</p>', block, re.S).group(1).strip()
    marks = {}
    for found in MARK.finditer(block):
        counts = re.search(r'class="mark-counts"[^>]*>(.*?)</small>', found["body"])
        marks[int(found["month"][-2:])] = {
            "state": found["state"],
            "title": html.unescape(found["title"]),
            "counts": counts.group(1) if counts else None,
            "text": re.sub(r"<[^>]+>|\s+", "", found["body"]),
        }
    return {"sentence": html.unescape(sentence), "marks": marks}


def _page(client, **query) -> dict:
    response = client.get(PAGE, {"year": 2023, **query})
    assert response.status_code == 200
    return _strip(response.content.decode())


@pytest.fixture
def official_client(client, make_user):
    client.force_login(make_user("official"))
    return client


def test_a_countys_months_are_marked_and_the_sentence_says_through_which(official_client, regions):
    _approve(regions["zhaojue"], 1, 2, 3, 4)
    strip = _page(official_client, region=regions["zhaojue"].pk)

    assert strip["sentence"] == "数据已审核至2023年4月；其后为暂定数据"
    assert [strip["marks"][m]["state"] for m in range(1, 13)] == ["approved"] * 4 + ["provisional"] * 8
    # In words, not by colour alone: the visible text and the label each say it.
    assert strip["marks"][1]["title"] == "2023年1月：已审核" and "已审核" in strip["marks"][1]["text"]
    assert strip["marks"][5]["title"] == "2023年5月：暂定" and "暂定" in strip["marks"][5]["text"]
    assert "2023年5月：暂定" in strip["marks"][5]["text"]  # the screen readers' text
    assert strip["marks"][1]["counts"] is None  # one county: no count to give


def test_an_area_of_several_counties_counts_them(official_client, regions):
    meigu = RegionFactory(name="美姑县", code="513436", level="county", parent=regions["liangshan"])
    counties = [regions["zhaojue"], regions["butuo"], meigu]
    for county in counties:
        _approve(county, 1, 2)
    _approve(counties[0], 3)
    _approve(counties[1], 3)
    SubmissionFactory(region=meigu, month=datetime.date(2023, 3, 1), status="submitted")  # not yet
    strip = _page(official_client, region=regions["liangshan"].pk)

    assert strip["sentence"] == "数据已审核至2023年2月；其后为暂定数据"
    assert strip["marks"][1]["state"] == "approved" and strip["marks"][1]["counts"] == "3/3 县已审核"
    assert strip["marks"][3]["state"] == "provisional" and strip["marks"][3]["counts"] == "2/3 县已审核"
    assert strip["marks"][3]["title"] == "2023年3月：暂定（2/3 县已审核）"
    assert strip["marks"][12]["counts"] == "0/3 县已审核"


def test_the_programme_counts_every_western_county(official_client, regions):
    _approve(regions["zhaojue"], 1)
    strip = _page(official_client)
    assert strip["marks"][1]["state"] == "provisional" and strip["marks"][1]["counts"] == "1/2 县已审核"
    assert strip["sentence"] == "本年尚无已审核月份，数据均为暂定"


def test_no_approved_month(official_client, regions):
    _approve(regions["zhaojue"], 1, 2, year=2022)  # another year's months do not count
    strip = _page(official_client, region=regions["zhaojue"].pk)
    assert strip["sentence"] == "本年尚无已审核月份，数据均为暂定"
    assert {mark["state"] for mark in strip["marks"].values()} == {"provisional"}
    assert len(strip["marks"]) == 12


def test_a_gap_stops_the_approved_run_and_a_later_approved_month_is_named(official_client, regions):
    _approve(regions["zhaojue"], 1, 2, 3, 5)
    strip = _page(official_client, region=regions["zhaojue"].pk)
    assert strip["sentence"] == "数据已审核至2023年3月；其后为暂定数据（5月已审核）"
    assert strip["marks"][4]["state"] == "provisional" and strip["marks"][5]["state"] == "approved"


def test_a_whole_year_approved(official_client, regions):
    _approve(regions["zhaojue"], *range(1, 13))
    strip = _page(official_client, region=regions["zhaojue"].pk)
    assert strip["sentence"] == "数据已审核至2023年12月，全年均已审核"


def test_in_english(official_client, regions):
    _approve(regions["zhaojue"], 1, 2, 3, 4)
    official_client.post("/i18n/setlang/", {"language": "en", "next": PAGE})
    strip = _page(official_client, region=regions["zhaojue"].pk)
    assert strip["sentence"] == "Figures are approved through 2023-04; later months are provisional."
    assert strip["marks"][1]["title"] == "2023-01: Approved" and strip["marks"][5]["title"] == "2023-05: Provisional"


class TestScopedUsers:
    @pytest.fixture
    def approved(self, regions):
        _approve(regions["zhaojue"], 1, 2)
        _approve(regions["butuo"], 1)

    def test_one_scope_region_sees_its_own_months(self, client, scoped_user, regions, approved):
        client.force_login(scoped_user("official", regions["zhaojue"]))
        assert _page(client)["sentence"] == "数据已审核至2023年2月；其后为暂定数据"
        client.force_login(scoped_user("official", regions["butuo"]))
        strip = _page(client)
        assert strip["sentence"] == "数据已审核至2023年1月；其后为暂定数据"
        assert strip["marks"][2]["state"] == "provisional"

    def test_several_scope_regions_count_the_whole_scope(self, client, scoped_user, regions, approved):
        client.force_login(scoped_user("official", regions["zhaojue"], regions["butuo"]))
        strip = _page(client)
        assert strip["marks"][1]["state"] == "approved" and strip["marks"][1]["counts"] == "2/2 县已审核"
        assert strip["marks"][2]["state"] == "provisional" and strip["marks"][2]["counts"] == "1/2 县已审核"

    def test_a_town_of_the_scope_shows_its_county(self, client, scoped_user, regions, approved):
        # A town has no submission of its own: its county's approval is the town's.
        client.force_login(scoped_user("official", regions["zhaojue"]))
        assert _page(client, region=regions["town"].pk)["sentence"] == "数据已审核至2023年2月；其后为暂定数据"

    def test_an_east_city_has_no_county_of_its_own(self, client, scoped_user, regions, approved):
        client.force_login(scoped_user("staff", regions["yuyao"]))
        assert _page(client)["sentence"] == "本区域没有按月报送数据的县，数据均为暂定"

    def test_a_region_outside_the_scope_shows_no_marks(self, client, scoped_user, regions, approved):
        client.force_login(scoped_user("official", regions["zhaojue"]))
        response = client.get(PAGE, {"year": 2023, "region": regions["butuo"].pk})
        assert response.status_code == 403 and 'id="approvals"' not in response.content.decode()


@pytest.mark.parametrize("size", [2, 12])
def test_the_page_queries_do_not_grow_with_months_or_counties(
    client, make_user, regions, django_assert_max_num_queries, size
):
    prefecture = RegionFactory(name="Prefecture", code="519900", level="prefecture", parent=regions["sichuan"])
    for i in range(size):
        county = RegionFactory(name=f"County {i}", code=f"5199{i + 1:02d}", parent=prefecture)
        _approve(county, *range(1, size + 1))
    client.force_login(make_user("official"))
    # The page's pin (tests/dashboard/test_scopes.py), the strip's two queries included.
    with django_assert_max_num_queries(43 + 2 + len(INDICATORS) + 2):
        response = client.get(PAGE, {"year": 2023, "region": prefecture.pk})
    marks = response.context["approvals"]["months"]
    assert sum(mark["approved"] for mark in marks) == size


@pytest.mark.parametrize("size", [1, 6])
def test_the_approvals_are_two_queries(scoped_user, regions, django_assert_num_queries, size):
    for i in range(size):
        _approve(RegionFactory(code=f"5134{50 + i}", level="county", parent=regions["liangshan"]), *range(1, 13))
    user = scoped_user("official", regions["liangshan"], regions["zhaojue"])
    area = selectors.dashboard_area(user=user, region=None)  # the scope, read once
    with django_assert_num_queries(2):
        approvals = selectors.dashboard_approvals(area=area, year=2023)
    assert approvals["through"] is None and approvals["months"][0]["counties"] == size + 2
