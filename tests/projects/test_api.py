"""Endpoints of projects, funds and investments: permission matrix, contract fields, filters, 400s."""

import datetime
from decimal import Decimal

import pytest

from projects.models import Disbursement, FundAllocation, Project
from tests.api_matrix import EndpointMatrix
from tests.factories import OrganizationFactory, RegionFactory, region_tree
from tests.projects.factories import (
    DisbursementFactory,
    EquityDividendFactory,
    EquityInvestmentFactory,
    FundAllocationFactory,
    InvestmentFactory,
    OutcomeMeasureFactory,
    ProgressReportFactory,
    ProjectFactory,
)

D = Decimal


def _funded_project(amount="1000.00"):
    project = ProjectFactory()
    FundAllocationFactory(project=project, amount=D(amount))
    return project


class TestProjectMatrix(EndpointMatrix):
    url = "/api/v1/projects/"

    def make_record(self):
        return ProjectFactory(status="planned")

    def payload(self):
        region = RegionFactory()
        return {
            "code": "2024-ZJ-01",
            "name": "肉牛养殖",
            "category": "industry",
            "year": 2024,
            "status": "planned",
            "region": region.pk,
            "budget": "2960000.00",
        }

    def update_payload(self, record):
        return {"status": "approved"}


class TestFundAllocationMatrix(EndpointMatrix):
    url = "/api/v1/fund-allocations/"

    def make_record(self):
        return FundAllocationFactory()

    def payload(self):
        return {
            "project": ProjectFactory().pk,
            "year": 2023,
            "source": "city",
            "amount": "100.00",
            "allocated_on": "2023-03-01",
        }

    def update_payload(self, record):
        return {"amount": "200.00"}


class TestDisbursementMatrix(EndpointMatrix):
    url = "/api/v1/disbursements/"

    def make_record(self):
        project = _funded_project()
        return DisbursementFactory(project=project, amount=D("10.00"))

    def payload(self):
        return {"project": _funded_project().pk, "amount": "10.00", "paid_on": "2023-06-01"}

    def update_payload(self, record):
        return {"amount": "20.00"}


class TestInvestmentMatrix(EndpointMatrix):
    url = "/api/v1/investments/"

    def make_record(self):
        return InvestmentFactory()

    def payload(self):
        return {"enterprise": OrganizationFactory().pk, "year": 2023, "amount": "2600000.00"}

    def update_payload(self, record):
        return {"jobs_created": 300}


class TestEquityInvestmentMatrix(EndpointMatrix):
    url = "/api/v1/equity-investments/"

    def make_record(self):
        return EquityInvestmentFactory()

    def payload(self):
        return {
            "project": ProjectFactory().pk,
            "investee": OrganizationFactory(kind="cooperative").pk,
            "amount": "428571.43",
            "invested_on": "2022-05-01",
        }

    def update_payload(self, record):
        return {"share_percent": "30.00"}


class TestEquityDividendMatrix(EndpointMatrix):
    url = "/api/v1/equity-dividends/"

    def make_record(self):
        return EquityDividendFactory()

    def payload(self):
        return {"equity": EquityInvestmentFactory().pk, "year": 2023, "to_households": "9000.00", "households": 45}

    def update_payload(self, record):
        return {"households": 50}


class TestProgressReportMatrix(EndpointMatrix):
    url = "/api/v1/progress-reports/"

    def make_record(self):
        return ProgressReportFactory()

    def payload(self):
        return {"project": ProjectFactory().pk, "reported_on": "2023-12-31", "percent_complete": 100}

    def update_payload(self, record):
        return {"note": "验收完成"}


class TestOutcomeMeasureMatrix(EndpointMatrix):
    url = "/api/v1/outcome-measures/"

    def make_record(self):
        return OutcomeMeasureFactory()

    def payload(self):
        return {"project": ProjectFactory().pk, "name": "合作社", "unit": "个", "baseline": "7", "target": "14"}

    def update_payload(self, record):
        return {"current": "14"}


