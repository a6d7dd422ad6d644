"""What the dashboard, the summary endpoint and the reports read: a composition of the
indicator registry and of the breakdowns the domain apps provide.

Nothing is computed here that an app's selectors compute: each figure is looked up by its
dotted name (``app.selectors.function``) and called as ``fn(year=Y, region=R)``. A figure whose
app has not been installed yet, or whose function does not exist, is "not available" instead
of an error, so the dashboard works while the programme's apps land one by one.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from importlib import import_module

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from cooperation.indicators import INDICATORS, Indicator
from cooperation.models import Pairing, Region
from cooperation.selectors import targets_for, west_region_list

COMPLETION_PLACES = Decimal("0.0001")


def optional_selector(dotted: str) -> Callable | None:
    """The function named ``package.module.function``, or None when its module or the function
    does not exist (yet). Any other import error is a bug and is raised."""
    module_name, func_name = dotted.rsplit(".", 1)
    try:
        module = import_module(module_name)
    except ModuleNotFoundError as exc:
        if exc.name and module_name.startswith(exc.name):
            return None
        raise
    return getattr(module, func_name, None)


def indicator_available(indicator: Indicator) -> bool:
    return optional_selector(indicator.selector) is not None


def completion(value, target) -> Decimal | None:
    """value / target rounded half-up to 4 places; None without a target or with a zero one."""
    if value is None or target is None or target == 0:
        return None
    return (Decimal(value) / Decimal(target)).quantize(COMPLETION_PLACES, rounding=ROUND_HALF_UP)


def _target_value(indicator: Indicator, target: Decimal | None) -> int | Decimal | None:
    """Targets are stored as decimals; a count's target reads as a whole number when it is one."""
    if target is None:
        return None
    if not indicator.money and target == target.to_integral_value():
        return int(target)
    return target


def indicator_values(*, year: int, region: Region | None) -> list[dict]:
    """Every registry indicator for the year and region, in registry order.

    Each row: ``key``, ``label``, ``unit``, ``unit_label``, ``money``, ``value`` (None when the
    indicator's app is not available), ``target`` (exactly (year, key, region), no fall-back)
    and ``completion``. One query per indicator plus one for the targets, whatever the data size.
    """
    targets = targets_for(year=year, region=region)
    rows = []
    for indicator in INDICATORS:
        func = optional_selector(indicator.selector)
        value = func(year=year, region=region) if func is not None else None
        target = _target_value(indicator, targets.get(indicator.key))
        rows.append(
            {
                "key": indicator.key,
                "label": indicator.label,
                "unit": indicator.unit,
                "unit_label": indicator.unit_label,
                "money": indicator.money,
                "available": func is not None,
                "value": value,
                "target": target,
                "completion": completion(value, target),
            }
        )
    return rows


def dashboard_summary(*, year: int, region: Region | None) -> dict:
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
    NOT_AVAILABLE = "not_available"

    LABELS = {
        DONE: _("Target reached"),
        ON_PACE: _("On pace"),
        LAGGING: _("Lagging"),
        NO_TARGET: _("No target"),
        NOT_AVAILABLE: _("Not available"),
    }


def pace_status(value, target, months: int) -> tuple[str, Decimal | None]:
    """(status, pace value) where pace = target × months / 12."""
    if value is None:
        return Pace.NOT_AVAILABLE, None
    if target is None or target == 0:
        return Pace.NO_TARGET, None
    pace = (Decimal(target) * months / 12).quantize(Decimal("0.01"))
    if value >= target:
        return Pace.DONE, pace
    if value >= pace:
        return Pace.ON_PACE, pace
    return Pace.LAGGING, pace


def dashboard_indicator_rows(*, year: int, region: Region | None, today: datetime.date | None = None) -> list[dict]:
    """The summary rows with the pace and the status (done / on pace / lagging) of each."""
    months = months_elapsed(year, today)
    rows = indicator_values(year=year, region=region)
    for row in rows:
        row["status"], row["pace"] = pace_status(row["value"], row["target"], months)
        row["status_label"] = Pace.LABELS[row["status"]]
    return rows


# --- Trends and breakdowns provided by the domain apps ---------------------------------------


@dataclass(frozen=True)
class Trend:
    """A monthly series (12 values) of one indicator, drawn against its pace line.

    ``cumulative``: the months are flows (money paid, visits) and the chart adds them up month
    by month, so they meet the pace line at the target; otherwise the series is a stock
    (people employed in the month) and is drawn as it is.
    """

    key: str  # the indicator it follows (its target gives the pace line)
    selector: str
    cumulative: bool = True


TRENDS: tuple[Trend, ...] = (
    Trend("funds.allocated", "projects.selectors.funds_allocated_by_month"),
    Trend("funds.disbursed", "projects.selectors.funds_disbursed_by_month"),
    Trend("consumption.sales", "consumption.selectors.sales_by_month"),
    Trend("labor.employed", "labor.selectors.labor_employed_by_month", cumulative=False),
    Trend("healthcare.outpatients", "healthcare.selectors.healthcare_outpatients_by_month"),
)


