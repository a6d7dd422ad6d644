"""FilterSet base shared by every app's ``filtersets.py`` (API, admin and dashboard alike)."""

import django_filters
from django import forms
from django.db import models
from django.forms.utils import ErrorDict
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from cooperation.fields import MAX_YEAR, MIN_YEAR
from cooperation.records import record_kind
from cooperation.scopes import scoped


class YearFilter(django_filters.NumberFilter):
    """``?year=Y``: on a year field, equality; on a date field, the date's calendar year."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label", _("Year"))
        kwargs.setdefault("min_value", MIN_YEAR)
        kwargs.setdefault("max_value", MAX_YEAR)
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        if value in (None, ""):
            return qs
        field = qs.model._meta.get_field(self.field_name)
        lookup = "" if self.lookup_expr == "exact" else f"__{self.lookup_expr}"
        if isinstance(field, models.DateField):
            return qs.filter(**{f"{self.field_name}__year{lookup}": value})
        return qs.filter(**{f"{self.field_name}{lookup}": value})


class OverlapsYearFilter(django_filters.NumberFilter):
    """``?year=Y`` for periods: the record's period overlaps year Y (the contract's definition)."""

    field_class = forms.IntegerField

    def __init__(self, *args, start: str = "started_on", end: str = "ended_on", **kwargs):
        self.start, self.end = start, end
        kwargs.setdefault("label", _("Year (period overlaps)"))
        kwargs.setdefault("min_value", MIN_YEAR)
        kwargs.setdefault("max_value", MAX_YEAR)
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        if value in (None, ""):
            return qs
        from cooperation.selectors import overlapping_year

        return overlapping_year(qs, year=value, start=self.start, end=self.end)


@extend_schema_field(OpenApiTypes.INT)
class RegionWithinFilter(django_filters.ModelChoiceFilter):
    """``?<name>_within=<region id>``: the region or anywhere below it in the tree.

    The lookup path from the filtered model to its region is ``field_name`` (``path=""`` on
    regions themselves).
    """

    def __init__(self, *args, path: str | None = None, **kwargs):
        from cooperation.models import Region

        self.path = path
        kwargs.setdefault("queryset", Region.objects.all())
        kwargs.setdefault("label", _("Within region (region id, with everything below it)"))
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        if not value:
            return qs
        return qs.filter(value.subtree_q(self.field_name if self.path is None else self.path))


def _limited_reference(model, path: str, related) -> bool:
    """Whether ``path`` on ``model`` is a foreign key to ``related`` with ``limit_choices_to``."""
    try:
        field = model._meta.get_field(path)
    except Exception:  # noqa: BLE001 - a path across relations or a method filter: not ours
        return False
    remote = getattr(field, "remote_field", None)
    return bool(remote and remote.model is related and remote.limit_choices_to)


class ProgrammeFilterSet(django_filters.FilterSet):
    """Base FilterSet. Subclasses declare a ``DateFromToRangeFilter`` per date (which gives
    ``?<date>_after=`` and ``?<date>_before=``) and list their reference and choice fields in
    ``Meta.fields``. A model with a record kind (:mod:`cooperation.records`) gets ``year`` and
    ``region_within`` from its declaration unless the subclass declares its own."""

    @classmethod
    def get_filters(cls):
        filters = super().get_filters()
        model = cls._meta.model
        for filter_ in filters.values():
            # A reference limited to one side (the admin's pickers) still filters by any stored
            # row: an eastern region's id on a western field is an empty list, not a 400.
            queryset = getattr(filter_, "queryset", None)
            if isinstance(queryset, models.QuerySet) and queryset.query.where:
                related = queryset.model
                if model is not None and _limited_reference(model, filter_.field_name, related):
                    filter_.queryset = filter_.extra["queryset"] = related._default_manager.all()
        kind = record_kind(model) if model is not None else None
        if kind is None:
            return filters
        if "region_within" not in filters and kind.region is not None:
            filters["region_within"] = RegionWithinFilter(field_name=kind.region or "pk", path=kind.region)
        if "year" not in filters and kind.year_rule:
            filters["year"] = (
                OverlapsYearFilter(start=kind.period[0], end=kind.period[1])
                if kind.year_rule == "overlap"
                else YearFilter(field_name=kind.year_field or kind.date)
            )
        for name in ("region_within", "year"):
            if name in filters:
                filters[name].model = model
        return filters

    def __init__(self, data=None, queryset=None, *, request=None, prefix=None):
        super().__init__(data=data, queryset=queryset, request=request, prefix=prefix)
        # References offered and accepted as filter values: only what the user may read (their
        # scope); one outside it is "not a valid choice", as a missing one.
        user = getattr(request, "user", None)
        if user is None:
            return
        for filter_ in self.filters.values():
            queryset = filter_.extra.get("queryset")
            if isinstance(queryset, models.QuerySet):
                filter_.queryset = filter_.extra["queryset"] = scoped(queryset, user)

    @property
    def errors(self):
        # A date range is one form field but two query parameters: name the parameter the
        # client sent (``paid_on_after``), not the form field (``paid_on``).
        errors = super().errors
        renamed = ErrorDict()
        for name, messages in errors.items():
            if isinstance(self.filters.get(name), django_filters.DateFromToRangeFilter):
                sent = [f"{name}_{suffix}" for suffix in ("after", "before") if f"{name}_{suffix}" in self.data]
                for key in sent or [name]:
                    renamed[key] = messages
            else:
                renamed[name] = messages
        return renamed
