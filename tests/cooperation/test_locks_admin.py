"""Locked months in the admin (CONTRACT.md 1.1, issue 15), generated from the registry of record
kinds: every kind with a lock date and a region that the admin serves, and every inline of one.

A change page refuses a write into a locked month under the date field (or the field that
moves others: a worker's hometown); a record of a locked month opens read-only and says which
month is approved and that an administrator can reopen it; its delete page and "delete
selected" list it as protected, naming the month, also when a cascade would delete it (a
worker's placements); inline rows are refused the same way. Nothing is written by a refusal,
and a record of an open month stays editable.
"""

import datetime

import pytest
from django.contrib import admin
from django.db import connection
from django.forms.models import _get_foreign_key
from django.test.utils import CaptureQueriesContext

from cooperation.models import month_label
from cooperation.records import record_kind, record_kinds
from tests.cooperation.locking import lock, month_before, month_of
from tests.cooperation.test_scopes import form_data
from tests.factories import SubmissionFactory, build_record

pytestmark = pytest.mark.django_db

DATED = {
    model._meta.label: (model, kind)
    for model, kind in record_kinds()
    if kind.date and kind.region and model in admin.site._registry
}
ADMIN_DATED = sorted(DATED)


def _dated(model) -> bool:
    kind = record_kind(model)
    return kind is not None and bool(kind.date and kind.region)


# (parent model label, inline class) of every inline whose rows have a lock date.
INLINES = sorted(
    (
        (parent._meta.label, inline)
        for parent, model_admin in admin.site._registry.items()
        for inline in model_admin.inlines
        if _dated(inline.model)
    ),
    key=lambda pair: (pair[0], pair[1].__name__),
)
INLINE_IDS = [f"{parent}.{inline.__name__}" for parent, inline in INLINES]
LOCKED = "已审核锁定"
REOPEN = "请管理员重新打开该月"


@pytest.fixture
def admin_client(client, make_user):
    client.force_login(make_user("admin"))
    return client


def _url(model, pk=None, page="change") -> str:
    base = f"/admin/{model._meta.app_label}/{model._meta.model_name}/"
    return base if pk is None else f"{base}{pk}/{page}/"


def _stored(record) -> dict:
    """The record's row as stored (or None once deleted)."""
    return type(record)._base_manager.filter(pk=record.pk).values().first()


def _moved_to_month_before(record, kind) -> datetime.date:
    """Store ``record`` dated on the first day of the month before its own; its date before."""
    day = getattr(record, kind.date)
    setattr(record, kind.date, month_before(month_of(day)))
    record.save()
    return day


