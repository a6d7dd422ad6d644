"""Indicator values against their targets, the pace the year calls for, monthly trends and
breakdowns: the composition the dashboard, the summary API and the reports read.

Each figure is computed by the function its indicator declares (in the domain app's
``indicators.py``), called as ``fn(year=Y, region=R)``; nothing is computed here.

``region`` is a :class:`~cooperation.models.Region` (that region and everything below it),
None (the whole programme), or a :class:`~cooperation.scopes.Scope`: the several regions of a
scoped user taken together (CONTRACT.md 1.1). Every compute path filters through
``region.subtree_q(path)``, which a scope has too. A scope has no targets: they are set per
region, and the figures of several regions have none (the contract's null ``target``).
"""

import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cooperation.indicators_base import Indicator
from cooperation.models import Region
from cooperation.scopes import Scope
from cooperation.selectors import targets_for
from indicators import figures
from indicators.registry import INDICATORS

COMPLETION_PLACES = Decimal("0.0001")
CENT = Decimal("0.01")


def completion(value, target) -> Decimal | None:
    """value / target rounded half-up to 4 places; None without a target or with a zero one."""
    if value is None or target is None or target == 0:
        return None
    return (Decimal(value) / Decimal(target)).quantize(COMPLETION_PLACES, rounding=ROUND_HALF_UP)


def area_targets(*, year: int, area: Region | Scope | None) -> dict:
    """The targets of the year for exactly ``area``, by indicator key: a region's own, the
    programme-wide ones for None, none for a scope's several regions (no query then)."""
    if isinstance(area, Scope):
        return {}
    return targets_for(year=year, region=area)


def target_value(indicator: Indicator, target: Decimal | int | None) -> int | Decimal | None:
    """Targets are stored as decimals; a count's target reads as a whole number when it is one."""
    if target is None:
        return None
    target = Decimal(target)
    if not indicator.money and target == target.to_integral_value():
        return int(target)
    return target


def kept_figure(indicator: Indicator, value) -> int | Decimal:
    """A sum of precomputed figures as the compute gives it: yuan to the cent, else a whole number."""
    value = Decimal(value or 0)
    return value.quantize(CENT) if indicator.money else int(value)


def indicator_values(*, year: int, region: Region | Scope | None) -> list[dict]:
    """Every registry indicator for the year and region, in registry order.

    Each row: ``key``, ``label``, ``unit``, ``unit_label``, ``money``, ``value``, ``target``
    (exactly (year, key, region), no fall-back) and ``completion``. A year whose figures are
    kept (:mod:`indicators.figures`) is read in three queries (the kept years, the figures, the
    targets) whatever the data size; another is computed from the records, a query per indicator.
    """
    targets = area_targets(year=year, area=region)
    kept = figures.read_parts(year=year, area=region, parts="value") if figures.is_kept(year) else None
    rows = []
    for indicator in INDICATORS:
        if kept is None:
            value = indicator.value(year=year, region=region)
        else:
            value = kept_figure(indicator, kept.get((indicator.key, figures.VALUE)))
        target = target_value(indicator, targets.get(indicator.key))
        rows.append(
            {
                "key": indicator.key,
                "label": indicator.label,
                "unit": indicator.unit,
                "unit_label": indicator.unit_label,
                "money": indicator.money,
                "value": value,
                "target": target,
                "completion": completion(value, target),
            }
        )
    return rows


def indicator_summary(*, year: int, region: Region | Scope | None) -> dict:
    """The contract's summary (``GET /api/v1/dashboard/summary/``) as Python values."""
    return {"year": year, "region": region, "indicators": indicator_values(year=year, region=region)}


# --- Pace: how much of the annual target the months gone by call for -----------------------


def months_elapsed(year: int, today: datetime.date | None = None) -> int:
    """Whole months of ``year`` gone by: 12 for a past year, 0 for a future one."""
    today = today or timezone.localdate()
    if year < today.year:
        return 12
    if year > today.year:
        return 0
    return today.month - 1


