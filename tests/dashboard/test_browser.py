"""The dashboard in a real browser (Playwright driving Debian's Chromium) against the live server.

Logs in, opens the dashboard, changes year and region and sees the figures change, switches
to English, downloads a report; fails on any request to another host and on any console error.
Screenshots go to $DASHBOARD_SCREENSHOTS (default var/screenshots/ in the checkout, git-ignored).
"""

import datetime
import os
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from indicators.registry import INDICATORS
from reports import services
from tests.factories import PairingFactory, SecondmentFactory, TargetFactory
from tests.reports.factories import ReportFactory

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Chromium is not installed"),
]


def _screens(tmp_path) -> Path:
    from django.conf import settings

    path = Path(os.environ.get("DASHBOARD_SCREENSHOTS") or settings.VAR_DIR / "screenshots")
    path.mkdir(parents=True, exist_ok=True)
    return path


@pytest.fixture
def dashboard_data(regions, make_user, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    PairingFactory(east_region=regions["yuyao"], west_region=regions["zhaojue"], started_on=datetime.date(2021, 6, 1))
    SecondmentFactory.create_batch(3, region=regions["zhaojue"], started_on=datetime.date(2023, 2, 1),
                                   ended_on=datetime.date(2024, 6, 30))  # fmt: skip
    SecondmentFactory.create_batch(2, region=regions["butuo"], started_on=datetime.date(2023, 4, 1),
                                   ended_on=datetime.date(2023, 12, 31))  # fmt: skip
    for indicator in INDICATORS:
        TargetFactory(year=2023, indicator=indicator.key, value=1_000_000 if indicator.money else 10)
    TargetFactory(year=2023, indicator="talent.cadres", value=2, region=regions["zhaojue"])
    # Made directly: report_request would queue a task on the run's broker (this test commits).
    report = ReportFactory(kind="annual", period_start=datetime.date(2023, 1, 1))
    services.report_generate(report_id=report.pk)
    make_user("official")
    return regions


def _cadres_value(page) -> str:
    return page.locator('#figures tr[data-key="talent.cadres"] td.value').inner_text().strip()


@pytest.mark.django_db(transaction=True)
def test_dashboard_in_a_browser(live_server, dashboard_data, tmp_path, monkeypatch):
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the live server does the DB work.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    screens = _screens(tmp_path)
    own = urlsplit(live_server.url).netloc
    foreign, console_errors = [], []

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        context = browser.new_context(locale="zh-CN", accept_downloads=True, viewport={"width": 1440, "height": 1000})
        page = context.new_page()
        page.on("request", lambda r: foreign.append(r.url) if urlsplit(r.url).netloc not in (own, "") else None)
        page.on("console", lambda m: console_errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: console_errors.append(str(e)))
        try:
            page.goto(f"{live_server.url}/dashboard/")
            assert "/dashboard/login/" in page.url
            page.fill("#id_username", "official-user")
            page.fill("#id_password", "secret-pass-123")
            page.click("button[type=submit]")
            page.wait_for_selector("#figures")

            with page.expect_navigation():
                page.select_option("#id_year", "2023")
            assert _cadres_value(page).startswith("5")
            # 5 of a target of 10 in a past year: lagging, and it shows.
            assert page.locator('#figures tr[data-key="talent.cadres"]').get_attribute("class") == "status-lagging"
            page.screenshot(path=str(screens / "dashboard-2023-zh.png"), full_page=True)

            with page.expect_navigation():
                page.select_option("#id_region", str(dashboard_data["zhaojue"].pk))
            assert _cadres_value(page).startswith("3")
            cadres = page.locator('#figures tr[data-key="talent.cadres"]')
            assert cadres.get_attribute("class") == "status-done"  # target 2
            assert "昭觉县" in page.locator("#figures-title").inner_text()
            page.screenshot(path=str(screens / "dashboard-2023-zhaojue-zh.png"), full_page=True)

            with page.expect_download() as download_info:
                page.click("#reports a[download]")
            download = download_info.value
            saved = tmp_path / download.suggested_filename
            download.save_as(saved)
            assert saved.name == "annual-2023-01-01.xlsx" and saved.read_bytes()[:2] == b"PK"

            with page.expect_navigation():
                page.select_option("select[name=language]", "en")
            with page.expect_navigation():
                page.select_option("#id_year", "2023")
            assert "Cadres seconded" in page.locator("#figures").inner_text()
            page.screenshot(path=str(screens / "dashboard-2023-en.png"), full_page=True)
        finally:
            context.close()
            browser.close()

    assert foreign == [], f"requests to other hosts: {foreign}"
    assert console_errors == [], f"console errors: {console_errors}"


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(("width", "height"), [(1366, 768), (390, 844)])
def test_dashboard_fits_the_screen_and_draws_every_chart(live_server, dashboard_data, monkeypatch, width, height):
    """Nothing scrolls sideways (a laptop, a phone), and each declared trend is drawn."""
    from playwright.sync_api import sync_playwright

    from indicators.registry import INDICATORS

    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    screens = _screens(None)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        context = browser.new_context(locale="zh-CN", viewport={"width": width, "height": height})
        page = context.new_page()
        try:
            page.goto(f"{live_server.url}/dashboard/login/")
            page.fill("#id_username", "official-user")
            page.fill("#id_password", "secret-pass-123")
            page.click("button[type=submit]")
            page.wait_for_selector("#figures")
            page.goto(f"{live_server.url}/dashboard/?year=2023")
            page.wait_for_selector("#figures")
            assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
            trends = [indicator.key for indicator in INDICATORS if indicator.trend]
            assert page.locator("canvas[data-trend]").count() == len(trends)
            # The indicator names are whole on one line of their own card or cell, not broken up.
            name = page.locator('#figures tr[data-key="talent.cadres"] td').first
            assert name.bounding_box()["width"] > 80
            page.screenshot(path=str(screens / f"dashboard-2023-{width}px-zh.png"), full_page=True)
        finally:
            context.close()
            browser.close()


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(("width", "height"), [(1366, 768), (390, 844)])
def test_the_rollup_on_a_laptop_and_a_phone(live_server, dashboard_data, monkeypatch, width, height):
    """The prefecture's roll-up: one column per county, scrolling inside its card on a phone
    (never the page) with the indicator column kept in view; a cell opens the county."""
    from playwright.sync_api import sync_playwright

    from tests.factories import RegionFactory

    regions = dashboard_data
    liangshan = regions["liangshan"]
    for i, name in enumerate(["美姑县", "喜德县", "越西县"]):
        county = RegionFactory(name=name, code=f"51343{6 + i}", parent=liangshan)
        SecondmentFactory(region=county, started_on=datetime.date(2023, 5, 1))
        TargetFactory(year=2023, indicator="talent.cadres", value=2, region=county)
    TargetFactory(year=2023, indicator="talent.cadres", value=12, region=liangshan)  # 2 + 3 × 2 = 8: flagged
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    screens = _screens(None)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        context = browser.new_context(locale="zh-CN", viewport={"width": width, "height": height})
        page = context.new_page()
        try:
            page.goto(f"{live_server.url}/dashboard/login/")
            page.fill("#id_username", "official-user")
            page.fill("#id_password", "secret-pass-123")
            page.click("button[type=submit]")
            page.wait_for_selector("#figures")
            page.goto(f"{live_server.url}/dashboard/?year=2023&region={liangshan.pk}")
            table = page.locator("#rollup-table")
            table.wait_for()
            assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
            assert table.locator("thead th").count() == 1 + 5 + 2  # indicators, 5 counties, total, sum
            assert "上下级目标不一致" in page.locator("#target-mismatches").inner_text()
            page.locator("#rollup").screenshot(path=str(screens / f"rollup-2023-{width}px-zh.png"))
            page.screenshot(path=str(screens / f"dashboard-rollup-2023-{width}px-zh.png"), full_page=True)

            sticky = table.locator('tbody tr[data-key="talent.cadres"] th')
            before = sticky.bounding_box()
            scroller = page.locator("#rollup .scroll")
            scrolls = scroller.evaluate("el => el.scrollWidth > el.clientWidth")
            if width == 390:
                assert scrolls  # too wide for a phone: it scrolls, inside the card
            if scrolls:
                scroller.evaluate("el => { el.scrollLeft = el.scrollWidth; }")
                assert sticky.bounding_box()["x"] == pytest.approx(before["x"], abs=1)
                page.locator("#rollup").screenshot(path=str(screens / f"rollup-2023-{width}px-scrolled-zh.png"))
                scroller.evaluate("el => { el.scrollLeft = 0; }")

            cell = table.locator(f'tbody tr[data-key="talent.cadres"] td[data-region="{regions["butuo"].pk}"] a')
            assert "2 人" in cell.inner_text()
            with page.expect_navigation():
                cell.click()
            assert f"region={regions['butuo'].pk}" in page.url
            assert "布拖县" in page.locator("#figures-title").inner_text()
        finally:
            context.close()
            browser.close()