@pytest.mark.django_db
class TestProjects:
    def test_contract_fields_and_totals(self, api_client_for, regions):
        project = ProjectFactory(code="ZJ-1", region=regions["village"], beneficiaries=300)
        FundAllocationFactory(project=project, amount=D("3000000"))
        DisbursementFactory(project=project, amount=D("750000"))
        body = api_client_for("official").get(f"/api/v1/projects/{project.pk}/").json()
        contract = {
            "id": project.pk,
            "code": "ZJ-1",
            "name": project.name,
            "category": "industry",
            "year": 2023,
            "status": "in_progress",
            "region": regions["village"].pk,
            "implementer": None,
            "budget": "1000000.00",
            "started_on": None,
            "completed_on": None,
            "beneficiaries": 300,
            "beneficiaries_poverty_alleviated": 0,
        }
        assert {k: body[k] for k in contract} == contract
        assert body["allocated_total"] == "3000000.00"
        assert body["disbursed_total"] == "750000.00"
        assert body["disbursement_rate"] == "0.2500"
        assert [a["amount"] for a in body["allocations"]] == ["3000000.00"]
        assert [d["amount"] for d in body["disbursements"]] == ["750000.00"]
        assert {"equity_investments", "progress_reports", "outcomes"} <= set(body)

    def test_nested_detail(self, api_client_for, regions):
        project = ProjectFactory(region=regions["zhaojue"])
        equity = EquityInvestmentFactory(project=project, investee=OrganizationFactory(region=regions["town"]))
        EquityDividendFactory(equity=equity)
        ProgressReportFactory(project=project)
        OutcomeMeasureFactory(project=project)
        body = api_client_for("official").get(f"/api/v1/projects/{project.pk}/").json()
        assert body["equity_investments"][0]["dividends"][0]["to_households"] == "18000.00"
        assert body["progress_reports"][0]["percent_complete"] == 60
        assert body["outcomes"][0]["current"] == "506.00"
        assert body["disbursement_rate"] is None

    def test_created_project_answers_with_totals(self, api_client_for, regions):
        payload = {
            "code": "N-1",
            "name": "x",
            "category": "rural",
            "year": 2024,
            "status": "planned",
            "region": regions["zhaojue"].pk,
            "budget": "1",
        }
        response = api_client_for("staff").post("/api/v1/projects/", payload, format="json")
        assert response.status_code == 201, response.json()
        assert response.json()["allocated_total"] == "0.00"

    @pytest.mark.parametrize(
        "old, new, ok",
        [
            ("planned", "approved", True),
            ("planned", "in_progress", False),
            ("completed", "accepted", True),
            ("accepted", "cancelled", False),
            ("in_progress", "cancelled", True),
            ("cancelled", "planned", False),
            ("approved", "planned", False),
            ("approved", "approved", True),
        ],
    )
    def test_status_machine_over_patch(self, api_client_for, regions, old, new, ok):
        project = ProjectFactory(region=regions["zhaojue"], status=old)
        response = api_client_for("staff").patch(f"/api/v1/projects/{project.pk}/", {"status": new}, format="json")
        if ok:
            assert response.status_code == 200, response.json()
            assert response.json()["status"] == new
        else:
            assert response.status_code == 400
            assert "status" in response.json()
            assert Project.objects.get(pk=project.pk).status == old

    BAD_PROJECTS = [
        ({"region": "east"}, "region"),
        ({"category": "space"}, "category"),
        ({"status": "dreaming"}, "status"),
        ({"budget": "0"}, "budget"),
        ({"budget": "-5"}, "budget"),
        ({"budget": "1e400"}, "budget"),
        ({"budget": "99999999999999999999999"}, "budget"),
        ({"year": 99999999999999999999}, "year"),
        ({"year": 1999}, "year"),
        ({"started_on": "2023-02-30"}, "started_on"),
        ({"started_on": "2023-05-01", "completed_on": "2023-04-01"}, "completed_on"),
        ({"beneficiaries": 1, "beneficiaries_poverty_alleviated": 2}, "beneficiaries_poverty_alleviated"),
        ({"beneficiaries": -1}, "beneficiaries"),
        ({"implementer": 10**12}, "implementer"),
        ({"code": ""}, "code"),
        ({"code": "DUP"}, "code"),
    ]

    def test_bad_project_is_400(self, api_client_for, regions):
        ProjectFactory(code="DUP", region=regions["zhaojue"])
        payload = {
            "code": "NEW",
            "name": "x",
            "category": "industry",
            "year": 2023,
            "status": "planned",
            "region": regions["zhaojue"].pk,
            "budget": "100.00",
        }
        client = api_client_for("staff")
        for change, field in self.BAD_PROJECTS:
            if change.get("region") == "east":
                change = {"region": regions["yuyao"].pk}
            response = client.post("/api/v1/projects/", payload | change, format="json")
            assert response.status_code == 400, (change, response.content)
            assert field in response.json(), (change, response.json())
        assert not Project.objects.filter(code="NEW").exists()

    def test_filters(self, api_client_for, regions):
        ProjectFactory(code="A", region=regions["village"], year=2023, category="industry", status="planned")
        ProjectFactory(code="B", region=regions["zhaojue"], year=2024, category="health")
        ProjectFactory(
            code="C",
            region=regions["butuo"],
            year=2023,
            category="health",
            started_on=datetime.date(2022, 3, 1),
            completed_on=datetime.date(2023, 2, 1),
        )
        client = api_client_for("official")

        def codes(**params):
            response = client.get("/api/v1/projects/", params)
            assert response.status_code == 200, response.json()
            return sorted(r["code"] for r in response.json()["results"])

        assert codes(year=2023) == ["A", "C"]
        assert codes(status="planned") == ["A"]
        assert codes(category="health") == ["B", "C"]
        assert codes(region=regions["zhaojue"].pk) == ["B"]
        assert codes(region_within=regions["zhaojue"].pk) == ["A", "B"]
        assert codes(started_on_after="2022-01-01") == ["C"]
        assert codes(completed_on_before="2023-12-31") == ["C"]
        assert codes(active_in=2022) == ["C"]
        assert codes(search="B") == ["B"]
        assert codes(year_min=2024) == ["B"]
        ordered = client.get("/api/v1/projects/", {"ordering": "-code"}).json()["results"]
        assert [r["code"] for r in ordered] == ["C", "B", "A"]

    def test_ordering_by_rate(self, api_client_for, regions):
        low = ProjectFactory(code="LOW", region=regions["zhaojue"])
        high = ProjectFactory(code="HIGH", region=regions["zhaojue"])
        for project, paid in ((low, "10"), (high, "90")):
            FundAllocationFactory(project=project, amount=D("100"))
            DisbursementFactory(project=project, amount=D(paid))
        body = api_client_for("official").get("/api/v1/projects/", {"ordering": "disbursement_rate"}).json()
        assert [r["code"] for r in body["results"]] == ["LOW", "HIGH"]

    def test_list_reads_each_total_once(self, api_client_for, regions):
        """The rate comes from the two totals read: the page's SQL sums each money table once per
        project, not again for the rate; the figures are those of the records, to 4 places."""
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        for code, allocated, paid in (("THIRD", "3", "1"), ("TWO-THIRDS", "3", "2"), ("NONE", None, None)):
            project = ProjectFactory(code=code, region=regions["zhaojue"])
            if allocated:
                FundAllocationFactory(project=project, amount=D(allocated))
                DisbursementFactory(project=project, amount=D(paid))
        client = api_client_for("official")
        with CaptureQueriesContext(connection) as queries:
            body = client.get("/api/v1/projects/", {"ordering": "code"}).json()
        rates = {
            r["code"]: (r["allocated_total"], r["disbursed_total"], r["disbursement_rate"]) for r in body["results"]
        }
        assert rates == {
            "NONE": ("0.00", "0.00", None),
            "THIRD": ("3.00", "1.00", "0.3333"),
            "TWO-THIRDS": ("3.00", "2.00", "0.6667"),
        }
        (page,) = [
            q["sql"] for q in queries.captured_queries if 'FROM "projects_project"' in q["sql"] and "LIMIT" in q["sql"]
        ]
        assert page.count('"projects_disbursement"') == 1 and page.count('"projects_fundallocation"') == 1
        ordered = client.get("/api/v1/projects/", {"ordering": "-disbursement_rate"}).json()["results"]
        assert [r["code"] for r in ordered] == [
            "NONE",
            "TWO-THIRDS",
            "THIRD",
        ]  # no rate: first descending, as SQL orders NULL

    BAD_FILTERS = [
        ({"year": "abc"}, "year"),
        ({"year": "99999999999999999999"}, "year"),
        ({"status": "sleeping"}, "status"),
        ({"category": "x"}, "category"),
        ({"region": "abc"}, "region"),
        ({"region_within": "999999999"}, "region_within"),
        ({"implementer": "-1"}, "implementer"),
        ({"started_on_after": "2023-13-01"}, "started_on_after"),
        ({"ordering": "secret"}, "ordering"),
    ]

    def test_bad_filters_are_400(self, api_client_for):
        client = api_client_for("official")
        for params, field in self.BAD_FILTERS:
            response = client.get("/api/v1/projects/", params)
            assert response.status_code == 400, (params, response.content)
            assert field in response.json(), params

    def test_delete_of_a_funded_project_is_400(self, api_client_for):
        project = _funded_project()
        response = api_client_for("admin").delete(f"/api/v1/projects/{project.pk}/")
        assert response.status_code == 400
        assert Project.objects.filter(pk=project.pk).exists()

    def test_list_query_count_is_flat(self, api_client_for, django_assert_max_num_queries, regions):
        client = api_client_for("official")
        counts = []
        for n in (3, 60):
            for _ in range(n):
                project = ProjectFactory(region=regions["zhaojue"], implementer=OrganizationFactory())
                FundAllocationFactory(project=project)
            with django_assert_max_num_queries(6) as ctx:
                body = client.get("/api/v1/projects/", {"page_size": 1000}).json()
            assert len(body["results"]) == Project.objects.count()
            counts.append(len(ctx.captured_queries))
        assert counts[0] == counts[1]


