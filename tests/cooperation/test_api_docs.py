"""The API documentation as other systems' developers meet it: grouped by area, written for a
client, language-neutral identifiers, served with nothing from another host."""

import json
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from cooperation.api.schema import AREAS

pytestmark = pytest.mark.django_db


@pytest.fixture
def documents(client):
    def fetch(language):
        response = client.get("/api/schema/", {"format": "json"}, HTTP_ACCEPT_LANGUAGE=language)
        assert response.status_code == 200
        return response.content.decode()

    return {language: fetch(language) for language in ("zh-hans", "en")}


def _operations(document):
    schema = json.loads(document)
    return [op for path in schema["paths"].values() for op in path.values() if isinstance(op, dict)]


def test_the_document_is_the_same_whatever_the_language(documents):
    assert documents["zh-hans"] == documents["en"]


def test_identifiers_are_ascii(documents):
    schema = json.loads(documents["zh-hans"])
    names = list(schema["components"]["schemas"]) + [op["operationId"] for op in _operations(documents["zh-hans"])]
    assert [name for name in names if re.search(r"[^\x00-\x7f]", name)] == []
    assert all(not name.startswith("api_v1") for name in names)
    assert "projects_list" in names and "dashboard_summary" in names


def test_every_operation_has_an_area_a_summary_and_a_description_for_clients(documents):
    operations = _operations(documents["zh-hans"])
    assert len(operations) > 100
    for op in operations:
        assert op["tags"] and op["tags"][0] in AREAS.values(), op["operationId"]
        assert op.get("summary") and op.get("description"), op["operationId"]
    assert "Base of every record endpoint" not in documents["zh-hans"]
    assert "Subclasses set" not in documents["zh-hans"]


CHROMIUM = "/usr/bin/chromium"


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Chromium is not installed")
@pytest.mark.django_db(transaction=True)
def test_the_docs_page_loads_nothing_from_another_host(live_server, monkeypatch):
    from playwright.sync_api import sync_playwright

    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    own = urlsplit(live_server.url).netloc
    foreign = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"],
        )
        try:
            page = browser.new_page()
            page.on("request", lambda r: foreign.append(r.url) if urlsplit(r.url).netloc not in (own, "") else None)
            page.goto(f"{live_server.url}/api/docs/")
            page.wait_for_timeout(2500)  # the viewer fetches the schema and renders it
            assert page.locator("body").inner_text().strip()
        finally:
            browser.close()
    assert foreign == []


def test_redoc_is_gone(client):
    """ReDoc fetched a logo from its CDN whatever its settings; Swagger UI covers the need."""
    assert client.get("/api/redoc/").status_code == 404
