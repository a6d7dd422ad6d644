"""The monthly submissions in the admin (CONTRACT.md 1.1, issue 15): the list and the pages of
each role with the buttons of exactly the moves the service allows, every move through its
confirmation page (and the refused ones: nothing changes), the reviewers' queue "待我审核",
the add form and the query counts."""

import datetime
import re

import pytest
from django.urls import reverse

from cooperation import submissions
from cooperation.choices import SubmissionStatus
from cooperation.models import Submission
from cooperation.month_checks import MonthCheck, registry
from tests.factories import RegionFactory, SubmissionFactory

pytestmark = pytest.mark.django_db

MONTH = datetime.date(2023, 4, 1)
LIST = "/admin/cooperation/submission/"
QUEUE = "/admin/cooperation/submission/queue/"
WARNING = "示例提示：昭觉县2023年4月的销售额异常。"
MOVE_BUTTONS = {"submit": "提交", "approve": "审核通过", "return": "退回", "reopen": "重新打开"}


@pytest.fixture
def people(make_user):
    """One admin user per role (reviewers use the admin too: ``is_staff``)."""
    return {
        "admin": make_user("admin"),
        "staff": make_user("staff"),
        "reviewer": make_user("reviewer", is_staff=True),
        "reviewer2": make_user("reviewer", username="reviewer-two", is_staff=True),
        "official": make_user("official"),
    }


@pytest.fixture
def login(client):
    def as_user(user):
        client.force_login(user)
        return client

    return as_user


@pytest.fixture
def warned(monkeypatch, regions):
    """A warning rule that finds something in Zhaojue's April 2023 (registered for the test only)."""

    def check(*, region, month):
        return [WARNING] if region == regions["zhaojue"] and month == MONTH else []

    monkeypatch.setitem(registry._checks, "tests.example", MonthCheck("tests.example", check))


def _draft(regions, month=MONTH, county="zhaojue", **kwargs):
    return submissions.submission_create(region=regions[county], month=month, **kwargs)


def _submitted(regions, by, month=MONTH, county="zhaojue", comment="数据已核对。"):
    return submissions.submission_submit(submission=_draft(regions, month, county), user=by, comment=comment)


def _approved(regions, by, reviewer, **kwargs):
    return submissions.submission_approve(submission=_submitted(regions, by, **kwargs), user=reviewer)


def _returned(regions, by, reviewer, **kwargs):
    submission = _submitted(regions, by, **kwargs)
    return submissions.submission_return(submission=submission, user=reviewer, comment="请补充发票。")


def _move_url(submission, move):
    return reverse("admin:cooperation_submission_move", args=[submission.pk, move])


def _change_url(submission):
    return reverse("admin:cooperation_submission_change", args=[submission.pk])


def _buttons(page) -> set[str]:
    """The moves a page offers (its links to move confirmation pages)."""
    return set(re.findall(r'href="/admin/cooperation/submission/\d+/move/(\w+)/', page.content.decode()))


def _stored(submission):
    return Submission.objects.get(pk=submission.pk)


# --- the list and the change pages -----------------------------------------------------------


@pytest.mark.parametrize("role", ["admin", "staff", "reviewer", "official"])
def test_the_list_renders_for_every_role_in_chinese(login, people, regions, role, warned):
    _submitted(regions, people["staff"])  # with the warning
    _draft(regions, month=datetime.date(2023, 5, 1), county="butuo")
    page = login(people[role]).get(LIST)
    assert page.status_code == 200
    html = page.content.decode()
    assert "2023年4月" in html and "2023年5月" in html
    assert 'class="submission-status submission-status-submitted">已提交<' in html
    assert 'class="submission-status submission-status-draft">草稿<' in html
    assert f'title="{WARNING}">1<' in html  # the number of warnings, their messages on hover
    assert ("/admin/cooperation/submission/add/" in html) == (role in ("admin", "staff"))
    # Reviewers (administrators hold every permission) find their queue from the list.
    assert ("待我审核（1）" in html) == (role in ("admin", "reviewer"))


def test_the_list_filters_searches_and_orders_by_month(login, people, regions):
    april = _submitted(regions, people["staff"])
    may = _draft(regions, month=datetime.date(2023, 5, 1), county="butuo")
    old = _draft(regions, month=datetime.date(2022, 12, 1))
    client = login(people["staff"])

    def listed(query=""):
        return list(client.get(LIST + query).context["cl"].result_list)

    assert listed() == [may, april, old]
    assert listed("?status__exact=submitted") == [april]
    assert listed("?year=2022") == [old]
    assert listed(f"?region_within={regions['butuo'].pk}") == [may]
    assert listed("?q=布拖") == [may]
    assert listed("?q=513431") == [april, old]


