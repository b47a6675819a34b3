"""Action plans in a real browser: the city office imports its plan from a sheet, reads the actions with
their owners, deadlines and states, and reports progress on one. Screenshots in ``var/screenshots/``."""

from pathlib import Path

import pytest
from browser import needs_chromium, shot
from conftest import PASSWORD
from test_targets_plans import GOOD, workbook

from jieneng.targets.models import Action

pytestmark = [needs_chromium, pytest.mark.django_db(transaction=True)]


def test_city_imports_a_plan_and_reports_progress(people, live_server, page, tmp_path: Path):
    sheet = workbook(tmp_path / "创新行动计划.xlsx", GOOD)
    page.goto(live_server.url + "/targets/plans/")
    page.fill("input[name=username]", "city_admin")
    page.fill("input[name=password]", PASSWORD)
    page.press("input[name=password]", "Enter")
    page.wait_for_url("**/targets/plans/")
    page.click("a.button:has-text('导入行动计划')")
    page.fill("input[name=title]", "创新行动计划（2008—2012年）")
    page.fill("input[name=start_year]", "2008")
    page.fill("input[name=end_year]", "2012")
    page.set_input_files("input[name=sheet]", str(sheet))
    page.click("button:has-text('导入')")
    assert "共 3 项行动" in page.inner_text(".messages")
    shot(page, "targets-plan-imported")
    row = page.locator("#action-1")
    row.locator("select[name=status]").select_option("under_way")
    row.locator("input[name=value]").fill("861.5")
    row.locator("button:has-text('填报')").click()
    assert "行动 1 的进展已记录" in page.inner_text(".messages")
    assert "50.0 %" in page.inner_text("#action-1")
    assert Action.objects.get(number=1).status == "under_way"
    shot(page, "targets-plan-reported")
    page.click("nav.tabs a:has-text('行动计划')")
    assert "创新行动计划" in page.inner_text("table")
    shot(page, "targets-plans")