@dataclass(frozen=True)
class Breakdown:
    """A split of one indicator's value by a choice field (rows ``{code, label, value}``)."""

    name: str
    title: Promise
    key: str  # the indicator it splits
    selector: str
    code_field: str  # the choice field of the selector's rows, also the admin filter
    value_field: str


BREAKDOWNS: tuple[Breakdown, ...] = (
    Breakdown(
        "sales_by_channel", _("Sales by channel"), "consumption.sales", "consumption.selectors.sales_by_channel",
        "channel", "amount",
    ),
    Breakdown(
        "sales_by_buyer_kind", _("Sales by buyer"), "consumption.sales", "consumption.selectors.sales_by_buyer_kind",
        "buyer_kind", "amount",
    ),
    Breakdown(
        "placements_by_destination", _("Placements by destination"), "labor.employed",
        "labor.selectors.placements_by_destination", "destination", "workers",
    ),
    Breakdown(
        "funds_by_category", _("Funds by project category"), "funds.allocated", "projects.selectors.funds_by_category",
        "category", "amount",
    ),
)  # fmt: skip

LAGGING_PROJECTS_SELECTOR = "projects.selectors.projects_lagging_disbursement"
LAGGING_PROJECTS_LIMIT = 10


def _monthly(values) -> list:
    values = list(values or [])
    return (values + [0] * 12)[:12]


def dashboard_trends(*, year: int, region: Region | None, targets: dict | None = None) -> list[dict]:
    """Each monthly trend with its pace line (target × month / 12), or ``available`` False."""
    targets = targets if targets is not None else targets_for(year=year, region=region)
    indicators = {indicator.key: indicator for indicator in INDICATORS}
    trends = []
    for trend in TRENDS:
        indicator = indicators[trend.key]
        func = optional_selector(trend.selector)
        row = {
            "key": trend.key,
            "label": indicator.label,
            "unit": indicator.unit,
            "unit_label": indicator.unit_label,
            "money": indicator.money,
            "cumulative": trend.cumulative,
            "available": func is not None,
            "months": None,
            "pace": None,
        }
        if func is not None:
            months = _monthly(func(year=year, region=region))
            if trend.cumulative:
                running, total = [], 0
                for value in months:
                    total += value
                    running.append(total)
                months = running
            row["months"] = months
        target = targets.get(trend.key)
        if target:
            row["pace"] = [(Decimal(target) * month / 12).quantize(Decimal("0.01")) for month in range(1, 13)]
        trends.append(row)
    return trends


def dashboard_breakdowns(*, year: int, region: Region | None) -> list[dict]:
    """Each breakdown as rows ``{code, label, value}``, or ``available`` False."""
    result = []
    for breakdown in BREAKDOWNS:
        func = optional_selector(breakdown.selector)
        rows = None
        if func is not None:
            rows = [
                {
                    "code": item.get(breakdown.code_field),
                    "label": item.get("label") or item.get(breakdown.code_field),
                    "value": item.get(breakdown.value_field, 0),
                }
                for item in func(year=year, region=region)
            ]
        result.append(
            {
                "name": breakdown.name,
                "title": breakdown.title,
                "key": breakdown.key,
                "code_field": breakdown.code_field,
                "money": breakdown.value_field == "amount",
                "available": func is not None,
                "rows": rows,
            }
        )
    return result


def dashboard_lagging_projects(*, year: int, region: Region | None) -> list[dict] | None:
    """The projects whose disbursement lags most (None while the projects app is not there)."""
    func = optional_selector(LAGGING_PROJECTS_SELECTOR)
    if func is None:
        return None
    return list(func(year=year, region=region, limit=LAGGING_PROJECTS_LIMIT))


# --- Choices of the selectors on the page ------------------------------------------------------


def dashboard_regions() -> QuerySet:
    """The western regions an official can choose (each stands for itself and everything below)."""
    return west_region_list().exclude(level="village").order_by("code")


def dashboard_years(today: datetime.date | None = None) -> list[int]:
    """From the year the first pairing started (or four years back) to next year, newest first."""
    today = today or timezone.localdate()
    first = Pairing.objects.order_by("started_on").values_list("started_on", flat=True).first()
    start = min(first.year if first else today.year - 4, today.year)
    return list(range(today.year + 1, start - 1, -1))


def region_lookup(value: str) -> Region | None:
    """The region a request names: by GB/T 2260 code when the value is one, else by id.

    A code wins over an id of the same digits (513431 is Zhaojue County's code). One query.
    """
    candidates = list(Region.objects.filter(code=value) | Region.objects.filter(pk=int(value)))
    for region in candidates:
        if region.code == value:
            return region
    return candidates[0] if candidates else None
