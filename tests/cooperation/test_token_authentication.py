"""The API's token check (``cooperation.api.authentication``): DRF's answers, and the user's
permissions and scope read in the token's own query."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests.consumption.factories import SaleFactory

pytestmark = pytest.mark.django_db


def _client(key: str) -> APIClient:
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def _list_queries(client, path="/api/v1/sales/"):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    return response, [query["sql"] for query in queries.captured_queries]


def test_unknown_and_inactive_are_refused_as_drf_refuses(make_user):
    response = _client("0" * 40).get("/api/v1/sales/")
    assert response.status_code == 401 and response.json()["detail"] == "Invalid token."
    assert response["WWW-Authenticate"] == "Token"
    user = make_user("api")
    token = Token.objects.create(user=user)
    user.is_active = False
    user.save()
    response = _client(token.key).get("/api/v1/sales/")
    assert response.status_code == 401 and response.json()["detail"] == "User inactive or deleted."


def test_a_token_reads_its_user_permissions_and_scope_in_one_query(make_user, regions):
    """An unscoped client's list asks the token, the count and the page: no query for its
    permissions nor for a scope it does not have."""
    SaleFactory.create_batch(3, origin_region=regions["zhaojue"])
    user = make_user("api")
    response, sqls = _list_queries(_client(Token.objects.create(user=user).key))
    assert response.status_code == 200 and response.json()["count"] == 3
    assert len(sqls) == 3, sqls
    assert "auth_permission" in sqls[0] and "cooperation_scoperegion" in sqls[0]
    assert not any("auth_permission" in sql or "cooperation_scoperegion" in sql for sql in sqls[1:])


def test_a_scoped_client_still_reads_its_regions(make_user, scoped_user, regions):
    SaleFactory(origin_region=regions["zhaojue"])
    SaleFactory(origin_region=regions["yuyao"])
    user = scoped_user("staff", regions["zhaojue"])
    response, sqls = _list_queries(_client(Token.objects.create(user=user).key))
    assert response.status_code == 200
    assert {row["origin_region"] for row in response.json()["results"]} == {regions["zhaojue"].pk}
    assert len(sqls) == 4 and "cooperation_scoperegion" in sqls[1], sqls


def test_the_permissions_read_with_the_token_are_the_users_own_and_their_groups(make_user):
    """Own and group permissions both count, a permission taken away counts no more, and a
    superuser holds every permission without any being given."""
    user = make_user(None, username="plain")
    key = Token.objects.create(user=user).key
    assert _client(key).get("/api/v1/sales/").status_code == 403
    user.user_permissions.add(Permission.objects.get(codename="view_sale"))
    assert _client(key).get("/api/v1/sales/").status_code == 200
    assert _client(key).get("/api/v1/workers/").status_code == 403
    group = Group.objects.create(name="readers of workers")
    group.permissions.add(Permission.objects.get(codename="view_worker"))
    user.groups.add(group)
    assert _client(key).get("/api/v1/workers/").status_code == 200
    user.user_permissions.clear()
    assert _client(key).get("/api/v1/sales/").status_code == 403
    root = make_user(None, username="root", is_superuser=True)
    assert _client(Token.objects.create(user=root).key).get("/api/v1/workers/").status_code == 200
