"""The month's meters into the statistics form in a real browser: the reporter offers November from the
building page, lands on the online form warned that the meters missed days, sees the metered figure
beside the form's value, and the reviewer's page shows it too. Screenshots in ``var/screenshots/``."""

from datetime import date, timedelta

import pytest
from browser import chromium, needs_chromium, shot
from conftest import PASSWORD

from jieneng.monitoring.models import DailyRollup, Meter
from jieneng.reporting.models import Submission

pytestmark = [needs_chromium, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def page(monkeypatch):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with chromium() as browser:
        context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="zh-CN")
        yield context.new_page()


def test_reporter_offers_a_month_with_gaps_and_the_reviewer_sees_it(
    people, live_server, page, settings, tmp_path
):
    settings.JIENENG = settings.JIENENG.replace(data_dir=tmp_path)
    meter = Meter.objects.create(organisation_id=people.org[2], building="教学楼", code="M01", name="总表",
                                 energy="electricity", unit="kWh", end_use="total")  # fmt: skip
    DailyRollup.objects.bulk_create(
        DailyRollup(meter=meter, day=date(2026, 11, 1) + timedelta(days=i), value=300.0, intervals=24)
        for i in range(30) if i not in (9, 10)
    )  # fmt: skip
    page.goto(live_server.url + f"/monitoring/org/{people.org[2]}/教学楼/?on=2026-11-30")
    page.fill("input[name=username]", "reporter")
    page.fill("input[name=password]", PASSWORD)
    page.press("input[name=password]", "Enter")
    page.wait_for_selector("#offers")
    page.fill("#offers input[name=month]", "2026-11")
    page.click("#offers button[type=submit]")
    page.wait_for_url("**/reporting/fill/**")
    assert "11-10、11-11" in page.inner_text(".messages, [role=alert], body")
    notes = page.inner_text("#value-notes")
    assert "8,400.00" in notes and "不完整" in notes
    shot(page, "monitoring-offer-fill")
    submission = Submission.objects.get(organisation_id=people.org[2], period="2026-11")
    page.context.clear_cookies()
    page.goto(live_server.url + f"/reporting/submission/{submission.pk}/")
    page.fill("input[name=username]", "department")
    page.fill("input[name=password]", PASSWORD)
    page.press("input[name=password]", "Enter")
    page.wait_for_selector("#value-notes")
    assert "8,400.00" in page.inner_text("#value-notes")
    shot(page, "monitoring-offer-review")
