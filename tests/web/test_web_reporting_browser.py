"""The reporting pages in a real browser, each person signed in with their own role: the reporter of
榕城区第一中学 uploads a file with a mistake, sees the problem on its row and uploads the corrected
file; the reviewer of 榕城区 returns one month with a reason and approves the other; the reporter
finds the reason on the home page, fixes the month in the online form (checked as typed) and submits
it; the reviewer approves it, sees who has not reported, and the figure reaches the overview.

Playwright drives Debian's Chromium against a live server, as in ``test_web_browser.py``; screenshots
are left in ``var/screenshots/`` for a person to look at. Without Chromium the test is skipped on a
developer's machine and fails in CI (``CI`` set), where it must run.
"""

import re
from pathlib import Path

import pytest
from browser import SHOTS, chromium, needs_chromium
from conftest import ORGANISATIONS, PASSWORD

from jieneng.dashboard.services import YearNotAvailable, overview
from jieneng.reporting.models import Submission

HEADER = "统一社会信用代码,单位名称,统计期,电力消费量（千瓦时）,电费（元）,填写说明\n"
AUGUST, SEPTEMBER = "2026-08", "2026-09"
SCHOOL = ORGANISATIONS[1]  # 榕城区第一中学, the reporter's unit

pytestmark = [
    needs_chromium,
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def browser(monkeypatch):
    # the test reads the database between browser steps, inside Playwright's event loop
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with chromium() as launched:
        yield launched


@pytest.fixture
def files(people, tmp_path, settings):
    settings.UPLOADS_DIR = tmp_path / "uploads"
    _index, code, name, *_rest = SCHOOL

    def write(file_name: str, september: str) -> Path:
        path = tmp_path / file_name
        # August is 9,000 kWh against 5,000 a year ago: a verification check, explained in the file
        august = f"{code},{name},{AUGUST},9000,7000,暑期校舍改造施工用电"
        rows = [august, f"{code},{name},{SEPTEMBER},{september},4000,"]
        path.write_text(HEADER + "\n".join(rows) + "\n", encoding="utf-8")
        return path

    return {"bad": write("八九月.csv", "5千"), "fixed": write("八九月-改.csv", "5000")}


def sign_in(browser, live_server, username: str, target: str = "/reporting/"):
    """A new browser session of ``username`` (password of conftest), on ``target``."""
    page = browser.new_context(viewport={"width": 1366, "height": 768}, locale="zh-CN").new_page()
    page.goto(live_server.url + target)
    page.wait_for_url("**/accounts/login/**")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("form.stacked button[type=submit]")
    page.wait_for_url(f"**{target}")
    return page


def total_tce(year: int) -> float:
    """The overview's 综合能耗 [tce] of the city in ``year``; 0 before any approved record."""
    try:
        value = overview(None, year).totals.tce.value
    except YearNotAvailable:
        return 0.0
    assert value is not None
    return value


def shot(page, name: str) -> None:
    page.screenshot(path=str(SHOTS / name), full_page=True)


def upload(page, path: Path) -> None:
    page.click("a[href='/reporting/import/']")
    page.select_option("select[name=form]", "pi-energy")
    page.set_input_files("input[type=file]", str(path))
    page.click("form.stacked button[type=submit]")
    page.wait_for_url(re.compile(r".*/reporting/import/[0-9a-f-]{36}/$"))


def statuses() -> dict[str, str]:
    return dict(Submission.objects.filter(period__in=[AUGUST, SEPTEMBER]).values_list("period", "status"))


def test_report_review_fix_online_and_see_it_on_the_overview(live_server, browser, files, people):
    before = total_tce(2026)
    name = SCHOOL[2]

    # the reporter uploads: a mistake stores nothing and is shown on its row; the corrected file is stored
    reporter = sign_in(browser, live_server, "reporter")
    assert "榕城区第一中学" in reporter.locator("header").inner_text()
    upload(reporter, files["bad"])
    problem = reporter.locator("tr.blocking").first
    assert problem.locator("td").nth(1).inner_text() == "3" and "5千" in problem.inner_text()
    assert not statuses()
    shot(reporter, "reporting-job-blocked.png")
    reporter.goto(live_server.url + "/reporting/")
    upload(reporter, files["fixed"])
    reporter.wait_for_selector(".outcome-done")
    assert reporter.locator("dl.counts dd").nth(1).inner_text() == "2"  # new submissions
    assert statuses() == {AUGUST: "submitted", SEPTEMBER: "submitted"}

    # the reviewer returns August with a reason and approves September
    reviewer = sign_in(browser, live_server, "reviewer", "/reporting/review/")
    assert reviewer.locator("table.queue tbody tr").count() == 2
    shot(reviewer, "reporting-queue.png")
    reviewer.get_by_label(f"{name} {AUGUST}").check()
    reviewer.fill("input[name=reason]", "八月电费与电量不符，请核实")
    reviewer.click("button[name=action][value=return]")
    reviewer.wait_for_selector(".message.success")
    reviewer.get_by_label(f"{name} {SEPTEMBER}").check()
    reviewer.click("button[name=action][value=approve]")
    reviewer.wait_for_selector(".message.success")
    assert reviewer.locator("table.queue tbody tr").count() == 0
    assert statuses() == {AUGUST: "returned", SEPTEMBER: "approved"}

    # the reporter finds the reason at home and fixes August online, checked as typed
    reporter.goto(live_server.url + "/reporting/")
    attention = reporter.locator("#attention")
    assert "八月电费与电量不符，请核实" in attention.inner_text()
    shot(reporter, "reporting-index.png")
    attention.locator("a[href*='/reporting/fill/']").first.click()
    reporter.wait_for_url("**/reporting/fill/?*")
    assert "八月电费与电量不符，请核实" in reporter.locator(".outcome-returned").inner_text()
    assert reporter.input_value("input[name=v_electricity]") == "9000"
    reporter.fill("input[name=v_water]", "-5")
    reporter.fill("input[name=v_electricity]", "90,000,000")
    reporter.wait_for_selector("#msg-water .msg.blocking")
    reporter.wait_for_selector("#msg-electricity .msg.advisory")
    assert reporter.locator("button[name=action][value=submit]").is_disabled()
    shot(reporter, "reporting-fill.png")
    reporter.fill("input[name=v_water]", "２００")  # full-width digits, as some keyboards type them
    reporter.fill("input[name=v_electricity]", "9,000")
    reporter.fill("input[name=v_electricity_cost]", "6800")
    reporter.wait_for_selector("#msg-water .msg", state="detached")
    reporter.wait_for_function("!document.querySelector('button[name=action][value=submit]').disabled")
    reporter.click("button[name=action][value=submit]")
    reporter.wait_for_selector(".message.success")
    august = Submission.objects.get(period=AUGUST)
    assert (august.status, august.current) == ("submitted", 2)
    assert august.revisions.get(number=2).values["water"] == 200

    # the reviewer approves it; who has not reported; the approved figure reaches the overview
    reviewer.goto(live_server.url + "/reporting/review/")
    reviewer.get_by_label(f"{name} {AUGUST}").check()
    reviewer.click("button[name=action][value=approve]")
    reviewer.wait_for_selector(".message.success")
    assert statuses() == {AUGUST: "approved", SEPTEMBER: "approved"}
    reviewer.click("a[href^='/reporting/overdue/']")
    reviewer.wait_for_url("**/reporting/overdue/**")
    reviewer.fill("input[name=period]", SEPTEMBER)
    reviewer.click("form.filters button[type=submit]")
    reviewer.wait_for_url(f"**period={SEPTEMBER}*")
    late = reviewer.locator("table.late").inner_text()
    assert "榕城区人民医院" in late and name not in late  # the school has reported; the hospital not
    shot(reviewer, "reporting-overdue.png")

    after = total_tce(2026)
    assert after > before
    office = sign_in(browser, live_server, "city_admin", "/?year=2026")
    body = office.locator("body").inner_text()
    assert f"{after:,.2f}" in body
    shot(office, "reporting-overview-2026.png")


def test_a_large_file_shows_its_progress_until_the_worker_is_done(live_server, browser, files, settings):
    from jieneng.reporting.imports.run import run_import
    from jieneng.reporting.models import ImportJob

    settings.JIENENG = settings.JIENENG.replace(inline_import_bytes=1)  # every upload goes to the task worker
    page = sign_in(browser, live_server, "reporter", "/reporting/import/")
    assert page.locator("select[name=form]").input_value() == "pi-energy"  # the monthly form first
    page.set_input_files("input[type=file]", str(files["fixed"]))
    page.click("form.stacked button[type=submit]")
    page.wait_for_selector("section.job.running progress")
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.QUEUED
    shot(page, "reporting-job-queued.png")

    url = page.url
    run_import(job.pk)  # what the worker does; the page polls and shows the result by itself
    page.wait_for_selector(".outcome-done", timeout=10_000)
    assert page.url == url
    assert page.locator("[hx-trigger]").count() == 0  # finished: no more polling
    assert page.locator("dl.counts dd").nth(1).inner_text() == "2"
