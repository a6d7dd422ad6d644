"""Reads of labor cooperation, and its indicators (the contract's ``labor.*`` keys).

Every count is of distinct people: a worker with several placements in a year counts once.
The region filter applies to the worker's hometown.
"""

import datetime

from django.db.models import Count, Max, Min, Q, QuerySet
from django.utils import timezone

from cooperation.models import Region
from cooperation.selectors import overlapping_year, within_region, year_bounds
from labor.choices import EXCLUSIVE_DESTINATIONS, Destination
from labor.models import Placement, RecruitmentEvent, SkillsTraining, Worker, Workshop
from labor.personal_data import search_hash
from labor.validators import normalize_id_number


def worker_list() -> QuerySet:
    return Worker.objects.select_related("hometown")


def worker_admin_list() -> QuerySet:
    """Workers with their hometown and how many placements each holds (one query for the page)."""
    return worker_list().annotate(placement_count=Count("placements"))


def worker_by_id_number(id_number: str) -> Worker | None:
    """Exact match on the full ID number, through the keyed hash (nothing is decrypted)."""
    value = normalize_id_number(id_number)
    if not value:
        return None
    return Worker.objects.filter(id_number_hash=search_hash(value)).first()


def worker_filter_id_number(qs: QuerySet, id_number: str) -> QuerySet:
    return qs.filter(id_number_hash=search_hash(normalize_id_number(id_number)))


def worker_by_external_id(external_id: str) -> Worker | None:
    return Worker.objects.filter(external_id=external_id).first()


def placement_list() -> QuerySet:
    return Placement.objects.select_related("worker", "worker__hometown", "employer")


def placement_years() -> range:
    """The calendar years placements span, oldest first (for the admin's year filter)."""
    bounds = Placement.objects.aggregate(first=Min("started_on"), last_start=Max("started_on"), last=Max("ended_on"))
    if bounds["first"] is None:
        return range(0)
    last = max(filter(None, [bounds["last_start"], bounds["last"], timezone.localdate()]))
    return range(bounds["first"].year, last.year + 1)


def placement_conflicts(
    *, worker_id: int, destination: str, started_on, ended_on, exclude_pk: int | None = None
) -> QuerySet:
    """Stored placements of the worker that the given period may not overlap (see ``Placement``)."""
    if destination not in EXCLUSIVE_DESTINATIONS or not worker_id or not started_on:
        return Placement.objects.none()
    qs = Placement.objects.filter(worker_id=worker_id, destination__in=EXCLUSIVE_DESTINATIONS).filter(
        Q(ended_on__isnull=True) | Q(ended_on__gte=started_on)
    )
    if ended_on is not None:
        qs = qs.filter(started_on__lte=ended_on)
    if exclude_pk:
        qs = qs.exclude(pk=exclude_pk)
    return qs


def periods_conflict(a: tuple, b: tuple) -> bool:
    """Whether two (destination, started_on, ended_on) periods of one worker break the overlap rule."""
    (dest_a, start_a, end_a), (dest_b, start_b, end_b) = a, b
    if dest_a not in EXCLUSIVE_DESTINATIONS or dest_b not in EXCLUSIVE_DESTINATIONS:
        return False
    return (end_b is None or start_a <= end_b) and (end_a is None or start_b <= end_a)


def workshop_list() -> QuerySet:
    return Workshop.objects.select_related("operator", "region")


def recruitment_event_list() -> QuerySet:
    return RecruitmentEvent.objects.select_related("organiser", "region").prefetch_related("employers")


def skills_training_list() -> QuerySet:
    return SkillsTraining.objects.select_related("organiser", "region")


# --- Indicators ----------------------------------------------------------------------------


def _placements_in(*, year: int, region: Region | None) -> QuerySet:
    qs = overlapping_year(Placement.objects.all(), year=year)
    return within_region(qs, region=region, path="worker__hometown")


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
