"""The monthly cycle through the API (CONTRACT.md 1.1): every allowed and refused move, four
eyes, reopening by administrators only, and the audit of each move."""

import datetime

import pytest

from cooperation.models import Submission
from tests.factories import SubmissionFactory

pytestmark = pytest.mark.django_db

MONTH = datetime.date(2023, 4, 1)


@pytest.fixture
def people(api_client_for, make_user):
    return {
        "staff": api_client_for("staff"),
        "reviewer": api_client_for("reviewer"),
        "reviewer2": api_client_for(user=make_user("reviewer", username="reviewer-two")),
        "admin": api_client_for("admin"),
        "official": api_client_for("official"),
    }


def _create(client, regions, month="2023-04-01"):
    response = client.post("/api/v1/submissions/", {"region": regions["zhaojue"].pk, "month": month}, format="json")
    assert response.status_code == 201, response.json()
    return response.json()


def _move(client, submission_id, move, body=None):
    return client.post(f"/api/v1/submissions/{submission_id}/{move}/", body or {}, format="json")


def test_a_post_creates_a_draft_with_the_contract_fields(people, regions):
    body = _create(people["staff"], regions)
    assert body["status"] == "draft"
    assert set(body) == {
        "id", "region", "month", "status", "submitted_by", "submitted_at",
        "reviewed_by", "reviewed_at", "comment", "warnings",
    }  # fmt: skip
    assert body["warnings"] == [] and body["submitted_by"] is None


def test_one_submission_per_county_and_month(people, regions):
    _create(people["staff"], regions)
    response = people["staff"].post(
        "/api/v1/submissions/", {"region": regions["zhaojue"].pk, "month": "2023-04-01"}, format="json"
    )
    assert response.status_code == 400
    assert "month" in response.json() or "region" in response.json()


@pytest.mark.parametrize(
    ("month", "region_key", "field"),
    [("2023-04-15", "zhaojue", "month"), ("2023-04-01", "town", "region"), ("2023-04-01", "liangshan", "region")],
)
def test_a_submission_is_a_county_and_the_first_of_a_month(people, regions, month, region_key, field):
    response = people["staff"].post(
        "/api/v1/submissions/", {"region": regions[region_key].pk, "month": month}, format="json"
    )
    assert response.status_code == 400
    assert field in response.json()
    assert not Submission.objects.exists()


def test_the_whole_cycle_with_four_eyes_and_its_audit(people, regions):
    staff, reviewer, admin = people["staff"], people["reviewer"], people["admin"]
    sid = _create(staff, regions)["id"]

    submitted = _move(staff, sid, "submit")
    assert submitted.status_code == 200, submitted.json()
    assert submitted.json()["status"] == "submitted"
    assert submitted.json()["submitted_by"] == staff.user.username
    assert submitted.json()["submitted_at"]

    returned = _move(reviewer, sid, "return", {"comment": "销售额与发票不符"})
    assert returned.status_code == 200
    assert returned.json()["status"] == "returned"
    assert returned.json()["comment"] == "销售额与发票不符"
    assert returned.json()["reviewed_by"] == reviewer.user.username

    assert _move(staff, sid, "submit", {"comment": "已更正"}).json()["status"] == "submitted"
    approved = _move(reviewer, sid, "approve")
    assert approved.status_code == 200
    assert approved.json()["status"] == "approved"
    assert approved.json()["reviewed_at"]

    reopened = _move(admin, sid, "reopen", {"reason": "审计发现漏报"})
    assert reopened.status_code == 200
    assert reopened.json()["status"] == "returned"
    assert reopened.json()["comment"] == "审计发现漏报"

    history = Submission.history.filter(id=sid).order_by("history_date")
    moves = [(h.history_change_reason, h.status, h.history_user.username) for h in history if h.history_change_reason]
    assert moves == [
        ("submit", "submitted", staff.user.username),
        ("return", "returned", reviewer.user.username),
        ("submit", "submitted", staff.user.username),
        ("approve", "approved", reviewer.user.username),
        ("reopen", "returned", admin.user.username),
    ]
    assert history.filter(history_change_reason="return").get().comment == "销售额与发票不符"


