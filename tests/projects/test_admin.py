"""Admin screens: the project list's totals and query count, the status machine and the
no-overspend rule on the project page, spreadsheet import and export."""

import datetime
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from tablib import Dataset

from projects.admin import DisbursementFormSet
from projects.models import Disbursement, FundAllocation, Project
from projects.resources import FundAllocationResource, ProjectResource
from tests.projects.factories import DisbursementFactory, FundAllocationFactory, ProjectFactory

D = Decimal
CHANGELIST = "/admin/projects/project/"
INLINES = ["allocations", "disbursements", "equity_investments", "progress_reports", "outcomes"]


@pytest.fixture
def staff_client(make_user):
    client = Client()
    client.force_login(make_user("staff"))
    return client


def _make_projects(n, region, start=0):
    projects = Project.objects.bulk_create(
        Project(code=f"B{start + i:05d}", name=f"P{i}", category="industry", year=2023, region=region, budget=D("10"))
        for i in range(n)
    )
    FundAllocation.objects.bulk_create(
        FundAllocation(project=p, year=2023, source="city", amount=D("100"), allocated_on=datetime.date(2023, 1, 1))
        for p in projects
    )
    Disbursement.objects.bulk_create(
        Disbursement(project=p, amount=D("25"), paid_on=datetime.date(2023, 2, 1)) for p in projects
    )


def _form_data(project, **changes):
    data = {
        "code": project.code,
        "name": project.name,
        "category": project.category,
        "year": project.year,
        "status": project.status,
        "region": project.region_id,
        "implementer": "",
        "budget": str(project.budget),
        "started_on": "",
        "completed_on": "",
        "beneficiary_households": 0,
        "beneficiaries": 0,
        "beneficiaries_poverty_alleviated": 0,
        "benefits_other": "",
        "description": "",
    }
    for prefix in INLINES:
        data |= {f"{prefix}-TOTAL_FORMS": 0, f"{prefix}-INITIAL_FORMS": 0}
    return data | changes


def _new_money_rows(*, paid: str) -> dict:
    """The inline rows of a page that adds an allocation of 100.00 and a disbursement of ``paid``."""
    return {
        "allocations-TOTAL_FORMS": 1,
        "allocations-0-year": 2023,
        "allocations-0-source": "city",
        "allocations-0-amount": "100.00",
        "allocations-0-allocated_on": "2023-01-01",
        "disbursements-TOTAL_FORMS": 1,
        "disbursements-0-amount": paid,
        "disbursements-0-paid_on": "2023-02-01",
    }


@pytest.mark.django_db
class TestProjectChangelist:
    def test_shows_totals_and_rate(self, staff_client, regions):
        _make_projects(1, regions["zhaojue"])
        response = staff_client.get(CHANGELIST)
        assert response.status_code == 200
        html = response.content.decode()
        assert "100.00" in html and "25.00" in html and "25.0%" in html

    def test_query_count_is_flat_from_5_to_500(self, staff_client, regions, django_assert_max_num_queries):
        _make_projects(5, regions["zhaojue"])
        with django_assert_max_num_queries(12) as small:
            assert staff_client.get(CHANGELIST).status_code == 200
        _make_projects(495, regions["zhaojue"], start=5)
        with django_assert_max_num_queries(12) as large:
            assert staff_client.get(CHANGELIST).status_code == 200
        assert len(large.captured_queries) == len(small.captured_queries)
        filtered = {"status__exact": "in_progress", "year": 2023, "region_within": regions["zhaojue"].pk, "q": "B0"}
        with django_assert_max_num_queries(13):
            assert staff_client.get(CHANGELIST, filtered).status_code == 200

    def test_region_filter_takes_the_subtree(self, staff_client, regions):
        ProjectFactory(code="IN", region=regions["village"])
        ProjectFactory(code="OUT", region=regions["butuo"])
        html = staff_client.get(CHANGELIST, {"region_within": regions["zhaojue"].pk}).content.decode()
        assert ">IN<" in html and ">OUT<" not in html