@pytest.mark.parametrize(
    ("state", "role", "moves"),
    [
        ("draft", "staff", {"submit"}),
        ("draft", "admin", {"submit"}),
        ("draft", "reviewer", set()),
        ("draft", "official", set()),
        ("submitted", "staff", set()),
        ("submitted", "reviewer", {"approve", "return"}),
        ("submitted", "admin", {"approve", "return"}),
        ("submitted", "official", set()),
        ("submitted_by_admin", "admin", {"return"}),  # four eyes: not their own approval
        ("submitted_by_admin", "reviewer", {"approve", "return"}),
        ("approved", "admin", {"reopen"}),
        ("approved", "staff", set()),
        ("approved", "reviewer", set()),
        ("returned", "staff", {"submit"}),
        ("returned", "reviewer", set()),
    ],
)
def test_the_change_page_offers_exactly_the_allowed_moves(login, people, regions, state, role, moves):
    staff, reviewer = people["staff"], people["reviewer2"]
    submission = {
        "draft": lambda: _draft(regions),
        "submitted": lambda: _submitted(regions, staff),
        "submitted_by_admin": lambda: _submitted(regions, people["admin"]),
        "approved": lambda: _approved(regions, staff, reviewer),
        "returned": lambda: _returned(regions, staff, reviewer),
    }[state]()
    page = login(people[role]).get(_change_url(submission))
    assert page.status_code == 200
    assert _buttons(page) == moves
    assert moves == set(submissions.allowed_moves(submission=submission, user=people[role]))
    for move in moves:
        assert f">{MOVE_BUTTONS[move]}</a>" in page.content.decode()


@pytest.mark.parametrize("role", ["admin", "staff", "reviewer", "official"])
def test_a_submitted_month_is_read_only_and_shows_its_warnings_as_a_list(login, people, regions, role, warned):
    submission = _submitted(regions, people["staff"], comment="销售额为年货节集中采购。")
    page = login(people[role]).get(_change_url(submission))
    html = page.content.decode()
    assert page.status_code == 200
    assert 'name="comment"' not in html and 'name="month"' not in html and 'name="region"' not in html
    assert 'name="_save"' not in html
    assert f"<li>{WARNING}</li>" in html
    assert '"code"' not in html and "tests.example" not in html  # a list for people, not JSON
    assert "2023年4月" in html and "销售额为年货节集中采购。" in html


def test_a_draft_is_edited_on_its_page_through_the_service(login, people, regions):
    submission = _draft(regions, comment="初稿")
    client = login(people["staff"])
    page = client.get(_change_url(submission))
    assert 'name="comment"' in page.content.decode() and 'type="month"' in page.content.decode()
    assert 'value="2023-04"' in page.content.decode()
    response = client.post(
        _change_url(submission), {"region": regions["zhaojue"].pk, "month": "2023-05", "comment": "改后的说明"}
    )
    assert response.status_code == 302
    stored = _stored(submission)
    assert (stored.month, stored.comment, stored.status) == (datetime.date(2023, 5, 1), "改后的说明", "draft")
    assert stored.history.latest().history_user == people["staff"]


def test_a_submitted_month_cannot_be_changed_by_posting_its_form(login, people, regions):
    submission = _submitted(regions, people["staff"])
    response = login(people["admin"]).post(
        _change_url(submission), {"region": regions["butuo"].pk, "month": "2023-06", "comment": "改"}
    )
    assert response.status_code == 403
    stored = _stored(submission)
    assert (stored.region, stored.month, stored.comment) == (regions["zhaojue"], MONTH, "数据已核对。")


def test_only_a_draft_offers_delete(login, people, regions):
    draft = _draft(regions)
    submitted = _submitted(regions, people["staff"], month=datetime.date(2023, 5, 1))
    client = login(people["admin"])
    assert client.get(reverse("admin:cooperation_submission_delete", args=[submitted.pk])).status_code == 403
    assert (
        client.post(reverse("admin:cooperation_submission_delete", args=[draft.pk]), {"post": "yes"}).status_code == 302
    )
    assert list(Submission.objects.all()) == [submitted]
    assert "delete_selected" not in client.get(LIST).content.decode()


