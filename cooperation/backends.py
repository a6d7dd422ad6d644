"""The authentication backend: Django's ``ModelBackend``, reading permissions in one query."""

import functools

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connections, router


@functools.cache
def _permissions_sql() -> str:
    """A user's permissions, their own and their groups', as (app label, codename) rows."""
    user_model = get_user_model()
    own = user_model.user_permissions.through._meta
    groups = user_model.groups.through._meta
    group_permissions = Group.permissions.through._meta
    return (
        f"SELECT ct.app_label, p.codename FROM {Permission._meta.db_table} p "  # noqa: S608 - table names
        f"JOIN {ContentType._meta.db_table} ct ON ct.id = p.content_type_id "
        f"WHERE p.id IN (SELECT permission_id FROM {own.db_table} WHERE user_id = %(user)s) "
        f"OR p.id IN (SELECT gp.permission_id FROM {group_permissions.db_table} gp "
        f"JOIN {groups.db_table} ug ON ug.group_id = gp.group_id WHERE ug.user_id = %(user)s)"
    )


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
                cursor.execute(_permissions_sql(), {"user": user_obj.pk})
                user_obj._perm_cache = {f"{app_label}.{codename}" for app_label, codename in cursor.fetchall()}
        return user_obj._perm_cache