@pytest.mark.django_db
class TestMoney:
    def test_disbursement_over_the_allocations_is_400(self, api_client_for):
        project = _funded_project("100.00")
        client = api_client_for("staff")
        ok = client.post("/api/v1/disbursements/", {"project": project.pk, "amount": "60", "paid_on": "2023-05-01"})
        assert ok.status_code == 201 and ok.json()["amount"] == "60.00"
        over_body = {"project": project.pk, "amount": "40.01", "paid_on": "2023-05-02"}
        over = client.post("/api/v1/disbursements/", over_body)
        assert over.status_code == 400 and "amount" in over.json()
        patch = client.patch(f"/api/v1/disbursements/{ok.json()['id']}/", {"amount": "100.01"})
        assert patch.status_code == 400 and "amount" in patch.json()
        assert Disbursement.objects.get().amount == D("60.00")

    def test_allocation_cut_below_disbursed_is_400(self, api_client_for):
        project = _funded_project("100.00")
        DisbursementFactory(project=project, amount=D("80.00"))
        allocation = FundAllocation.objects.get(project=project)
        staff = api_client_for("staff")
        cut = staff.patch(f"/api/v1/fund-allocations/{allocation.pk}/", {"amount": "79.99"})
        assert cut.status_code == 400 and "amount" in cut.json()
        gone = api_client_for("admin").delete(f"/api/v1/fund-allocations/{allocation.pk}/")
        assert gone.status_code == 400
        assert FundAllocation.objects.get().amount == D("100.00")

    BAD_ALLOCATIONS = [
        ({"amount": "0"}, "amount"),
        ({"amount": "-1"}, "amount"),
        ({"amount": "12.345"}, "amount"),
        ({"amount": "NaN"}, "amount"),
        ({"source": "moon"}, "source"),
        ({"year": 2101}, "year"),
        ({"allocated_on": "yesterday"}, "allocated_on"),
        ({"project": 10**15}, "project"),
        ({"project": "x"}, "project"),
    ]

    def test_bad_allocation_is_400(self, api_client_for):
        payload = {
            "project": ProjectFactory().pk,
            "year": 2023,
            "source": "city",
            "amount": "1.00",
            "allocated_on": "2023-01-01",
        }
        client = api_client_for("staff")
        for change, field in self.BAD_ALLOCATIONS:
            response = client.post("/api/v1/fund-allocations/", payload | change, format="json")
            assert response.status_code == 400, (change, response.content)
            assert field in response.json(), change
        assert not FundAllocation.objects.exists()

    def test_allocation_and_disbursement_filters(self, api_client_for, regions):
        zj = ProjectFactory(region=regions["village"])
        bt = ProjectFactory(region=regions["butuo"])
        FundAllocationFactory(project=zj, year=2023, source="city", amount=D("100"))
        FundAllocationFactory(project=bt, year=2022, source="province", amount=D("100"))
        DisbursementFactory(project=zj, paid_on=datetime.date(2023, 12, 31))
        DisbursementFactory(project=bt, paid_on=datetime.date(2022, 1, 1))
        client = api_client_for("official")
        alloc = "/api/v1/fund-allocations/"
        assert client.get(alloc, {"year": 2023}).json()["count"] == 1
        assert client.get(alloc, {"source": "province"}).json()["count"] == 1
        assert client.get(alloc, {"project": zj.pk}).json()["count"] == 1
        assert client.get(alloc, {"region_within": regions["zhaojue"].pk}).json()["count"] == 1
        assert client.get(alloc, {"allocated_on_after": "2023-01-01"}).json()["count"] == 1
        disb = "/api/v1/disbursements/"
        assert client.get(disb, {"year": 2023}).json()["count"] == 1
        assert client.get(disb, {"paid_on_before": "2022-06-30"}).json()["count"] == 1
        assert client.get(disb, {"region_within": regions["butuo"].pk}).json()["count"] == 1
        assert client.get(disb, {"paid_on_after": "2022-02-30"}).status_code == 400


