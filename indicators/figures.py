"""Precomputed figures, exact at commit (issue 13).

Every indicator's figure, monthly trend and breakdowns are kept in :class:`~indicators.models.Figure`
rows per *cell*: the records of the indicator's source model (:attr:`Indicator.records`) placed
exactly at one region (not below it; or with no region at all), in one year, or in one month of
it when the figure adds up over months (:class:`~cooperation.indicators_base.Rollup`). A
region's figure is the sum of its subtree's cells, one indexed query over a small table, for
every indicator at once; a user's scope is several subtrees.

How a cell is computed: by the indicator's own compute functions, given an :class:`ExactCell`
instead of a region (it answers ``subtree_q(path)`` with "exactly this region" and, for a month
cell, "dated in this month"). There is no second definition of any figure.

When cells are recomputed, inside the transaction of the write (so that a figure read right
after a commit is exact):

- a save or delete of a source record (``pre_save``/``post_save``, ``pre_delete``/``post_delete``
  receivers, connected by the app): the cells the record lay in before and lies in after;
- a save of a record on a source's region path (a placement's worker, an allocation's project,
  a medical team's host hospital): the cells of the records reached through it, before and after
  (a worker moved to another hometown moves their placements; a worker marked poverty-alleviated
  changes the figure that counts them). A region's own code is not part of a cell: cells name
  their region by id and a read selects them by the region's code as it stands;
- statements that bypass ``save()`` (``sales/bulk/``, the demo's bulk creates) wrap themselves
  in :func:`cooperation.records.bulk_write`.

Concurrent writes of one cell are serialised by a transaction-level advisory lock per cell,
taken after the write and before the recompute: the second transaction recomputes once the
first has committed, from a snapshot that includes it (READ COMMITTED).

Figures are kept for the years :class:`~indicators.models.FigureYear` lists (built by
:func:`rebuild`: the ``rebuild_figures`` command, ``seed_demo`` and a nightly task, which also
reports any drift it corrected); other years are computed from the records when asked.
"""

from __future__ import annotations

import datetime
import functools
import logging
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db import connection, transaction
from django.db.models import F, Q, QuerySet, Sum
from django.db.models.functions import ExtractMonth, ExtractYear
from django.utils import timezone

from cooperation.indicators_base import Indicator
from cooperation.records import RecordKind, record_kind
from indicators.models import Figure, FigureYear
from indicators.registry import INDICATORS

logger = logging.getLogger(__name__)

CENT = Decimal("0.01")
VALUE = ""  # the part holding the figure itself


def trend_part(month: int) -> str:
    return f"m{month}"


def breakdown_part(name: str, code) -> str:
    return f"b:{name}:{code}"


# --- What a cell is ------------------------------------------------------------------------