class Pace:
    """Where an indicator stands against the share of its target that the year's pace asks for."""

    DONE = "done"
    ON_PACE = "on_pace"
    LAGGING = "lagging"
    NO_TARGET = "no_target"

    LABELS = {
        DONE: _("Target reached"),
        ON_PACE: _("On pace"),
        LAGGING: _("Lagging"),
        NO_TARGET: _("No target"),
    }


def pace_status(value, target, months: int) -> tuple[str, Decimal | None]:
    """(status, pace value) where pace = target × months / 12."""
    if target is None or target == 0:
        return Pace.NO_TARGET, None
    pace = (Decimal(target) * months / 12).quantize(Decimal("0.01"))
    if value >= target:
        return Pace.DONE, pace
    if value >= pace:
        return Pace.ON_PACE, pace
    return Pace.LAGGING, pace


def indicator_rows(*, year: int, region: Region | Scope | None, today: datetime.date | None = None) -> list[dict]:
    """The summary rows with the pace and the status (done / on pace / lagging) of each."""
    months = months_elapsed(year, today)
    rows = indicator_values(year=year, region=region)
    for row in rows:
        row["status"], row["pace"] = pace_status(row["value"], row["target"], months)
        row["status_label"] = Pace.LABELS[row["status"]]
    return rows


# --- Trends and breakdowns the indicators declare ------------------------------------------


def _monthly(values) -> list:
    values = list(values or [])
    return (values + [0] * 12)[:12]


def indicator_trends(*, year: int, region: Region | Scope | None, targets: dict | None = None) -> list[dict]:
    """Each declared monthly trend; a flow gets its pace line (target × month / 12)."""
    targets = targets if targets is not None else area_targets(year=year, area=region)
    kept = figures.read_parts(year=year, area=region, parts="trend") if figures.is_kept(year) else None
    trends = []
    for indicator in INDICATORS:
        trend = indicator.trend
        if trend is None:
            continue
        if kept is None:
            months = _monthly(trend.compute(year=year, region=region))
        else:
            months = [
                kept_figure(indicator, kept.get((indicator.key, figures.trend_part(month)))) for month in range(1, 13)
            ]
        if trend.cumulative:
            running, total = [], 0
            for value in months:
                total += value
                running.append(total)
            months = running
        target = targets.get(indicator.key)
        pace = None
        if target and trend.cumulative:  # a stock (people employed) has no linear pace
            pace = [(Decimal(target) * month / 12).quantize(Decimal("0.01")) for month in range(1, 13)]
        trends.append(
            {
                "key": indicator.key,
                "label": indicator.label,
                "unit": indicator.unit,
                "unit_label": indicator.unit_label,
                "money": indicator.money,
                "cumulative": trend.cumulative,
                "months": months,
                "pace": pace,
            }
        )
    return trends


def indicator_breakdowns(*, year: int, region: Region | Scope | None) -> list[dict]:
    """Each declared breakdown as rows ``{code, label, value}``."""
    kept = figures.read_parts(year=year, area=region, parts="breakdowns") if figures.is_kept(year) else None
    result = []
    for indicator in INDICATORS:
        for breakdown in indicator.breakdowns:
            if kept is None:
                items = breakdown.compute(year=year, region=region)
            else:
                items = _kept_breakdown(indicator, breakdown, kept)
            rows = [
                {
                    "code": item.get(breakdown.code_field),
                    "label": item.get("label") or item.get(breakdown.code_field),
                    "value": item.get(breakdown.value_field, 0),
                }
                for item in items
            ]
            result.append(
                {
                    "name": breakdown.name,
                    "title": breakdown.title,
                    "key": indicator.key,
                    "code_field": breakdown.code_field,
                    "money": breakdown.value_field == "amount",
                    "rows": rows,
                }
            )
    return result


def _kept_breakdown(indicator: Indicator, breakdown, kept: dict) -> list[dict]:
    """A breakdown's items from the precomputed figures, as its compute lists them."""
    items = []
    for code, label in breakdown.choices:
        value = kept_figure(indicator, kept.get((indicator.key, figures.breakdown_part(breakdown.name, code))))
        if value or breakdown.zeros:
            items.append({breakdown.code_field: code, "label": str(label), breakdown.value_field: value})
    return items
