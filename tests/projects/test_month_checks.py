"""The projects' warnings before a month is submitted: money paid without the year's allocation
(``projects.disbursement_without_allocation``) and projects in progress that stopped being paid
(``projects.stalled``)."""

import datetime
from decimal import Decimal

import pytest

from cooperation.month_checks import month_warnings
from projects.models import Disbursement, FundAllocation, Project
from projects.month_checks import disbursement_without_allocation, stalled
from tests.projects.factories import DisbursementFactory, FundAllocationFactory, ProjectFactory

pytestmark = pytest.mark.django_db

JUNE = datetime.date(2024, 6, 1)


def _project(region, **fields):
    fields.setdefault("name", "牦牛养殖基地")
    return ProjectFactory(region=region, **fields)


class TestDisbursementWithoutAllocation:
    def test_money_paid_in_the_month_without_the_year_s_allocation_is_named_with_its_sum(self, regions):
        project = _project(regions["zhaojue"], code="ZJ-2024-01", year=2024, status="completed")
        FundAllocationFactory(project=project, year=2025)  # next year's money does not cover it
        DisbursementFactory(project=project, paid_on=datetime.date(2024, 6, 1), amount=Decimal("12345.00"))
        DisbursementFactory(project=project, paid_on=datetime.date(2024, 6, 30), amount=Decimal("10000.00"))
        DisbursementFactory(project=project, paid_on=datetime.date(2024, 7, 1), amount=Decimal("99999.00"))

        assert disbursement_without_allocation(region=regions["zhaojue"], month=JUNE) == [
            "项目ZJ-2024-01 牦牛养殖基地在2024年6月拨付资金2.23万元，但没有2024年度或以前年度的资金下达。"
        ]
        codes = [w["code"] for w in month_warnings(region=regions["zhaojue"], month=JUNE)]
        assert codes == ["projects.disbursement_without_allocation"]

    def test_an_allocation_of_the_year_silences_it(self, regions):
        project = _project(regions["zhaojue"], year=2023)
        # Budget year 2024, allocated in December 2023: the budget year is what counts.
        FundAllocationFactory(project=project, year=2024, allocated_on=datetime.date(2023, 12, 20))
        DisbursementFactory(project=project, paid_on=datetime.date(2024, 6, 10))
        assert disbursement_without_allocation(region=regions["zhaojue"], month=JUNE) == []

    def test_an_earlier_budget_year_s_allocation_carried_over_silences_it(self, regions):
        project = _project(regions["zhaojue"], year=2023)
        FundAllocationFactory(project=project, year=2023, allocated_on=datetime.date(2023, 3, 5))
        DisbursementFactory(project=project, paid_on=datetime.date(2024, 6, 10))
        assert disbursement_without_allocation(region=regions["zhaojue"], month=JUNE) == []

    def test_an_allocation_dated_in_the_year_for_a_later_budget_year_does_not(self, regions):
        project = _project(regions["zhaojue"], year=2024)
        FundAllocationFactory(project=project, year=2025, allocated_on=datetime.date(2024, 1, 5))
        DisbursementFactory(project=project, paid_on=datetime.date(2024, 6, 10))
        assert len(disbursement_without_allocation(region=regions["zhaojue"], month=JUNE)) == 1

    def test_no_payment_in_the_month_no_warning(self, regions):
        project = _project(regions["zhaojue"], year=2024)
        DisbursementFactory(project=project, paid_on=datetime.date(2024, 5, 31))
        DisbursementFactory(project=project, paid_on=datetime.date(2024, 7, 1))
        assert disbursement_without_allocation(region=regions["zhaojue"], month=JUNE) == []

    def test_the_county_and_below_only(self, regions):
        for key in ("village", "butuo"):
            DisbursementFactory(project=_project(regions[key], code=f"P-{key}"), paid_on=datetime.date(2024, 6, 5))
        [message] = disbursement_without_allocation(region=regions["zhaojue"], month=JUNE)
        assert message.startswith("项目P-village ")
        [message] = disbursement_without_allocation(region=regions["butuo"], month=JUNE)
        assert message.startswith("项目P-butuo ")

    def test_one_query_whatever_the_number_of_projects(self, regions, django_assert_max_num_queries):
        projects = Project.objects.bulk_create(
            Project(code=f"B{n:03d}", name=f"项目{n}", category="industry", year=2024, region=regions["town"], budget=1)
            for n in range(60)
        )
        FundAllocation.objects.bulk_create(
            FundAllocation(project=p, year=2024, source="city", amount=100, allocated_on=datetime.date(2024, 1, 1))
            for p in projects[:20]
        )
        Disbursement.objects.bulk_create(
            Disbursement(project=projects[n % 60], amount=10, paid_on=datetime.date(2024, 6, 1 + n % 30))
            for n in range(600)
        )
        with django_assert_max_num_queries(1):
            messages = disbursement_without_allocation(region=regions["zhaojue"], month=JUNE)
        assert len(messages) == 40