@pytest.mark.django_db
class TestProjectPage:
    def test_page_shows_every_inline(self, staff_client, regions):
        project = ProjectFactory(region=regions["zhaojue"])
        html = staff_client.get(reverse("admin:projects_project_change", args=[project.pk])).content.decode()
        for prefix in INLINES:
            assert f'name="{prefix}-TOTAL_FORMS"' in html

    def test_forbidden_status_move_is_a_form_error(self, staff_client, regions):
        project = ProjectFactory(region=regions["zhaojue"], status="planned")
        url = reverse("admin:projects_project_change", args=[project.pk])
        response = staff_client.post(url, _form_data(project, status="completed"))
        assert response.status_code == 200  # the form again, with its error
        assert "status" in response.context["adminform"].form.errors
        assert Project.objects.get(pk=project.pk).status == "planned"
        ok = staff_client.post(url, _form_data(project, status="approved"))
        assert ok.status_code == 302
        assert Project.objects.get(pk=project.pk).status == "approved"

    def test_inline_disbursement_over_the_allocations_is_refused(self, staff_client, regions):
        project = ProjectFactory(region=regions["zhaojue"])
        url = reverse("admin:projects_project_change", args=[project.pk])
        data = _form_data(project) | _new_money_rows(paid="100.01")
        response = staff_client.post(url, data)
        assert response.status_code == 200
        assert "100.01" in str(response.context["inline_admin_formsets"][1].formset.non_form_errors())
        assert not Disbursement.objects.exists() and not FundAllocation.objects.exists()
        data["disbursements-0-amount"] = "100.00"
        assert staff_client.post(url, data).status_code == 302
        assert Disbursement.objects.get().amount == D("100.00")

    def test_inline_allocation_cut_below_disbursed_is_refused(self, staff_client, regions):
        project = ProjectFactory(region=regions["zhaojue"])
        allocation = FundAllocationFactory(project=project, amount=D("100.00"))
        disbursement = DisbursementFactory(project=project, amount=D("80.00"))
        url = reverse("admin:projects_project_change", args=[project.pk])
        data = _form_data(project) | {
            "allocations-TOTAL_FORMS": 1,
            "allocations-INITIAL_FORMS": 1,
            "allocations-0-id": allocation.pk,
            "allocations-0-project": project.pk,
            "allocations-0-year": 2023,
            "allocations-0-source": "city",
            "allocations-0-amount": "50.00",
            "allocations-0-allocated_on": "2023-01-01",
            "disbursements-TOTAL_FORMS": 1,
            "disbursements-INITIAL_FORMS": 1,
            "disbursements-0-id": disbursement.pk,
            "disbursements-0-project": project.pk,
            "disbursements-0-amount": "80.00",
            "disbursements-0-paid_on": "2023-02-01",
        }
        assert staff_client.post(url, data).status_code == 200
        assert FundAllocation.objects.get().amount == D("100.00")
        data["disbursements-0-amount"] = "50.00"  # both lowered together: consistent
        assert staff_client.post(url, data).status_code == 302
        assert FundAllocation.objects.get().amount == D("50.00")

    def test_new_project_page_checks_its_money_rows(self, staff_client, regions):
        project = ProjectFactory.build(code="NEW-1", region=regions["zhaojue"])
        data = _form_data(project) | _new_money_rows(paid="100.01")
        url = reverse("admin:projects_project_add")
        response = staff_client.post(url, data)
        assert response.status_code == 200
        assert "100.01" in str(response.context["inline_admin_formsets"][1].formset.non_form_errors())
        assert not Project.objects.exists()
        assert staff_client.post(url, data | {"disbursements-0-amount": "100.00"}).status_code == 302
        assert Disbursement.objects.get().project == Project.objects.get(code="NEW-1")

    def test_inline_deletion_of_a_spent_allocation_is_refused(self, make_user, regions):
        client = Client()
        client.force_login(make_user("admin"))
        project = ProjectFactory(region=regions["zhaojue"])
        kept = FundAllocationFactory(project=project, amount=D("60.00"))
        spent = FundAllocationFactory(project=project, amount=D("40.00"))
        DisbursementFactory(project=project, amount=D("60.01"))
        url = reverse("admin:projects_project_change", args=[project.pk])
        data = _form_data(project) | {"allocations-TOTAL_FORMS": 2, "allocations-INITIAL_FORMS": 2}
        for i, allocation in enumerate((kept, spent)):
            data |= {
                f"allocations-{i}-id": allocation.pk,
                f"allocations-{i}-project": project.pk,
                f"allocations-{i}-year": 2023,
                f"allocations-{i}-source": "city",
                f"allocations-{i}-amount": str(allocation.amount),
                f"allocations-{i}-allocated_on": "2023-01-01",
            }
        response = client.post(url, data | {"allocations-1-DELETE": "on"})
        assert response.status_code == 200
        assert "60.01" in str(response.context["inline_admin_formsets"][1].formset.non_form_errors())
        assert FundAllocation.objects.count() == 2
        raised = data | {"allocations-1-DELETE": "on", "allocations-0-amount": "60.01"}  # deleted and made up for
        assert client.post(url, raised).status_code == 302
        assert FundAllocation.objects.get().amount == D("60.01")

    def test_a_payment_slipping_in_after_the_check_is_refused_at_save(self, staff_client, regions, monkeypatch):
        project = ProjectFactory(region=regions["zhaojue"])
        FundAllocationFactory(project=project, amount=D("100.00"))
        clean = DisbursementFormSet.clean

        def clean_then_a_concurrent_payment(formset):
            clean(formset)
            DisbursementFactory(project=project, amount=D("50.00"))

        monkeypatch.setattr(DisbursementFormSet, "clean", clean_then_a_concurrent_payment)
        url = reverse("admin:projects_project_change", args=[project.pk])
        data = _form_data(project) | {
            "disbursements-TOTAL_FORMS": 1,
            "disbursements-0-amount": "60.00",
            "disbursements-0-paid_on": "2023-02-01",
        }
        response = staff_client.post(url, data, follow=True)
        assert any(m.level_tag == "error" and "110.00" in m.message for m in response.context["messages"])
        assert not Disbursement.objects.filter(amount=D("60.00")).exists()

    def test_standalone_disbursement_form_checks_the_rule(self, staff_client, regions):
        project = ProjectFactory(region=regions["zhaojue"])
        FundAllocationFactory(project=project, amount=D("10.00"))
        url = reverse("admin:projects_disbursement_add")
        data = {"project": project.pk, "amount": "10.01", "paid_on": "2023-05-01"}
        response = staff_client.post(url, data)
        assert response.status_code == 200 and "amount" in response.context["adminform"].form.errors
        assert staff_client.post(url, data | {"amount": "10.00"}).status_code == 302

    def test_deleting_a_spent_allocation_is_refused_with_a_message(self, make_user, regions):
        client = Client()
        client.force_login(make_user("admin"))
        project = ProjectFactory(region=regions["zhaojue"])
        allocation = FundAllocationFactory(project=project, amount=D("100.00"))
        DisbursementFactory(project=project, amount=D("1.00"))
        url = reverse("admin:projects_fundallocation_delete", args=[allocation.pk])
        response = client.post(url, {"post": "yes"}, follow=True)
        assert FundAllocation.objects.filter(pk=allocation.pk).exists()
        assert any(m.level_tag == "error" for m in response.context["messages"])
        changelist = reverse("admin:projects_fundallocation_changelist")
        client.post(changelist, {"action": "delete_selected", "_selected_action": [allocation.pk], "post": "yes"})
        assert FundAllocation.objects.filter(pk=allocation.pk).exists()

    def test_other_pages_open(self, staff_client, regions):
        for name in ("project", "fundallocation", "disbursement", "equityinvestment", "progressreport", "investment"):
            assert staff_client.get(f"/admin/projects/{name}/").status_code == 200, name
            assert staff_client.get(f"/admin/projects/{name}/add/").status_code == 200, name


