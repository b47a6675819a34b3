"""Documents as a reader sees them: the Word file's page, margins, faces and head; the PDF's pages,
page numbers and type area; the figures in the text equal the statistics services'; numbering, scope
and uploaded templates."""

from __future__ import annotations

import io
import re
import zipfile
from datetime import date
from pathlib import Path
from types import SimpleNamespace

import docx
import pdfplumber
import pytest
from django.test import Client

from jieneng.bulletins import services
from jieneng.bulletins.models import IssuedDocument, OfficeTemplate
from jieneng.core import wording
from jieneng.directory.models import Region
from jieneng.io.writers.pages import pdf_pages_png
from jieneng.reference.bulletins import load_layout, load_rounding
from jieneng.statistics import figures

pytestmark = pytest.mark.django_db
MM = 72 / 25.4


@pytest.fixture
def bulletin(loaded: SimpleNamespace) -> IssuedDocument:
    return services.generate("statistics", Region.objects.current().get(code="445200"), "2025")


def test_the_word_file_is_laid_out_after_gbt9704(bulletin: IssuedDocument) -> None:
    data = services.render(bulletin, "docx")
    word = docx.Document(io.BytesIO(data))
    section = word.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    margins = [
        round(m.mm)
        for m in (section.top_margin, section.bottom_margin, section.left_margin, section.right_margin)
    ]
    assert margins == [37, 35, 28, 26]
    xml = zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml").decode()
    east_asia = set(re.findall(r'w:eastAsia="([^"]+)"', xml))
    assert east_asia and all(
        "CJK" in f or "AR PL" in f or "_GB2312" in f or f in ("黑体", "宋体") for f in east_asia
    )
    runs = [r for p in word.paragraphs for r in p.runs if r.text.strip()]
    assert all(
        r._r.rPr.rFonts.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia")
        for r in runs
    )
    body = next(p for p in word.paragraphs if p.text.startswith("2025年"))
    assert body.runs[0].font.size.pt == 16 and round(body.paragraph_format.line_spacing.pt, 1) == 29.0
    assert word.paragraphs[0].text == "揭阳市2025年公共机构能源资源消费"
    assert word.settings.odd_and_even_pages_header_footer
    odd, even = section.footer.paragraphs[0], section.even_page_footer.paragraphs[0]
    assert "PAGE" in odd._p.xml and odd.text.startswith("— ") and odd.alignment == 2 and even.alignment == 0
    from jieneng.io.writers.fonts import installed_faces

    comments = word.core_properties.comments
    assert "gbt9704-2012@1" in comments
    if "仿宋_GB2312" not in installed_faces():  # the official faces are named where missing
        assert "仿宋_GB2312 未安装" in comments


def test_the_figures_in_the_text_are_the_services(bulletin: IssuedDocument) -> None:
    frame, _used = figures.region_sums(["445200"], [2024, 2025])
    now = frame.filter(frame["year"] == 2025).row(0, named=True)
    before = frame.filter(frame["year"] == 2024).row(0, named=True)
    r = load_rounding()
    per_m2 = now["kgce"] / now["area_m2"]
    change = (round(per_m2, 4) / round(before["kgce"] / before["area_m2"], 4) - 1) * 100
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(services.render(bulletin, "docx"))).paragraphs)
    assert f"能源消费总量 {wording.amount(now['kgce'], 'kgce', r)}" in text
    assert (
        f"单位建筑面积能耗 {wording.fixed(per_m2, 3)} 千克标准煤/平方米，比上年{wording.change(change, r)}"
        in text
    )
    assert f"共 {int(now['units'])} 家" in text
    table = docx.Document(io.BytesIO(services.render(bulletin, "docx"))).tables[0]
    assert table.rows[1].cells[0].text == "合计" and table.rows[1].cells[4].text == wording.fixed(per_m2, 3)