class ExactCell:
    """Stands in for a region when a cell is computed: the records placed exactly at region
    ``region_id`` (None: the records with no region), and dated in ``month`` of ``year`` when
    ``month`` is not 0 (``date_field``: the source's date)."""

    def __init__(self, region_id: int | None, *, year: int, month: int = 0, date_field: str = ""):
        self.region_id = region_id
        self.year = year
        self.month = month
        self.date_field = date_field

    def subtree_q(self, path: str = "") -> Q:
        column = path or "pk"
        q = Q(**{f"{column}__isnull": True}) if self.region_id is None else Q(**{column: self.region_id})
        if self.month:
            first = datetime.date(self.year, self.month, 1)
            following = datetime.date(self.year + self.month // 12, self.month % 12 + 1, 1)
            q &= Q(**{f"{self.date_field}__gte": first, f"{self.date_field}__lt": following})
        return q


@dataclass(frozen=True)
class Family:
    """The indicators computed from one source model, kept in the same cells."""

    model: type
    indicators: tuple[Indicator, ...]
    monthly: bool

    @property
    def kind(self) -> RecordKind:
        return record_kind(self.model)

    @property
    def keys(self) -> list[str]:
        return [indicator.key for indicator in self.indicators]


@functools.cache
def families() -> dict[type, Family]:
    """``{source model: Family}`` from the indicator declarations."""
    grouped: dict[type, list[Indicator]] = defaultdict(list)
    for indicator in INDICATORS:
        grouped[indicator.records].append(indicator)
    result = {}
    for model, indicators in grouped.items():
        kind = record_kind(model)
        if kind is None or not kind.region or not kind.year_rule:
            raise ValueError(f"{model._meta.label}: a figure's records need a region and a year rule")
        monthly = kind.year_rule == "date" and not any(indicator.distinct for indicator in indicators)
        result[model] = Family(model, tuple(indicators), monthly)
    return result


@functools.cache
def carriers() -> dict[type, list[tuple[Family, str]]]:
    """``{model: [(family, path from the family's model to it)]}``: the models on a source's
    region path, short of the region itself (a placement's worker; a mentorship's mentor and
    the mentor's host organisation)."""
    result: dict[type, list[tuple[Family, str]]] = defaultdict(list)
    for family in families().values():
        steps = family.kind.region.split("__")
        current = family.model
        for index in range(len(steps) - 1):
            current = current._meta.get_field(steps[index]).related_model
            result[current].append((family, "__".join(steps[: index + 1])))
    return dict(result)


# --- Where records lie -----------------------------------------------------------------------

# A position: (region id, first year, last year or None for an open period, month or 0).
Position = tuple[int | None, int | None, int | None, int]


def positions(family: Family, queryset: QuerySet) -> set[Position]:
    """Where the records of ``queryset`` lie, as the family's cells see them. One query."""
    kind = family.kind
    qs = queryset.order_by().annotate(_figure_region=F(kind.region))
    if kind.year_rule == "field":
        rows = qs.values_list("_figure_region", kind.year_field).distinct()
        return {(region, year, year, 0) for region, year in rows}
    if kind.year_rule == "overlap":
        start, end = kind.period
        rows = qs.values_list("_figure_region", ExtractYear(start), ExtractYear(end)).distinct()
        return {(region, first, last, 0) for region, first, last in rows}
    if family.monthly:
        rows = qs.values_list("_figure_region", ExtractYear(kind.date), ExtractMonth(kind.date)).distinct()
        return {(region, year, year, month) for region, year, month in rows}
    rows = qs.values_list("_figure_region", ExtractYear(kind.date)).distinct()
    return {(region, year, year, 0) for region, year in rows}


def kept_years() -> list[int]:
    return sorted(FigureYear.objects.values_list("year", flat=True))


def _cells(found: Iterable[Position], years: list[int]) -> list[tuple]:
    """The cells (region, year, month) of the kept ``years`` that the positions touch, in lock
    order (a stable order, so that two writers of the same cells wait rather than deadlock)."""
    if not years:
        return []
    cells = set()
    for region, first, last, month in found:
        if first is None:
            continue
        last = years[-1] if last is None else last
        for year in years:
            if first <= year <= last:
                cells.add((region, year, month))
    return sorted(cells, key=lambda cell: (cell[0] is not None, cell[0] or 0, cell[1], cell[2]))


def compute_cell(family: Family, region_id, year: int, month: int) -> list[Figure]:
    """The rows of one cell, computed from the records by the indicators' own functions."""
    area = ExactCell(region_id, year=year, month=month, date_field=family.kind.date)
    rows = []
    for indicator in family.indicators:
        parts = {VALUE: indicator.value(year=year, region=area)}
        if indicator.trend is not None:
            for index, value in enumerate(list(indicator.trend.compute(year=year, region=area))[:12]):
                parts[trend_part(index + 1)] = value
        for breakdown in indicator.breakdowns:
            for item in breakdown.compute(year=year, region=area):
                parts[breakdown_part(breakdown.name, item.get(breakdown.code_field))] = item.get(breakdown.value_field)
        rows.extend(
            Figure(
                indicator=indicator.key,
                part=part,
                region_id=region_id,
                year=year,
                month=month,
                value=Decimal(value),
            )
            for part, value in parts.items()
            if value
        )
    return rows


def _cells_q(cells) -> Q:
    q = Q(pk__in=[])
    for region, year, month in cells:
        where = Q(region__isnull=True) if region is None else Q(region_id=region)
        q |= where & Q(year=year, month=month)
    return q


def _lock(family: Family, cells) -> None:
    keys = [f"figures:{family.model._meta.label}:{region}:{year}:{month}" for region, year, month in cells]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_advisory_xact_lock(hashtextextended(k, 0)) FROM (SELECT unnest(%s::text[]) AS k) AS cells",
            [keys],
        )


