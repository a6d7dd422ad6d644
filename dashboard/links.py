"""Where each dashboard figure comes from: the admin changelist, filtered as the figure is.

An indicator declares the list that reproduces it (:class:`cooperation.indicators_base.DrillDown`);
the list takes the model's FilterSet filters (``year``, ``region_within`` and the declaration's
own), so it holds exactly the records the figure counts. A link is only offered when the model
is registered in the admin and the user may view it.
"""

from django.contrib import admin
from django.urls import NoReverseMatch, reverse
from django.utils.http import urlencode

from cooperation.models import Region
from indicators.registry import get_indicator


def _viewable_admin(model, request):
    model_admin = admin.site._registry.get(model)
    if model_admin is None or not model_admin.has_view_permission(request):
        return None
    return model_admin


def admin_changelist_url(
    model, *, request, year: int | None = None, region: Region | None = None, params: dict | None = None
) -> str | None:
    """The changelist of ``model`` for a year and a region (and below), or None (not viewable)."""
    if _viewable_admin(model, request) is None:
        return None
    try:
        base = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    except NoReverseMatch:
        return None
    query = {}
    if year is not None:
        query["year"] = str(year)
    if region is not None:
        query["region_within"] = str(region.pk)
    query.update(params or {})
    return f"{base}?{urlencode(query)}" if query else base


def indicator_changelist_url(
    key: str, *, request, year: int | None, region: Region | None, extra: dict | None = None
) -> str | None:
    """The admin list behind figure ``key`` (``extra``: a breakdown's further filter)."""
    drilldown = get_indicator(key).drilldown
    return admin_changelist_url(
        drilldown.model, request=request, year=year, region=region, params={**drilldown.params, **(extra or {})}
    )


def admin_change_url(model, *, request, pk) -> str | None:
    """The admin page of one record (a lagging project...)."""
    if _viewable_admin(model, request) is None:
        return None
    try:
        return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_change", args=[pk])
    except NoReverseMatch:
        return None
