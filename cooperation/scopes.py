"""User scopes (CONTRACT.md 1.1, "Scoped users"): the one place that says what a user may see.

A user holds zero or more scope regions (:class:`cooperation.models.ScopeRegion`); none means
the whole programme. A scope region also brings in every region paired with it by a
``region`` pairing. A record is *within* the scope when its region (reached through the
record kind's declared region path, :mod:`cooperation.records`) is a scope region or below
one. Regions *above* the scope are readable (so that references make sense) but not writable;
nothing else outside it is readable.

- :func:`scope_of` computes a user's scope (one query, whatever the scope's size; cached on
  the user object for the request).
- :func:`scoped` narrows a queryset of any record kind to what the user may read;
  :meth:`Scope.record_error` says whether a record about to be written lies within the scope
  (the API's serializers, the admin's forms and the spreadsheet imports call it).
- :class:`Scope` also stands for the area of a multi-region scope in the indicators: it has a
  region's ``subtree_q(path)``.
"""

import functools
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from cooperation.choices import LEVEL_PREFIX_LENGTH
from cooperation.records import record_kind

_CACHE_ATTR = "_programme_scope"
# The levels above a region's, and how many code digits identify each.
_LEVELS = list(LEVEL_PREFIX_LENGTH)

OUTSIDE_SCOPE = _("This lies outside your scope (the regions your account may work on).")


def _ancestor_q(region) -> Q:
    """The regions above ``region``: those whose significant digits start its code."""
    q = Q(pk__in=[])
    depth = _LEVELS.index(region.level)
    for level in _LEVELS[:depth]:
        q |= Q(level=level, code__startswith=region.code[: LEVEL_PREFIX_LENGTH[level]])
    return q


@dataclass(frozen=True)
class Scope:
    """What one user may see: ``regions`` (the scope regions and the regions paired with them,
    outermost only) and ``own`` (the regions set on the user). ``unrestricted``: no region set,
    the whole programme."""

    regions: tuple = ()
    own: tuple = ()

    @property
    def prefixes(self) -> tuple[str, ...]:
        """The code prefixes of the scope's regions: every region below one starts with it."""
        return tuple(region.code_prefix for region in self.regions)

    @property
    def unrestricted(self) -> bool:
        return not self.own

    @property
    def sole_region(self):
        """The one region set on the user, or None (none, or several): what a scoped user means
        when naming no region (the summary's and the reports' rule in CONTRACT.md 1.1; a region
        brought in by a pairing does not count)."""
        return self.own[0] if len(self.own) == 1 else None

    # -- reading

    def subtree_q(self, path: str = "") -> Q:
        """Records whose region (through ``path``) is a scope region or below one."""
        lookup = f"{path}__code__startswith" if path else "code__startswith"
        q = Q(pk__in=[])
        for prefix in self.prefixes:
            q |= Q(**{lookup: prefix})
        return q

    def readable_regions_q(self) -> Q:
        """Regions a user may read: within the scope, or above a scope region."""
        q = self.subtree_q("")
        for region in self.regions:
            q |= _ancestor_q(region)
        return q

    def read_q(self, model) -> Q | None:
        """The filter of ``model``'s records this scope may read (None: no restriction)."""
        if self.unrestricted:
            return None
        from cooperation.models import Region

        if model is Region:
            return self.readable_regions_q()
        paths = scope_paths(model)
        if paths is None:
            return None  # not a programme record: nothing of a region to scope by
        q = Q(pk__in=[])
        for path in paths:
            q |= self.subtree_q(path)
        return q

    # -- writing

    def write_q(self, model) -> Q | None:
        """The filter of ``model``'s records this scope may change or delete (None: all)."""
        if self.unrestricted:
            return None
        paths = scope_paths(model)
        if paths is None:
            return None
        if len(paths) == 1:
            return self.subtree_q(paths[0])
        q = Q()
        for path in paths:
            first = path.split("__", 1)[0]
            q &= self.subtree_q(path) | Q(**{f"{first}__isnull": True})
        return q

    def contains(self, region) -> bool:
        """Whether ``region`` (a Region or None) is a scope region or below one."""
        if self.unrestricted:
            return True
        return region is not None and any(region.code.startswith(prefix) for prefix in self.prefixes)

    def record_error(self, obj) -> dict:
        """``{field: message}`` when ``obj`` (about to be written) lies outside the scope, else ``{}``.

        The field named is the first step of the region path that leads outside (``project`` for
        an allocation, ``region`` for a project, ``parent`` for a new region). A record with
        several region paths (a pairing) must have every one of them within the scope: writing
        one would otherwise widen the scope of every user of its other side.
        """
        if self.unrestricted:
            return {}
        paths = scope_paths(type(obj))
        if paths is None:
            return {}
        for path in paths:
            first = path.split("__", 1)[0]
            if len(paths) > 1 and getattr(obj, first, None) is None:
                continue  # a side left empty (a pairing of organisations names no regions)
            if not self.contains(_follow(obj, path)):
                return {first or "parent": OUTSIDE_SCOPE}
        return {}

    def can_write(self, obj) -> bool:
        return not self.record_error(obj)


