"""The roll-up: every indicator for each child region of an area, against the child's target.

An official of a prefecture sees which county lags: for the selected area (a region, the
whole programme, or a scoped user's several regions) each indicator is shown per child region
with its value, target, completion and pace status, and the targets set for the children are
compared with the area's own.

Each figure is read with one grouped query per indicator, whatever the number of children:
the indicator's :class:`~cooperation.indicators_base.DrillDown` names the records behind it
(the model, filtered by its FilterSet with the year and the declaration's ``params``, exactly
the admin list the dashboard links to) and how they make the figure (a count, a distinct
count or a sum); grouping those records by the leading digits of their region's code gives
every child's value at once, since a child's whole subtree shares its code prefix. The tests
check that each child's value equals ``indicator.value(year=Y, region=child)``.
"""

import datetime
from decimal import Decimal

import django_filters
from django.contrib import admin
from django.contrib.admin.exceptions import NotRegistered
from django.core.exceptions import ImproperlyConfigured
from django.db.models import Case, CharField, Count, QuerySet, Sum, Value, When
from django.db.models.functions import Substr

from cooperation.choices import Side
from cooperation.indicators_base import Indicator
from cooperation.models import Region, Target
from cooperation.records import record_kind
from cooperation.scopes import Scope
from indicators import figures
from indicators.registry import INDICATORS
from indicators.selectors import (
    Pace,
    area_targets,
    completion,
    kept_figure,
    months_elapsed,
    pace_status,
    target_value,
)

CENT = Decimal("0.01")


def rollup_children(area) -> list[Region]:
    """The regions the roll-up of ``area`` shows, in code order.

    A region: its western child regions (the figures are counted where the aid goes, in the
    west, so an eastern region has none). The programme (None): the western provinces. A
    scoped user's several regions (:class:`~cooperation.scopes.Scope`): its western regions.
    One query (none for a scope, which holds its regions).
    """
    if isinstance(area, Scope):
        return [region for region in area.regions if region.side == Side.WEST]
    if area is None:
        return list(Region.objects.filter(parent__isnull=True, side=Side.WEST).order_by("code"))
    return list(Region.objects.filter(parent=area, side=Side.WEST).order_by("code"))


def drilldown_filterset(model) -> type[django_filters.FilterSet]:
    """The FilterSet the admin list behind a figure filters with (its ``filterset_class``)."""
    try:
        filterset_class = admin.site.get_model_admin(model).filterset_class
    except NotRegistered:
        filterset_class = None
    if filterset_class is None:
        raise ImproperlyConfigured(f"{model._meta.label}: the admin list behind a figure needs a filterset_class")
    return filterset_class


def drilldown_records(indicator: Indicator, *, year: int, area=None) -> QuerySet:
    """The records behind ``indicator`` for the year within ``area`` (a Region, a Scope or
    None): those of the admin list its dashboard link opens."""
    drilldown = indicator.drilldown
    path = record_kind(drilldown.model).region
    queryset = drilldown.model._default_manager.all()
    if area is not None:
        queryset = queryset.filter(area.subtree_q(path))
    filterset = drilldown_filterset(drilldown.model)(data={"year": str(year), **drilldown.params}, queryset=queryset)
    if not filterset.is_valid():
        raise ImproperlyConfigured(f"{indicator.key}: the drill-down parameters are refused: {filterset.errors}")
    return filterset.qs


def _child_key(children: list[Region], path: str):
    """An expression giving each record the code prefix of the child region it lies in.

    Children of one region are all of one level, so the prefix is the first L digits of the
    record's region code; the regions of a scope may be of different levels, so they are told
    apart by a CASE over their prefixes (as many branches as the scope has regions).
    """
    column = f"{path}__code" if path else "code"
    lengths = {len(child.code_prefix) for child in children}
    if len(lengths) == 1:
        return Substr(column, 1, lengths.pop())
    return Case(
        *(When(**{f"{column}__startswith": child.code_prefix}, then=Value(child.code_prefix)) for child in children),
        default=Value(""),
        output_field=CharField(),
    )


def _measure(indicator: Indicator):
    drilldown = indicator.drilldown
    if drilldown.measure == "count":
        return Count("pk", distinct=True)
    if drilldown.measure == "distinct":
        return Count(drilldown.field, distinct=True)
    if drilldown.measure == "sum":
        return Sum(drilldown.field)
    raise ImproperlyConfigured(f"{indicator.key}: unknown drill-down measure {drilldown.measure!r}")


def _figure(indicator: Indicator, value):
    if value is None:
        value = 0
    if indicator.money:
        return Decimal(value).quantize(CENT)
    return value


def indicator_by_child(indicator: Indicator, *, year: int, area, children: list[Region]) -> tuple[dict, object]:
    """``({child pk: value}, rest)`` for one indicator: each child's value, and the part of the
    area's value that lies in no child (records placed at the region itself, or with no region
    at all for the programme). One query."""
    if not children:
        return {}, _figure(indicator, 0)
    path = record_kind(indicator.drilldown.model).region
    grouped = (
        drilldown_records(indicator, year=year, area=area)
        .order_by()
        .annotate(rollup_child=_child_key(children, path))
        .values("rollup_child")
        .annotate(rollup_value=_measure(indicator))
        .values_list("rollup_child", "rollup_value")
    )
    by_prefix = {child.code_prefix: child.pk for child in children}
    values, rest = {}, 0
    for prefix, value in grouped:
        if prefix in by_prefix:
            values[by_prefix[prefix]] = _figure(indicator, value)
        else:
            rest += value or 0
    return {child.pk: values.get(child.pk, _figure(indicator, 0)) for child in children}, _figure(indicator, rest)


