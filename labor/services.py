"""Writes of labor cooperation with rules across rows: worker uniqueness and upsert, and the
placement overlap rule, each under a transaction and a row lock."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from labor import selectors
from labor.models import EXTERNAL_ID_TAKEN, ID_NUMBER_TAKEN, PLACEMENT_OVERLAP, Placement, Worker

# Unique constraints that a concurrent request can still trip between validation and insert;
# each maps to the field and message a client sees (never the value).
_UNIQUE_ERRORS = {
    "worker_id_number_unique": ("id_number", ID_NUMBER_TAKEN),
    "worker_external_id_unique": ("external_id", EXTERNAL_ID_TAKEN),
}
WORKER_FIELDS = (
    "name",
    "id_number",
    "hometown",
    "poverty_alleviated",
    "monitored_household",
    "phone",
    "external_id",
)


def _save_checked(instance) -> None:
    """``full_clean()`` then save; a unique constraint lost to a race becomes a ValidationError."""
    instance.full_clean()
    try:
        with transaction.atomic():
            instance.save()
    except IntegrityError as exc:
        name = getattr(getattr(exc.__cause__, "diag", None), "constraint_name", None)
        if name in _UNIQUE_ERRORS:
            field, message = _UNIQUE_ERRORS[name]
            raise ValidationError({field: [message]}) from None
        raise


@transaction.atomic
def worker_create(**fields) -> Worker:
    """Register a worker (keyword arguments: ``WORKER_FIELDS``)."""
    worker = Worker()
    for key, value in fields.items():
        if key in WORKER_FIELDS:
            setattr(worker, key, value)
    _save_checked(worker)
    return worker


@transaction.atomic
def worker_update(*, worker: Worker, **fields) -> Worker:
    """Change a worker; the ID number and phone are re-encrypted only when they change."""
    locked = Worker.objects.select_for_update().get(pk=worker.pk)
    for key, value in fields.items():
        if key in WORKER_FIELDS:
            setattr(locked, key, value)
    _save_checked(locked)
    return locked


@transaction.atomic
def worker_upsert_by_id_number(*, id_number: str, **fields) -> tuple[Worker, bool]:
    """The worker with this ID number, updated with ``fields``, or a new one; ``(worker, created)``.

    Used by the spreadsheet import, where the ID number identifies the worker.
    """
    existing = selectors.worker_by_id_number(id_number)
    if existing is None:
        return worker_create(id_number=id_number, **fields), True
    return worker_update(worker=existing, **fields), False


def _check_overlap(placement: Placement) -> None:
    conflicts = selectors.placement_conflicts(
        worker_id=placement.worker_id,
        destination=placement.destination,
        started_on=placement.started_on,
        ended_on=placement.ended_on,
        exclude_pk=placement.pk,
    )
    if conflicts.exists():
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
    _check_overlap(placement)
    placement.save()
    return placement


def placement_create(**fields) -> Placement:
    return placement_save(placement=Placement(**fields))


def placement_update(*, placement: Placement, **fields) -> Placement:
    for key, value in fields.items():
        setattr(placement, key, value)
    return placement_save(placement=placement)