def test_the_pdf_pages_are_numbered_and_keep_to_the_type_area(loaded: SimpleNamespace) -> None:
    doc = services.generate("progress", Region.objects.current().get(code="445200"), "2026")
    doc = services.issue(doc, user=None, prefix="揭公节能办", on=date(2026, 12, 2))
    pdf = services.render(doc, "pdf")
    layout = load_layout()
    m = layout.margins_mm
    with pdfplumber.open(io.BytesIO(pdf)) as opened:
        assert len(opened.pages) >= 2
        for number, page in enumerate(opened.pages, start=1):
            assert round(page.width / MM) == 210 and round(page.height / MM) == 297
            bottom_of_area = page.height - m["bottom"] * MM
            words = page.extract_words()
            body = [w for w in words if w["top"] < bottom_of_area]
            foot = " ".join(w["text"] for w in words if w["top"] >= bottom_of_area)
            assert str(number) in foot, (number, foot)
            for w in body:
                assert w["x0"] >= m["left"] * MM - 2 and w["x1"] <= page.width - m["right"] * MM + 2, w
                assert w["top"] >= m["top"] * MM - 2, w
            numbers = [w for w in words if w["text"] == str(number) and w["top"] >= bottom_of_area]
            assert numbers and numbers[0]["top"] <= bottom_of_area + 12 * MM
            right = numbers[0]["x0"] > page.width / 2
            assert right == (number % 2 == 1)  # odd pages right, even pages left
        first = opened.pages[0].extract_text()
    assert "揭公节能办〔2026〕1号" in first.replace(" ", "")
    assert len(pdf_pages_png(pdf, dpi=30)) == len(opened.pages)


def test_numbers_run_per_office_and_year(loaded: SimpleNamespace) -> None:
    city = Region.objects.current().get(code="445200")
    made = [services.generate("statistics", city, "2025") for _ in range(3)]
    numbers = [
        services.issue(d, user=None, prefix="揭公节能办", on=date(2026, 3, 1)).number for d in made[:2]
    ]
    numbers.append(services.issue(made[2], user=None, prefix="揭公节能办", on=date(2027, 1, 5)).number)
    assert numbers == ["揭公节能办〔2026〕1号", "揭公节能办〔2026〕2号", "揭公节能办〔2027〕1号"]
    again = services.issue(made[0], user=None, prefix="x", on=date(2026, 3, 1))
    assert again.number == numbers[0]  # issued once


def test_a_document_is_made_again_from_its_snapshot(bulletin: IssuedDocument) -> None:
    first = services.compose(bulletin)
    Region.objects.filter(code="445202").update(name="改名区")
    IssuedDocument.objects.filter(pk=bulletin.pk).update()
    assert services.compose(IssuedDocument.objects.get(pk=bulletin.pk)) == first


def test_scope_reading_and_addressees(people: SimpleNamespace, client: Client) -> None:
    city = Region.objects.current().get(code="445200")
    county = Region.objects.current().get(code="445202")
    about_county = services.generate("statistics", county, "2025")
    client.force_login(people.other_county_admin)
    assert client.get(f"/documents/{about_county.pk}/file.xlsx").status_code == 404
    city_doc = services.generate("progress", city, "2026")
    assert client.get(f"/documents/{city_doc.pk}/file.docx").status_code == 404  # a draft
    services.issue(city_doc, user=None, prefix="揭公节能办", on=date(2026, 12, 2))
    response = client.get(f"/documents/{city_doc.pk}/file.docx")
    assert response.status_code == 200 and response.content[:2] == b"PK"
    assert client.get(f"/documents/{city_doc.pk}/issue/").status_code == 405
    assert (
        client.post(
            f"/documents/{city_doc.pk}/issue/", {"number_prefix": "x", "on": "2026-12-02"}
        ).status_code
        == 403
    )


def test_generate_from_the_page(people: SimpleNamespace, client: Client) -> None:
    client.force_login(people.county_admin)
    response = client.post("/documents/", {"kind": "statistics", "region": "445202", "period": "2025"})
    assert response.status_code == 302
    doc = IssuedDocument.objects.get()
    assert doc.office.code == "445202" and doc.addressed_to == []
    page = client.get(response["Location"])
    assert "榕城区2025年公共机构能源资源消费统计公报" in page.content.decode()
    assert client.get(f"/documents/{doc.pk}/page/1.png").content[:4] == b"\x89PNG"
    refused = client.post("/documents/", {"kind": "statistics", "region": "445200", "period": "2025"})
    assert refused.status_code == 200 and IssuedDocument.objects.count() == 1


