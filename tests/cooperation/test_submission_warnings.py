"""Warnings before submitting, through the API (CONTRACT.md 1.1): a month with warnings is
submitted only with a comment, and the submission keeps the warnings it was submitted with."""

import datetime
from decimal import Decimal

import pytest

from cooperation.models import Submission
from cooperation.month_checks import registry
from tests.consumption.factories import SaleFactory
from tests.factories import OrganizationFactory
from tests.healthcare.factories import MedicalDispatchFactory
from tests.labor.factories import PlacementFactory, WorkerFactory
from tests.labor.id_numbers import make_id_number
from tests.projects.factories import DisbursementFactory, ProjectFactory

pytestmark = pytest.mark.django_db

JUNE = datetime.date(2024, 6, 1)
CODES = [
    "projects.disbursement_without_allocation",
    "projects.stalled",
    "labor.placement_dates",
    "healthcare.stats_missing",
    "consumption.sales_spike",
]


@pytest.fixture
def troubled_june(regions):
    """A June 2024 in Zhaojue that trips every rule once."""
    county = regions["zhaojue"]
    hospital = OrganizationFactory(region=county, kind="hospital", name="昭觉县人民医院")
    east_hospital = OrganizationFactory(region=regions["yuyao"], kind="hospital", name="余姚市人民医院")
    paid = ProjectFactory(region=county, code="ZJ-PAID", year=2024, status="completed")
    DisbursementFactory(project=paid, paid_on=datetime.date(2024, 6, 12))
    ProjectFactory(region=regions["village"], code="ZJ-IDLE", name="牦牛养殖基地", started_on=datetime.date(2023, 1, 1))
    child = WorkerFactory(hometown=county, id_number=make_id_number(7, birth_date=datetime.date(2010, 3, 3)))
    PlacementFactory(worker=child, started_on=datetime.date(2024, 6, 3))
    MedicalDispatchFactory(host_org=hospital, source_org=east_hospital)
    for month in range(1, 6):
        SaleFactory(origin_region=county, sold_on=datetime.date(2024, month, 1), amount=Decimal("10000.00"))
    SaleFactory(origin_region=county, sold_on=datetime.date(2023, 12, 1), amount=Decimal("10000.00"))
    SaleFactory(origin_region=county, sold_on=datetime.date(2024, 6, 1), amount=Decimal("90000.00"))
    return county


def _draft(client, region, month="2024-06-01"):
    response = client.post("/api/v1/submissions/", {"region": region.pk, "month": month}, format="json")
    assert response.status_code == 201, response.json()
    return response.json()["id"]


def test_the_registry_lists_the_rules():
    assert [check.code for check in registry.checks()] == CODES


def test_a_month_with_warnings_needs_a_comment_and_nothing_changes_without_one(api_client_for, troubled_june):
    staff = api_client_for("staff")
    sid = _draft(staff, troubled_june)
    versions = Submission.history.filter(id=sid).count()

    for body in (None, {"comment": ""}, {"comment": "   "}):
        response = staff.post(f"/api/v1/submissions/{sid}/submit/", body, format="json")
        assert response.status_code == 400
        assert list(response.json()) == ["comment"]
        [text] = response.json()["comment"]
        assert "项目ZJ-IDLE" in text and "昭觉县人民医院" in text

    stored = Submission.objects.get(pk=sid)
    assert (stored.status, stored.warnings, stored.comment, stored.submitted_by) == ("draft", [], "", None)
    assert Submission.history.filter(id=sid).count() == versions


def test_with_a_comment_it_is_submitted_with_its_warnings(api_client_for, troubled_june):
    staff = api_client_for("staff")
    sid = _draft(staff, troubled_june)

    response = staff.post(f"/api/v1/submissions/{sid}/submit/", {"comment": "停工项目已核实"}, format="json")
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["status"] == "submitted" and body["comment"] == "停工项目已核实"
    assert [w["code"] for w in body["warnings"]] == CODES
    assert all(set(w) == {"code", "message"} and w["message"] for w in body["warnings"])
    assert body["warnings"][1] == {
        "code": "projects.stalled",
        "message": "项目ZJ-IDLE 牦牛养殖基地处于实施中，但截至2024年6月从未拨付资金。",
    }
    assert Submission.objects.get(pk=sid).warnings == body["warnings"]
    assert staff.get(f"/api/v1/submissions/{sid}/").json()["warnings"] == body["warnings"]


def test_a_draft_s_own_comment_is_enough(api_client_for, troubled_june):
    staff = api_client_for("staff")
    response = staff.post(
        "/api/v1/submissions/", {"region": troubled_june.pk, "month": "2024-06-01", "comment": "已核实"}, format="json"
    )
    sid = response.json()["id"]
    submitted = staff.post(f"/api/v1/submissions/{sid}/submit/", format="json")
    assert submitted.status_code == 200, submitted.json()
    assert len(submitted.json()["warnings"]) == len(CODES)


def test_another_county_s_month_has_none_of_these_warnings(api_client_for, troubled_june, regions):
    staff = api_client_for("staff")
    sid = _draft(staff, regions["butuo"])
    response = staff.post(f"/api/v1/submissions/{sid}/submit/", format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["warnings"] == []


def test_a_month_without_warnings_needs_no_comment(api_client_for, troubled_june):
    staff = api_client_for("staff")
    sid = _draft(staff, troubled_june, month="2022-06-01")
    response = staff.post(f"/api/v1/submissions/{sid}/submit/", format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["warnings"] == [] and response.json()["status"] == "submitted"