# --- the moves --------------------------------------------------------------------------------


def test_the_whole_cycle_through_the_admin_with_its_history(login, people, regions, warned):
    staff, reviewer, admin = people["staff"], people["reviewer"], people["admin"]
    submission = _draft(regions)
    client = login(staff)

    # Submitting shows the month's warnings first; with warnings a comment is required.
    page = client.get(_move_url(submission, "submit"))
    assert page.status_code == 200
    assert f"<li>{WARNING}</li>" in page.content.decode()
    refused = client.post(_move_url(submission, "submit"), {"comment": "  "})
    assert refused.status_code == 200 and refused.context["form"].errors["comment"]
    assert _stored(submission).status == "draft"
    done = client.post(_move_url(submission, "submit"), {"comment": "销售额为年货节集中采购。"})
    assert done.status_code == 302 and done.url == _change_url(submission)
    stored = _stored(submission)
    assert (stored.status, stored.submitted_by, stored.comment) == ("submitted", staff, "销售额为年货节集中采购。")
    assert stored.warnings == [{"code": "tests.example", "message": WARNING}]

    # The reviewer returns it: a comment is required.
    client = login(reviewer)
    refused = client.post(_move_url(submission, "return"), {"comment": ""})
    assert refused.status_code == 200 and "comment" in refused.context["form"].errors
    assert _stored(submission).status == "submitted"
    assert client.post(_move_url(submission, "return"), {"comment": "请补充4月发票。"}).status_code == 302
    assert (_stored(submission).status, _stored(submission).comment) == ("returned", "请补充4月发票。")

    # Staff submit it again; the reviewer approves.
    assert login(staff).post(_move_url(submission, "submit"), {"comment": "已补充发票。"}).status_code == 302
    assert login(reviewer).post(_move_url(submission, "approve"), {}).status_code == 302
    stored = _stored(submission)
    assert (stored.status, stored.reviewed_by) == ("approved", reviewer)

    # An administrator reopens it: a reason is required.
    client = login(admin)
    refused = client.post(_move_url(submission, "reopen"), {"reason": ""})
    assert refused.status_code == 200 and "reason" in refused.context["form"].errors
    assert _stored(submission).status == "approved"
    assert client.post(_move_url(submission, "reopen"), {"reason": "发现重复录入的销售记录。"}).status_code == 302
    assert _stored(submission).status == "returned"

    # The history: each move in Chinese, with its user and comment.
    history = client.get(reverse("admin:cooperation_submission_history", args=[submission.pk]))
    assert history.status_code == 200
    rows = [
        (record.move_label, record.history_user, record.comment) for record in history.context["page_obj"].object_list
    ]
    assert [(str(label), user) for label, user, _comment in rows] == [
        ("重新打开", admin),
        ("审核通过", reviewer),
        ("提交", staff),
        ("退回", reviewer),
        ("提交", staff),
        ("已创建", None),
    ]
    html = history.content.decode()
    for text in ("发现重复录入的销售记录。", "请补充4月发票。", "已补充发票。", "reviewer-user", "staff-user"):
        assert text in html
    for english in (">submit<", ">approve<", ">reopen<", ">return<"):
        assert english not in html


def test_a_move_confirmation_goes_back_to_the_queue_it_came_from(login, people, regions):
    submission = _submitted(regions, people["staff"])
    client = login(people["reviewer"])
    queue = client.get(QUEUE).content.decode()
    approve = re.search(r'href="([^"]*/move/approve/[^"]*)"', queue).group(1).replace("&amp;", "&")
    response = client.post(approve, {})
    assert response.status_code == 302 and response.url == QUEUE
    assert _stored(submission).status == "approved"
    # Another host is not a place to go back to.
    other = _submitted(regions, people["staff"], county="butuo")
    response = client.post(_move_url(other, "approve") + "?next=https://example.com/", {})
    assert response.url == _change_url(other)


def test_four_eyes_the_submitter_may_not_approve(login, people, regions):
    submission = _submitted(regions, people["admin"])
    client = login(people["admin"])
    assert client.get(_move_url(submission, "approve")).status_code == 403
    assert client.post(_move_url(submission, "approve"), {}).status_code == 403
    stored = _stored(submission)
    assert (stored.status, stored.reviewed_by) == ("submitted", None)
    assert stored.history.count() == 2


