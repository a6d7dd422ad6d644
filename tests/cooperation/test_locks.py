"""Locked months on the API's and the models' write paths (CONTRACT.md 1.1), generated from the
registry of record kinds: every kind with a declared date is refused, under its date field,
when created in, changed in, moved into or deleted from an approved month, and nothing is
written; a reopened month takes writes again. The admin, imports, ``sales/bulk/`` and
``seed_demo`` have their own modules (test_locks_admin, test_locks_imports, the bulk tests).
"""

import datetime

import pytest
from django.db import transaction

from config.api import router
from cooperation.locks import LockedPeriod
from cooperation.records import record_kinds
from tests.cooperation.locking import lock, month_of
from tests.factories import RegionFactory, SubmissionFactory, build_record

pytestmark = pytest.mark.django_db

DATED = {model._meta.label: (model, kind) for model, kind in record_kinds() if kind.date and kind.region}
ENDPOINTS = {
    viewset.queryset.model: prefix
    for prefix, viewset, _basename in router.registry
    if getattr(viewset, "queryset", None) is not None and hasattr(viewset, "partial_update")
}
API_DATED = sorted(label for label, (model, _kind) in DATED.items() if model in ENDPOINTS)


def _url(model, pk=None):
    prefix = ENDPOINTS[model]
    return f"/api/v1/{prefix}/" if pk is None else f"/api/v1/{prefix}/{pk}/"


def _count(model):
    return model._base_manager.count()


def test_every_dated_kind_is_under_the_lock():
    # The contract's list of dates, each found in the registry of record kinds.
    expected = {
        "projects.FundAllocation": "allocated_on",
        "projects.Disbursement": "paid_on",
        "labor.Placement": "started_on",
        "healthcare.MedicalDispatch": "started_on",
        "education.TeacherDispatch": "started_on",
        "healthcare.MedicalServiceStat": "month",
        "education.TeacherTraining": "held_on",
        "education.Mentorship": "started_on",
        "education.VocationalStudent": "enrolled_on",
        "cooperation.Secondment": "started_on",
        "consumption.Sale": "sold_on",
    }
    declared = {label: kind.date for label, (_model, kind) in DATED.items()}
    assert expected.items() <= declared.items()


@pytest.mark.parametrize("label", API_DATED)
def test_a_locked_record_is_neither_changed_nor_deleted_through_the_api(label, pair, api_client_for):
    model, kind = DATED[label]
    county, _other, east = pair
    record = build_record(model, county=county, east=east)
    lock(county, month_of(getattr(record, kind.date)))
    client = api_client_for("admin")
    before = client.get(_url(model, record.pk)).json()

    response = client.patch(_url(model, record.pk), {kind.date: before[kind.date]}, format="json")
    assert response.status_code == 400, response.content
    assert list(response.json()) == [kind.date]
    assert "已审核" in response.json()[kind.date][0] or "approved" in response.json()[kind.date][0]

    response = client.delete(_url(model, record.pk))
    assert response.status_code == 400, response.content
    assert list(response.json()) == ["non_field_errors"]
    assert client.get(_url(model, record.pk)).json() == before


@pytest.mark.parametrize("label", API_DATED)
def test_no_record_is_created_in_or_moved_into_a_locked_month(label, pair, api_client_for):
    model, kind = DATED[label]
    county, _other, east = pair
    client = api_client_for("admin")
    record = build_record(model, county=county, east=east)
    month = month_of(getattr(record, kind.date))
    # A record of the month before, to be moved into the locked month.
    earlier = build_record(model, county=county, east=east)
    setattr(earlier, kind.date, (month - datetime.timedelta(days=1)).replace(day=1))
    earlier.save()
    body = client.get(_url(model, record.pk)).json()
    body.pop("id")
    # Deleted while the month is open; once it is approved, the same record is not created again.
    assert client.delete(_url(model, record.pk)).status_code == 204
    lock(county, month)
    count = _count(model)
    response = client.post(_url(model), body, format="json")
    assert response.status_code == 400, response.content
    assert list(response.json()) == [kind.date]
    assert _count(model) == count

    response = client.patch(_url(model, earlier.pk), {kind.date: month.isoformat()}, format="json")
    assert response.status_code == 400, response.content
    assert kind.date in response.json()
    earlier.refresh_from_db()
    assert month_of(getattr(earlier, kind.date)) != month


@pytest.mark.parametrize("label", API_DATED)
def test_only_the_approved_month_of_that_county_locks(label, pair, api_client_for):
    model, kind = DATED[label]
    county, other, east = pair
    record = build_record(model, county=county, east=east)
    month = month_of(getattr(record, kind.date))
    SubmissionFactory(region=county, month=month, status="submitted")  # not approved: still open
    lock(other, month)  # another county's month
    lock(county, (month - datetime.timedelta(days=1)).replace(day=1))  # the month before
    client = api_client_for("admin")
    value = client.get(_url(model, record.pk)).json()[kind.date]
    response = client.patch(_url(model, record.pk), {kind.date: value}, format="json")
    assert response.status_code == 200, response.content


