"""The authentication backend: Django's ``ModelBackend``, reading permissions in one query."""

import functools

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connections, router


@functools.cache
def permission_names_sql(user: str) -> str:
    """A query of the names (``app_label.codename``) of a user's permissions, their own and their
    groups', where ``user`` is SQL giving the user's id (a placeholder, or a column of an
    enclosing query: the token check reads them in its own query)."""
    user_model = get_user_model()
    own = user_model.user_permissions.through._meta
    groups = user_model.groups.through._meta
    group_permissions = Group.permissions.through._meta
    return (
        f"SELECT ct.app_label || '.' || p.codename FROM {Permission._meta.db_table} p "  # noqa: S608 - table names
        f"JOIN {ContentType._meta.db_table} ct ON ct.id = p.content_type_id "
        f"WHERE p.id IN (SELECT permission_id FROM {own.db_table} WHERE user_id = {user}) "
        f"OR p.id IN (SELECT gp.permission_id FROM {group_permissions.db_table} gp "
        f"JOIN {groups.db_table} ug ON ug.group_id = gp.group_id WHERE ug.user_id = {user})"
    )


def prime_permissions(user, names) -> None:
    """Give ``user`` (just read) the permissions read with it, so that the backend asks no
    query for them; a superuser's are all of them, which the backend reads itself."""
    if user.is_active and not user.is_superuser:
        user._perm_cache = set(names)


class PermissionBackend(ModelBackend):
    """``ModelBackend`` whose ``get_all_permissions`` (what ``has_perm`` asks) reads a user's own
    and group permissions in one query instead of two; every API request asks it once. The
    rules are Django's: none for inactive or anonymous users or per object, all for superusers,
    cached on the user object for the request."""

    def get_all_permissions(self, user_obj, obj=None):
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if user_obj.is_superuser:
            return super().get_all_permissions(user_obj, obj)
        if not hasattr(user_obj, "_perm_cache"):
            with connections[router.db_for_read(Permission)].cursor() as cursor:
                cursor.execute(permission_names_sql("%(user)s"), {"user": user_obj.pk})
                user_obj._perm_cache = {name for (name,) in cursor.fetchall()}
        return user_obj._perm_cache
