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
from indicators.registry import INDICATORS

COMPLETION_PLACES = Decimal("0.0001")


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


def indicator_values(*, year: int, region: Region | Scope | None) -> list[dict]:
    """Every registry indicator for the year and region, in registry order.

    Each row: ``key``, ``label``, ``unit``, ``unit_label``, ``money``, ``value``, ``target``
    (exactly (year, key, region), no fall-back) and ``completion``. One query per indicator plus
    one for the targets, whatever the data size.
    """
    targets = area_targets(year=year, area=region)
    rows = []
    for indicator in INDICATORS:
        value = indicator.value(year=year, region=region)
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
    trends = []
    for indicator in INDICATORS:
        trend = indicator.trend
        if trend is None:
            continue
        months = _monthly(trend.compute(year=year, region=region))
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
    result = []
    for indicator in INDICATORS:
        for breakdown in indicator.breakdowns:
            rows = [
                {
                    "code": item.get(breakdown.code_field),
                    "label": item.get("label") or item.get(breakdown.code_field),
                    "value": item.get(breakdown.value_field, 0),
                }
                for item in breakdown.compute(year=year, region=region)
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
