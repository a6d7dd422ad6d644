"""The funds, projects and investment indicators and the dashboard breakdowns, on hand-made data."""

import datetime
from decimal import Decimal

import pytest

from indicators.registry import get_indicator
from projects import selectors
from tests.factories import OrganizationFactory
from tests.projects.factories import (
    DisbursementFactory,
    FundAllocationFactory,
    InvestmentFactory,
    ProjectFactory,
)

D = Decimal


@pytest.fixture
def data(regions):
    """Projects in Zhaojue's village, in Zhaojue itself and in Butuo, across the edges of 2023."""
    village = ProjectFactory(code="V-23", region=regions["village"], year=2023, category="industry")
    county = ProjectFactory(code="Z-23", region=regions["zhaojue"], year=2023, category="education")
    butuo = ProjectFactory(code="B-23", region=regions["butuo"], year=2023, category="industry")
    cancelled = ProjectFactory(code="C-23", region=regions["zhaojue"], year=2023, status="cancelled")
    ProjectFactory(code="Z-22", region=regions["zhaojue"], year=2022)
    ProjectFactory(code="Z-24", region=regions["zhaojue"], year=2024, status="planned")

    # Allocations count by their budget year, whatever the date and the project's status.
    FundAllocationFactory(project=village, year=2023, amount=D("100.00"), allocated_on=datetime.date(2023, 1, 1))
    FundAllocationFactory(project=county, year=2023, amount=D("200.50"), allocated_on=datetime.date(2023, 12, 31))
    FundAllocationFactory(project=butuo, year=2023, amount=D("400.00"), allocated_on=datetime.date(2023, 12, 31))
    FundAllocationFactory(project=cancelled, year=2023, amount=D("1000.00"), allocated_on=datetime.date(2023, 6, 1))
    FundAllocationFactory(project=county, year=2022, amount=D("7.00"), allocated_on=datetime.date(2022, 12, 31))
    FundAllocationFactory(project=county, year=2024, amount=D("9.00"), allocated_on=datetime.date(2024, 1, 1))

    # Disbursements count by the calendar year they were paid in.
    DisbursementFactory(project=village, amount=D("10.00"), paid_on=datetime.date(2023, 1, 1))
    DisbursementFactory(project=village, amount=D("20.00"), paid_on=datetime.date(2023, 12, 31))
    DisbursementFactory(project=county, amount=D("200.50"), paid_on=datetime.date(2024, 1, 1))
    DisbursementFactory(project=butuo, amount=D("40.00"), paid_on=datetime.date(2022, 12, 31))
    DisbursementFactory(project=cancelled, amount=D("5.00"), paid_on=datetime.date(2023, 7, 1))

    zj_enterprise = OrganizationFactory(region=regions["town"])
    bt_enterprise = OrganizationFactory(region=regions["butuo"])
    InvestmentFactory(enterprise=zj_enterprise, year=2023, amount=D("1000000.00"))
    InvestmentFactory(enterprise=zj_enterprise, year=2023, amount=D("500000.00"))
    InvestmentFactory(enterprise=bt_enterprise, year=2023, amount=D("250000.00"))
    InvestmentFactory(enterprise=bt_enterprise, year=2022, amount=D("1.00"))
    return regions


