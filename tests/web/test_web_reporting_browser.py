"""The reporting pages in a real browser: sign in, upload a file with a mistake, see the problem on its
row, upload the corrected file, return one submission with a reason and approve another, and find the
approved figure on the overview.

Playwright drives Debian's Chromium against a live server, as in ``test_web_browser.py``; screenshots
are left in ``var/screenshots/`` for a person to look at. Without Chromium the test is skipped on a
developer's machine and fails in CI (``CI`` set), where it must run.
"""

import os
import re
import shutil
from pathlib import Path

import pytest
from django.contrib.auth.models import Permission, User

from jieneng.dashboard.services import YearNotAvailable, overview
from jieneng.reporting.models import Submission

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
HEADER = "统一社会信用代码,单位名称,统计期,电力消费量（千瓦时）,电费（元）\n"
PERIOD = "2026-09"
PASSWORD = "审核员的密码-2026"

pytestmark = [
    pytest.mark.skipif(
        not Path(CHROMIUM).exists() and not os.environ.get("CI"), reason="Chromium is not installed"
    ),
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def page(monkeypatch):
    from playwright.sync_api import sync_playwright

    # the test reads the database between browser steps, inside Playwright's event loop
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=FLAGS, headless=True)
        context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="zh-CN")
        yield context.new_page()
        browser.close()


@pytest.fixture
def files(loaded, tmp_path, settings):
    settings.UPLOADS_DIR = tmp_path / "uploads"
    (code1, name1), (code2, name2) = loaded.organisations.select("credit_code", "name").rows()[:2]

    def write(name: str, second: str) -> Path:
        path = tmp_path / name
        rows = [f"{code1},{name1},{PERIOD},9000,7000", f"{code2},{name2},{PERIOD},{second},4000"]
        path.write_text(HEADER + "\n".join(rows) + "\n", encoding="utf-8")
        return path

    return {"bad": write("九月.csv", "5千"), "fixed": write("九月-改.csv", "5000"), "names": (name1, name2)}


@pytest.fixture
def reviewer(loaded):
    person = User.objects.create_user("wang", password=PASSWORD, first_name="王审核")
    person.user_permissions.add(
        Permission.objects.get(codename="review_submission", content_type__app_label="reporting")
    )
    return person


def total_tce(year: int) -> float:
    """The overview's 综合能耗 [tce] of the city in ``year``; 0 before any approved record."""
    try:
        return overview(None, year).totals.tce.value
    except YearNotAvailable:
        return 0.0


def shot(page, name: str) -> None:
    page.screenshot(path=str(SHOTS / name), full_page=True)


def test_upload_fix_review_and_see_it_on_the_overview(live_server, page, files, reviewer):
    SHOTS.mkdir(parents=True, exist_ok=True)
    name1, name2 = files["names"]
    before = total_tce(2026)

    page.goto(live_server.url + "/reporting/")
    page.wait_for_url("**/accounts/login/**")
    page.fill("input[name=username]", "wang")
    page.fill("input[name=password]", PASSWORD)
    shot(page, "reporting-login.png")
    page.click("form.stacked button[type=submit]")
    page.wait_for_url("**/reporting/")
    assert "王审核" in page.locator("header").inner_text()
    shot(page, "reporting-index.png")

    # a file with a mistake: nothing is stored, the problem is shown on its row
    page.click("a[href='/reporting/import/']")
    page.select_option("select[name=form]", "pi-energy")
    page.set_input_files("input[type=file]", str(files["bad"]))
    shot(page, "reporting-upload.png")
    page.click("form.stacked button[type=submit]")
    page.wait_for_url(re.compile(r".*/reporting/import/[0-9a-f-]{36}/$"))
    problem = page.locator("tr.blocking").first
    assert problem.locator("td").nth(1).inner_text() == "3"
    assert "5千" in problem.inner_text()
    assert not Submission.objects.filter(period=PERIOD).exists()
    shot(page, "reporting-job-blocked.png")

    # the corrected file: both rows stored
    page.click("a[href='/reporting/import/?form=pi-energy']")
    page.set_input_files("input[type=file]", str(files["fixed"]))
    page.click("form.stacked button[type=submit]")
    page.wait_for_selector(".outcome-done")
    assert page.locator("dl.counts dd").nth(1).inner_text() == "2"  # new submissions
    shot(page, "reporting-job-done.png")

    # the review queue: return the first with a reason, approve the second
    page.click("nav.site-nav a[href='/reporting/review/']")
    page.fill("input[name=period]", PERIOD)
    page.click("form.filters button[type=submit]")
    page.wait_for_url(f"**/reporting/review/?*period={PERIOD}*")
    assert page.locator("table.queue tbody tr").count() == 2
    shot(page, "reporting-queue.png")
    page.get_by_label(f"{name1} {PERIOD}").check()
    page.fill("input[name=reason]", "电费与电量不符，请核实")
    page.click("button[name=action][value=return]")
    page.wait_for_selector(".message.success")
    assert page.locator("table.queue tbody tr").count() == 1
    page.get_by_label(f"{name2} {PERIOD}").check()
    page.click("button[name=action][value=approve]")
    page.wait_for_selector(".message.success")
    assert page.locator("table.queue tbody tr").count() == 0
    statuses = dict(Submission.objects.filter(period=PERIOD).values_list("organisation__name", "status"))
    assert statuses == {name1: "returned", name2: "approved"}

    # the returned one shows its reason
    page.goto(live_server.url + f"/reporting/review/?status=returned&period={PERIOD}")
    page.click(f"text={name1}")
    assert "电费与电量不符，请核实" in page.locator("section.history").inner_text()
    shot(page, "reporting-submission.png")

    # the approved figure reaches the overview of its year
    after = total_tce(2026)
    assert after > before
    page.click("nav.site-nav a[href='/']")
    page.goto(live_server.url + "/?year=2026")
    body = page.locator("body").inner_text()
    assert f"{after:,.2f}" in body
    assert before == 0 or f"{before:,.2f}" not in body
    shot(page, "reporting-overview-2026.png")


def test_a_large_file_shows_its_progress_until_the_worker_is_done(
    live_server, page, files, reviewer, settings
):
    from jieneng.reporting.imports import run_import
    from jieneng.reporting.models import ImportJob

    SHOTS.mkdir(parents=True, exist_ok=True)
    settings.JIENENG_INLINE_IMPORT_BYTES = 1  # every upload goes to the task worker
    page.goto(live_server.url + "/accounts/login/?next=/reporting/import/")
    page.fill("input[name=username]", "wang")
    page.fill("input[name=password]", PASSWORD)
    page.click("form.stacked button[type=submit]")
    page.wait_for_url("**/reporting/import/")
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
