"""Locked periods (CONTRACT.md 1.1, "Monthly submissions and locked periods"): the one check.

While the submission of (county R, month M) is approved, no record dated in M whose region is
R or below it is created, changed, deleted or moved into M. What "dated" and "its region" mean
comes from the record kinds' declarations (:mod:`cooperation.records`: ``date`` and the
``region`` path); a record kind without a date is never locked. A county's own code is the
first six digits of every code below it, so "R or below" is "the first six digits of the
record's region code are R's code".

Where it is checked, so that every path is covered once:

- :meth:`cooperation.models.AuditedModel.save` calls :func:`check_write` (API, admin, imports,
  services, commands): one query for a dated record; an update of a record that others reach
  their region through (a worker's hometown, a project's region, a region's code) also checks
  the records it would move. :class:`LockedPeriod` is a ``ValidationError`` under the date
  field (the field that moves, for such an update): the API's 400, an import's row error.
- A ``pre_delete`` receiver (:func:`refuse_locked_delete`) refuses deleting a locked record,
  also when a cascade would (a worker's placements); the admin asks :func:`locked_among` first
  to show the refusal on its confirmation page.
- Batches that bypass ``save()`` ask in one query for the whole batch: ``sales/bulk/``
  (:func:`approved_months`, :func:`locked_q`) and ``seed_demo``.

The admin's forms call :func:`write_error` themselves so that a refusal is shown under the
field; the check is then remembered on the instance (:func:`_signature`), so that the save
that follows does not ask again.
"""

from __future__ import annotations

import functools

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db.models import DateField, Exists, Func, OuterRef, Q, Subquery
from django.db.models.functions import Substr
from django.utils.translation import gettext_lazy as _

from cooperation.choices import LEVEL_PREFIX_LENGTH, RegionLevel, SubmissionStatus
from cooperation.records import record_kind, record_kinds

COUNTY_CODE_LENGTH = LEVEL_PREFIX_LENGTH[RegionLevel.COUNTY]
_CHECKED_ATTR = "_lock_checked"

LOCKED = _(
    "%(month)s of %(region)s is approved and locked: no record dated in it can be created, changed, "
    "deleted or moved into it. An administrator can reopen the month."
)
LOCKED_MOVE = _(
    "This change would move records dated in %(month)s, an approved and locked month of %(region)s. "
    "An administrator can reopen the month."
)


class MonthOf(Func):
    """The first day of a date's month (PostgreSQL ``date_trunc``), typed as a date so that it
    also applies to an outer query's column (Django's TruncMonth needs the column's type)."""

    template = "(DATE_TRUNC('month', %(expressions)s))::date"
    output_field = DateField()


class LockedPeriod(ValidationError):
    """A write refused because it touches an approved (locked) month."""


def _approved():
    from cooperation.models import Submission

    return Submission.objects.filter(status=SubmissionStatus.APPROVED, region__level=RegionLevel.COUNTY)


def _message(template, submission) -> str:
    from cooperation.models import month_label

    return str(template % {"month": month_label(submission.month), "region": submission.region.name})


def _code_path(path: str) -> str:
    return f"{path}__code" if path else "code"


def _date_field(model) -> str:
    """The lock date of ``model``'s records, "" when they have none (or no single region: a
    pairing is not a record of a county's month)."""
    kind = record_kind(model)
    return kind.date if kind is not None and kind.region else ""


def locked_q(model) -> Q:
    """``model``'s stored records dated in an approved month of the county they lie in."""
    kind = record_kind(model)
    return Q(
        Exists(
            _approved().filter(
                month=MonthOf(OuterRef(kind.date)),
                region__code=Substr(OuterRef(_code_path(kind.region)), 1, COUNTY_CODE_LENGTH),
            )
        )
    )


def approved_months(pairs) -> dict:
    """``{(county code, month): submission}`` of those ``pairs`` that are approved, in one query
    whose size does not grow with the pairs (codes and months asked apart, narrowed here)."""
    pairs = set(pairs)
    if not pairs:
        return {}
    codes, months = zip(*pairs, strict=True)
    found = _approved().filter(region__code__in=set(codes), month__in=set(months)).select_related("region")
    return {(s.region.code, s.month): s for s in found if (s.region.code, s.month) in pairs}