@pytest.mark.django_db
class TestIndicators:
    def test_funds_allocated(self, data):
        assert selectors.funds_allocated(year=2023) == D("1700.50")
        assert selectors.funds_allocated(year=2023, region=data["zhaojue"]) == D("1300.50")
        assert selectors.funds_allocated(year=2023, region=data["village"]) == D("100.00")
        assert selectors.funds_allocated(year=2023, region=data["liangshan"]) == D("1700.50")
        assert selectors.funds_allocated(year=2023, region=data["yuyao"]) == D("0.00")
        assert selectors.funds_allocated(year=2021) == D("0.00")

    def test_funds_disbursed(self, data):
        assert selectors.funds_disbursed(year=2023) == D("35.00")
        assert selectors.funds_disbursed(year=2023, region=data["town"]) == D("30.00")
        assert selectors.funds_disbursed(year=2024) == D("200.50")
        assert selectors.funds_disbursed(year=2022, region=data["butuo"]) == D("40.00")

    def test_projects_count_excludes_cancelled(self, data):
        assert selectors.projects_count(year=2023) == 3
        assert selectors.projects_count(year=2023, region=data["zhaojue"]) == 2
        assert selectors.projects_count(year=2023, region=data["village"]) == 1
        assert selectors.projects_count(year=2024, region=data["zhaojue"]) == 1
        assert selectors.projects_count(year=2025) == 0

    def test_investment(self, data):
        assert selectors.investment_enterprises(year=2023) == 2
        assert selectors.investment_amount(year=2023) == D("1750000.00")
        assert selectors.investment_enterprises(year=2023, region=data["zhaojue"]) == 1
        assert selectors.investment_amount(year=2023, region=data["zhaojue"]) == D("1500000.00")
        assert selectors.investment_amount(year=2022, region=data["zhaojue"]) == D("0.00")

    def test_the_registry_calls_these_selectors(self, data):
        for key, expected in [
            ("funds.allocated", D("1300.50")),
            ("funds.disbursed", D("35.00")),  # the cancelled project paid 5.00 in 2023
            ("projects.count", 2),
            ("investment.enterprises", 1),
            ("investment.amount", D("1500000.00")),
        ]:
            assert get_indicator(key).compute(year=2023, region=data["zhaojue"]) == expected, key

    def test_types(self, data):
        assert isinstance(selectors.projects_count(year=2023), int)
        assert isinstance(selectors.investment_enterprises(year=2030), int)
        assert str(selectors.funds_allocated(year=2030)) == "0.00"


@pytest.mark.django_db
class TestBreakdowns:
    def test_by_month_adds_up(self, data):
        months = selectors.funds_allocated_by_month(year=2023)
        assert len(months) == 12
        assert months[0] == D("100.00") and months[5] == D("1000.00") and months[11] == D("600.50")
        assert sum(months) == selectors.funds_allocated(year=2023)
        regional = selectors.funds_allocated_by_month(year=2023, region=data["butuo"])
        assert regional[11] == D("400.00") and sum(regional) == D("400.00")

    def test_disbursed_by_month(self, data):
        months = selectors.funds_disbursed_by_month(year=2023)
        assert months[0] == D("10.00") and months[6] == D("5.00") and months[11] == D("20.00")
        assert sum(months) == selectors.funds_disbursed(year=2023)
        assert selectors.funds_disbursed_by_month(year=2019) == [D("0.00")] * 12

    def test_by_category(self, data):
        rows = selectors.funds_by_category(year=2023)
        by_key = {row["category"]: row["amount"] for row in rows}
        # the cancelled project is an industry project too
        assert by_key == {"industry": D("1500.00"), "education": D("200.50")}
        assert [row["category"] for row in rows] == ["industry", "education"]
        assert all(row["label"] for row in rows)
        assert selectors.funds_by_category(year=2023, region=data["village"]) == [
            {"category": "industry", "label": rows[0]["label"], "amount": D("100.00")}
        ]

    def test_lagging_projects(self, data):
        rows = selectors.projects_lagging_disbursement(year=2023)
        assert [row["code"] for row in rows] == ["B-23", "V-23", "Z-23"]
        assert rows[0] == {
            "id": rows[0]["id"],
            "code": "B-23",
            "name": rows[0]["name"],
            "allocated": D("400.00"),
            "disbursed": D("40.00"),
            "rate": D("0.1000"),
        }
        assert rows[2]["rate"] == D("0.9261")  # 200.50 / (200.50 + 7 + 9): all-time totals
        assert [r["code"] for r in selectors.projects_lagging_disbursement(year=2023, limit=1)] == ["B-23"]
        zj = selectors.projects_lagging_disbursement(year=2023, region=data["zhaojue"])
        assert [r["code"] for r in zj] == ["V-23", "Z-23"]
        assert selectors.projects_lagging_disbursement(year=2022) == []  # Z-22 has no allocations

    def test_project_list_is_annotated(self, data):
        project = selectors.project_list().get(code="V-23")
        assert project.allocated_total == D("100.00")
        assert project.disbursed_total == D("30.00")
        assert project.disbursement_rate == D("0.3000")
        no_money = selectors.project_list().get(code="Z-22")
        assert no_money.allocated_total == D("0.00") and no_money.disbursement_rate is None
