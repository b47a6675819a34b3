"""The directory pages in a real browser: a city office searches its organisations, changes one and
finds the change in its history, makes mistakes in the yearly facts and in a new registration and reads
what to fix, and looks at its region tree.

Playwright drives Debian's Chromium against a live server, as in ``test_web_browser.py``; screenshots
are left in ``var/screenshots/`` for a person to look at. Without Chromium the test is skipped on a
developer's machine and fails in CI (``CI`` set), where it must run.
"""

import pytest
from browser import needs_chromium, shot
from conftest import ORGANISATIONS, PASSWORD

from jieneng.directory.models import Organisation

pytestmark = [
    needs_chromium,
    pytest.mark.django_db(transaction=True),
]


def test_city_office_maintains_its_directory(people, live_server, page):
    page.goto(live_server.url + "/directory/")
    page.fill("input[name=username]", "city_admin")
    page.fill("input[name=password]", PASSWORD)
    page.locator("form button[type=submit]").last.click()
    page.wait_for_url("**/directory/")
    assert page.locator("table.organisations tbody tr").count() == 7
    assert "共 7 家单位" in page.inner_text("p.count")
    shot(page, "directory-list")

    page.fill("input[name=q]", "人民")
    page.select_option("select[name=region]", "445202")
    page.click("form[role=search] button[type=submit]")
    assert page.locator("table.organisations tbody tr").count() == 1
    page.click("text=榕城区人民医院")
    page.click("text=修改基本信息")
    page.fill("input[name=address]", "榕城区新阳路88号")
    page.select_option("select[name=type_code]", "021")
    page.click("button:has-text('保存')")
    assert "已保存：单位性质、地址。" in page.inner_text(".messages")
    history = page.inner_text("table.history")
    assert "city_admin" in history and "卫生" in history and "教育" in history and "新阳路88号" in history
    shot(page, "directory-detail")
    assert Organisation.objects.get(pk=people.org[3]).type_code == "021"

    page.click("text=填写或更正年度基本信息")
    page.fill("input[name=building_area_m2]", "-5")
    page.fill("input[name=persons]", "12.5")
    page.fill("input[name=year]", "2099")
    page.click("button:has-text('保存')")
    errors = page.inner_text("form.stacked")
    assert "2099 年尚未到来" in errors and "建筑面积不能为负数。" in errors and "用能人数请填写整数" in errors
    shot(page, "directory-facts-errors")

    page.goto(live_server.url + "/directory/organisation/new/")
    page.fill("input[name=credit_code]", ORGANISATIONS[1][1][:-1] + "0")
    page.fill("input[name=name]", "榕城区第二中学")
    page.select_option("select[name=type_code]", "021")
    page.click("button:has-text('保存')")
    errors = page.inner_text("form.stacked")
    assert "校验码" in errors and "请选择单位所在地区。" in errors
    shot(page, "directory-register-errors")

    page.goto(live_server.url + "/directory/regions/")
    assert page.locator("table.regions tbody tr").count() == 4
    shot(page, "directory-regions")
