"""A :class:`~jieneng.core.document.Document` as a Word file laid out after GB/T 9704-2012.

A4 with the layout's margins; body paragraphs at an exact line pitch that puts 22 lines in the type area;
every run gets its face for Latin and East Asian text (``w:eastAsia``, without which Word sets Chinese in
a Latin face); the red 发文机关标志 and red line, or a plain head; page numbers "— 1 —" in 4号 宋体, odd
pages right and even pages left, one character in; the 版记 between rules. Faces come from
:func:`jieneng.io.writers.fonts.resolve`: where an official face is missing the file says so in its
comments and uses the free fallback throughout.
"""

from __future__ import annotations

import io
from typing import Any

from docx import Document as new_document
from docx.enum.section import WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from docx.table import Table as DocxTable
from docx.text.paragraph import Paragraph as DocxParagraph

from jieneng.core.document import Document, Heading, Image, Layout, PageBreak, Paragraph, Table
from jieneng.io.writers.fonts import resolve

Faces = dict[str, str]


def _set_faces(element: Any, face: str) -> None:
    """Set the Latin, East Asian and complex-script faces of a run's or a style's ``w:rPr``."""
    rpr = element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attribute in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attribute), face)
    fonts.attrib.pop(qn("w:asciiTheme"), None)
    fonts.attrib.pop(qn("w:eastAsiaTheme"), None)


def _run(paragraph: DocxParagraph, text: str, face: str, size: float, *, bold: bool = False,
         colour: str | None = None) -> None:  # fmt: skip
    run = paragraph.add_run(text)
    _set_faces(run._r, face)
    run.font.size = Pt(size)
    run.font.bold = bold
    if colour:
        run.font.color.rgb = RGBColor.from_string(colour)


def _exact(paragraph: DocxParagraph, pitch: float, before: float = 0, after: float = 0) -> None:
    fmt = paragraph.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(pitch)
    fmt.space_before = Pt(before)
    fmt.space_after = Pt(after)


def _border(paragraph: DocxParagraph, side: str, colour: str, size_eighths: int) -> None:
    ppr = paragraph._p.get_or_add_pPr()
    borders = ppr.find(qn("w:pBdr"))
    if borders is None:
        borders = OxmlElement("w:pBdr")
        ppr.append(borders)
    line = OxmlElement(f"w:{side}")
    line.set(qn("w:val"), "single")
    line.set(qn("w:sz"), str(size_eighths))
    line.set(qn("w:space"), "1")
    line.set(qn("w:color"), colour)
    borders.append(line)


def _page_number(paragraph: DocxParagraph, face: str, size: float) -> None:
    """— PAGE — as a field, so Word and LibreOffice number each page."""
    _run(paragraph, "— ", face, size)
    run = paragraph.add_run()
    _set_faces(run._r, face)
    run.font.size = Pt(size)
    for kind, text in (("begin", None), (None, "PAGE"), ("separate", None), (None, "1"), ("end", None)):
        if kind:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            run._r.append(char)
        elif text == "PAGE":
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = " PAGE "
            run._r.append(instr)
        else:
            shown = OxmlElement("w:t")
            shown.text = text
            run._r.append(shown)
    _run(paragraph, " —", face, size)


def _setup(doc: Any, layout: Layout, faces: Faces) -> None:
    section = doc.sections[0]
    section.start_type = WD_SECTION.NEW_PAGE
    section.page_width, section.page_height = Mm(layout.page_mm[0]), Mm(layout.page_mm[1])
    m = layout.margins_mm
    section.top_margin, section.bottom_margin = Mm(m["top"]), Mm(m["bottom"])
    section.left_margin, section.right_margin = Mm(m["left"]), Mm(m["right"])
    section.header_distance = Mm(15)
    section.footer_distance = Mm(layout.footer_mm)
    grid = section._sectPr.find(qn("w:docGrid"))
    if grid is None:
        grid = OxmlElement("w:docGrid")
        section._sectPr.append(grid)
    grid.set(qn("w:type"), "lines")
    grid.set(qn("w:linePitch"), str(round(layout.line_pt * 20)))
    normal = doc.styles["Normal"]
    _set_faces(normal.element, faces["body"])
    normal.font.size = Pt(layout.fonts["body"].size_pt)
    normal.font.color.rgb = RGBColor(0, 0, 0)
    doc.settings.odd_and_even_pages_header_footer = True
    number = layout.fonts["page_number"]
    one_char = Pt(number.size_pt)
    for footer, align in ((section.footer, "right"), (section.even_page_footer, "left")):
        footer.is_linked_to_previous = False
        paragraph = footer.paragraphs[0]
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT if align == "right" else WD_ALIGN_PARAGRAPH.LEFT
        fmt = paragraph.paragraph_format
        fmt.right_indent, fmt.left_indent = (one_char, None) if align == "right" else (None, one_char)
        _page_number(paragraph, faces["page_number"], number.size_pt)