def lock_message(submission) -> str:
    """The refusal for a write touching ``submission``'s (approved) month."""
    return _message(LOCKED, submission)


def county_code(code: str) -> str:
    return code[:COUNTY_CODE_LENGTH]


def _region_code_expression(obj, path: str):
    """The code of the region ``obj`` would have (through ``path``), as a value or a subquery on
    its first reference: nothing is fetched apart from the lock query itself."""
    if not path:
        return obj.code
    first, _, rest = path.partition("__")
    field = type(obj)._meta.get_field(first)
    if field.is_cached(obj) and getattr(obj, first) is not None:
        current = getattr(obj, first)
        for step in rest.split("__") if rest else ():
            if not current._meta.get_field(step).is_cached(current):
                break
            current = getattr(current, step)
            if current is None:
                return None
        else:
            return current.code
    value = getattr(obj, field.attname)
    if value is None:
        return None
    related = field.related_model._base_manager.filter(pk=value)
    return Subquery(related.values(_code_path(rest))[:1])


def _record_q(obj) -> Q | None:
    """Approved submissions that a write of ``obj`` (a dated record) would touch: the month and
    county it would be dated in, and (an update) those it is stored in."""
    model = type(obj)
    kind = record_kind(model)
    q = Q(pk__in=[])
    day = getattr(obj, kind.date, None)
    if day is not None:
        code = _region_code_expression(obj, kind.region)
        if code is not None:
            month = day.replace(day=1)
            if isinstance(code, str):
                q |= Q(month=month, region__code=county_code(code))
            else:
                q |= Q(month=month, region__code=Substr(code, 1, COUNTY_CODE_LENGTH))
    if obj.pk is not None and not obj._state.adding:
        stored = (
            model._base_manager.filter(pk=obj.pk)
            .annotate(_lock_month=MonthOf(kind.date))
            .filter(
                _lock_month=OuterRef("month"), **{f"{_code_path(kind.region)}__startswith": OuterRef("region__code")}
            )
        )
        q |= Q(Exists(stored))
    return q


# -- the records that reach their region through another one


@functools.cache
def _carriers() -> dict:
    """``{model: [(dated model, path from it to the carrier, the carrier's field that moves
    them, rest of the region path)]}``: the models whose change moves dated records of a kind
    (a placement's region is its worker's hometown; a region's code places the records of that
    region), from the record kinds' region paths."""
    carriers: dict = {}
    for model, kind in record_kinds():
        if not kind.date or not kind.region:
            continue
        steps = kind.region.split("__")
        current = model
        for index in range(len(steps)):
            current = current._meta.get_field(steps[index]).related_model
            prefix = "__".join(steps[: index + 1])
            rest = "__".join(steps[index + 1 :])
            moving = rest.split("__", 1)[0] if rest else "code"
            carriers.setdefault(current, []).append((model, prefix, moving, rest))
    return carriers


def remembers_loaded_values(model) -> bool:
    """Whether ``model``'s records keep the values they were read with (the carriers)."""
    return model in _carriers()


def _county_of(code):
    """The county code of a region code given as a value or as an expression."""
    if isinstance(code, str):
        return county_code(code)
    return Substr(code, 1, COUNTY_CODE_LENGTH)