def test_an_uploaded_template_with_an_unknown_placeholder_is_refused(
    people: SimpleNamespace, client: Client
) -> None:
    client.force_login(people.city_admin)
    url = "/documents/template/statistics/445200/"
    original = client.get(url + "?download=1").content
    word = docx.Document(io.BytesIO(original))
    word.paragraphs[2].text = "{year}年，全市能耗 {energi}。"
    edited = io.BytesIO()
    word.save(edited)
    edited.seek(0)
    edited.name = "公报模板.docx"
    page = client.post(url, {"file": edited}).content.decode()
    assert "{energi}" in page and ("3 段" in page or "Paragraph 3" in page)
    assert OfficeTemplate.objects.count() == 0
    word.paragraphs[2].text = "{year}年，{region}能源消费总量 {energy}，比上年{energy_change}。"
    good = io.BytesIO()
    word.save(good)
    good.seek(0)
    good.name = "公报模板.docx"
    assert client.post(url, {"file": good}).status_code == 302
    doc = services.generate("statistics", Region.objects.current().get(code="445200"), "2025")
    assert doc.template == "statistics@office-445200-1"
    text = [p.text for p in docx.Document(io.BytesIO(services.render(doc, "docx"))).paragraphs]
    assert any(t.startswith("2025年，揭阳市能源消费总量 ") for t in text)
    broken = io.BytesIO(b"not a zip")
    broken.name = "x.docx"
    assert "x.docx" in client.post(url, {"file": broken}).content.decode()


def test_the_work_report_names_the_targets_and_the_projects(people: SimpleNamespace) -> None:
    from jieneng.projects.models import Project
    from jieneng.targets.models import Target

    county = Region.objects.current().get(code="445202")
    Target.objects.create(
        name="2025年单位建筑面积能耗下降", region=county, indicator="energy_per_m2", start_year=2025,
        end_year=2025, base_year=2024, kind="reduction", reduction=3.0, binding="binding",
    )  # fmt: skip
    Project.objects.create(
        name="榕城区第一中学照明改造", kind="indoor_lighting", region=county, start=date(2025, 3, 1),
        planned_quantity=100, investment_yuan=1_250_000, status="under_way",
    )  # fmt: skip
    doc = services.generate("work-report", county, "2025")
    word = docx.Document(io.BytesIO(services.render(doc, "docx")))
    text = "\n".join(p.text for p in word.paragraphs)
    assert word.paragraphs[0].text.startswith("榕城区关于2025年公共机构节能")
    assert "揭阳市公共机构节能领导小组办公室：" in text
    assert "承担节能目标 1 项" in text and "登记节能改造项目 1 个" in text and "总投资 125.00 万元" in text
    assert [c.text for c in word.tables[1].rows[1].cells][:2] == ["榕城区第一中学照明改造", "榕城区"]


def test_a_city_batch_of_report_cards_is_one_zip_of_one_page_cards(
    people: SimpleNamespace, client: Client, settings: object, tmp_path: object
) -> None:
    from jieneng.bulletins.cards import unit_rows
    from jieneng.bulletins.models import CardBatch
    from jieneng.io.writers.pdf import docx_to_pdf

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}  # type: ignore[attr-defined]
    settings.DATA_DIR = tmp_path  # type: ignore[attr-defined]
    client.force_login(people.city_admin)
    response = client.post("/documents/cards/", {"region": "445200", "period": "2025"})
    batch = CardBatch.objects.get()
    assert response.status_code == 302 and batch.status == "done" and batch.done == batch.total == 7
    page = client.get(f"/documents/cards/{batch.pk}/").content.decode()
    assert "7" in page and f"/documents/cards/{batch.pk}/cards.zip" in page
    archive = zipfile.ZipFile(io.BytesIO(client.get(f"/documents/cards/{batch.pk}/cards.zip").content))
    names = archive.namelist()
    assert len(names) == 7 and any("榕城区第一中学" in n for n in names)
    school = next(n for n in names if "榕城区第一中学" in n)
    word = docx.Document(io.BytesIO(archive.read(school)))
    rows = {u["name"]: u for u in unit_rows("445200", 2025)}
    figures_school = rows["榕城区第一中学"]["figures"]
    assert word.tables[0].rows[2].cells[1].text == wording.figure(
        figures_school.per_m2, "intensity", load_rounding()
    )
    assert f"排第 {rows['榕城区第一中学']['rank']} 位" in "\n".join(p.text for p in word.paragraphs)
    with pdfplumber.open(io.BytesIO(docx_to_pdf(archive.read(school)))) as opened:
        assert len(opened.pages) == 1
    client.force_login(people.other_county_admin)
    assert client.get(f"/documents/cards/{batch.pk}/cards.zip").status_code == 404


