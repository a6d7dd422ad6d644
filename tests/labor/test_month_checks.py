"""``labor.placement_dates``: placements of the month whose start date cannot be right.

Issue 15 asked for placements ending before they start; the database refuses those, which the
first test shows, so the rule checks the start date against the worker's birth date (from the
ID number) and against today.
"""

import datetime

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from cooperation.month_checks import month_warnings
from labor.models import Placement
from labor.month_checks import placement_dates
from tests.labor.factories import PlacementFactory, WorkerFactory, make_workers_with_placements
from tests.labor.id_numbers import make_id_number

pytestmark = pytest.mark.django_db

JUNE = datetime.date(2024, 6, 1)


def _worker(region, birth_date, n=1):
    return WorkerFactory(hometown=region, id_number=make_id_number(n, birth_date=birth_date))


def test_a_placement_ending_before_it_starts_cannot_be_stored(regions):
    placement = PlacementFactory(worker__hometown=regions["zhaojue"], started_on=datetime.date(2024, 6, 10))
    with pytest.raises(IntegrityError, match="placement_period_in_order"), transaction.atomic():
        Placement.objects.filter(pk=placement.pk).update(ended_on=datetime.date(2024, 6, 9))


def test_a_placement_before_the_worker_turned_sixteen_warns_with_the_birth_year_only(regions):
    worker = _worker(regions["zhaojue"], datetime.date(2008, 6, 15))
    placement = PlacementFactory(worker=worker, started_on=datetime.date(2024, 6, 14))
    messages = placement_dates(region=regions["zhaojue"], month=JUNE)
    assert messages == [f"就业记录{placement.pk}的开始日期为2024-06-14，当时该劳动力（2008年出生）未满16周岁。"]
    assert worker.name not in messages[0] and "06-15" not in messages[0]
    assert [w["code"] for w in month_warnings(region=regions["zhaojue"], month=JUNE)] == ["labor.placement_dates"]


def test_from_the_sixteenth_birthday_on_no_warning(regions):
    worker = _worker(regions["zhaojue"], datetime.date(2008, 6, 15))
    PlacementFactory(worker=worker, started_on=datetime.date(2024, 6, 15))
    assert placement_dates(region=regions["zhaojue"], month=JUNE) == []


def test_a_placement_before_the_worker_was_born_warns(regions):
    worker = _worker(regions["zhaojue"], datetime.date(2024, 6, 20))
    PlacementFactory(worker=worker, started_on=datetime.date(2024, 6, 3), destination="outworker")
    assert len(placement_dates(region=regions["zhaojue"], month=JUNE)) == 1


def test_a_leap_day_birth(regions):
    worker = _worker(regions["zhaojue"], datetime.date(2008, 2, 29))
    early = PlacementFactory(worker=worker, started_on=datetime.date(2024, 2, 28), ended_on=datetime.date(2024, 2, 28))
    PlacementFactory(worker=worker, started_on=datetime.date(2024, 2, 29))
    [message] = placement_dates(region=regions["zhaojue"], month=datetime.date(2024, 2, 1))
    assert message.startswith(f"就业记录{early.pk}的")


def test_only_placements_started_in_the_month(regions):
    worker = _worker(regions["zhaojue"], datetime.date(2010, 1, 1))
    PlacementFactory(worker=worker, started_on=datetime.date(2024, 5, 31), ended_on=datetime.date(2024, 6, 30))
    PlacementFactory(worker=worker, started_on=datetime.date(2024, 7, 1), destination="outworker")
    assert placement_dates(region=regions["zhaojue"], month=JUNE) == []
    assert len(placement_dates(region=regions["zhaojue"], month=datetime.date(2024, 5, 1))) == 1


def test_a_start_after_today_warns(regions):
    today = timezone.localdate()
    later = datetime.date(today.year + 2, 3, 1)
    placement = PlacementFactory(worker__hometown=regions["zhaojue"], started_on=later)
    assert placement_dates(region=regions["zhaojue"], month=later) == [
        f"就业记录{placement.pk}的开始日期为{later.isoformat()}，晚于今天。"
    ]


def test_a_start_today_does_not(regions):
    today = timezone.localdate()
    PlacementFactory(worker__hometown=regions["zhaojue"], started_on=today)
    assert placement_dates(region=regions["zhaojue"], month=today.replace(day=1)) == []


def test_the_county_and_below_only(regions):
    in_village = PlacementFactory(
        worker=_worker(regions["village"], datetime.date(2010, 1, 1), n=1), started_on=datetime.date(2024, 6, 1)
    )
    in_butuo = PlacementFactory(
        worker=_worker(regions["butuo"], datetime.date(2010, 1, 1), n=2), started_on=datetime.date(2024, 6, 1)
    )
    assert [m.split("的")[0] for m in placement_dates(region=regions["zhaojue"], month=JUNE)] == [
        f"就业记录{in_village.pk}"
    ]
    assert [m.split("的")[0] for m in placement_dates(region=regions["butuo"], month=JUNE)] == [
        f"就业记录{in_butuo.pk}"
    ]


def test_one_query_whatever_the_number_of_placements(regions, django_assert_max_num_queries):
    make_workers_with_placements(200, hometown=regions["town"])  # born in 1980, placed in March 2023
    Placement.objects.filter(worker__name__in=[f"Bulk {n}" for n in range(10_000, 10_100)]).update(
        started_on=datetime.date(2024, 6, 5)
    )
    young = [_worker(regions["village"], datetime.date(2009, 1, 1), n=n) for n in range(1, 6)]
    Placement.objects.bulk_create(
        Placement(worker=w, destination="outworker", started_on=datetime.date(2024, 6, 1 + i))
        for i, w in enumerate(young)
    )
    with django_assert_max_num_queries(1):
        messages = placement_dates(region=regions["zhaojue"], month=JUNE)
    assert len(messages) == 5
