"""The admin's change forms with inlines fit a 1366 px laptop screen (Playwright, Debian's Chromium).

Each page is filled the way staff see it at its widest: a long organisation name in a picker,
several inline rows and the empty extra row. Nothing may scroll sideways, neither the page nor
an inline table inside its box. Screenshots go to $DASHBOARD_SCREENSHOTS (default
var/screenshots/ in the checkout, git-ignored), as the dashboard's browser tests do.
"""

import datetime
import os
from decimal import Decimal
from pathlib import Path

import pytest

from tests.education.factories import MentorshipFactory, TeacherDispatchFactory
from tests.factories import OrganizationFactory
from tests.labor.factories import PlacementFactory, WorkerFactory
from tests.projects.factories import (
    DisbursementFactory,
    EquityInvestmentFactory,
    FundAllocationFactory,
    ProgressReportFactory,
    ProjectFactory,
)

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]
WIDTH, HEIGHT = 1366, 768

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Chromium is not installed"),
]

# Inline tables wider than their box scroll inside it (the page itself would not show it).
OVERFLOW = """() => {
    const page = document.documentElement.scrollWidth;
    const tables = [...document.querySelectorAll('.inline-group')].map(group => {
        const box = group.getBoundingClientRect();
        return Math.max(...[...group.querySelectorAll('table')].map(t => t.getBoundingClientRect().right), 0)
            - box.right;
    });
    return {page, inner: window.innerWidth, tables};
}"""


def _screens() -> Path:
    from django.conf import settings

    path = Path(os.environ.get("DASHBOARD_SCREENSHOTS") or settings.VAR_DIR / "screenshots")
    path.mkdir(parents=True, exist_ok=True)
    return path


@pytest.fixture
def wide_records(regions, make_user, settings, tmp_path):
    """One record per admin change form with inlines, with rows in every inline."""
    settings.MEDIA_ROOT = tmp_path / "media"
    make_user("admin", is_superuser=True)  # sees every column (delete boxes included)
    long_west = OrganizationFactory(
        name="昭觉县三岔河镇三河村西门塔尔肉牛养殖专业合作社联合社", region=regions["village"]
    )
    long_east = OrganizationFactory(name="余姚市舜达电器有限公司（东西部协作劳务基地）", region=regions["yuyao"])
    project = ProjectFactory(region=regions["zhaojue"], name="2024年志雪电子昭觉县三期生产基地项目")
    for n in range(2):
        FundAllocationFactory(project=project, amount=Decimal("3600000.00"), document=f"余东西协〔2024〕{n + 1}号")
    DisbursementFactory(project=project, amount=Decimal("1000000.00"), payee=long_west.name, voucher="PZ-2024-0001")
    equity = EquityInvestmentFactory(project=project, investee=long_west, amount=Decimal("300000.00"))
    report = ProgressReportFactory(project=project)
    worker = WorkerFactory(hometown=regions["village"])
    PlacementFactory(worker=worker, destination="east", employer=long_east, position="装配工",
                     started_on=datetime.date(2023, 4, 29), monthly_wage=Decimal("6500.00"))  # fmt: skip
    dispatch = TeacherDispatchFactory()
    MentorshipFactory(mentor=dispatch)
    return {
        "project": f"/admin/projects/project/{project.pk}/change/",
        "project-add": "/admin/projects/project/add/",
        "worker": f"/admin/labor/worker/{worker.pk}/change/",
        "worker-add": "/admin/labor/worker/add/",
        "teacherdispatch": f"/admin/education/teacherdispatch/{dispatch.pk}/change/",
        "equityinvestment": f"/admin/projects/equityinvestment/{equity.pk}/change/",
        "progressreport": f"/admin/projects/progressreport/{report.pk}/change/",
    }


@pytest.mark.django_db(transaction=True)
def test_change_forms_with_inlines_fit_a_laptop_screen(live_server, wide_records, monkeypatch):
    from playwright.sync_api import sync_playwright

    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    screens = _screens()
    too_wide = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        # The server's time zone: no "you are 8 hours behind the server" notes under each date.
        context = browser.new_context(
            locale="zh-CN", timezone_id="Asia/Shanghai", viewport={"width": WIDTH, "height": HEIGHT}
        )
        page = context.new_page()
        try:
            page.goto(f"{live_server.url}/admin/login/")
            page.fill("#id_username", "admin-user")
            page.fill("#id_password", "secret-pass-123")
            page.click("input[type=submit]")
            page.wait_for_selector("#content-main")
            for name, url in wide_records.items():
                page.goto(f"{live_server.url}{url}")
                page.wait_for_selector(".inline-group")
                sizes = page.evaluate(OVERFLOW)
                page.screenshot(path=str(screens / f"admin-{name}-{WIDTH}px-zh.png"), full_page=True)
                if sizes["page"] > sizes["inner"] or any(over > 1 for over in sizes["tables"]):
                    too_wide[name] = sizes
        finally:
            context.close()
            browser.close()
    assert too_wide == {}
