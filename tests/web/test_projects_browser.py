"""The project register in a real browser: the county office opens the register, filters it, walks to
its LED street-light project and reads its progress, estimate, contract and subsidy; the building
retrofit's page draws the measured-savings chart. Screenshots are left in ``var/screenshots/``."""

from datetime import date

import pytest
from browser import chromium, needs_chromium, shot
from conftest import PASSWORD

from jieneng.projects import demo

pytestmark = [needs_chromium, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def page(monkeypatch):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with chromium() as browser:
        context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="zh-CN")
        yield context.new_page()


def test_register_to_project_page(people, live_server, page):
    assert demo.load("445200", date.today()) == 2
    page.goto(live_server.url + "/projects/")
    page.fill("input[name=username]", "city_admin")
    page.fill("input[name=password]", PASSWORD)
    page.press("input[name=password]", "Enter")
    page.wait_for_url("**/projects/")
    assert page.locator("table.projects tbody tr").count() == 2
    assert "2 个项目" in page.inner_text("p.count")
    shot(page, "projects-register")

    page.select_option("select[name=kind]", "street_lighting")
    page.click("form[role=search] button[type=submit]")
    assert page.locator("table.projects tbody tr").count() == 1
    row = page.inner_text("table.projects tbody tr")
    assert "6,500 / 9,016" in row and "72 %" in row
    page.click(f"text={demo.LED_NAME}")
    page.wait_for_selector("#progress")
    assert "72 %" in page.inner_text("#progress")
    assert "electricity-equal-value-031@" in page.inner_text("#estimate")
    assert "节能效益分享型" in page.inner_text("#contract")
    assert "符合条件" in page.inner_text("#subsidy")
    shot(page, "projects-led")

    page.goto(live_server.url + "/projects/?contract=guaranteed_savings")
    page.click(f"text={demo.BUILDING_NAME}")
    page.wait_for_selector("#chart-savings svg")
    assert "caltrack-2.0-daily@" in page.inner_text("#measured")
    assert "不符合条件" in page.inner_text("#subsidy")
    shot(page, "projects-building")


def test_import_the_register_from_a_spreadsheet(people, live_server, page, tmp_path):
    header = (
        "项目名称,项目类型,地区代码,开工日期,计划数量,已完成数量,合同类型,节能服务公司,节能服务公司分享比例"
    )
    good = "榕城区LED路灯改造,路灯改造,445202,2026-01-05,9016,6500,节能效益分享型,某节能服务公司,80%"
    bad = tmp_path / "bad.csv"
    rows = ["围墙,路灯改造,445202,2026-13-01,5,,,,", "热泵,围墙改造,445222,2026-01-01,5,,,,"]
    bad.write_text("\n".join([header, good, *rows]) + "\n", encoding="utf-8")
    page.goto(live_server.url + "/projects/")
    page.fill("input[name=username]", "county_admin")
    page.fill("input[name=password]", PASSWORD)
    page.press("input[name=password]", "Enter")
    page.wait_for_url("**/projects/")
    page.click("text=从表格导入")
    page.set_input_files("input[name=file]", str(bad))
    page.click("form.stacked-form button[type=submit]")
    alert = page.inner_text("[role=alert]")
    assert "没有保存" in alert and "第 3 行“开工日期”列" in alert and "第 4 行“项目类型”列" in alert
    assert "第 4 行“地区代码”列" in alert
    shot(page, "projects-import-refused")
    good_file = tmp_path / "good.csv"
    good_file.write_text(f"{header}\n{good}\n", encoding="utf-8")
    page.set_input_files("input[name=file]", str(good_file))
    page.click("form.stacked-form button[type=submit]")
    page.wait_for_url("**/projects/")
    assert "1 个项目已登记" in page.content()
    assert "6,500 / 9,016" in page.inner_text("table.projects tbody tr")
    shot(page, "projects-import-done")