@pytest.mark.parametrize(
    ("role", "state", "move"),
    [
        ("staff", "submitted", "approve"),
        ("staff", "submitted", "return"),
        ("official", "draft", "submit"),
        ("official", "submitted", "approve"),
        ("reviewer", "draft", "submit"),
        ("reviewer", "approved", "reopen"),
        ("staff", "approved", "reopen"),
    ],
)
def test_a_move_the_role_may_not_make_is_403_and_changes_nothing(login, people, regions, role, state, move):
    submission = {
        "draft": lambda: _draft(regions),
        "submitted": lambda: _submitted(regions, people["staff"]),
        "approved": lambda: _approved(regions, people["staff"], people["reviewer2"]),
    }[state]()
    client = login(people[role])
    assert client.get(_move_url(submission, move)).status_code == 403
    assert client.post(_move_url(submission, move), {"comment": "x", "reason": "x"}).status_code == 403
    assert _stored(submission).status == state


def test_a_move_not_allowed_from_the_status_is_said_and_changes_nothing(login, people, regions):
    submission = _draft(regions)
    client = login(people["reviewer"])
    page = client.get(_move_url(submission, "approve"), follow=True)
    assert page.redirect_chain[-1][0] == _change_url(submission)
    assert "现在不能审核通过" in page.content.decode()
    # A post (the page was opened before someone else moved it): the service's refusal on the form.
    response = client.post(_move_url(submission, "approve"), {})
    assert response.status_code == 200
    assert "草稿" in " ".join(response.context["form"].non_field_errors())
    assert _stored(submission).status == "draft"


def test_unknown_moves_and_submissions_outside_the_scope_are_not_found(login, people, regions, scoped_user):
    submission = _submitted(regions, people["staff"], county="butuo")
    assert login(people["reviewer"]).get(_move_url(submission, "publish")).status_code == 404
    zhaojue_reviewer = scoped_user("reviewer", regions["zhaojue"], is_staff=True)
    client = login(zhaojue_reviewer)
    assert client.get(_move_url(submission, "approve")).status_code == 404
    assert client.post(_move_url(submission, "approve"), {}).status_code == 404
    assert _stored(submission).status == "submitted"


# --- the reviewers' queue ---------------------------------------------------------------------


def _queued(client) -> list:
    return [row["submission"] for row in client.get(QUEUE).context["rows"]]


def test_the_queue_lists_what_waits_for_the_user_oldest_first(login, people, regions, warned):
    staff, admin = people["staff"], people["admin"]
    march = _submitted(regions, staff, month=datetime.date(2023, 3, 1), county="butuo")
    april = _submitted(regions, staff)  # with the warning
    by_admin = _submitted(regions, admin, month=datetime.date(2023, 5, 1))
    _draft(regions, month=datetime.date(2023, 6, 1))
    _approved(regions, staff, people["reviewer2"], month=datetime.date(2023, 2, 1))
    _returned(regions, staff, people["reviewer2"], month=datetime.date(2023, 1, 1))

    client = login(people["reviewer"])
    page = client.get(QUEUE)
    assert page.status_code == 200
    assert _queued(client) == [march, april, by_admin]
    html = page.content.decode()
    assert "待我审核" in html and "2023年4月" in html and "数据已核对。" in html
    assert f"<li>{WARNING}</li>" in html
    assert _buttons(page) == {"approve", "return"}
    # The administrator's own submission is left to others (four eyes).
    assert _queued(login(admin)) == [march, april]


def test_a_scoped_reviewer_queues_their_scope_only(login, people, regions, scoped_user):
    zhaojue = _submitted(regions, people["staff"])
    _submitted(regions, people["staff"], county="butuo")
    reviewer = scoped_user("reviewer", regions["zhaojue"], is_staff=True)
    assert _queued(login(reviewer)) == [zhaojue]


@pytest.mark.parametrize("role", ["staff", "official"])
def test_only_reviewers_have_a_queue(login, people, regions, role):
    _submitted(regions, people["staff"])
    client = login(people[role])
    assert client.get(QUEUE).status_code == 403
    assert "待我审核" not in client.get("/admin/").content.decode()


def test_the_admin_index_leads_reviewers_to_their_queue(login, people):
    html = login(people["reviewer"]).get("/admin/").content.decode()
    assert "待我审核" in html and f'href="{QUEUE}"' in html


def test_an_empty_queue_says_so(login, people):
    assert "目前没有等待您审核的报送。" in login(people["reviewer"]).get(QUEUE).content.decode()


# --- adding -----------------------------------------------------------------------------------


