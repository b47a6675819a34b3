"""The dashboards in a real browser: Playwright driving Debian's Chromium against a live server.

Loads a small generated city, signs in as a viewer at the city, lands on the city's dashboard, checks
that the charts are drawn (ECharts served by the project), switches a chart to its table, drills down
city → county → unit → submission, switches to English, and leaves screenshots in
``var/screenshots/`` for a person to look at. Without Chromium the test is skipped on a developer's
machine and fails in CI (``CI`` set), where it must run.
"""

import pytest
from browser import SHOTS, chromium, needs_chromium
from django.conf import settings

from jieneng.dashboard.breakdown import trend
from jieneng.dashboard.services import overview
from jieneng.demo.generator import generate_city
from jieneng.reporting.services import load_demo

pytestmark = needs_chromium


@pytest.fixture
def demo_city(transactional_db, client, django_user_model):
    """The city loaded, its overview computed, and a signed-in viewer at the city (session cookie)."""
    from jieneng.accounts.models import Membership
    from jieneng.directory.models import Region

    data = generate_city(seed=7, years=(2020, 2024, 2025), institutions=120)
    load_demo(data, progress=lambda _line: None)
    o = overview(None)  # computed before the browser's event loop starts
    viewer = django_user_model.objects.create_user("city-viewer", password="unused-Password-2026")
    Membership.objects.create(
        user=viewer, role="viewer", region=Region.objects.current().get(code=o.region.code)
    )
    client.force_login(viewer)
    return o, trend(o.region.code, o.year), client.cookies[settings.SESSION_COOKIE_NAME].value


@pytest.fixture
def browser():
    with chromium() as launched:
        yield launched


def test_dashboard_drill_down_from_city_to_submission(demo_city, live_server, browser):
    SHOTS.mkdir(parents=True, exist_ok=True)
    expected, months, session = demo_city
    context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="zh-CN")
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}])
    page = context.new_page()
    fetched = []
    page.on("request", lambda request: fetched.append(request.url))

    page.goto(live_server.url + "/")
    page.wait_for_url(f"**/region/{expected.region.code}/")
    assert page.locator("h1").inner_text().count(expected.region.name) == 1
    body = page.locator("body").inner_text()
    assert "单位建筑面积能耗" in body and "人均用水量" in body
    assert f"{expected.totals.tce.value:,.2f}" in body  # the figure the service computed is on the page
    assert expected.coefficient_title in body  # the set by its title; its id@version one click away
    page.locator("details.set-ref summary").first.click()
    assert expected.coefficient_set in page.locator("details.set-ref").first.inner_text()
    for key in ("trend", "composition", "ranking", "types"):
        page.locator(f"#chart-{key} svg").first.wait_for()  # drawn
    assert all(url.startswith(live_server.url) for url in fetched)  # nothing from elsewhere (no CDN)
    page.screenshot(path=str(SHOTS / "dashboard-city-zh.png"), full_page=True)

    # a chart switched to its table: the same numbers, server-rendered
    trend_section = page.locator("section#trend")
    table = trend_section.locator("details.chart-table table")
    assert not table.is_visible()
    trend_section.locator("details.chart-table summary").click()
    assert table.is_visible() and not page.locator("#chart-trend").is_visible()
    first = table.locator("tbody tr").first.locator("td").first.inner_text()
    assert first == f"{months[0].tce:,.3f}"
    trend_section.locator("details.chart-table summary").click()
    assert page.locator("#chart-trend").is_visible()

    # city → county (from the ranking's table)
    county = next(c.region for c in expected.children if not c.own and c.units)
    ranking = page.locator("section#ranking")
    ranking.locator("details.chart-table summary").click()
    ranking.get_by_role("link", name=county.name, exact=True).click()
    page.wait_for_url(f"**/region/{county.code}/**")
    assert county.name in page.locator("h1").inner_text()
    crumbs = page.locator("nav.crumbs")
    assert crumbs.get_by_role("link", name=expected.region.name).count() == 1  # up to the viewer's place
    assert crumbs.get_by_role("link").count() == 1  # and no further
    page.screenshot(path=str(SHOTS / "dashboard-county-zh.png"), full_page=True)

    # county → unit → submission
    ranking = page.locator("section#ranking")
    ranking.locator("details.chart-table summary").click()
    unit_link = ranking.locator("details.chart-table tbody a").first
    unit_name = unit_link.inner_text()
    unit_link.click()
    page.wait_for_url("**/unit/*/")
    assert page.locator("h1").inner_text() == unit_name
    page.locator("#chart-figures svg").first.wait_for()
    page.screenshot(path=str(SHOTS / "dashboard-unit-zh.png"), full_page=True)
    submission = page.locator("section#submissions tbody a").first
    period = page.locator("section#submissions tbody tr").first.locator("td").first.inner_text()
    submission.click()
    page.wait_for_url("**/reporting/submission/*/")
    text = page.locator("body").inner_text()
    assert unit_name in text and period in text

    page.go_back()
    page.get_by_role("button", name="English").click()
    page.wait_for_load_state()
    assert "Energy per person" in page.locator("body").inner_text()
    page.screenshot(path=str(SHOTS / "dashboard-unit-en.png"), full_page=True)
    context.close()