def page_data(response) -> dict:
    """What a browser sends back from a change page as rendered: the record's form and every
    inline formset (management form and rows)."""
    data = form_data(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        data |= form_data(formset.management_form)
        for form in formset.forms:
            data |= form_data(form)
    return data


def _formset(response, model):
    [formset] = [
        inline.formset for inline in response.context["inline_admin_formsets"] if inline.formset.model is model
    ]
    return formset


def _row(formset, record):
    return next(form for form in formset.forms if form.instance.pk == record.pk)


def _editable(response) -> bool:
    return 'name="_save"' in response.text


# --- the change page ---------------------------------------------------------------------------


@pytest.mark.parametrize("label", ADMIN_DATED)
def test_the_change_page_refuses_a_move_into_a_locked_month_under_the_date_field(label, pair, admin_client):
    model, kind = DATED[label]
    county, _other, east = pair
    record = build_record(model, county=county, east=east)
    day = _moved_to_month_before(record, kind)
    lock(county, month_of(day))
    before = _stored(record)
    page = admin_client.get(_url(model, record.pk))
    assert page.status_code == 200 and _editable(page)
    assert LOCKED not in page.text
    data = page_data(page)
    data[page.context["adminform"].form[kind.date].html_name] = day.isoformat()

    response = admin_client.post(_url(model, record.pk), data)
    assert response.status_code == 200, response.get("Location")
    errors = response.context["adminform"].form.errors
    assert list(errors) == [kind.date], errors
    assert LOCKED in errors[kind.date][0] and month_label(month_of(day)) in errors[kind.date][0]
    assert "甲县" in errors[kind.date][0]
    assert errors[kind.date][0] in response.text
    assert _stored(record) == before


@pytest.mark.parametrize("label", ADMIN_DATED)
def test_a_record_of_a_locked_month_opens_read_only_and_says_why(label, pair, admin_client):
    model, kind = DATED[label]
    county, _other, east = pair
    record = build_record(model, county=county, east=east)
    month = month_of(getattr(record, kind.date))
    lock(county, month)
    before = _stored(record)
    page = admin_client.get(_url(model, record.pk))
    assert page.status_code == 200
    assert not _editable(page)
    assert _url(model, record.pk, "delete") not in page.text
    [message] = [str(message) for message in page.context["messages"]]
    assert LOCKED in message and REOPEN in message and month_label(month) in message and "甲县" in message
    assert message in page.text

    assert admin_client.post(_url(model, record.pk), {}).status_code == 403
    assert _stored(record) == before


@pytest.mark.parametrize("label", ADMIN_DATED)
def test_a_record_of_an_open_month_stays_editable_and_deletable(label, pair, admin_client):
    model, kind = DATED[label]
    county, other, east = pair
    record = build_record(model, county=county, east=east)
    month = month_of(getattr(record, kind.date))
    SubmissionFactory(region=county, month=month, status="submitted")  # not approved: still open
    lock(other, month)  # another county's month
    lock(county, month_before(month))  # the month before
    page = admin_client.get(_url(model, record.pk))
    assert page.status_code == 200 and _editable(page)
    assert LOCKED not in page.text
    response = admin_client.post(_url(model, record.pk), page_data(page))
    assert response.status_code == 302, response.context and response.context["errors"]

    confirm = admin_client.get(_url(model, record.pk, "delete"))
    assert confirm.status_code == 200 and not confirm.context["protected"]
    assert admin_client.post(_url(model, record.pk, "delete"), {"post": "yes"}).status_code == 302
    assert _stored(record) is None


def test_a_change_page_asks_for_the_lock_once_per_state(pair, admin_client):
    """The page asks once for the record as stored; a post once more for the record as edited,
    and the save that follows asks nothing (the form's passed check is remembered)."""
    from tests.consumption.factories import SaleFactory

    county, _other, _east = pair
    sale = SaleFactory(origin_region=county, sold_on=datetime.date(2023, 4, 9))
    lock(county, datetime.date(2023, 3, 1))

    def lock_queries(call):
        with CaptureQueriesContext(connection) as ctx:
            response = call()
        return response, [q["sql"] for q in ctx.captured_queries if "cooperation_submission" in q["sql"]]

    page, asked = lock_queries(lambda: admin_client.get(_url(type(sale), sale.pk)))
    assert page.status_code == 200 and len(asked) == 1
    data = page_data(page) | {"amount": "12.00"}
    response, asked = lock_queries(lambda: admin_client.post(_url(type(sale), sale.pk), data))
    assert response.status_code == 302
    assert len(asked) == 2
    sale.refresh_from_db()
    assert str(sale.amount) == "12.00"


# --- deleting ----------------------------------------------------------------------------------


@pytest.mark.parametrize("label", ADMIN_DATED)
def test_the_delete_page_refuses_a_record_of_a_locked_month_naming_it(label, pair, admin_client):
    model, kind = DATED[label]
    county, _other, east = pair
    record = build_record(model, county=county, east=east)
    month = month_of(getattr(record, kind.date))
    lock(county, month)
    page = admin_client.get(_url(model, record.pk, "delete"))
    assert page.status_code == 200
    [protected] = page.context["protected"]
    assert str(record) in protected and month_label(month) in protected and LOCKED in protected
    assert protected in page.text and 'name="post"' not in page.text

    response = admin_client.post(_url(model, record.pk, "delete"), {"post": "yes"})
    assert response.status_code == 200
    assert _stored(record) is not None


@pytest.mark.parametrize("label", ADMIN_DATED)
def test_delete_selected_refuses_when_any_row_is_locked_and_deletes_none(label, pair, admin_client):
    model, kind = DATED[label]
    county, other, east = pair
    locked = build_record(model, county=county, east=east)
    free = build_record(model, county=other, east=east)
    month = month_of(getattr(locked, kind.date))
    lock(county, month)
    body = {"action": "delete_selected", "_selected_action": [locked.pk, free.pk]}
    page = admin_client.post(_url(model), body)
    assert page.status_code == 200
    protected = page.context["protected"]
    assert len(protected) == 1 and str(locked) in protected[0] and month_label(month) in protected[0]

    response = admin_client.post(_url(model), body | {"post": "yes"})
    assert response.status_code == 200
    assert _stored(locked) is not None and _stored(free) is not None


def test_a_worker_whose_placement_is_locked_is_not_deleted(pair, admin_client):
    from labor.models import Placement, Worker
    from tests.labor.factories import PlacementFactory

    county, _other, _east = pair
    placement = PlacementFactory(worker__hometown=county, started_on=datetime.date(2023, 4, 9))
    worker = placement.worker
    lock(county, datetime.date(2023, 4, 1))
    # The worker themselves is not dated: their page stays editable.
    assert _editable(admin_client.get(_url(Worker, worker.pk)))

    page = admin_client.get(_url(Worker, worker.pk, "delete"))
    assert page.status_code == 200
    [protected] = page.context["protected"]
    assert str(placement) in protected and "2023年4月" in protected
    assert not page.context["perms_lacking"]  # refused for the month, not for a permission
    assert admin_client.post(_url(Worker, worker.pk, "delete"), {"post": "yes"}).status_code == 200

    body = {"action": "delete_selected", "_selected_action": [worker.pk], "post": "yes"}
    assert admin_client.post(_url(Worker), body).status_code == 200
    assert Worker.objects.filter(pk=worker.pk).exists() and Placement.objects.filter(pk=placement.pk).exists()


def test_a_worker_is_not_moved_out_of_a_locked_month(pair, admin_client):
    from labor.models import Worker
    from tests.labor.factories import PlacementFactory

    county, other, _east = pair
    worker = PlacementFactory(worker__hometown=county, started_on=datetime.date(2023, 4, 9)).worker
    lock(county, datetime.date(2023, 4, 1))
    page = admin_client.get(_url(Worker, worker.pk))
    data = page_data(page) | {"hometown": str(other.pk)}
    response = admin_client.post(_url(Worker, worker.pk), data)
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert list(errors) == ["hometown"] and LOCKED in errors["hometown"][0]
    worker.refresh_from_db()
    assert worker.hometown == county
    # Another change of the same worker is free.
    data = page_data(page) | {"name": "新名字"}
    assert admin_client.post(_url(Worker, worker.pk), data).status_code == 302


# --- inline rows -------------------------------------------------------------------------------


def _fk(parent_label, inline):
    return _get_foreign_key(ADMIN_MODELS[parent_label], inline.model, fk_name=inline.fk_name)


ADMIN_MODELS = {model._meta.label: model for model in admin.site._registry}


def _inline_record(parent_label, inline, pair):
    """A row of ``inline``'s model in the county, and its parent (whose page edits it)."""
    county, _other, east = pair
    record = build_record(inline.model, county=county, east=east)
    return record, getattr(record, _fk(parent_label, inline).name)


@pytest.mark.parametrize(("parent_label", "inline"), INLINES, ids=INLINE_IDS)
def test_an_inline_row_is_not_moved_into_a_locked_month(parent_label, inline, pair, admin_client):
    county = pair[0]
    kind = record_kind(inline.model)
    record, parent = _inline_record(parent_label, inline, pair)
    day = _moved_to_month_before(record, kind)
    lock(county, month_of(day))
    before = _stored(record)
    page = admin_client.get(_url(type(parent), parent.pk))
    assert page.status_code == 200 and _editable(page)
    formset = _formset(page, inline.model)
    data = page_data(page)
    data[_row(formset, record)[kind.date].html_name] = day.isoformat()

    response = admin_client.post(_url(type(parent), parent.pk), data)
    assert response.status_code == 200, response.get("Location")
    row = _row(_formset(response, inline.model), record)
    assert list(row.errors) == [kind.date] and LOCKED in row.errors[kind.date][0]
    assert _stored(record) == before


@pytest.mark.parametrize(("parent_label", "inline"), INLINES, ids=INLINE_IDS)
def test_a_new_inline_row_is_not_created_in_a_locked_month(parent_label, inline, pair, admin_client):
    county = pair[0]
    kind = record_kind(inline.model)
    record, parent = _inline_record(parent_label, inline, pair)
    page = admin_client.get(_url(type(parent), parent.pk))
    formset = _formset(page, inline.model)
    row = _row(formset, record)
    cells = {name[len(row.prefix) + 1 :]: value for name, value in form_data(row).items()}
    # The same row, once deleted while its month is open, is not entered again once it is locked.
    record.delete()
    lock(county, month_of(getattr(record, kind.date)))
    count = inline.model._base_manager.count()
    page = admin_client.get(_url(type(parent), parent.pk))
    formset = _formset(page, inline.model)
    data = page_data(page)
    index = formset.initial_form_count()
    new = formset.empty_form.prefix.replace("__prefix__", str(index))
    cells |= {"id": "", _fk(parent_label, inline).name: str(parent.pk)}
    data |= {f"{new}-{name}": value for name, value in cells.items()}
    data[f"{formset.prefix}-TOTAL_FORMS"] = str(max(index + 1, formset.total_form_count()))

    response = admin_client.post(_url(type(parent), parent.pk), data)
    assert response.status_code == 200, response.get("Location")
    errors = _formset(response, inline.model).forms[index].errors
    assert list(errors) == [kind.date] and LOCKED in errors[kind.date][0]
    assert inline.model._base_manager.count() == count


@pytest.mark.parametrize(("parent_label", "inline"), INLINES, ids=INLINE_IDS)
def test_an_inline_row_of_a_locked_month_is_not_deleted(parent_label, inline, pair, admin_client):
    county = pair[0]
    kind = record_kind(inline.model)
    record, parent = _inline_record(parent_label, inline, pair)
    month = month_of(getattr(record, kind.date))
    lock(county, month)
    page = admin_client.get(_url(type(parent), parent.pk))
    assert page.status_code == 200 and _editable(page)
    formset = _formset(page, inline.model)
    data = page_data(page) | {f"{_row(formset, record).prefix}-DELETE": "on"}

    response = admin_client.post(_url(type(parent), parent.pk), data)
    assert response.status_code == 200, response.get("Location")
    [error] = _formset(response, inline.model).non_form_errors()
    assert str(record) in error and month_label(month) in error and LOCKED in error
    assert error in response.text
    assert _stored(record) is not None


def test_the_rows_of_a_locked_record_are_read_only_too(pair, admin_client):
    """A teacher's page of a locked month: the mentee rows are not offered for editing either."""
    from tests.education.factories import MentorshipFactory

    county, _other, _east = pair
    mentorship = MentorshipFactory(mentor__host_org__region=county, started_on=datetime.date(2023, 3, 1))
    dispatch = mentorship.mentor
    lock(county, month_of(dispatch.started_on))
    page = admin_client.get(_url(type(dispatch), dispatch.pk))
    assert page.status_code == 200 and not _editable(page)
    [rows] = [inline for inline in page.context["inline_admin_formsets"] if inline.formset.model is type(mentorship)]
    assert not (rows.has_add_permission or rows.has_change_permission or rows.has_delete_permission)
    assert mentorship.apprentice_name in page.text


def test_the_history_page_of_a_locked_record_offers_no_revert(pair, admin_client):
    from django.urls import reverse

    from tests.consumption.factories import SaleFactory

    county, _other, _east = pair
    sale = SaleFactory(origin_region=county, sold_on=datetime.date(2023, 4, 9), amount="5.00")
    sale.amount = "7.00"
    sale.save()
    lock(county, datetime.date(2023, 4, 1))
    first = type(sale).history.filter(id=sale.pk).earliest("history_date")
    url = reverse("admin:consumption_sale_simple_history", args=[sale.pk, first.pk])
    page = admin_client.get(url)
    assert page.status_code == 200 and not _editable(page)
    assert admin_client.post(url, {"amount": "5.00", "_save": "Revert"}).status_code == 403
    sale.refresh_from_db()
    assert str(sale.amount) == "7.00"