def kept_by_child(*, year: int, area, children: list[Region]) -> dict[str, tuple[dict, object]]:
    """What :func:`indicator_by_child` gives, for every indicator at once, read from the
    precomputed figures (:mod:`indicators.figures`). One query."""
    sums = figures.read_by_child(year=year, area=area, child_key=_child_key(children, "region"))
    by_prefix = {child.code_prefix: child.pk for child in children}
    result = {}
    for indicator in INDICATORS:
        values, rest = {child.pk: 0 for child in children}, 0
        for (key, prefix), total in sums.items():
            if key != indicator.key:
                continue
            if prefix in by_prefix:
                values[by_prefix[prefix]] += total
            else:
                rest += total
        result[indicator.key] = (
            {pk: kept_figure(indicator, value) for pk, value in values.items()},
            kept_figure(indicator, rest),
        )
    return result


def _children_targets(*, year: int, children: list[Region]) -> dict[tuple[int, str], Decimal]:
    """Every target of the year set for one of ``children``, by (region pk, indicator). One query."""
    if not children:
        return {}
    rows = Target.objects.filter(year=year, region__in=[child.pk for child in children])
    return {(region, key): value for region, key, value in rows.values_list("region_id", "indicator", "value")}


def indicator_rollup(
    *,
    year: int,
    area=None,
    children: list[Region] | None = None,
    parent_targets: dict | None = None,
    today: datetime.date | None = None,
) -> dict:
    """The roll-up of ``area`` (a Region, the programme as None, or a Scope) for the year.

    ``{"children": [Region], "rows": [...]}``, one row per registry indicator, in order:
    ``key``, ``label``, ``unit``, ``unit_label``, ``money``, ``additive``, ``cells`` (one per
    child: ``region``, ``value``, ``target``, ``completion``, ``status``, ``pace``), ``rest``
    (the value lying in no child), ``parent_target``, ``children_targets`` (the sum of the
    children's targets, None when no child has one) and ``targets_differ`` (an additive
    indicator whose area and children both have targets that do not add up).

    ``children`` defaults to :func:`rollup_children`; ``parent_targets`` ({key: value}, the
    area's own targets) to those of the database (a scope has none). Queries: the children,
    their targets, the area's targets, then one per indicator; none per child.
    """
    if children is None:
        children = rollup_children(area)
    if not children:
        return {"children": [], "rows": []}
    if parent_targets is None:
        parent_targets = area_targets(year=year, area=area)
    months = months_elapsed(year, today)
    child_targets = _children_targets(year=year, children=children)
    kept = kept_by_child(year=year, area=area, children=children) if figures.is_kept(year) else None
    rows = []
    for indicator in INDICATORS:
        if kept is None:
            values, rest = indicator_by_child(indicator, year=year, area=area, children=children)
        else:
            values, rest = kept[indicator.key]
        cells, set_targets = [], []
        for child in children:
            value = values[child.pk]
            target = target_value(indicator, child_targets.get((child.pk, indicator.key)))
            if target is not None:
                set_targets.append(target)
            status, pace = pace_status(value, target, months)
            cells.append(
                {
                    "region": child,
                    "value": value,
                    "target": target,
                    "completion": completion(value, target),
                    "status": status,
                    "status_label": Pace.LABELS[status],
                    "pace": pace,
                }
            )
        parent_target = target_value(indicator, parent_targets.get(indicator.key))
        children_sum = target_value(indicator, sum(Decimal(t) for t in set_targets)) if set_targets else None
        rows.append(
            {
                "key": indicator.key,
                "label": indicator.label,
                "unit": indicator.unit,
                "unit_label": indicator.unit_label,
                "money": indicator.money,
                "additive": indicator.additive,
                "cells": cells,
                "rest": rest,
                "parent_target": parent_target,
                "children_targets": children_sum,
                "targets_differ": bool(
                    indicator.additive
                    and parent_target is not None
                    and children_sum is not None
                    and Decimal(parent_target) != Decimal(children_sum)
                ),
            }
        )
    return {"children": children, "rows": rows}


def without_empty_children(rollup: dict) -> dict:
    """``rollup`` without the children that have neither a value nor a target for any indicator."""
    keep = [
        index
        for index in range(len(rollup["children"]))
        if any(row["cells"][index]["value"] or row["cells"][index]["target"] is not None for row in rollup["rows"])
    ]
    if len(keep) == len(rollup["children"]):
        return rollup
    rows = [dict(row, cells=[row["cells"][index] for index in keep]) for row in rollup["rows"]]
    if not keep:
        return {"children": [], "rows": []}
    return {"children": [rollup["children"][index] for index in keep], "rows": rows}
