"""Fixtures shared by every app's tests."""

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from cooperation import roles
from tests.factories import UserFactory, region_tree

ROLE_USERS = {
    "admin": roles.ADMINISTRATORS,
    "staff": roles.PROGRAMME_STAFF,
    "official": roles.OFFICIALS,
    "api": roles.API_CLIENTS,
    "reviewer": roles.REVIEWERS,
}


@pytest.fixture
def regions(db):
    """The Yuyao-Zhaojue region tree (see tests.factories.region_tree)."""
    return region_tree()


@pytest.fixture
def make_user(db):
    """``make_user("staff")`` -> a user holding that role (``None``: no role at all)."""

    def make(role_key=None, **kwargs):
        role = ROLE_USERS.get(role_key)
        kwargs.setdefault("username", f"{role_key or 'norole'}-user")
        kwargs.setdefault("is_staff", role_key in ("admin", "staff", "official"))
        return UserFactory(role=role, **kwargs)

    return make


@pytest.fixture
def api_client_for(make_user):
    """``api_client_for("official")`` -> an APIClient sending that role's token (None: anonymous)."""

    def make(role_key=None, user=None):
        client = APIClient()
        if role_key is None and user is None:
            return client
        user = user or make_user(role_key)
        token, _ = Token.objects.get_or_create(user=user)
        client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
        client.user = user
        return client

    return make


@pytest.fixture
def scoped_user(make_user):
    """``scoped_user("staff", region, ...)`` -> a user of that role whose scope is those regions
    (CONTRACT.md 1.1), set through the service that ``set_scope`` and the admin use."""
    from cooperation.services import set_scope

    def make(role_key, *scope, **kwargs):
        kwargs.setdefault("username", f"{role_key}-in-{'-'.join(region.code for region in scope) or 'all'}")
        user = make_user(role_key, **kwargs)
        set_scope(user=user, codes=[region.code for region in scope])
        return user

    return make


@pytest.fixture
def trigram(db):
    """Skips the test where the database lacks pg_trgm (the embedded PostgreSQL of a machine
    without DATABASE_URL: the trigram indexes are skipped there, searches still work)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_available_extensions WHERE name = 'pg_trgm'")
        if cursor.fetchone() is None:
            pytest.skip("pg_trgm is not available on this PostgreSQL: its indexes are skipped")


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo data (``seed_demo``), loaded once for the module in a transaction that the
    module's end rolls back; use with ``db`` in each test."""
    from io import StringIO

    from django.core.management import call_command
    from django.db import transaction

    with django_db_blocker.unblock(), transaction.atomic():
        call_command("seed_demo", stdout=StringIO())
        yield
        transaction.set_rollback(True)


def pytest_collection_modifyitems(items):
    """``make test`` runs the suite on every core (pytest-xdist, ``--dist loadgroup``): the tests
    that start subprocesses (real Celery workers and beats, Chromium) share one group, so they
    run one after another on one process and their timeouts are not raced by each other."""
    for item in items:
        if item.get_closest_marker("celery_worker") or item.get_closest_marker("browser"):
            item.add_marker(pytest.mark.xdist_group("subprocesses"))
