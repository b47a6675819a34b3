"""The assessment in a real browser: the city office opens a round, 榕城区 fills and submits its
self-check, the check team lowers an item with its reason, the office finalises, and the grade table
shows 揭西县 vetoed for its missed water target. Screenshots in ``var/screenshots/``."""

import pytest
from browser import chromium, needs_chromium, shot
from conftest import PASSWORD

from jieneng.assessment import services
from jieneng.assessment.models import Adjustment, Entry, Party, Result, Round

pytestmark = [needs_chromium, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def page(monkeypatch):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with chromium() as browser:
        context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="zh-CN")
        yield context.new_page()


def sign_in(page, url: str, name: str) -> None:
    page.context.clear_cookies()
    page.goto(url)
    page.fill("input[name=username]", name)
    page.fill("input[name=password]", PASSWORD)
    page.press("input[name=password]", "Enter")
    page.wait_for_load_state()


def _jiexi_self_check(round_: Round) -> None:
    """揭西县 submits through the service: every item full, its water reduction at 91 % of its target."""
    party = Party.objects.get(round=round_, region__code="445222")
    built = services.scheme(round_)
    given = {}
    for iid, item in built.items.items():
        if item.method == "completion":
            share = 0.91 if iid == "water_per_person" else 1.1
            given[iid] = services.ItemInput(inputs={"target": 4.0, "actual": 4.0 * share})
        elif item.method == "yes_no":
            given[iid] = services.ItemInput(value=1.0)
        elif item.method == "count":
            given[iid] = services.ItemInput(value=4.0)
        else:
            given[iid] = services.ItemInput(value=item.points)
    assert services.save_self_check(party, given, submit=True, user=None) == []


def test_open_self_check_verify_finalise_and_the_veto_shows(people, live_server, page):
    sign_in(page, live_server.url + "/assessment/", "city_admin")
    page.click("a.button:has-text('开设考核')")
    page.select_option("select[name=scheme]", "public-institution")
    page.fill("input[name=year]", "2025")
    page.fill("input[name=self_check_due]", "2026-03-31")
    page.fill("input[name=verification_due]", "2026-08-27")
    page.uncheck("input[name=parties][value='445224']")
    shot(page, "assessment-open")
    page.click("button:has-text('开设')")
    page.wait_for_url("**/assessment/*/")
    round_ = Round.objects.get()
    page.click("button:has-text('开始自查')")
    page.wait_for_load_state()
    assert "自查" in page.inner_text("main")
    _jiexi_self_check(round_)

    sign_in(page, f"{live_server.url}/assessment/{round_.pk}/", "county_admin")
    page.click("a:has-text('填写自查')")
    page.wait_for_load_state()
    for name in ("total_energy", "energy_per_person", "energy_per_m2", "water_per_person"):
        page.fill(f"input[name=in_{name}_target]", "4")
        page.fill(f"input[name=in_{name}_actual]", "4.4")
    for name, value in {"leadership": "7", "retrofits": "9", "energy_labels": "5", "vehicles": "4"}.items():
        page.fill(f"input[name=v_{name}]", value)
    for name, value in {"metering": "4", "trainings": "3", "publicity_week": "6"}.items():
        page.fill(f"input[name=v_{name}]", value)
    page.select_option("select[name=v_statistics_on_time]", "1")
    page.select_option("select[name=v_targets_decomposed]", "1")
    page.fill("input[name=note_retrofits]", "LED 照明改造 3 栋")
    page.set_input_files("input[name=file_retrofits]", files=[
        {"name": "改造验收单.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4 accepted"}
    ])  # fmt: skip
    page.fill("input[name=v_leadership]", "9")  # above the 8 points: refused, nothing saved
    page.click("button:has-text('提交核查组')")
    page.wait_for_load_state()
    assert "超出 0–8 分" in page.inner_text("[role=alert]")
    shot(page, "assessment-self-check-error")
    assert not Entry.objects.filter(
        party__region__code="445202", item="leadership", value__isnull=False
    ).exists()
    page.fill("input[name=v_leadership]", "7")
    page.set_input_files("input[name=file_retrofits]", files=[
        {"name": "改造验收单.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4 accepted"}
    ])  # fmt: skip
    page.click("button:has-text('提交核查组')")
    page.wait_for_load_state()
    assert "已提交核查组" in page.inner_text("main")
    shot(page, "assessment-self-check")

    sign_in(page, f"{live_server.url}/assessment/{round_.pk}/", "city_admin")
    page.click("button:has-text('结束自查')")
    page.wait_for_load_state()
    page.locator("tr:has-text('榕城区') a:has-text('核查')").click()
    page.wait_for_load_state()
    page.fill("input[name=v_retrofits]", "6")
    page.fill("input[name=reason_retrofits]", "现场核查：空调改造未完工")
    shot(page, "assessment-verify")
    page.click("button:has-text('保存核查结果')")
    page.wait_for_load_state()
    assert Adjustment.objects.get().reason == "现场核查：空调改造未完工"
    page.click("button:has-text('定稿并锁定')")
    page.wait_for_load_state()
    page.click("a:has-text('考核结果与等级')")
    page.wait_for_load_state()
    table = page.inner_text("table.grades")
    assert "揭西县" in table and "一票否决" in table and "未完成" in table
    assert Result.objects.get(party__region__code="445202").items["retrofits"] == 6
    shot(page, "assessment-results")
    page.goto(f"{live_server.url}/assessment/{round_.pk}/")
    assert "已锁定" in page.inner_text("main")
    shot(page, "assessment-round")


def test_the_demonstration_units_by_level_and_kind(people, live_server, page):
    from jieneng.assessment.units import apply
    from jieneng.directory.models import Organisation
    from jieneng.reference.schemes import load_scheme

    scheme = load_scheme("demonstration-unit")
    inputs = {
        column: {"value": 0.85, "peer": 1.0, "certified": False, "yes_no": True}.get(kind, item.points)
        for column, kind, item in scheme.inputs()
    }
    apply(
        Organisation.objects.get(name="榕城区第一中学"), year=2025, level="city", kind="saving", inputs=inputs
    )
    apply(
        Organisation.objects.get(name="揭西县图书馆"),
        year=2025,
        level="provincial",
        kind="water",
        inputs={**inputs, "statistics": 0.0},
    )
    sign_in(page, live_server.url + "/assessment/units/", "city_admin")
    assert "榕城区第一中学" in page.inner_text("table") and "未通过" in page.inner_text("table")
    shot(page, "assessment-units")


def test_a_county_records_a_training(people, live_server, page):
    sign_in(page, live_server.url + "/assessment/events/", "county_admin")
    page.fill("input[name=on]", "2025-06-01")
    page.select_option("select[name=kind]", "training")
    page.fill("input[name=title]", "公共机构节能培训")
    page.fill("input[name=participants]", "60")
    page.fill("input[name=materials]", "120")
    page.click("button:has-text('记录')")
    page.wait_for_load_state()
    assert "公共机构节能培训" in page.inner_text("table")
    shot(page, "assessment-events")
