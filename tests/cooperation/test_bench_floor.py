"""bench/scale.py's floor app (``bench/floor_urls.py``): its empty page is an answer of the
portal behind the API's own token check, so the benchmark's floor is what every list pays."""

import sys
from pathlib import Path

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db

BENCH = str(Path(__file__).resolve().parents[2] / "bench")
EMPTY_PAGE = {"count": 0, "next": None, "previous": None, "results": []}


@pytest.fixture(autouse=True)
def floor_urls():
    sys.path.insert(0, BENCH)
    try:
        with override_settings(ROOT_URLCONF="floor_urls"):
            yield
    finally:
        sys.path.remove(BENCH)


def test_the_api_floor_checks_the_token_in_the_apis_one_query(make_user):
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    response = client.get("/floor/api/")
    assert response.status_code == 401 and response["WWW-Authenticate"] == "Token"
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=make_user('api')).key}")
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/floor/api/")
    assert response.status_code == 200 and response.json() == EMPTY_PAGE
    assert len(queries.captured_queries) == 1 and "authtoken_token" in queries.captured_queries[0]["sql"]


def test_the_django_floor_asks_nothing_and_the_portal_is_still_served():
    client = APIClient()
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/floor/django/")
    assert response.status_code == 200 and response.json() == EMPTY_PAGE
    assert queries.captured_queries == []
    assert client.get("/api/v1/sales/").status_code == 401  # the portal's own URLs are kept