def _head(doc: Any, document: Document, layout: Layout, faces: Faces) -> None:
    pitch = layout.line_pt
    body = layout.fonts["body"].size_pt
    if document.red:
        mark = doc.add_paragraph()
        mark.alignment = WD_ALIGN_PARAGRAPH.CENTER
        width_pt = Mm(layout.type_area_mm[0]).pt
        size = min(layout.fonts["mark"].size_pt, width_pt / max(1, len(document.mark)) * 0.95)
        _exact(mark, size * 1.2, before=Mm(35).pt - size * 1.2)
        _run(mark, document.mark, faces["mark"], size, bold=layout.fonts["mark"].bold, colour=layout.red)
        doc.add_paragraph()
    if document.number:
        number = doc.add_paragraph()
        number.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _exact(number, pitch)
        _run(number, document.number, faces["body"], body)
    if document.red:
        line = doc.add_paragraph()
        _exact(line, Mm(4).pt)
        _border(line, "top", layout.red, 12)
        doc.add_paragraph()
    title_font = layout.fonts["title"]
    for part in document.title.split("\n"):
        title = doc.add_paragraph()
        title.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _exact(title, title_font.size_pt * 1.6)
        _run(title, part, faces["title"], title_font.size_pt, bold=title_font.bold)
    doc.add_paragraph()
    if document.addressee:
        to = doc.add_paragraph()
        _run(to, document.addressee, faces["body"], body)


def _paragraph(doc: Any, block: Heading | Paragraph, layout: Layout, faces: Faces) -> None:
    body = layout.fonts["body"].size_pt
    paragraph = doc.add_paragraph()
    _exact(paragraph, layout.line_pt)
    paragraph.paragraph_format.first_line_indent = Pt(2 * body)
    if isinstance(block, Heading):
        role = "heading1" if block.level == 1 else "heading2"
        _run(paragraph, block.text, faces[role], layout.fonts[role].size_pt)
        paragraph.paragraph_format.keep_with_next = True
    else:
        if not block.indent:
            paragraph.paragraph_format.first_line_indent = None
        paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        _run(paragraph, block.text, faces["body"], body)


def _cell_text(cell: Any, text: str, face: str, size: float, *, bold: bool, right: bool) -> None:
    paragraph = cell.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT if right else WD_ALIGN_PARAGRAPH.CENTER
    _exact(paragraph, size * 1.5)
    _run(paragraph, text, face, size, bold=bold)


def _table(doc: Any, block: Table, layout: Layout, faces: Faces) -> None:
    font = layout.fonts["table"]
    if block.caption:
        caption = doc.add_paragraph()
        caption.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _exact(caption, layout.line_pt)
        caption.paragraph_format.keep_with_next = True
        _run(caption, block.caption, faces["heading1"], font.size_pt + 2)
    table: DocxTable = doc.add_table(rows=1, cols=len(block.columns))
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    width = layout.type_area_mm[0]
    weights = list(block.widths) or [1.0] * len(block.columns)
    widths = [Mm(width * w / sum(weights)) for w in weights]
    for column, w in zip(table.columns, widths, strict=True):
        column.width = w  # the grid: LibreOffice lays a table out by it, not by the cells' widths
    for cell, name, w in zip(table.rows[0].cells, block.columns, widths, strict=True):
        cell.width = w
        _cell_text(cell, name, faces["heading1"], font.size_pt, bold=False, right=False)
    header = table.rows[0]._tr.get_or_add_trPr()
    repeat = OxmlElement("w:tblHeader")
    header.append(repeat)
    for values in block.rows:
        cells = table.add_row().cells  # type: ignore[no-untyped-call]
        for index, (cell, text, w) in enumerate(zip(cells, values, widths, strict=True)):
            cell.width = w
            if index in block.numeric:  # a number is never broken across lines (not at its sign)
                cell._tc.get_or_add_tcPr().append(OxmlElement("w:noWrap"))
            _cell_text(cell, text, faces["table"], font.size_pt, bold=False, right=index in block.numeric)
    doc.add_paragraph()


