"""The shape of an indicator, and the registry the targets validate against.

Each domain app declares its indicators once, in its own ``indicators.py``, as
:class:`Indicator` objects that hold the compute function itself, the admin list that
reproduces the figure (:class:`DrillDown`), the monthly trend and breakdowns if any, and the
report sheet they belong to. The top-level ``indicators`` package puts them in the contract's
order and registers them here at start-up, so the core (a target's ``indicator`` field) can
name them without importing the domain apps that sit above it.
"""

import dataclasses
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import pgettext_lazy

Compute = Callable[..., int | Decimal]  # fn(*, year: int, region: Region | None)


@dataclass(frozen=True)
class Sheet:
    """A sheet of the report workbook; indicators name the one they are listed on."""

    key: str
    title: Promise


@dataclass(frozen=True)
class DrillDown:
    """The admin list whose records make a figure.

    The list is the changelist of ``model``, filtered by its record kind's ``year`` and
    ``region_within`` filters (see :mod:`cooperation.records`) and by the fixed ``params``.
    ``measure`` says how its rows give the figure: ``"count"`` of rows, ``"distinct"`` values of
    ``field``, or ``"sum"`` of ``field``.
    """

    model: type[models.Model]
    measure: str = "count"
    field: str = ""
    params: dict = dataclasses.field(default_factory=dict)


@dataclass(frozen=True)
class Trend:
    """A monthly series of an indicator (12 values), drawn against its pace line.

    ``cumulative``: the months are flows (money paid, visits) and the chart adds them up, so they
    meet the pace line at the target. Otherwise the indicator is a stock (people employed in the
    month) and is drawn as it is, without a pace line.
    """

    compute: Callable[..., list]  # fn(*, year, region) -> 12 values
    cumulative: bool = True


@dataclass(frozen=True)
class Breakdown:
    """A split of an indicator's value by a choice field: rows ``{code_field, "label", value_field}``."""

    name: str
    title: Promise
    compute: Callable[..., list[dict]]  # fn(*, year, region)
    code_field: str
    value_field: str
    # The codes the compute lists, in order, with their labels (the precomputed figures keep
    # values by code and give the rows back in this order).
    choices: tuple = ()
    # Whether the compute lists every choice, zeros included (else only the non-zero ones).
    zeros: bool = True


@dataclass(frozen=True)
class Rollup:
    """How an indicator's figure is kept precomputed (:mod:`indicators.figures`).

    The figure is kept per exact region (the records placed at that region, not below it) and
    per year, or per month when its records are dated and the figure adds up over months (a sum
    or a count of records; not a count of distinct people or enterprises, ``distinct``). A
    region's figure is then the sum of the kept figures of its subtree: each record counted lies
    in exactly one region (a worker has one hometown, an enterprise one region), which is the
    indicator's ``additive``.

    ``records``: the model whose records the compute reads, when not the drill-down's (the
    workers list drills down to workers, but the labor figures count placements' workers).
    """

    records: type[models.Model] | None = None
    distinct: bool = False


# The contract's units and how people read them (the dashboard, the reports).
UNIT_LABELS = {
    "yuan": pgettext_lazy("unit", "yuan"),
    "projects": pgettext_lazy("unit", "projects"),
    "enterprises": pgettext_lazy("unit", "enterprises"),
    "people": pgettext_lazy("unit", "people"),
    "visits": pgettext_lazy("unit", "visits"),
    "cases": pgettext_lazy("unit", "cases"),
    "person-times": pgettext_lazy("unit", "person-times"),
    "pairs": pgettext_lazy("unit", "pairs"),
}


@dataclass(frozen=True)
class Indicator:
    """One figure of the contract's indicator table, declared once (``unit``: a key of
    :data:`UNIT_LABELS`).

    ``additive``: a region's value is the sum of its child regions' values (and of the records
    placed at the region itself), because each record counted lies in exactly one region. Then
    the targets set for the children of a region should add up to the region's target too,
    which the dashboard's roll-up checks. Every figure of the contract is additive (a distinct
    count counts workers or enterprises, each of which has one region); a ratio, or a distinct
    count of things that lie in several regions at once, would not be.
    """

    key: str
    label: Promise
    unit: str
    compute: Compute
    sheet: Sheet
    drilldown: DrillDown
    money: bool = False
    trend: Trend | None = None
    breakdowns: tuple[Breakdown, ...] = ()
    additive: bool = True
    rollup: Rollup = Rollup()

    @property
    def unit_label(self) -> Promise:
        return UNIT_LABELS[self.unit]

    def value(self, *, year: int, region=None) -> int | Decimal:
        return self.compute(year=year, region=region)

    @property
    def records(self) -> type[models.Model]:
        """The model whose records make the figure (the precomputed figures' source)."""
        return self.rollup.records or self.drilldown.model

    @property
    def distinct(self) -> bool:
        """Whether the figure counts distinct things, so that it does not add up over months."""
        return self.rollup.distinct or self.drilldown.measure == "distinct"


def money_indicator(key: str, label: Promise, compute: Compute, **kwargs) -> Indicator:
    """An indicator counted in yuan (a decimal string in the API, 万元 on the dashboard)."""
    return Indicator(key, label, "yuan", compute, money=True, **kwargs)


class IndicatorRegistry:
    """The indicators in the contract's order (filled by the ``indicators`` app when it loads)."""

    def __init__(self):
        self._by_key: dict[str, Indicator] = {}

    def register(self, *indicators: Indicator) -> None:
        for indicator in indicators:
            if indicator.key in self._by_key and self._by_key[indicator.key] is not indicator:
                raise ValueError(f"indicator {indicator.key!r} is declared twice")
            self._by_key[indicator.key] = indicator

    def __iter__(self) -> Iterator[Indicator]:
        return iter(self._by_key.values())

    def __len__(self) -> int:
        return len(self._by_key)

    def __contains__(self, key: str) -> bool:
        return key in self._by_key

    def get(self, key: str) -> Indicator | None:
        return self._by_key.get(key)

    def choices(self) -> list[tuple[str, Promise]]:
        return [(indicator.key, indicator.label) for indicator in self]


registry = IndicatorRegistry()


def indicator_choices() -> list[tuple[str, Promise]]:
    """Choices of a target's ``indicator`` (a callable, so the list is read after start-up)."""
    return registry.choices()