def _follow(obj, path: str):
    """The region at ``path`` from ``obj`` (``obj`` itself for ""), None when a step is empty."""
    current = obj
    for step in path.split("__") if path else ():
        current = getattr(current, step, None)
        if current is None:
            return None
    return current


def scope_paths(model) -> tuple[str, ...] | None:
    """The region paths that place ``model``'s records in a scope, from its record kind: its
    ``region`` path, or its declared ``scope_paths`` (any of them for reading, all for writing)."""
    kind = record_kind(model)
    if kind is None:
        return None
    if kind.scope_paths:
        return kind.scope_paths
    if kind.region is None:
        return None
    return (kind.region,)


def _outermost(regions) -> tuple:
    """``regions`` without those lying below another one of them, in code order."""
    ordered = sorted({r.pk: r for r in regions}.values(), key=lambda r: (len(r.code_prefix), r.code))
    kept = []
    for region in ordered:
        if not any(region.code.startswith(other.code_prefix) for other in kept):
            kept.append(region)
    return tuple(sorted(kept, key=lambda r: r.code))


@functools.cache
def _scope_sql() -> str:
    """The scope query: the user's scope regions and the regions paired with them by a region
    pairing, each marked ``is_own``, in code order. Written once as SQL: every request asks it
    (for an unscoped user too, whose answer is no row), and building it through the ORM cost
    five times its execution."""
    from cooperation.models import Pairing, Region, ScopeRegion

    region, pairing, entry = Region._meta.db_table, Pairing._meta.db_table, ScopeRegion._meta.db_table
    return (
        f"WITH mine AS (SELECT region_id FROM {entry} WHERE user_id = %(user)s) "  # noqa: S608 - table names
        f"SELECT r.*, r.id IN (SELECT region_id FROM mine) AS is_own FROM {region} r WHERE r.id IN ("
        f"SELECT region_id FROM mine "
        f"UNION SELECT east_region_id FROM {pairing} WHERE kind = %(kind)s "
        f"AND west_region_id IN (SELECT region_id FROM mine) "
        f"UNION SELECT west_region_id FROM {pairing} WHERE kind = %(kind)s "
        f"AND east_region_id IN (SELECT region_id FROM mine)"
        f") ORDER BY r.code"
    )


@functools.cache
def has_scope_sql(user: str) -> str:
    """SQL true when the user whose id ``user`` gives (a column of an enclosing query) has scope
    regions: without any, the scope is the whole programme and asks no query (the token check
    reads it in its own query, see :func:`prime_unscoped`)."""
    from cooperation.models import ScopeRegion

    return f"EXISTS (SELECT 1 FROM {ScopeRegion._meta.db_table} WHERE user_id = {user})"  # noqa: S608 - a table name


def prime_unscoped(user) -> None:
    """Record that ``user`` (just read, with no scope region) reads the whole programme."""
    setattr(user, _CACHE_ATTR, Scope())


def compute_scope(user) -> Scope:
    """The scope of ``user`` from the database, in one query (see :func:`scope_of`, which
    caches it)."""
    from cooperation.choices import PairingKind
    from cooperation.models import Region

    if user is None or not getattr(user, "is_authenticated", False) or user.pk is None:
        return Scope()
    regions = list(Region.objects.raw(_scope_sql(), {"user": user.pk, "kind": PairingKind.REGION.value}))
    own = [region for region in regions if region.is_own]
    if not own:
        return Scope()
    regions = _outermost(regions)
    return Scope(regions=regions, own=tuple(own))


def scope_of(user) -> Scope:
    """The scope of ``user``, computed once per user object (so once per request)."""
    if user is None:
        return Scope()
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is None:
        cached = compute_scope(user)
        try:
            setattr(user, _CACHE_ATTR, cached)
        except AttributeError:  # AnonymousUser and the like
            pass
    return cached


def forget_scope(user) -> None:
    """Drop the cached scope of ``user`` (after its scope regions changed)."""
    if user is not None and hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


def scoped(qs: QuerySet, user) -> QuerySet:
    """``qs`` narrowed to what ``user`` may read (unchanged for an unscoped user)."""
    q = scope_of(user).read_q(qs.model)
    return qs if q is None else qs.filter(q)
