"""Record kinds: where a model's region and its dates are, declared once on the model.

A model that carries a region or a date sets ``record_kind = RecordKind(...)``. The API's and
the admin's ``region_within`` and ``year`` filters (:mod:`cooperation.filtering`), the
dashboard's links to the records behind a figure and the selectors all read it; the user
scopes and the locked periods of CONTRACT.md 1.1 hang on the same declaration.
"""

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