def refresh(family: Family, found: Iterable[Position], *, years: list[int] | None = None) -> int:
    """Recompute the family's cells that ``found`` touch, in the current transaction; returns
    the number of cells. Queries: the kept years, the locks, the computes of each cell, one
    delete and one insert."""
    found = set(found)
    if not found:
        return 0
    cells = _cells(found, kept_years() if years is None else years)
    if not cells:
        return 0
    with transaction.atomic(savepoint=False):
        _lock(family, cells)
        rows = [row for cell in cells for row in compute_cell(family, *cell)]
        Figure.objects.filter(indicator__in=family.keys).filter(_cells_q(cells))._raw_delete(Figure.objects.db)
        Figure.objects.bulk_create(rows)
    return len(cells)


# --- Keeping them: the receivers and the bulk watcher ----------------------------------------

_BEFORE = "_figure_positions"


def _unchanged(instance) -> bool:
    """Whether a carrier is saved with every value it was read with (an inline's parent saved
    again): then nothing it carries moves."""
    loaded = getattr(instance, "_loaded_values", None)
    if not loaded:
        return False
    return all(
        loaded.get(field.attname) == getattr(instance, field.attname)
        for field in instance._meta.concrete_fields
        if field.attname in loaded and field.name not in {"updated_at"}
    )


def _stored(instance) -> bool:
    return instance.pk is not None and not instance._state.adding


def before_save(sender, instance, raw=False, **kwargs) -> None:
    if raw or not _stored(instance):
        return
    stash = {}
    family = families().get(sender)
    if family is not None:
        stash[(family.model, "")] = positions(family, sender._base_manager.filter(pk=instance.pk))
    if sender in carriers() and not _unchanged(instance):
        for family, prefix in carriers()[sender]:
            stash[(family.model, prefix)] = positions(
                family, family.model._base_manager.filter(**{prefix: instance.pk})
            )
    setattr(instance, _BEFORE, stash)


def after_save(sender, instance, created=False, raw=False, **kwargs) -> None:
    if raw:
        return
    stash = getattr(instance, _BEFORE, {}) if not created else {}
    if hasattr(instance, _BEFORE):
        delattr(instance, _BEFORE)
    family = families().get(sender)
    if family is not None:
        now = positions(family, sender._base_manager.filter(pk=instance.pk))
        refresh(family, now | stash.get((family.model, ""), set()))
    if not created:
        for family, prefix in carriers().get(sender, ()):
            if (family.model, prefix) not in stash:
                continue  # saved unchanged
            now = positions(family, family.model._base_manager.filter(**{prefix: instance.pk}))
            refresh(family, now | stash[(family.model, prefix)])


def before_delete(sender, instance, **kwargs) -> None:
    stash = {}
    family = families().get(sender)
    if family is not None and instance.pk is not None:
        stash[(family.model, "")] = positions(family, sender._base_manager.filter(pk=instance.pk))
    for family, prefix in carriers().get(sender, ()):
        # The records reached through it are deleted with it (their own signals), protected,
        # or left without a region (SET_NULL, no signal): their cells and the no-region ones.
        found = positions(family, family.model._base_manager.filter(**{prefix: instance.pk}))
        if found:
            stash[(family.model, prefix)] = found | {(None, first, last, month) for _r, first, last, month in found}
    setattr(instance, _BEFORE, stash)


def after_delete(sender, instance, **kwargs) -> None:
    stash = getattr(instance, _BEFORE, {})
    for (model, _prefix), found in stash.items():
        refresh(families()[model], found)


class BulkWatcher:
    """Told of statements that write records without ``save()`` (:func:`cooperation.records.bulk_write`)."""

    def before(self, model, queryset):
        family = families().get(model)
        return positions(family, queryset) if family is not None else set()

    def after(self, model, queryset, token) -> None:
        family = families().get(model)
        if family is not None:
            refresh(family, positions(family, queryset) | token)


bulk_watcher = BulkWatcher()


def connect() -> None:
    """Connect the receivers for every source and carrier model (from the app's ready())."""
    from django.db.models.signals import post_delete, post_save, pre_delete, pre_save

    from cooperation.records import watch_bulk_writes

    for model in {*families(), *carriers()}:
        uid = f"indicators.figures.{model._meta.label}"
        pre_save.connect(before_save, sender=model, dispatch_uid=f"{uid}.pre_save")
        post_save.connect(after_save, sender=model, dispatch_uid=f"{uid}.post_save")
        pre_delete.connect(before_delete, sender=model, dispatch_uid=f"{uid}.pre_delete")
        post_delete.connect(after_delete, sender=model, dispatch_uid=f"{uid}.post_delete")
    watch_bulk_writes(bulk_watcher)