@pytest.mark.parametrize(
    ("status", "move", "body"),
    [
        ("draft", "approve", None),
        ("draft", "return", {"comment": "x"}),
        ("draft", "reopen", {"reason": "x"}),
        ("submitted", "submit", None),
        ("submitted", "reopen", {"reason": "x"}),
        ("approved", "submit", None),
        ("approved", "approve", None),
        ("approved", "return", {"comment": "x"}),
        ("returned", "approve", None),
        ("returned", "return", {"comment": "x"}),
        ("returned", "reopen", {"reason": "x"}),
    ],
)
def test_a_move_not_allowed_from_the_status_is_a_400_naming_status(people, regions, make_user, status, move, body):
    submitter = make_user("staff", username="submitter")
    submission = SubmissionFactory(region=regions["zhaojue"], month=MONTH, status=status, submitted_by=submitter)
    # The administrator holds every move's permission: only the status can refuse it.
    response = _move(people["admin"], submission.pk, move, body)
    assert response.status_code == 400, response.json()
    assert "status" in response.json()
    submission.refresh_from_db()
    assert submission.status == status


def test_nobody_approves_what_they_submitted(api_client_for, make_user, regions):
    both = make_user("staff", username="staff-and-reviewer")
    both.groups.add(*make_user("reviewer", username="r").groups.all())
    client = api_client_for(user=both)
    sid = _create(client, regions)["id"]
    assert _move(client, sid, "submit").status_code == 200
    response = _move(client, sid, "approve")
    assert response.status_code == 403
    assert Submission.objects.get(pk=sid).status == "submitted"


@pytest.mark.parametrize(
    ("who", "move", "status", "body"),
    [
        ("staff", "approve", "submitted", None),
        ("staff", "return", "submitted", {"comment": "x"}),
        ("reviewer", "reopen", "approved", {"reason": "x"}),
        ("staff", "reopen", "approved", {"reason": "x"}),
        ("reviewer", "submit", "draft", None),
        ("official", "submit", "draft", None),
        ("official", "approve", "submitted", None),
    ],
)
def test_each_role_makes_only_its_moves(people, regions, make_user, who, move, status, body):
    submission = SubmissionFactory(
        region=regions["zhaojue"], month=MONTH, status=status, submitted_by=make_user("staff", username="someone")
    )
    response = _move(people[who], submission.pk, move, body)
    assert response.status_code == 403
    submission.refresh_from_db()
    assert submission.status == status


@pytest.mark.parametrize(("move", "field"), [("return", "comment"), ("reopen", "reason")])
@pytest.mark.parametrize("body", [None, {"comment": ""}, {"reason": "  "}, {"comment": 3, "reason": 3}])
def test_return_and_reopen_need_their_text(people, regions, make_user, move, field, body):
    status = "submitted" if move == "return" else "approved"
    submission = SubmissionFactory(
        region=regions["zhaojue"], month=MONTH, status=status, submitted_by=make_user("staff", username="s")
    )
    response = _move(people["admin"], submission.pk, move, body)
    assert response.status_code == 400
    assert field in response.json()
    submission.refresh_from_db()
    assert submission.status == status


def test_a_body_that_is_not_an_object_is_a_400(people, regions):
    sid = _create(people["staff"], regions)["id"]
    response = people["staff"].post(f"/api/v1/submissions/{sid}/submit/", [1, 2], format="json")
    assert response.status_code == 400


def test_only_a_draft_or_a_returned_month_is_edited_and_only_a_draft_deleted(people, regions, make_user):
    submission = SubmissionFactory(region=regions["zhaojue"], month=MONTH, status="approved")
    response = people["admin"].patch(f"/api/v1/submissions/{submission.pk}/", {"comment": "x"}, format="json")
    assert response.status_code == 400 and "status" in response.json()
    response = people["admin"].patch(
        f"/api/v1/submissions/{submission.pk}/", {"status": "draft"}, format="json"
    )  # the status is read-only: moves only
    submission.refresh_from_db()
    assert submission.status == "approved"
    assert people["admin"].delete(f"/api/v1/submissions/{submission.pk}/").status_code == 400
    draft = SubmissionFactory(region=regions["zhaojue"], month=datetime.date(2023, 5, 1))
    assert (
        people["staff"].patch(f"/api/v1/submissions/{draft.pk}/", {"comment": "备注"}, format="json").json()["comment"]
        == "备注"
    )
    assert people["admin"].delete(f"/api/v1/submissions/{draft.pk}/").status_code == 204


def test_filters_by_status_region_and_year(people, regions):
    SubmissionFactory(region=regions["zhaojue"], month=MONTH, status="approved")
    SubmissionFactory(region=regions["butuo"], month=datetime.date(2024, 1, 1))
    client = people["official"]
    assert [s["status"] for s in client.get("/api/v1/submissions/?status=approved").json()["results"]] == ["approved"]
    assert client.get(f"/api/v1/submissions/?region={regions['butuo'].pk}").json()["count"] == 1
    assert client.get("/api/v1/submissions/?year=2023").json()["count"] == 1