def test_the_add_form_creates_a_draft(login, people, regions):
    client = login(people["staff"])
    page = client.get("/admin/cooperation/submission/add/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "选择报送的月份" in html and 'type="month"' in html
    offered = set(page.context["adminform"].form.fields["region"].queryset)
    assert offered == {regions["zhaojue"], regions["butuo"]}  # western counties only
    response = client.post("/admin/cooperation/submission/add/", {"region": regions["zhaojue"].pk, "month": "2023-04"})
    assert response.status_code == 302
    submission = Submission.objects.get()
    assert (submission.region, submission.month, submission.status) == (regions["zhaojue"], MONTH, "draft")
    assert submission.history.get().history_user == people["staff"]


@pytest.mark.parametrize(
    ("region_key", "month", "field"),
    [
        ("zhaojue", "2023-04-15", "month"),
        ("zhaojue", "April", "month"),
        ("yuyao", "2023-04", "region"),
        ("town", "2023-04", "region"),
    ],
)
def test_the_add_form_refuses_a_day_or_a_region_that_is_not_a_western_county(
    login, people, regions, region_key, month, field
):
    response = login(people["staff"]).post(
        "/admin/cooperation/submission/add/", {"region": regions[region_key].pk, "month": month}
    )
    assert response.status_code == 200
    assert field in response.context["adminform"].form.errors
    assert not Submission.objects.exists()


def test_the_add_form_accepts_the_first_day_and_refuses_a_second_submission(login, people, regions):
    client = login(people["staff"])
    data = {"region": regions["zhaojue"].pk, "month": "2023-04-01"}
    assert client.post("/admin/cooperation/submission/add/", data).status_code == 302
    again = client.post("/admin/cooperation/submission/add/", data)
    assert again.status_code == 200 and again.context["adminform"].form.errors
    assert Submission.objects.count() == 1


def test_a_scoped_user_adds_for_their_counties_only(login, regions, scoped_user):
    user = scoped_user("staff", regions["zhaojue"])
    client = login(user)
    page = client.get("/admin/cooperation/submission/add/")
    assert set(page.context["adminform"].form.fields["region"].queryset) == {regions["zhaojue"]}
    response = client.post("/admin/cooperation/submission/add/", {"region": regions["butuo"].pk, "month": "2023-04"})
    assert response.status_code == 200 and "region" in response.context["adminform"].form.errors
    assert not Submission.objects.exists()


# --- spreadsheets -----------------------------------------------------------------------------


def test_an_import_creates_drafts_and_cannot_approve(people, regions):
    import tablib

    from cooperation.admin import SubmissionResource

    resource = SubmissionResource()
    headers = resource.get_export_headers()
    row = dict.fromkeys(headers, "")
    row.update({"县": regions["zhaojue"].code, "月份": "2023-04-01", "状态": "已审核", "说明": "导入"})
    result = resource.import_data(tablib.Dataset(list(row.values()), headers=headers), user=people["staff"])
    assert not result.has_errors() and not result.has_validation_errors(), result.messages()
    submission = Submission.objects.get()
    assert (submission.status, submission.comment, submission.reviewed_by) == ("draft", "导入", None)

    # A submitted month's comment does not change by a sheet.
    submissions.submission_submit(submission=submission, user=people["staff"])
    row["说明"] = "改过的说明"
    result = SubmissionResource().import_data(tablib.Dataset(list(row.values()), headers=headers), user=people["staff"])
    assert result.has_validation_errors()
    assert _stored(submission).comment == "导入"


# --- query counts -----------------------------------------------------------------------------


def _batch(n, by):
    """``n`` submitted months of as many counties (under one prefecture)."""
    parent = RegionFactory(level="prefecture", side="west")
    for _ in range(n):
        submissions.submission_submit(
            submission=SubmissionFactory(region=RegionFactory(level="county", side="west", parent=parent)), user=by
        )


@pytest.mark.parametrize("url", [LIST, QUEUE])
def test_the_list_and_the_queue_cost_the_same_queries_for_more_rows(
    login, people, regions, django_assert_max_num_queries, url
):
    client = login(people["reviewer"])
    _batch(2, people["staff"])
    with django_assert_max_num_queries(14) as few:
        assert client.get(url).status_code == 200
    _batch(10, people["staff"])
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(url)
        assert page.status_code == 200
    assert Submission.objects.filter(status=SubmissionStatus.SUBMITTED).count() == 12
