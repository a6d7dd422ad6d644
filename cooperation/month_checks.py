"""Warnings before submitting a month (CONTRACT.md 1.1 ``warnings``): the registry of rules.

Each rule is a small function in its domain app's ``month_checks.py``, registered here like the
indicators (``registry.register(MonthCheck(...))``); the core finds the modules when Django
starts (:meth:`cooperation.apps.CooperationConfig.ready`). A rule takes the county and the
month (its first day) and returns the messages of what looks wrong in that month's data, in
Chinese through gettext, each becoming ``{"code": rule code, "message": message}`` on the
submission. A rule reads through its app's selectors and asks a constant number of queries.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal


@dataclass(frozen=True)
class MonthCheck:
    """One warning rule: ``code`` (stable, e.g. ``consumption.sales_spike``) and ``function(*,
    region, month) -> list[str]`` (messages; empty when all is well)."""

    code: str
    function: Callable[..., list]


class MonthCheckRegistry:
    def __init__(self):
        self._checks: dict[str, MonthCheck] = {}

    def register(self, *checks: MonthCheck) -> None:
        for check in checks:
            self._checks[check.code] = check

    def checks(self) -> list[MonthCheck]:
        return list(self._checks.values())


registry = MonthCheckRegistry()


# -- what the rules share


def months_before(month: date, count: int) -> date:
    """The first day of the month ``count`` months before ``month`` (negative: after it)."""
    index = month.year * 12 + month.month - 1 - count
    return datetime.date(index // 12, index % 12 + 1, 1)


def month_end(month: date) -> date:
    """The last day of ``month``."""
    return months_before(month, -1) - datetime.timedelta(days=1)


def wan_text(amount) -> str:
    """Yuan as 万元 with two places and thousands separators ("1,234.57"), for the messages."""
    return f"{(Decimal(amount) / Decimal(10_000)).quantize(Decimal('0.01'), rounding=ROUND_HALF_UP):,.2f}"


def month_warnings(*, region, month: date) -> list[dict]:
    """Every registered rule's warnings for (county ``region``, ``month``), in registry order."""
    warnings = []
    for check in registry.checks():
        for message in check.function(region=region, month=month):
            warnings.append({"code": check.code, "message": str(message)})
    return warnings
