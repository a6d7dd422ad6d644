"""Record kinds: where a model's region and its dates are, declared once on the model.

A model that carries a region or a date sets ``record_kind = RecordKind(...)``. The API's and
the admin's ``region_within`` and ``year`` filters (:mod:`cooperation.filtering`), the
dashboard's links to the records behind a figure and the selectors all read it; the user
scopes and the locked periods of CONTRACT.md 1.1 hang on the same declaration.
"""

import contextlib
from dataclasses import dataclass

from django.apps import apps
from django.db import models


@dataclass(frozen=True)
class RecordKind:
    """Where a record's region and dates are.

    ``region``: the ORM path from the model to the region the contract filters on (``""`` for
    a region itself). ``date``: the record's main date (the lock date of CONTRACT.md 1.1), or
    ``""``. ``scope_paths``: for a record with no single region (a pairing), the region paths
    that place it in a user's scope (any of them to read it, all to write it; see
    :mod:`cooperation.scopes`). How ``?year=Y`` selects records: ``year_field`` (a year column), else ``period``
    (``(start, end)`` fields: the period overlaps the year), else the calendar year of ``date``.
    """

    region: str
    date: str = ""
    year_field: str = ""
    period: tuple[str, str] | None = None
    scope_paths: tuple[str, ...] = ()

    @property
    def year_rule(self) -> str:
        if self.year_field:
            return "field"
        if self.period:
            return "overlap"
        return "date" if self.date else ""


def record_kind(model: type[models.Model]) -> RecordKind | None:
    return getattr(model, "record_kind", None)


def record_kinds() -> list[tuple[type[models.Model], RecordKind]]:
    """Every installed model with a declared record kind, in app and model order."""
    return [(model, model.record_kind) for model in apps.get_models() if isinstance(record_kind(model), RecordKind)]


# -- writes that bypass save(): the watchers of records (the precomputed figures) are told

_bulk_watchers: list = []


def watch_bulk_writes(watcher) -> None:
    """Register ``watcher`` (``before(model, queryset) -> token`` and ``after(model, queryset,
    token)``) to be told of statements that write many records at once without ``save()``."""
    if watcher not in _bulk_watchers:
        _bulk_watchers.append(watcher)


@contextlib.contextmanager
def bulk_write(model: type[models.Model], records):
    """Around a statement that writes records of ``model`` without ``save()`` (an upsert, a bulk
    create): ``records()`` gives the queryset of the records it may touch, asked before the
    statement (as they were stored) and after it (as they are now), in the same transaction."""
    tokens = [watcher.before(model, records()) for watcher in _bulk_watchers]
    yield
    for watcher, token in zip(_bulk_watchers, tokens, strict=True):
        watcher.after(model, records(), token)
