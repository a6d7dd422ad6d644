"""The admin's list filters, taken from the model's FilterSet (one definition of each filter).

An admin list takes exactly the API's filters in its URL (``?year=2023&region_within=12&
destination=east``), applied together by the FilterSet as the API applies them, so the
dashboard's links to the records behind a figure filter them as the figure does. The ``year``
and ``region_within`` filters are also offered in the sidebar.

Also the pieces that keep large lists fast: a reference's choices from its own table
(:class:`ScopedRelatedFieldListFilter`) and a search that indexes can serve
(:class:`IndexedSearchMixin`).
"""

import django_filters
from django.contrib import admin
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.utils import lookup_spawns_duplicates
from django.core.exceptions import FieldDoesNotExist
from django.db.models import F, Lookup, Q
from django.utils.text import smart_split, unescape_string_literal
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


class ScopedRelatedFieldListFilter(admin.RelatedFieldListFilter):
    """A reference's sidebar choices read from the referenced (small) table, narrowed to the
    user's scope like the pickers, never from the list's own rows: Django's
    ``RelatedOnlyFieldListFilter`` asks for a DISTINCT over the whole list (a million sales)."""

    def field_choices(self, field, request, model_admin):
        related = field.remote_field.model
        choices = related._default_manager.complex_filter(field.get_limit_choices_to())
        ordering = self.field_admin_ordering(field, request, model_admin) or related._meta.ordering
        choices = scoped(choices.order_by(*ordering), request.user)
        return [(obj.pk, str(obj)) for obj in choices]


def _forward_reference(model, path: str):
    """``(foreign key, rest)`` when ``path`` crosses one forward foreign key (``worker__name``),
    else None."""
    head, _sep, rest = path.partition("__")
    if not rest:
        return None
    try:
        field = model._meta.get_field(head)
    except FieldDoesNotExist:
        return None
    if field.many_to_one and field.concrete:
        return field, rest
    return None


class ILike(Lookup):
    """``lhs ILIKE rhs`` (``rhs`` a ready pattern): what a pg_trgm GIN index on the bare column
    serves. Django's ``icontains``/``istartswith`` compare ``UPPER(column)``, which it cannot."""

    lookup_name = "ilike"
    operator = "ILIKE"

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} {self.operator} {rhs}", (*lhs_params, *rhs_params)


class Like(ILike):
    """``lhs LIKE rhs``: for a pattern without cased characters (Chinese, digits), where it
    matches exactly the rows ILIKE matches (lowering the column changes no uncased character)
    and, without the case folding, scans three times as fast: "阿" over 158,000 names took
    18 ms against ILIKE's 56. The same pg_trgm index serves both."""

    lookup_name = "like"
    operator = "LIKE"


def _cased(text: str) -> bool:
    return text.lower() != text or text.upper() != text


# Up to this many referenced rows match a search term, their ids are listed in the list's
# query (an index condition); more, and the query carries the subquery instead.
_LISTED_IDS = 1000


def _condition(path: str, kind: str, bit: str):
    """``path`` matching the search term ``bit``: exactly (``=``), by prefix (``^``) or contains."""
    if kind == "=":
        return Q((f"{path}__iexact", bit))
    escaped = bit.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    lookup = ILike if _cased(bit) else Like
    return lookup(F(path), f"{escaped}%" if kind == "^" else f"%{escaped}%")


class IndexedSearchMixin:
    """An admin search whose every condition an index can serve, so that searching a large list
    reads indexes, not the whole table.

    ``search_fields`` keep Django's syntax and meaning (``=field`` exact, ``^field`` prefix,
    otherwise contains; all case-insensitive, each term of the search must match some field).
    The difference is a field across a forward foreign key (``worker__name``): Django joins the
    referenced table and ORs its condition with the list's own, which PostgreSQL can only check
    row by row over the whole list, join included. Here the referenced rows matching the term
    are looked up first: up to a thousand, their ids are listed (``worker_id IN (1, 2, ...)``,
    an index condition on the foreign key, so the OR of the fields is a BitmapOr of index
    scans); more (a common surname), and the condition is Django's, on the joined row: the page
    reads the list in its order and checks only the rows it shows (3 ms for "阿" at 100x, where
    the 60,000 matching workers as a subquery, hashed first whatever the page needs, took 59 ms;
    the count is a little slower, 139 against 117 ms). (Not ``= ANY(ARRAY(subquery))``: it checks
    the array element by element where no index serves: 28 s for that count.) A prefix or contains
    is ``column ILIKE pattern`` (``LIKE`` for a term without cased characters: the same rows,
    faster), served by a pg_trgm GIN index on the column (Django's own lookups compare
    ``UPPER(column)``, which such an index cannot serve); an exact match is
    Django's ``iexact``, served by an index on ``UPPER(column)``.
    See the apps' migrations.
    """

    def get_search_results(self, request, queryset, search_term):
        search_fields = self.get_search_fields(request)
        if not (search_fields and search_term):
            return queryset, False
        may_have_duplicates = False
        terms = []
        for bit in smart_split(search_term):
            if bit.startswith(('"', "'")) and bit[0] == bit[-1]:
                bit = unescape_string_literal(bit)
            arms = []
            for spec in search_fields:
                arm, duplicates = self._search_arm(queryset.model, str(spec), bit)
                arms.append(arm)
                may_have_duplicates |= duplicates
            terms.append(Q.create(arms, connector=Q.OR))
        return queryset.filter(Q.create(terms)), may_have_duplicates

    def _search_arm(self, model, spec: str, bit: str) -> tuple[Q, bool]:
        kind = spec[:1] if spec[:1] in "=^" else ""
        path = spec[len(kind) :]
        reference = _forward_reference(model, path)
        if reference is None:
            return Q(_condition(path, kind, bit)), lookup_spawns_duplicates(model._meta, path)
        field, rest = reference
        related = field.remote_field.model
        target = field.target_field.attname
        # (a referenced row listed twice in the array changes nothing: no duplicates either way)
        matching = related._default_manager.filter(_condition(rest, kind, bit)).order_by().values(target)
        found = list(matching[: _LISTED_IDS + 1])
        if len(found) <= _LISTED_IDS:
            # Few matches (a product, an employer): their ids as a list, an index condition on
            # the foreign key (a BitmapOr with the other fields' indexes).
            return Q((f"{field.attname}__in", [row[target] for row in found])), False
        # Many (a common surname among 150,000 workers): the condition on the joined row (a
        # forward reference: one row each, no duplicates), checked only where the page reads.
        return Q(_condition(path, kind, bit)), False