def test_a_reopened_month_takes_writes_again(pair, api_client_for, make_user):
    from tests.consumption.factories import SaleFactory

    county, _other, _east = pair
    sale = SaleFactory(origin_region=county, sold_on=datetime.date(2023, 4, 9))
    submission = lock(county, datetime.date(2023, 4, 1))
    admin = api_client_for("admin")
    assert admin.patch(_url(type(sale), sale.pk), {"amount": "12.00"}, format="json").status_code == 400
    assert (
        admin.post(f"/api/v1/submissions/{submission.pk}/reopen/", {"reason": "补录"}, format="json").status_code == 200
    )
    assert admin.patch(_url(type(sale), sale.pk), {"amount": "12.00"}, format="json").status_code == 200


def test_a_record_below_the_county_is_locked_with_it(pair, api_client_for):
    from tests.consumption.factories import SaleFactory

    county, _other, _east = pair
    town = RegionFactory(code="621221101", name="甲镇", level="town", side="west", parent=county)
    sale = SaleFactory(origin_region=town, sold_on=datetime.date(2023, 4, 9))
    lock(county, datetime.date(2023, 4, 1))
    response = api_client_for("admin").patch(_url(type(sale), sale.pk), {"amount": "12.00"}, format="json")
    assert response.status_code == 400
    assert list(response.json()) == ["sold_on"]


def test_services_and_commands_are_refused_too(pair):
    """Not only the API: a save or delete from any code (a service, a command) is refused."""
    from tests.consumption.factories import SaleFactory

    county, _other, _east = pair
    sale = SaleFactory(origin_region=county, sold_on=datetime.date(2023, 4, 9))
    lock(county, datetime.date(2023, 4, 1))
    sale.amount = 1
    with pytest.raises(LockedPeriod), transaction.atomic():
        sale.save()
    with pytest.raises(LockedPeriod), transaction.atomic():
        sale.delete()
    with pytest.raises(LockedPeriod), transaction.atomic():
        type(sale).objects.filter(pk=sale.pk).delete()
    assert type(sale).objects.filter(pk=sale.pk).exists()


def test_moving_a_worker_moves_their_placements_and_is_refused(pair, api_client_for):
    from tests.labor.factories import PlacementFactory

    county, other, _east = pair
    placement = PlacementFactory(worker__hometown=county, started_on=datetime.date(2023, 4, 9))
    worker = placement.worker
    lock(county, datetime.date(2023, 4, 1))
    client = api_client_for("admin")
    response = client.patch(f"/api/v1/workers/{worker.pk}/", {"hometown": other.pk}, format="json")
    assert response.status_code == 400, response.content
    assert list(response.json()) == ["hometown"]
    worker.refresh_from_db()
    assert worker.hometown == county
    # Into a locked month of the other county: refused the same way.
    free = PlacementFactory(worker__hometown=other, started_on=datetime.date(2023, 5, 9)).worker
    lock(county, datetime.date(2023, 5, 1))
    response = client.patch(f"/api/v1/workers/{free.pk}/", {"hometown": county.pk}, format="json")
    assert response.status_code == 400
    assert list(response.json()) == ["hometown"]
    # Other changes of the worker are free.
    assert client.patch(f"/api/v1/workers/{worker.pk}/", {"name": "新名字"}, format="json").status_code == 200


def test_a_cascade_does_not_delete_locked_records(pair, api_client_for):
    from labor.models import Placement, Worker
    from tests.labor.factories import PlacementFactory

    county, _other, _east = pair
    placement = PlacementFactory(worker__hometown=county, started_on=datetime.date(2023, 4, 9))
    lock(county, datetime.date(2023, 4, 1))
    response = api_client_for("admin").delete(f"/api/v1/workers/{placement.worker_id}/")
    assert response.status_code == 400
    assert Worker.objects.filter(pk=placement.worker_id).exists()
    assert Placement.objects.filter(pk=placement.pk).exists()


def test_a_write_asks_one_query_for_the_lock(pair, api_client_for, django_assert_num_queries):
    """The lock adds one query to a write (measured against the same write with the check off
    would need monkeypatching; instead: the count with and without approved months is equal)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.consumption.factories import SaleFactory

    county, _other, _east = pair
    sale = SaleFactory(origin_region=county, sold_on=datetime.date(2023, 4, 9))
    client = api_client_for("admin")
    with CaptureQueriesContext(connection) as ctx:
        assert client.patch(_url(type(sale), sale.pk), {"amount": "11.00"}, format="json").status_code == 200
    lock_queries = [q["sql"] for q in ctx.captured_queries if "cooperation_submission" in q["sql"]]
    assert len(lock_queries) == 1