def _image(doc: Any, block: Image, layout: Layout, faces: Faces) -> None:
    picture = doc.add_paragraph()
    picture.alignment = WD_ALIGN_PARAGRAPH.CENTER
    picture.add_run().add_picture(
        io.BytesIO(block.png), width=Mm(min(block.width_mm, layout.type_area_mm[0]))
    )
    if block.caption:
        caption = doc.add_paragraph()
        caption.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _run(caption, block.caption, faces["table"], layout.fonts["table"].size_pt)


def _signature(doc: Any, document: Document, layout: Layout, faces: Faces) -> None:
    body = layout.fonts["body"].size_pt
    if not (document.signature or document.date):
        return
    doc.add_paragraph()
    for text in (document.signature, document.date):
        if not text:
            continue
        paragraph = doc.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        _exact(paragraph, layout.line_pt)
        paragraph.paragraph_format.right_indent = Pt(4 * body)  # 成文日期 ends four characters in
        _run(paragraph, text, faces["body"], body)


def _record(doc: Any, document: Document, layout: Layout, faces: Faces) -> None:
    """版记: 抄送 and 印发机关 with the printing date, 4号仿宋, between rules."""
    if not (document.copy_to or document.printed_by):
        return
    size = layout.fonts["page_number"].size_pt
    doc.add_paragraph()
    lines = []
    if document.copy_to:
        lines.append((f"抄送：{document.copy_to}。", ""))
    if document.printed_by:
        lines.append((document.printed_by, f"{document.printed_on}印发"))
    for index, (left, right) in enumerate(lines):
        paragraph = doc.add_paragraph()
        _exact(paragraph, size * 1.6)
        fmt = paragraph.paragraph_format
        fmt.left_indent, fmt.right_indent = Pt(size), Pt(size)
        fmt.keep_with_next = index < len(lines) - 1
        _run(paragraph, left, faces["body"], size)
        if right:
            paragraph.paragraph_format.tab_stops.add_tab_stop(Mm(layout.type_area_mm[0]) - Pt(2 * size), 2)
            _run(paragraph, "\t" + right, faces["body"], size)
        if index == 0:
            _border(paragraph, "top", "000000", 8)
        if index == len(lines) - 1:
            _border(paragraph, "bottom", "000000", 8)


def write_docx(document: Document, layout: Layout, installed: frozenset[str] | None = None) -> bytes:
    """The document as .docx bytes (faces picked from ``installed``, default this machine's)."""
    faces, notes = resolve(layout, installed)
    doc = new_document()
    doc.core_properties.title = document.title.replace("\n", "")
    doc.core_properties.comments = "；".join([f"版式 {layout.ref}", *notes, *document.notes])
    doc.core_properties.language = "zh-CN"
    _setup(doc, layout, faces)
    body = doc.element.body
    for paragraph in list(body.iterchildren(qn("w:p"))):
        body.remove(paragraph)
    _head(doc, document, layout, faces)
    for block in document.blocks:
        if isinstance(block, Heading | Paragraph):
            _paragraph(doc, block, layout, faces)
        elif isinstance(block, Table):
            _table(doc, block, layout, faces)
        elif isinstance(block, Image):
            _image(doc, block, layout, faces)
        elif isinstance(block, PageBreak):
            doc.add_page_break()  # type: ignore[no-untyped-call]
    _signature(doc, document, layout, faces)
    _record(doc, document, layout, faces)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
