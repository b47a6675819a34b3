"""The target pages in a real browser: the city office sets this year's energy cap, is told what is wrong
with a reversed range, splits the cap among its counties by hand, reads that they together meet it, and
finds the county given less than it uses in the warning list. Screenshots in ``var/screenshots/``."""

import pytest
from browser import needs_chromium, shot
from conftest import PASSWORD

from jieneng.statistics import figures
from jieneng.targets.models import Target

pytestmark = [needs_chromium, pytest.mark.django_db(transaction=True)]


def test_city_sets_a_cap_splits_it_and_watches_a_county_fall_behind(people, live_server, page):
    frame, _used = figures.region_sums(["445202", "445222"], [2025])
    tce = {r["region"]: r["kgce"] / 1000 for r in frame.iter_rows(named=True)}
    total = round(sum(tce.values()), 3)
    page.goto(live_server.url + "/targets/")
    page.fill("input[name=username]", "city_admin")
    page.fill("input[name=password]", PASSWORD)
    page.press("input[name=password]", "Enter")
    page.wait_for_url("**/targets/")
    page.click("a.button:has-text('设定目标')")
    page.fill("input[name=name]", "2025年能源消费总量上限")
    page.select_option("select[name=indicator]", "energy_total")
    page.fill("input[name=start_year]", "2025")
    page.fill("input[name=end_year]", "2025")
    page.select_option("select[name=kind]", "range")
    page.fill("input[name=low]", "4.5")
    page.fill("input[name=high]", "4.0")
    page.fill("input[name=base_year]", "2024")
    page.select_option("select[name=binding]", "binding")
    page.click("button:has-text('保存')")
    assert "下限" in page.inner_text("form.stacked") and not Target.objects.exists()
    shot(page, "targets-form-errors")

    page.select_option("select[name=kind]", "cap")
    page.fill("input[name=low]", "")
    page.fill("input[name=high]", "")
    page.fill("input[name=base_year]", "")
    page.fill("input[name=value]", str(total))
    page.click("button:has-text('保存')")
    assert "目标已保存" in page.inner_text(".messages")

    page.click("a.button:has-text('分解下达')")
    page.select_option("select[name=method]", "hand")
    page.fill("input[name=share_445202]", str(round(tce["445202"] * 0.8, 3)))
    page.fill("input[name=share_445222]", str(round(total - round(tce["445202"] * 0.8, 3), 3)))
    page.fill("input[name=share_445224]", "0")
    page.click("button:has-text('分解下达')")
    assert "目标已分解到 3 个地区" in page.inner_text(".messages")
    assert "下级目标合计达到本目标" in page.inner_text("main")
    shot(page, "targets-detail-split")

    page.click("nav.tabs a:has-text('预警名单')")
    rows = page.inner_text("table")
    assert "榕城区" in rows and "红色" in rows and "揭西县" not in rows
    shot(page, "targets-warnings")


def test_city_signs_a_letter_and_deploys_a_task(people, live_server, page, tmp_path):
    from jieneng.targets.models import Deployment, Letter

    scan = tmp_path / "榕城区责任书.pdf"
    scan.write_bytes(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
    renamed = tmp_path / "揭西县责任书.pdf"
    renamed.write_bytes(b"PK\x03\x04\x14\x00\x00\x00word/document.xml")
    page.goto(live_server.url + "/targets/letters/")
    page.fill("input[name=username]", "city_admin")
    page.fill("input[name=password]", PASSWORD)
    page.press("input[name=password]", "Enter")
    page.wait_for_url("**/targets/letters/")
    page.click("button:has-text('印发本年度目标责任书')")
    assert "3 份目标责任书" in page.inner_text(".messages")
    page.click("tr:has-text('榕城区') a.button:has-text('登记签订')")
    page.fill("input[name=signed_on]", "2026-09-06")
    page.set_input_files("input[name=scan]", str(renamed))
    page.click("button:has-text('保存')")
    assert "揭西县责任书.pdf" in page.inner_text("form.stacked") and "Word" in page.inner_text("form.stacked")
    page.set_input_files("input[name=scan]", str(scan))
    page.click("button:has-text('保存')")
    assert "签订情况已登记" in page.inner_text(".messages")
    assert "2 个单位尚未签订" in page.inner_text("main")
    assert Letter.objects.filter(signed_on__isnull=False).count() == 1
    shot(page, "targets-letters")

    page.click("nav.tabs a:has-text('工作部署')")
    page.click("a.button:has-text('部署工作')")
    page.fill("input[name=title]", "报送节能目标责任实施方案")
    page.fill("input[name=due]", "2099-09-20")
    page.check("input[name=recipients][value='445202']")
    page.check("input[name=recipients][value='445222']")
    page.click("button:has-text('部署')")
    assert "已部署到 2 个地区" in page.inner_text(".messages")
    assert Deployment.objects.get().assignments.count() == 2
    shot(page, "targets-task")