class TestStalled:
    """June 2024: the six months are January to June 2024."""

    def test_in_progress_without_payment_for_six_months_is_named_with_its_last_payment(self, regions):
        project = _project(regions["zhaojue"], code="ZJ-01", started_on=datetime.date(2023, 3, 1))
        DisbursementFactory(project=project, paid_on=datetime.date(2023, 12, 31))
        assert stalled(region=regions["zhaojue"], month=JUNE) == [
            "项目ZJ-01 牦牛养殖基地处于实施中，但2024年1月至2024年6月没有资金拨付（上次拨付在2023-12-31）。"
        ]
        assert [w["code"] for w in month_warnings(region=regions["zhaojue"], month=JUNE)] == ["projects.stalled"]

    def test_never_paid_at_all(self, regions):
        _project(regions["zhaojue"], code="ZJ-02", started_on=datetime.date(2023, 3, 1))
        assert stalled(region=regions["zhaojue"], month=JUNE) == [
            "项目ZJ-02 牦牛养殖基地处于实施中，但截至2024年6月从未拨付资金。"
        ]

    @pytest.mark.parametrize("paid_on", [datetime.date(2024, 1, 1), datetime.date(2024, 6, 30)])
    def test_a_payment_within_the_six_months_silences_it(self, regions, paid_on):
        project = _project(regions["zhaojue"], started_on=datetime.date(2023, 3, 1))
        DisbursementFactory(project=project, paid_on=paid_on)
        assert stalled(region=regions["zhaojue"], month=JUNE) == []

    def test_a_payment_after_the_month_does_not(self, regions):
        project = _project(regions["zhaojue"], started_on=datetime.date(2023, 3, 1))
        DisbursementFactory(project=project, paid_on=datetime.date(2024, 7, 1))
        assert len(stalled(region=regions["zhaojue"], month=JUNE)) == 1

    @pytest.mark.parametrize(
        ("started_on", "year", "warns"),
        [
            (datetime.date(2024, 1, 1), 2024, True),  # running for the whole six months
            (datetime.date(2024, 1, 2), 2023, False),  # started a day into them
            (None, 2024, True),  # no start date: planned for 2024, running from 1 January
            (None, 2025, False),
        ],
    )
    def test_only_projects_running_for_all_six_months(self, regions, started_on, year, warns):
        _project(regions["zhaojue"], started_on=started_on, year=year)
        assert len(stalled(region=regions["zhaojue"], month=JUNE)) == (1 if warns else 0)

    def test_a_plan_year_without_start_date_a_month_earlier_is_not_yet_stalled(self, regions):
        _project(regions["zhaojue"], started_on=None, year=2024)
        assert stalled(region=regions["zhaojue"], month=datetime.date(2024, 5, 1)) == []

    @pytest.mark.parametrize("status", ["planned", "approved", "completed", "accepted", "cancelled"])
    def test_only_projects_in_progress(self, regions, status):
        _project(regions["zhaojue"], started_on=datetime.date(2022, 1, 1), status=status)
        assert stalled(region=regions["zhaojue"], month=JUNE) == []

    def test_the_county_and_below_only(self, regions):
        for key in ("village", "butuo"):
            _project(regions[key], code=f"P-{key}", started_on=datetime.date(2022, 1, 1))
        assert [m.split(" ")[0] for m in stalled(region=regions["zhaojue"], month=JUNE)] == ["项目P-village"]
        assert [m.split(" ")[0] for m in stalled(region=regions["butuo"], month=JUNE)] == ["项目P-butuo"]

    def test_one_query_whatever_the_number_of_projects(self, regions, django_assert_max_num_queries):
        projects = Project.objects.bulk_create(
            Project(
                code=f"S{n:03d}",
                name=f"项目{n}",
                category="industry",
                year=2023,
                status="in_progress",
                started_on=datetime.date(2023, 1, 1),
                region=regions["village"],
                budget=1,
            )
            for n in range(60)
        )
        # Every project paid in 2023; the first twenty in 2024 too.
        Disbursement.objects.bulk_create(
            Disbursement(project=projects[n % 60], amount=10, paid_on=datetime.date(2023, 1 + n % 12, 1))
            for n in range(600)
        )
        Disbursement.objects.bulk_create(
            Disbursement(project=p, amount=10, paid_on=datetime.date(2024, 3, 1)) for p in projects[:20]
        )
        with django_assert_max_num_queries(1):
            messages = stalled(region=regions["zhaojue"], month=JUNE)
        assert len(messages) == 40
