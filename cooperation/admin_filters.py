"""The admin's list filters, taken from the model's FilterSet (one definition of each filter).

An admin list takes exactly the API's filters in its URL (``?year=2023&region_within=12&
destination=east``), applied together by the FilterSet as the API applies them, so the
dashboard's links to the records behind a figure filter them as the figure does. The ``year``
and ``region_within`` filters are also offered in the sidebar.
"""

import django_filters
from django.contrib import admin
from django.contrib.admin.options import IncorrectLookupParameters
from django.utils.translation import gettext_lazy as _

from cooperation.scopes import scoped
from cooperation.selectors import programme_years, west_region_list

SHOWN = ("year", "region_within")


def _parameters(filterset_class) -> list[str]:
    """The query parameters of a FilterSet (a date range is two: ``<name>_after``/``_before``)."""
    names = []
    for name, filter_ in filterset_class.base_filters.items():
        if isinstance(filter_, django_filters.DateFromToRangeFilter):
            names += [f"{name}_after", f"{name}_before"]
        else:
            names.append(name)
    return names


class FilterSetFilter(admin.ListFilter):
    """Applies every FilterSet parameter of the request at once (not shown in the sidebar)."""

    title = ""
    template = "admin/filterset_filter.html"  # renders nothing
    filterset_class: type[django_filters.FilterSet]

    def __init__(self, request, params, model, model_admin):
        super().__init__(request, params, model, model_admin)
        self.data = {}
        for name in _parameters(self.filterset_class):
            if name in params:
                # The sidebar filters below take their own parameter off the list themselves.
                value = params[name] if name in SHOWN else params.pop(name)
                self.data[name] = value[-1] if isinstance(value, list) else value
        self.used_parameters = dict(self.data)

    def has_output(self):
        # True, or the changelist would not apply it (it renders an empty template).
        return True

    def expected_parameters(self):
        return _parameters(self.filterset_class)

    def choices(self, changelist):
        return []

    def queryset(self, request, queryset):
        if not self.data:
            return queryset
        filterset = self.filterset_class(data=self.data, queryset=queryset, request=request)
        if not filterset.is_valid():
            raise IncorrectLookupParameters(filterset.errors)
        return filterset.qs


class ShownFilter(admin.SimpleListFilter):
    """The sidebar choices of ``year`` or ``region_within``; :class:`FilterSetFilter` filters."""

    def lookups(self, request, model_admin):
        if self.parameter_name == "year":
            return [(str(year), str(year)) for year in programme_years()]
        regions = west_region_list().filter(level__in=["province", "prefecture", "county"]).order_by("code")
        regions = scoped(regions, request.user)
        return [(str(region.pk), str(region)) for region in regions]

    def queryset(self, request, queryset):
        return queryset


def filterset_list_filters(filterset_class) -> list[type[admin.ListFilter]]:
    """The list filters of an admin whose model's FilterSet is ``filterset_class``."""
    filters = [type(f"{filterset_class.__name__}Filter", (FilterSetFilter,), {"filterset_class": filterset_class})]
    titles = {"year": _("year"), "region_within": _("region (and below)")}
    for name in SHOWN:
        if name in filterset_class.base_filters:
            filters.append(
                type(
                    f"{filterset_class.__name__}_{name}",
                    (ShownFilter,),
                    {"parameter_name": name, "title": titles[name]},
                )
            )
    return filters
