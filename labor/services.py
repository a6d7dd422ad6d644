"""Writes of labor cooperation with rules across rows: worker uniqueness and upsert, and the
placement overlap rule, each under a transaction and a row lock."""

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction

from cooperation.constraints import constraint_errors
from labor import selectors
from labor.choices import EXCLUSIVE_DESTINATIONS
from labor.models import PLACEMENT_OVERLAP, Placement, Worker

WORKER_FIELDS = (
    "name",
    "id_number",
    "hometown",
    "poverty_alleviated",
    "monitored_household",
    "phone",
    "external_id",
)


def _worker_save(worker: Worker, fields: dict) -> Worker:
    """Set ``fields`` (those in ``WORKER_FIELDS``), ``full_clean()`` and save. Validation catches
    a duplicate first; one stored by a concurrent request meanwhile is refused by the database,
    and ``constraint_errors`` turns that into a ValidationError naming the field."""
    for key, value in fields.items():
        if key in WORKER_FIELDS:
            setattr(worker, key, value)
    worker.full_clean()
    with constraint_errors():
        worker.save()
    return worker


@transaction.atomic
def worker_create(**fields) -> Worker:
    """Register a worker (keyword arguments: ``WORKER_FIELDS``)."""
    return _worker_save(Worker(), fields)


@transaction.atomic
def worker_update(*, worker: Worker, **fields) -> Worker:
    """Change a worker; the ID number and phone are re-encrypted only when they change."""
    return _worker_save(Worker.objects.select_for_update().get(pk=worker.pk), fields)


@transaction.atomic
def worker_upsert_by_id_number(*, id_number: str, **fields) -> tuple[Worker, bool]:
    """The worker with this ID number, updated with ``fields``, or a new one; ``(worker, created)``.

    Used by the spreadsheet import, where the ID number identifies the worker. On update a
    blank value (``None`` or ``""``) keeps the stored one, as in every import.
    """
    existing = selectors.worker_by_id_number(id_number)
    if existing is None:
        return worker_create(id_number=id_number, **fields), True
    kept = {key: value for key, value in fields.items() if value is not None and value != ""}
    return worker_update(worker=existing, **kept), False


def placement_check(*, placement: Placement, others: Iterable[Placement] | None = None) -> None:
    """The overlap rule, written only here: two placements of one worker may not share a day
    when both are of an exclusive destination (``EXCLUSIVE_DESTINATIONS``: an outworker
    placement may overlap anything). A clash is a ValidationError naming ``started_on``.

    ``others``: the placements to compare with (the rows of an admin form, the demo's data);
    by default the worker's stored placements but this one. Only ``placement_save``, which
    holds the worker's row lock, makes the answer final; forms call this to show the error.
    """
    if placement.destination not in EXCLUSIVE_DESTINATIONS or placement.started_on is None:
        return
    if others is None:
        stored = Placement.objects.filter(worker_id=placement.worker_id).exclude(pk=placement.pk)
        others = stored if placement.worker_id else ()
    for other in others:
        if (
            other.destination in EXCLUSIVE_DESTINATIONS
            and other.started_on is not None
            and (other.ended_on is None or placement.started_on <= other.ended_on)
            and (placement.ended_on is None or other.started_on <= placement.ended_on)
        ):
            raise ValidationError({"started_on": [PLACEMENT_OVERLAP]})


@transaction.atomic
def placement_save(*, placement: Placement) -> Placement:
    """Validate and store a placement, new or changed.

    The worker's row is locked first, so two requests adding placements for one worker are
    checked one after the other against the overlap rule.
    """
    if placement.worker_id:
        Worker.objects.select_for_update().filter(pk=placement.worker_id).first()
    placement.full_clean()
    placement_check(placement=placement)
    placement.save()
    return placement


def placement_create(**fields) -> Placement:
    return placement_save(placement=Placement(**fields))


def placement_update(*, placement: Placement, **fields) -> Placement:
    for key, value in fields.items():
        setattr(placement, key, value)
    return placement_save(placement=placement)
