"""Reads of labor cooperation, and its indicators (the contract's ``labor.*`` keys).

Every count is of distinct people: a worker with several placements in a year counts once.
The region filter applies to the worker's hometown.
"""

import datetime

from django.db.models import (
    Count,
    DateField,
    DurationField,
    F,
    Func,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Cast, Coalesce

from cooperation.models import Region
from cooperation.selectors import records_in, year_bounds
from labor.choices import Destination
from labor.models import Placement, RecruitmentEvent, SkillsTraining, Worker, Workshop
from labor.personal_data import search_hash
from labor.validators import normalize_id_number


def worker_list() -> QuerySet:
    return Worker.objects.select_related("hometown")


def worker_admin_list() -> QuerySet:
    """Workers with their hometown and how many placements each holds (one query for the page).

    The count is a correlated subquery, not ``Count("placements")``: a join and GROUP BY over
    every worker would be computed before the page's 50 rows are taken (seconds at 150,000
    workers); the subquery runs for the page's rows only, by the (worker, started_on) index,
    and the default ordering walks the (name, id) index.
    """
    placements = (
        Placement.objects.filter(worker=OuterRef("pk")).order_by().values("worker").annotate(n=Count("pk")).values("n")
    )
    return worker_list().annotate(placement_count=Coalesce(Subquery(placements, output_field=IntegerField()), 0))


def worker_by_id_number(id_number: str) -> Worker | None:
    """Exact match on the full ID number, through the keyed hash (nothing is decrypted)."""
    if not normalize_id_number(id_number):
        return None
    return worker_filter_id_number(Worker.objects.all(), id_number).first()


def worker_filter_id_number(qs: QuerySet, id_number: str) -> QuerySet:
    return qs.filter(id_number_hash=search_hash(normalize_id_number(id_number)))


def worker_by_external_id(external_id: str) -> Worker | None:
    return Worker.objects.filter(external_id=external_id).first()


def placement_list() -> QuerySet:
    return Placement.objects.select_related("worker", "worker__hometown", "employer")


def workshop_list() -> QuerySet:
    return Workshop.objects.select_related("operator", "region")


def recruitment_event_list() -> QuerySet:
    return RecruitmentEvent.objects.select_related("organiser", "region").prefetch_related("employers")


def skills_training_list() -> QuerySet:
    return SkillsTraining.objects.select_related("organiser", "region")


# --- Indicators ----------------------------------------------------------------------------


def _placements_in(*, year: int, region: Region | None) -> QuerySet:
    """Placements overlapping the year, of workers from the region (``Placement.record_kind``)."""
    return records_in(Placement.objects.all(), year=year, region=region)


def _distinct_workers(qs: QuerySet) -> int:
    return qs.values("worker_id").distinct().count()


def labor_employed(*, year: int, region: Region | None = None) -> int:
    """``labor.employed``: distinct workers with a placement overlapping the year."""
    return _distinct_workers(_placements_in(year=year, region=region))


def labor_employed_poverty_alleviated(*, year: int, region: Region | None = None) -> int:
    """``labor.employed_poverty_alleviated``: the same, poverty-alleviated workers only."""
    return _distinct_workers(_placements_in(year=year, region=region).filter(worker__poverty_alleviated=True))


def labor_employed_east(*, year: int, region: Region | None = None) -> int:
    """``labor.employed_east``: distinct workers with an ``east`` placement overlapping the year."""
    return _distinct_workers(_placements_in(year=year, region=region).filter(destination=Destination.EAST))


def placements_by_destination(*, year: int, region: Region | None = None) -> list[dict]:
    """Per destination (every one, in the choices' order): distinct workers with a placement of
    that destination overlapping the year. A worker placed in two destinations counts in both."""
    counts = dict(
        _placements_in(year=year, region=region)
        .order_by()
        .values_list("destination")
        .annotate(workers=Count("worker_id", distinct=True))
    )
    return [
        {"destination": value, "label": str(label), "workers": counts.get(value, 0)}
        for value, label in Destination.choices
    ]


def labor_employed_by_month(*, year: int, region: Region | None = None) -> list[int]:
    """Twelve values: distinct workers with a placement overlapping each month of the year.

    One query: a filtered distinct count per month over the year's placements.
    """
    first, _last = year_bounds(year)
    months = {}
    for month in range(1, 13):
        start = first.replace(month=month)
        end = (first.replace(year=year + 1) if month == 12 else first.replace(month=month + 1)) - datetime.timedelta(
            days=1
        )
        in_month = Q(started_on__lte=end) & (Q(ended_on__isnull=True) | Q(ended_on__gte=start))
        months[f"m{month}"] = Count("worker_id", distinct=True, filter=in_month)
    totals = _placements_in(year=year, region=region).aggregate(**months)
    return [totals[f"m{month}"] for month in range(1, 13)]


def placements_started_implausibly(
    *, region: Region, first: datetime.date, last: datetime.date, today: datetime.date, working_age: int
) -> QuerySet:
    """Placements of workers from ``region`` or below it started from ``first`` to ``last`` (a
    month) either before the worker was ``working_age`` years old (before their birth too) or
    after ``today``; by start date, each with ``working_age_on`` (the date the worker reached
    that age) and the worker. One query, the age computed by the database (``date + interval``,
    which takes 29 February to the 28th when the year reached is a common one)."""
    working_age_on = Cast(
        F("worker__birth_date") + Func(Value(working_age), function="make_interval", output_field=DurationField()),
        output_field=DateField(),
    )
    return (
        records_in(Placement.objects.filter(started_on__gte=first, started_on__lte=last), region=region)
        .annotate(working_age_on=working_age_on)
        .filter(Q(started_on__lt=F("working_age_on")) | Q(started_on__gt=today))
        .select_related("worker")
        .order_by("started_on", "id")
    )