@pytest.mark.django_db
class TestImportExport:
    def test_projects_round_trip_by_code(self, regions):
        ProjectFactory(code="ZJ-2023-01", region=regions["village"], status="in_progress")
        exported = ProjectResource().export()
        h = ProjectResource().column_labels()  # the headers are the verbose names
        assert exported.dict[0][h["region"]] == "513431104201"
        dataset = Dataset(headers=exported.headers)
        row = dict(exported.dict[0]) | {h["name"]: "改名", h["status"]: "completed"}
        dataset.append([row[x] for x in exported.headers])
        new = dict(row) | {h["code"]: "ZJ-2024-01", h["region"]: "513431", h["status"]: "planned", h["implementer"]: ""}
        dataset.append([new[x] for x in exported.headers])
        result = ProjectResource().import_data(dataset, dry_run=False)
        assert not result.has_errors() and not result.has_validation_errors()
        assert Project.objects.get(code="ZJ-2023-01").status == "completed"
        assert Project.objects.get(code="ZJ-2024-01").region == regions["zhaojue"]

    def test_import_obeys_the_status_machine_all_or_nothing(self, regions):
        ProjectFactory(code="A", region=regions["zhaojue"], status="accepted", name="old")
        ProjectFactory(code="B", region=regions["zhaojue"], status="planned", name="old")
        exported = ProjectResource().export()
        h = ProjectResource().column_labels()
        dataset = Dataset(headers=exported.headers)
        for row in exported.dict:
            change = {h["name"]: "new"} | ({h["status"]: "cancelled"} if row[h["code"]] == "A" else {})
            dataset.append([(dict(row) | change)[x] for x in exported.headers])
        preview = ProjectResource().import_data(dataset, dry_run=True)  # what the admin shows first
        assert preview.has_validation_errors()
        assert "status" in preview.invalid_rows[0].field_specific_errors
        result = ProjectResource().import_data(dataset, dry_run=False, rollback_on_validation_errors=True)
        assert result.has_validation_errors()
        assert set(Project.objects.values_list("name", flat=True)) == {"old"}

    def test_allocations_reference_projects_by_code(self, regions):
        project = ProjectFactory(code="ZJ-9", region=regions["zhaojue"])
        dataset = Dataset(headers=["id", "project", "year", "source", "amount", "allocated_on", "document", "note"])
        dataset.append(["", "ZJ-9", 2023, "city", "1500000.00", "2023-04-01", "甬财 2023-7", ""])
        result = FundAllocationResource().import_data(dataset, dry_run=False)
        assert not result.has_errors() and not result.has_validation_errors()
        assert FundAllocation.objects.get().project == project
        exported = FundAllocationResource().export()
        assert exported.dict[0][FundAllocationResource().column_labels()["project"]] == "ZJ-9"

    def test_allocation_import_cannot_cut_below_disbursed(self, regions):
        project = ProjectFactory(code="ZJ-9", region=regions["zhaojue"])
        allocation = FundAllocationFactory(project=project, amount=D("100"))
        DisbursementFactory(project=project, amount=D("90"))
        dataset = Dataset(headers=["id", "project", "year", "source", "amount", "allocated_on", "document", "note"])
        dataset.append([allocation.pk, "ZJ-9", 2023, "city", "50.00", "2023-04-01", "", ""])
        result = FundAllocationResource().import_data(dataset, dry_run=False)
        assert result.has_errors() or result.has_validation_errors()
        assert FundAllocation.objects.get().amount == D("100.00")

    def test_admin_export_and_import_pages(self, staff_client):
        assert staff_client.get("/admin/projects/project/import/").status_code == 200
        assert staff_client.get("/admin/projects/fundallocation/import/").status_code == 200
        assert staff_client.get("/admin/projects/project/export/").status_code == 200
