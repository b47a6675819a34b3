"""The document pages in a real browser: the city office generates the statistics bulletin of 2025, sees
its pages, issues it under the next number, and a county office reads it. Screenshots in
``var/screenshots/``."""

import pytest
from browser import needs_chromium, shot
from conftest import PASSWORD

from jieneng.bulletins.models import IssuedDocument

pytestmark = [needs_chromium, pytest.mark.django_db(transaction=True)]


def sign_in(page, url: str, who: str) -> None:
    page.goto(url)
    page.fill("input[name=username]", who)
    page.fill("input[name=password]", PASSWORD)
    page.press("input[name=password]", "Enter")


def test_city_generates_previews_and_issues_a_bulletin(people, live_server, page):
    sign_in(page, live_server.url + "/documents/", "city_admin")
    page.wait_for_url("**/documents/")
    page.select_option("select[name=kind]", "statistics")
    page.select_option("select[name=region]", "445200")
    page.fill("input[name=period]", "2025")
    shot(page, "bulletins-index")
    page.click("button:has-text('生成')")
    page.wait_for_selector(".pages img")
    page.wait_for_load_state("networkidle")
    assert "已根据数据生成草稿" in page.inner_text(".messages")
    assert page.locator(".pages img").count() >= 2
    shot(page, "bulletins-draft")
    with page.expect_navigation():
        page.click("button:has-text('按下一个发文字号印发')")
    assert "揭公节能办〔" in page.inner_text(".messages")
    doc = IssuedDocument.objects.get()
    assert doc.status == "issued" and doc.sequence == 1
    page.wait_for_load_state("networkidle")
    shot(page, "bulletins-issued")
    page.goto(live_server.url + "/documents/")
    shot(page, "bulletins-list")


def test_the_upload_form_says_what_is_wrong(people, live_server, page, tmp_path):
    bad = tmp_path / "模板.docx"
    bad.write_bytes(b"not a word file")
    sign_in(page, live_server.url + "/documents/template/statistics/445200/", "city_admin")
    page.wait_for_url("**/documents/template/**")
    page.set_input_files("input[name=file]", str(bad))
    page.click("button:has-text('上传本单位版本')")
    text = page.inner_text("[role=alert]")
    assert "模板.docx" in text and "仍使用原模板" in text
    shot(page, "bulletins-template-refused")
