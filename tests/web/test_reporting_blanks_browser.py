"""In a real browser: a department uploads a month, then a corrected workbook with the water cell left
blank; the job page says the stored value was kept, and the confirmed button clears it in a new run.
Screenshots in ``var/screenshots/``."""

import pytest
from browser import SHOTS, needs_chromium
from conftest import PASSWORD
from test_reporting_blanks import _current, workbook

pytestmark = [needs_chromium, pytest.mark.django_db(transaction=True)]


def shot(page, name: str) -> None:
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def _upload(page, url: str, path, *, clear: bool = False) -> None:
    page.goto(url + "/reporting/import/")
    page.set_input_files("input[name=file]", str(path))
    if clear:
        page.check("input[name=clear_blanks]")
    page.click("button:has-text('上传并检查')")
    page.wait_for_selector("#job-status.finished")


def test_a_blank_cell_is_kept_then_cleared_on_confirmation(people, live_server, page, tmp_path):
    page.goto(live_server.url + "/reporting/")
    page.fill("input[name=username]", "department")
    page.fill("input[name=password]", PASSWORD)
    page.press("input[name=password]", "Enter")
    page.wait_for_url("**/reporting/")
    _upload(page, live_server.url, workbook(tmp_path / "九月.xlsx", 1000, 800, 50))
    _upload(page, live_server.url, workbook(tmp_path / "九月-改.xlsx", 1200, 900, None))
    assert "空白单元格保留了已存数值" in page.inner_text("#blanks")
    assert _current().values["water"] == 50
    shot(page, "reporting-blanks-kept")
    page.click("button:has-text('重新导入并清除这些数值')")  # refused by the browser: the tick is required
    assert "/again/" not in page.url and _current().values["water"] == 50
    page.check("#blanks input[name=confirm]")
    page.click("button:has-text('重新导入并清除这些数值')")
    page.wait_for_selector("#job-status.finished")
    assert "清除了对应的已存数值" in page.inner_text("#job-status")
    assert _current().values["water"] is None
    shot(page, "reporting-blanks-cleared")
    page.goto(live_server.url + "/reporting/import/")
    shot(page, "reporting-upload-form")