def test_the_command_writes_the_tables_with_the_services_figures(
    loaded: SimpleNamespace, tmp_path: Path
) -> None:
    import argparse

    from python_calamine import CalamineWorkbook

    from jieneng.bulletins import commands

    out, err = io.StringIO(), io.StringIO()
    target = tmp_path / "公报.xlsx"
    args = argparse.Namespace(kind="statistics", region="445200", period="2025", output=str(target))
    assert commands.run(args, out, err) == 0, err.getvalue()
    rows = CalamineWorkbook.from_path(str(target)).get_sheet_by_index(0).to_python()
    frame, _used = figures.region_sums(["445202"], [2025])
    kgce = frame.row(0, named=True)["kgce"]
    rongcheng = next(r for r in rows if r and r[0] == "榕城区")
    assert rongcheng[2] == pytest.approx(round(kgce / 1000, 2))
    bad = argparse.Namespace(
        kind="statistics", region="445200", period="2025", output=str(tmp_path / "x.txt")
    )
    assert commands.run(bad, out, err) == 2 and "x.txt" in err.getvalue()
    unknown = argparse.Namespace(kind="nonsense", region="445200", period="2025", output=str(target))
    assert commands.run(unknown, out, err) == 2 and "statistics" in err.getvalue()


def test_a_template_that_unpacks_to_a_huge_file_is_refused_before_it_is_read(loaded: SimpleNamespace) -> None:
    packed = io.BytesIO()
    with zipfile.ZipFile(packed, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", b"<" + b" " * (30 * 1024 * 1024))
    city = Region.objects.current().get(code="445200")
    with pytest.raises(services.TemplateRejected) as refused:
        services.upload_template(city, "statistics", packed.getvalue(), "大.docx", None)
    assert refused.value.problems[0].code == "template_not_docx"
    assert OfficeTemplate.objects.count() == 0


def test_the_progress_bulletin_names_who_has_not_signed_or_met(loaded: SimpleNamespace) -> None:
    from jieneng.targets import organising
    from jieneng.targets.models import Meeting

    city = Region.objects.current().get(code="445200")
    counties = list(Region.objects.current().filter(parent=city).order_by("code"))
    assert len(counties) >= 2
    quiet = services.generate("progress", city, "2026")  # nothing recorded: nobody named for it
    assert not quiet.snapshot["laggards"]["not_signed"] and not quiet.snapshot["laggards"]["not_held_meeting"]
    letters = organising.issue_letters(city, 2026, "2026年节能目标责任书", regions=counties)
    letters[0].signed_on = date(2026, 9, 6)
    letters[0].save()
    Meeting.objects.create(region=counties[0], held_on=date(2026, 3, 1), topic="部署会")
    doc = services.generate("progress", city, "2026")
    laggards = doc.snapshot["laggards"]
    assert laggards["not_signed"] == [c.name for c in counties[1:]]
    assert laggards["not_held_meeting"] == [c.name for c in counties[1:]]
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(services.render(doc, "docx"))).paragraphs)
    assert "尚未签订2026年节能目标责任书" in text and "没有召开专题会议" in text
    assert counties[1].name in text
