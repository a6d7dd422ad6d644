"""Where each dashboard figure comes from: the admin changelist, filtered as the figure is.

The one place that maps an indicator to its records. A link is only offered when the model is
registered in the admin and the user may view it; a region filter is only added when the
model's admin accepts the lookup (``lookup_allowed``), so a link never leads to an error page.
"""

from dataclasses import dataclass, field

from django.apps import apps
from django.contrib import admin
from django.contrib.admin.exceptions import NotRegistered
from django.urls import NoReverseMatch, reverse
from django.utils.http import urlencode

from cooperation.models import Region


@dataclass(frozen=True)
class Source:
    """The records behind a figure.

    ``year``: how the year filters them: ``"field"`` (a year field named ``year_field``),
    ``"date"`` (a date field ``date_field`` within the year) or ``"overlap"`` (a period
    ``started_on``/``ended_on`` overlapping the year). ``region``: the path to the region the
    contract filters on. ``extra``: further fixed filters (``destination__exact=east``...).
    """

    model: str  # "app_label.ModelName"
    year: str
    region: str
    year_field: str = "year"
    date_field: str = ""
    extra: dict = field(default_factory=dict)


_PLACEMENTS = dict(model="labor.Placement", year="overlap", region="worker__hometown")
_SERVICE_STATS = dict(model="healthcare.MedicalServiceStat", year="date", date_field="month", region="host_org__region")
_INVESTMENTS = dict(model="projects.Investment", year="field", region="enterprise__region")

SOURCES: dict[str, Source] = {
    "funds.allocated": Source(model="projects.FundAllocation", year="field", region="project__region"),
    "funds.disbursed": Source(
        model="projects.Disbursement", year="date", date_field="paid_on", region="project__region"
    ),
    "projects.count": Source(model="projects.Project", year="field", region="region"),
    "investment.enterprises": Source(**_INVESTMENTS),
    "investment.amount": Source(**_INVESTMENTS),
    "labor.employed": Source(**_PLACEMENTS),
    "labor.employed_poverty_alleviated": Source(**_PLACEMENTS, extra={"worker__poverty_alleviated__exact": "1"}),
    "labor.employed_east": Source(**_PLACEMENTS, extra={"destination__exact": "east"}),
    "healthcare.staff_dispatched": Source(
        model="healthcare.MedicalDispatch", year="overlap", region="host_org__region"
    ),
    "healthcare.outpatients": Source(**_SERVICE_STATS),
    "healthcare.surgeries": Source(**_SERVICE_STATS),
    "healthcare.rescues": Source(**_SERVICE_STATS),
    "education.teachers_dispatched": Source(
        model="education.TeacherDispatch", year="overlap", region="host_org__region"
    ),
    "education.teachers_trained": Source(
        model="education.TeacherTraining", year="date", date_field="held_on", region="school__region"
    ),
    "education.mentorships": Source(
        model="education.Mentorship", year="date", date_field="started_on", region="mentor__host_org__region"
    ),
    "education.vocational_students": Source(
        model="education.VocationalStudent", year="date", date_field="enrolled_on", region="hometown"
    ),
    "talent.cadres": Source(
        model="cooperation.Secondment", year="overlap", region="region", extra={"kind__exact": "cadre"}
    ),
    "consumption.sales": Source(model="consumption.Sale", year="date", date_field="sold_on", region="origin_region"),
    # The projects a lagging-disbursement row names.
    "projects.project": Source(model="projects.Project", year="field", region="region"),
}


def _model_admin(model_label: str):
    try:
        model = apps.get_model(model_label)
        return model, admin.site.get_model_admin(model)
    except (LookupError, NotRegistered):
        return None, None


def _list_filter_parameters(model_admin) -> set[str]:
    """The parameters of the admin's own sidebar filters (SimpleListFilter subclasses)."""
    return {
        entry.parameter_name
        for entry in model_admin.list_filter
        if isinstance(entry, type) and getattr(entry, "parameter_name", None)
    }


def _has_year_list_filter(model_admin) -> bool:
    """Whether the admin offers a sidebar filter named ``year`` (the overlap rule, as the
    dispatch lists do): then ``?year=`` filters exactly like the figure."""
    return "year" in _list_filter_parameters(model_admin)


def _year_params(source: Source, model_admin, year: int) -> dict:
    if source.year == "field":
        return {f"{source.year_field}__exact": str(year)}
    if source.year == "date":
        return {f"{source.date_field}__gte": f"{year}-01-01", f"{source.date_field}__lte": f"{year}-12-31"}
    if _has_year_list_filter(model_admin):
        return {"year": str(year)}
    # Without the overlap filter the nearest a URL can say is "started by the end of the year".
    return {"started_on__lte": f"{year}-12-31"}


def admin_changelist_url(
    key: str, *, request, year: int | None, region: Region | None, extra: dict | None = None
) -> str | None:
    """The filtered changelist behind figure ``key``, or None (model absent, or not viewable)."""
    source = SOURCES.get(key)
    if source is None:
        return None
    model, model_admin = _model_admin(source.model)
    if model is None or not model_admin.has_view_permission(request):
        return None
    try:
        base = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    except NoReverseMatch:
        return None
    wanted = {}
    if year is not None:
        wanted.update(_year_params(source, model_admin, year))
    wanted.update(source.extra)
    wanted.update(extra or {})
    sidebar = _list_filter_parameters(model_admin)
    if region is not None:
        # The subtree rule: the admin's own "region_within" filter when it has one (as the
        # projects lists do), else a code-prefix lookup if the admin accepts it.
        if "region_within" in sidebar:
            wanted["region_within"] = str(region.pk)
        else:
            wanted[f"{source.region}__code__startswith"] = region.code_prefix
    # A lookup the admin refuses would be a 400 page: leave it out (the sidebar filters'
    # parameters are not lookups and are always accepted).
    params = {
        name: value
        for name, value in wanted.items()
        if name in sidebar or model_admin.lookup_allowed(name, value, request)
    }
    return f"{base}?{urlencode(params)}" if params else base


def admin_change_url(key: str, *, request, pk) -> str | None:
    """The admin page of one record behind figure ``key`` (a lagging project...)."""
    source = SOURCES.get(key)
    if source is None:
        return None
    model, model_admin = _model_admin(source.model)
    if model is None or not model_admin.has_view_permission(request):
        return None
    try:
        return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_change", args=[pk])
    except NoReverseMatch:
        return None
