"""The API's token check, in one query with what every request asks next."""

import functools

from django.contrib.auth import get_user_model
from django.db import connections, router
from django.utils.translation import gettext as _
from rest_framework import authentication, exceptions
from rest_framework.authtoken.models import Token

from cooperation.backends import permission_names_sql, prime_permissions
from cooperation.scopes import has_scope_sql, prime_unscoped


@functools.cache
def _token_sql() -> tuple[str, list[str]]:
    """The token's user by the key, with the user's permission names and whether scope regions
    narrow what they read; and the attribute names of the user's columns, in order."""
    user_meta = get_user_model()._meta
    user_fields = user_meta.concrete_fields
    columns = ", ".join(f'u."{field.column}"' for field in user_fields)
    sql = (
        f"SELECT t.created, {columns}, ARRAY({permission_names_sql('t.user_id')}), "  # noqa: S608 - names
        f"{has_scope_sql('t.user_id')} FROM {Token._meta.db_table} t "
        f'JOIN {user_meta.db_table} u ON u."{user_meta.pk.column}" = t.user_id WHERE t.key = %s'
    )
    return sql, [field.attname for field in user_fields]


class TokenAuthentication(authentication.TokenAuthentication):
    """DRF's ``TokenAuthentication`` (``Authorization: Token <key>``, the same answers for an
    unknown key or an inactive user), reading in the token's query the user's permissions and
    whether a scope narrows what they read. The permission check and the scope would each ask
    a query of their own on every request; here the three are one, and an unscoped user's
    scope asks none (a scoped user's regions are still read by :mod:`cooperation.scopes`)."""

    def authenticate_credentials(self, key):
        sql, attnames = _token_sql()
        database = router.db_for_read(Token)
        with connections[database].cursor() as cursor:
            cursor.execute(sql, [key])
            row = cursor.fetchone()
        if row is None:
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        created, *user_values, permissions, scoped = row
        user = get_user_model().from_db(database, attnames, user_values)
        if not user.is_active:
            raise exceptions.AuthenticationFailed(_("User inactive or deleted."))
        token = Token.from_db(database, ["key", "user_id", "created"], [key, user.pk, created])
        token.user = user
        prime_permissions(user, permissions)
        if not scoped:
            prime_unscoped(user)
        return user, token