def _move_error(obj) -> dict:
    """``{field: message}`` when changing ``obj`` would move locked records, or move records into
    a locked month (a worker given a hometown in a county whose month of one of their
    placements is approved). No query unless a moving field changed (the stored values come
    with the record, :meth:`AuditedModel.from_db`); then one per kind that would move."""
    entries = _carriers().get(type(obj))
    if not entries or obj.pk is None or obj._state.adding:
        return {}
    model = type(obj)
    fields = sorted({moving for _dated, _prefix, moving, _rest in entries})
    attnames = {name: model._meta.get_field(name).attname for name in fields}
    loaded = getattr(obj, "_loaded_values", {})
    if all(attname in loaded for attname in attnames.values()):
        stored = loaded  # read with the record (AuditedModel.from_db): no query
    else:
        stored = model._base_manager.filter(pk=obj.pk).values(*attnames.values()).first()
    if stored is None:
        return {}
    changed = {name for name, attname in attnames.items() if stored[attname] != getattr(obj, attname)}
    for dated, prefix, moving, rest in entries:
        if moving not in changed:
            continue
        kind = record_kind(dated)
        records = dated._base_manager.filter(**{prefix: obj.pk}).annotate(_lock_month=MonthOf(kind.date))
        q = Q(
            Exists(
                records.filter(
                    _lock_month=OuterRef("month"),
                    **{f"{_code_path(kind.region)}__startswith": OuterRef("region__code")},
                )
            )
        )
        code = _region_code_expression(obj, rest)
        if code is not None:
            q |= Q(Exists(records.filter(_lock_month=OuterRef("month"))), region__code=_county_of(code))
        hit = _approved().filter(q).select_related("region").order_by("month").first()
        if hit is not None:
            return {moving: _message(LOCKED_MOVE, hit)}
    return {}


# -- the checks


def _signature(obj) -> tuple:
    """What a write check depends on: the record's stored identity and every value it holds."""
    return (obj.pk, obj._state.adding, tuple(getattr(obj, f.attname) for f in obj._meta.concrete_fields))


def write_error(obj) -> dict:
    """``{field: message}`` when writing ``obj`` (created or changed) touches a locked month,
    else ``{}``: the date field for a dated record, the moving field for a carrier of others."""
    errors = {}
    if _date_field(type(obj)):
        hit = _approved().filter(_record_q(obj)).select_related("region").order_by("month").first()
        if hit is not None:
            errors[_date_field(type(obj))] = _message(LOCKED, hit)
    if not errors:
        errors = _move_error(obj)
    if not errors:
        setattr(obj, _CHECKED_ATTR, _signature(obj))
    return errors


def check_write(obj) -> None:
    """Raise :class:`LockedPeriod` when writing ``obj`` touches a locked month (unless the same
    state was just checked, by the admin's form)."""
    if not _date_field(type(obj)) and type(obj) not in _carriers():
        return
    if getattr(obj, _CHECKED_ATTR, None) == _signature(obj):
        return
    errors = write_error(obj)
    if errors:
        raise LockedPeriod(errors)


def delete_error(obj) -> str | None:
    """The message when deleting ``obj`` (as stored) would delete a record of a locked month."""
    model = type(obj)
    if not _date_field(model) or obj.pk is None:
        return None
    hit = (
        _approved()
        .filter(
            Exists(
                model._base_manager.filter(pk=obj.pk)
                .annotate(_lock_month=MonthOf(_date_field(model)))
                .filter(
                    _lock_month=OuterRef("month"),
                    **{f"{_code_path(record_kind(model).region)}__startswith": OuterRef("region__code")},
                )
            )
        )
        .select_related("region")
        .order_by("month")
        .first()
    )
    return None if hit is None else _message(LOCKED, hit)


def refuse_locked_delete(sender, instance, **kwargs) -> None:
    """``pre_delete`` receiver: no record of a locked month is deleted, by any path or cascade."""
    message = delete_error(instance) if _date_field(sender) else None
    if message:
        raise LockedPeriod({NON_FIELD_ERRORS: [message]})


def locked_among(objs_by_model: dict) -> list:
    """Of ``{model: [objects]}`` (what a delete would remove, cascades included), the objects
    dated in a locked month; one query per dated model."""
    locked = []
    for model, objs in objs_by_model.items():
        if not _date_field(model):
            continue
        pks = [obj.pk for obj in objs if obj.pk is not None]
        if pks:
            found = set(model._base_manager.filter(pk__in=pks).filter(locked_q(model)).values_list("pk", flat=True))
            locked.extend(obj for obj in objs if obj.pk in found)
    return locked


def any_approved() -> bool:
    """Whether any month is locked at all (a batch with nothing to fear skips its checks)."""
    return _approved().exists()


def first_locked(objs) -> tuple | None:
    """``(obj, {field: message})`` of the first of ``objs`` (unsaved records of one kind) that
    would be written into a locked month; a query per record, so only once :func:`any_approved`."""
    for obj in objs:
        errors = write_error(obj)
        if errors:
            return obj, errors
    return None
