"""The overview page in a real browser: Playwright driving Debian's Chromium against a live server.

Loads a small generated city, opens the page in Chinese, follows a county, switches to English,
and leaves screenshots in ``var/screenshots/`` for a person to look at. Without Chromium the test is
skipped on a developer's machine and fails in CI (``CI`` set), where it must run.
"""

import os
import shutil
from pathlib import Path

import pytest

from jieneng.dashboard.services import overview
from jieneng.demo.generator import generate_city
from jieneng.reporting.services import load_demo

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
SHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

pytestmark = pytest.mark.skipif(
    not Path(CHROMIUM).exists() and not os.environ.get("CI"), reason="Chromium is not installed"
)


@pytest.fixture
def demo_city(transactional_db):
    data = generate_city(seed=7, years=(2020, 2024, 2025), institutions=120)
    load_demo(data, progress=lambda _line: None)
    return overview(None)  # computed before the browser's event loop starts


@pytest.fixture
def page():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=FLAGS, headless=True)
        context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="zh-CN")
        yield context.new_page()
        browser.close()


def test_overview_in_chinese_then_county_then_english(demo_city, live_server, page):
    SHOTS.mkdir(parents=True, exist_ok=True)
    expected = demo_city
    page.goto(live_server.url + "/")
    assert page.locator("h1").inner_text().count(expected.region.name) == 1
    body = page.locator("body").inner_text()
    assert "单位建筑面积能耗" in body and "人均用水量" in body
    assert f"{expected.totals.tce.value:,.2f}" in body  # the figure the service computed is on the page
    assert expected.coefficient_set in body
    page.screenshot(path=str(SHOTS / "overview-zh.png"), full_page=True)

    county = expected.children[0].region
    page.get_by_role("link", name=county.name).first.click()
    page.wait_for_url(f"**/region/{county.code}/**")
    assert county.name in page.locator("h1").inner_text()

    page.get_by_role("button", name="English").click()
    page.wait_for_load_state()
    assert "Energy per person" in page.locator("body").inner_text()
    page.screenshot(path=str(SHOTS / "county-en.png"), full_page=True)