@pytest.mark.django_db
class TestInvestments:
    def test_contract_fields(self, api_client_for, regions):
        west = OrganizationFactory(region=regions["zhaojue"], name="智学电子")
        east = OrganizationFactory(region=regions["yuyao"])
        investment = InvestmentFactory(enterprise=west, east_parent=east)
        body = api_client_for("official").get(f"/api/v1/investments/{investment.pk}/").json()
        contract = {
            "id": investment.pk,
            "enterprise": west.pk,
            "year": 2023,
            "amount": "2600000.00",
            "output_value": "23000000.00",
            "jobs_created": 228,
            "jobs_poverty_alleviated": 100,
        }
        assert {k: body[k] for k in contract} == contract
        assert body["east_parent"] == east.pk

    BAD_INVESTMENTS = [
        ({"enterprise": "east"}, "enterprise"),
        ({"east_parent": "west"}, "east_parent"),
        ({"amount": "0"}, "amount"),
        ({"output_value": "-1"}, "output_value"),
        ({"jobs_created": 1, "jobs_poverty_alleviated": 5}, "jobs_poverty_alleviated"),
        ({"jobs_created": 2**40}, "jobs_created"),
        ({"year": "2023x"}, "year"),
    ]

    def test_bad_investment_is_400(self, api_client_for, regions):
        west = OrganizationFactory(region=regions["zhaojue"])
        east = OrganizationFactory(region=regions["yuyao"])
        names = {"east": east.pk, "west": west.pk}
        client = api_client_for("staff")
        for change, field in self.BAD_INVESTMENTS:
            change = {k: names.get(v, v) if isinstance(v, str) else v for k, v in change.items()}
            payload = {"enterprise": west.pk, "year": 2023, "amount": "1.00"} | change
            response = client.post("/api/v1/investments/", payload, format="json")
            assert response.status_code == 400, (change, response.content)
            assert field in response.json(), change

    def test_filters(self, api_client_for):
        tree = region_tree()
        zj = OrganizationFactory(region=tree["town"])
        bt = OrganizationFactory(region=tree["butuo"])
        InvestmentFactory(enterprise=zj, year=2023, sector="industrial")
        InvestmentFactory(enterprise=bt, year=2022, sector="agricultural")
        client = api_client_for("official")
        url = "/api/v1/investments/"
        assert client.get(url, {"year": 2023}).json()["count"] == 1
        assert client.get(url, {"region_within": tree["zhaojue"].pk}).json()["count"] == 1
        assert client.get(url, {"enterprise": bt.pk}).json()["count"] == 1
        assert client.get(url, {"sector": "agricultural"}).json()["count"] == 1


@pytest.mark.django_db
def test_the_list_builds_no_related_objects_it_does_not_show(api_client_for, regions):
    """References are given by id: the page's query joins neither the region nor the implementer
    (issue 13: building them cost more than the rest of the list)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import OrganizationFactory
    from tests.projects.factories import ProjectFactory

    ProjectFactory(region=regions["zhaojue"], implementer=OrganizationFactory(region=regions["zhaojue"]))
    client = api_client_for("official")
    with CaptureQueriesContext(connection) as ctx:
        body = client.get("/api/v1/projects/").json()
    assert body["results"][0]["implementer"] is not None
    page = [q["sql"] for q in ctx.captured_queries if 'FROM "projects_project"' in q["sql"] and "LIMIT" in q["sql"]]
    assert page and all('"cooperation_organization"' not in sql for sql in page)
