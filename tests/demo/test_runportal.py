"""The address ``make run`` prints is the one it serves."""

from io import StringIO

import pytest
from django.utils import translation

from demo.management.commands import runportal
from demo.management.commands.runportal import served_url


@pytest.mark.parametrize(
    ("addrport", "url"),
    [
        ("127.0.0.1:8000", "http://127.0.0.1:8000/"),
        ("8001", "http://127.0.0.1:8001/"),
        ("0.0.0.0:8000", "http://127.0.0.1:8000/"),
        ("localhost:9000", "http://localhost:9000/"),
        ("[::1]:8000", "http://[::1]:8000/"),
    ],
)
def test_the_banner_names_the_served_address(addrport, url):
    assert served_url(addrport) == url


# -- loading the demo data: on the first start, and again once after the demo data grew


@pytest.mark.parametrize(
    ("content", "version"),
    [(None, 0), ("2026-11-29 16:08:00\n", 1), ("version 2\n2026-12-02 12:00:00\n", 2), ("version 7\n", 7)],
)
def test_the_marker_tells_which_demo_data_was_loaded(tmp_path, content, version):
    marker = tmp_path / "demo-data-loaded"
    if content is not None:
        marker.write_text(content)
    assert runportal.loaded_demo_version(marker) == version


def test_a_portal_of_the_first_demo_data_gets_the_new_records(tmp_path, monkeypatch):
    assert runportal.DEMO_DATA_VERSION > 1  # the second pair came with version 2
    calls = []
    monkeypatch.setattr(runportal, "call_command", lambda name, **kw: calls.append(name))
    marker = tmp_path / "demo-data-loaded"
    marker.write_text("2026-11-29 16:08:00\n")
    out = StringIO()
    runportal.Command(stdout=out)._load_demo_data(marker, upgrade=True)
    assert calls == ["seed_demo"]
    assert runportal.loaded_demo_version(marker) == runportal.DEMO_DATA_VERSION


def test_a_failed_update_leaves_the_portal_serving_and_the_marker_as_it_was(tmp_path, monkeypatch):
    def fail(name, **kw):
        raise ValueError("Demo project SD-2024-001 would pay out more than allocated.")

    monkeypatch.setattr(runportal, "call_command", fail)
    marker = tmp_path / "demo-data-loaded"
    marker.write_text("2026-11-29 16:08:00\n")
    err = StringIO()
    with translation.override("en"):
        runportal.Command(stdout=StringIO(), stderr=err)._load_demo_data(marker, upgrade=True)
    assert "could not be updated" in err.getvalue() and "SD-2024-001" in err.getvalue()
    assert runportal.loaded_demo_version(marker) == 1  # tried again on the next start