# --- Rebuilding them -------------------------------------------------------------------------


@dataclass
class RebuildResult:
    years: list[int]
    cells: int
    rows: int
    drift: list[tuple]  # (indicator, part, region id, year, month, kept, computed)


def rebuild(years: Iterable[int] | None = None) -> RebuildResult:
    """Recompute every cell of ``years`` (default: the programme's years) from the records,
    replace the kept rows, mark the years kept, and report what differed (the drift).

    Idempotent. Holds a lock that makes writers wait for it, so that no write is lost between
    the computes and the replacement."""
    from cooperation.selectors import programme_years

    years = sorted(set(programme_years()) | set(kept_years()) if years is None else set(years))
    drift, cells_count, rows_count = [], 0, 0
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(f"LOCK TABLE {Figure._meta.db_table} IN SHARE ROW EXCLUSIVE MODE")
        # Drift is a difference in a year that was kept; a year built for the first time has none.
        was_kept = set(FigureYear.objects.filter(year__in=years).values_list("year", flat=True))
        for family in families().values():
            cells = _cells(positions(family, family.model._base_manager.all()), years)
            rows = [row for cell in cells for row in compute_cell(family, *cell)]
            computed = {(r.indicator, r.part, r.region_id, r.year, r.month): r.value for r in rows}
            kept_rows = Figure.objects.filter(indicator__in=family.keys, year__in=years)
            kept = {
                (r.indicator, r.part, r.region_id, r.year, r.month): r.value
                for r in kept_rows.only("indicator", "part", "region", "year", "month", "value")
            }
            for key in sorted(set(computed) | set(kept), key=str):
                if key[3] in was_kept and computed.get(key, 0) != kept.get(key, 0):
                    drift.append((*key, kept.get(key, Decimal(0)), computed.get(key, Decimal(0))))
            kept_rows._raw_delete(Figure.objects.db)
            Figure.objects.bulk_create(rows, batch_size=2000)
            cells_count += len(cells)
            rows_count += len(rows)
        now = timezone.now()
        for year in years:
            FigureYear.objects.update_or_create(year=year, defaults={"built_at": now})
    if drift:
        logger.warning("rebuild_figures corrected %d figure rows that differed from the records", len(drift))
    return RebuildResult(years=years, cells=cells_count, rows=rows_count, drift=drift)


def keep_programme_years() -> RebuildResult | None:
    """Build the programme's years that are not kept yet (none: no query beyond two)."""
    from cooperation.selectors import programme_years

    missing = set(programme_years()) - set(kept_years())
    return rebuild(missing) if missing else None


# --- Reading them ----------------------------------------------------------------------------


def is_kept(year: int) -> bool:
    return FigureYear.objects.filter(year=year).exists()


def _area_rows(*, year: int, area) -> QuerySet:
    rows = Figure.objects.filter(year=year)
    if area is not None:
        rows = rows.filter(area.subtree_q("region"))
    return rows


def read_parts(*, year: int, area, parts: str) -> dict[tuple[str, str], Decimal]:
    """``{(indicator, part): sum}`` over ``area`` (a Region, a Scope, or None: everything,
    the records with no region included) for the year, of the parts ``parts`` selects:
    ``"value"``, ``"trend"`` or ``"breakdowns"``. One query."""
    rows = _area_rows(year=year, area=area)
    if parts == "value":
        rows = rows.filter(part=VALUE)
    elif parts == "trend":
        rows = rows.filter(part__startswith="m")
    else:
        rows = rows.filter(part__startswith="b:")
    grouped = rows.order_by().values_list("indicator", "part").annotate(total=Sum("value"))
    return {(indicator, part): total for indicator, part, total in grouped}


def read_by_child(*, year: int, area, child_key) -> dict[tuple[str, str], Decimal]:
    """``{(indicator, child code prefix): sum}`` of the figures in ``area``, grouped by
    ``child_key`` (an expression over ``region__code`` giving the child a row lies in). One query."""
    rows = _area_rows(year=year, area=area).filter(part=VALUE)
    grouped = (
        rows.order_by()
        .annotate(rollup_child=child_key)
        .values_list("indicator", "rollup_child")
        .annotate(total=Sum("value"))
    )
    return {(indicator, child): total for indicator, child, total in grouped}
