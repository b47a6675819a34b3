"""The .xlsx template a department fills: one row per organisation and period, one column per item.

Layout (rows as Excel numbers them)::

    1     公共机构能源资源消费状况                                 (title, merged)
    2–6                           表号 / 制表机关 / 批准机关 / 批准文号 / 有效期至
    7     统计期：2025年3月             填报单位（盖章）：
    8     统一社会信用代码 | 单位名称 | 统计期 | 电力消费量（千瓦时） | 电费（元） | …
    9…    pre-filled organisation and period; the items left for the department

A legal mark not yet checked against the printed 制度 (``Edition.to_confirm``) or empty is left out
(its row stays blank), never invented nor flagged on the official's sheet: what is unconfirmed is
kept in the reference data and its documentation. Item cells accept only numbers ≥ 0 (whole
numbers for persons, vehicles and charging points). A second sheet explains units, the 万 headers
and what blocks an import. The template is read back by :func:`jieneng.io.formfile.read_form_file`
without problems.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import xlsxwriter
from xlsxwriter.worksheet import Worksheet

from jieneng.core.forms import MARKS, Edition, Form, Item
from jieneng.io.formfile import shown_unit
from jieneng.reference.headers import load_header_names

HEADER_ROW = 7  # 0-based: Excel row 8
MARKS_COLUMN = 3  # the legal marks stand from column D, beside the frozen identity columns
VALIDATED_ROWS = 500  # item cells checked below the header even when fewer rows are pre-filled


@dataclass(frozen=True)
class _Labels:
    """The fixed texts of a template in one language."""

    period_line: str
    filler: str
    marks: dict[str, str]
    mark_line: str
    number_title: str
    number_message: str
    whole_message: str
    error_title: str
    error_message: str
    help_sheet: str
    help_title: str
    item: str
    unit: str
    note: str
    whole: str
    text: str
    help: tuple[str, ...]


_LABELS = {
    "zh": _Labels(
        period_line="统计期：%s",
        filler="填报单位（盖章）：",
        marks={
            "table_no": "表号",
            "issuer": "制表机关",
            "approver": "批准机关",
            "approval_no": "批准文号",
            "valid_until": "有效期至",
        },
        mark_line="%s：%s",
        number_title="填写数字",
        number_message="请填写不小于 0 的数字，不带单位。",
        whole_message="请填写不小于 0 的整数。",
        error_title="数值无效",
        error_message="本栏只能填写不小于 0 的数字；人数、车辆数等只能填写整数。",
        help_sheet="填表说明",
        help_title="填表说明",
        item="项目",
        unit="计量单位",
        note="说明",
        whole="只填整数",
        text="文字或代码",
        help=(
            "1. 每个单位每个统计期填写一行。统一社会信用代码、单位名称和统计期已预填，请勿修改。",
            "2. 统计期的写法：月度 2025-03，季度 2025Q1，年度 2025。",
            "3. 各栏的计量单位写在表头括号内，见下表。数值只填数字，不要带单位或文字；"
            "当期无此项消费的请填 0，本单位不使用的能源品种留空。",
            "4. 如数据以“万”为单位，可将表头括号内的单位改为万单位，例如把“电力消费量（千瓦时）”"
            "改为“电力消费量（万千瓦时）”，导入时自动换算；同一栏必须使用同一单位。",
            "5. 可以识别千位分隔符（1,234.5）、全角数字和以文本形式存储的数字。",
            "6. 下列情况会阻止导入，须改正后重新上传：缺少统一社会信用代码（或单位名称）列或统计期列；"
            "数值栏填了文字、横线等非数字内容；人数、车辆数等栏填了小数；统计期写法无法识别；"
            "表头括号内的计量单位与该项目不符（如“电力消费量（吨）”）；同一项目出现两列。",
            "7. 表中增加的其他列不会导入，导入时会提示。",
            "8. 核实性审核（较上年同期变化较大、疑似“万”单位错位、单位面积能耗或单价异常）"
            "提示的数值确属实的，请在“填写说明”栏写明原因；未写明原因的行导入后保存为草稿，须在线填写说明后再提交审核。",
        ),
    ),
    "en": _Labels(
        period_line="Period: %s",
        filler="Reporting organisation (seal):",
        marks={
            "table_no": "Table No.",
            "issuer": "Issued by",
            "approver": "Approved by",
            "approval_no": "Approval No.",
            "valid_until": "Valid until",
        },
        mark_line="%s: %s",
        number_title="Enter a number",
        number_message="Enter a number of at least 0, without a unit.",
        whole_message="Enter a whole number of at least 0.",
        error_title="Invalid value",
        error_message="Only numbers of at least 0 are accepted here; persons and vehicles are whole numbers.",
        help_sheet="Instructions",
        help_title="How to fill this form",
        item="Item",
        unit="Unit",
        note="Note",
        whole="whole numbers only",
        text="text or code",
        help=(
            "1. One row per organisation and period. The credit code, the name and the period are filled "
            "in already: do not change them.",
            "2. Periods are written 2025-03 (month), 2025Q1 (quarter) or 2025 (year).",
            "3. The unit of each column is in brackets in its header (see the table below). Enter digits "
            "only, no units or words; enter 0 when there was no consumption in the period and leave empty "
            "the energy types the organisation does not use.",
            "4. Figures in units of ten thousand (万) may be entered by changing the unit in the header, "
            "e.g. “Electricity (万kWh)”: they are converted on import. A column uses one unit throughout.",
            "5. Thousands separators (1,234.5), full-width digits and numbers stored as text are read.",
            "6. An import is blocked until these are corrected: no credit code (or name) column or no "
            "period column; words or dashes in a number column; fractions of persons or vehicles; a "
            "period that cannot be read; a unit in a header that cannot measure its item (“Electricity "
            "(t)”); the same item in two columns.",
            "7. Other columns added to the sheet are not imported; the import says so.",
            "8. A value the verification checks flag (a large change on last year, a value about 10,000 "
            "times off, an unusual value per m² or unit price) that is right needs its reason in the "
            "“Explanation” column; rows flagged without one are kept as drafts, to be explained and "
            "submitted in the online form.",
        ),
    ),
}


def _labels(lang: str) -> _Labels:
    return _LABELS["zh" if lang.lower().startswith("zh") else "en"]


def item_header(item: Item, lang: str = "zh-hans") -> str:
    """``电力消费量（千瓦时）`` or ``Electricity (kWh)``: the item's name and the unit it is entered in."""
    zh = lang.lower().startswith("zh")
    name = item.zh if zh else item.en
    if not item.numeric or not item.unit:
        return name
    unit = shown_unit(item.unit, lang)
    return f"{name}（{unit}）" if zh else f"{name} ({unit})"


def mark_values(edition: Edition) -> dict[str, str]:
    """The legal marks as printed: only those checked against the printed 制度 and not empty."""
    marks = edition.marks
    return {key: marks[key] for key in MARKS if key not in edition.to_confirm and marks.get(key)}


def write_template(
    out: Path | BinaryIO,
    form: Form,
    edition: Edition,
    rows: Sequence[tuple[str, str, str]],
    *,
    period_label: str,
    lang: str = "zh-hans",
) -> None:
    """Write the template of ``edition`` of ``form``, one pre-filled row per (credit code, name, period)."""
    texts = _labels(lang)
    items = list(form.items_of(edition))
    identity = load_header_names().table("form")  # the names the reader reads back
    headers = [identity[role].shown(lang) for role in ("code", "name", "period")]
    headers += [item_header(item, lang) for item in items]
    explained = form.kind == "consumption"  # what the verification checks look at
    if explained:
        headers.append(identity["explanation"].shown(lang))
    book = xlsxwriter.Workbook(str(out) if isinstance(out, Path) else out)
    try:
        sheet = book.add_worksheet(form.zh[:31] if lang.lower().startswith("zh") else form.id[:31])
        formats = _formats(book)
        title = form.zh if lang.lower().startswith("zh") else form.en
        sheet.merge_range(0, 0, 0, len(headers) - 1, title, formats["title"])
        sheet.set_row(0, 30)
        marks = mark_values(edition)
        for offset, key in enumerate(MARKS, start=1):
            if key in marks:
                sheet.write_string(offset, MARKS_COLUMN, texts.mark_line % (texts.marks[key], marks[key]))
        sheet.write_string(HEADER_ROW - 1, 0, texts.period_line % period_label, formats["bold"])
        sheet.write_string(HEADER_ROW - 1, MARKS_COLUMN, texts.filler, formats["bold"])
        sheet.write_row(HEADER_ROW, 0, headers, formats["header"])
        sheet.set_row(HEADER_ROW, 36)
        _body(sheet, rows, items, formats)
        _validate(sheet, items, max(len(rows), VALIDATED_ROWS), texts)
        _widths(sheet, headers, rows, explained=explained)
        sheet.freeze_panes(HEADER_ROW + 1, 2)
        _help_sheet(book, items, texts, lang, formats)
    finally:
        book.close()


def _formats(book: xlsxwriter.Workbook) -> dict[str, xlsxwriter.format.Format]:
    border = {"border": 1, "border_color": "#A6A6A6"}
    return {
        "title": book.add_format({"bold": True, "font_size": 16, "align": "center", "valign": "vcenter"}),
        "bold": book.add_format({"bold": True}),
        "header": book.add_format(
            {
                "bold": True,
                "text_wrap": True,
                "align": "center",
                "valign": "vcenter",
                "bg_color": "#DDEBF7",
                **border,
            }
        ),
        "text": book.add_format({"num_format": "@", **border}),
        "number": book.add_format(border),
        "whole": book.add_format({"num_format": "0", **border}),
        "wrap": book.add_format({"text_wrap": True, "valign": "top"}),
    }


def _body(
    sheet: Worksheet,
    rows: Sequence[tuple[str, str, str]],
    items: Sequence[Item],
    formats: dict[str, xlsxwriter.format.Format],
) -> None:
    """The pre-filled identity cells as text (a code of digits must not become a number); items empty."""
    for offset, (code, name, period) in enumerate(rows, start=HEADER_ROW + 1):
        sheet.write_string(offset, 0, code, formats["text"])
        sheet.write_string(offset, 1, name, formats["text"])
        sheet.write_string(offset, 2, period, formats["text"])
        for column, item in enumerate(items, start=3):
            kind = "text" if not item.numeric else "whole" if item.integer else "number"
            sheet.write_blank(offset, column, None, formats[kind])


def _validate(sheet: Worksheet, items: Sequence[Item], count: int, texts: _Labels) -> None:
    """Excel's own check on item cells: a number ≥ 0, whole where the item counts persons or things."""
    first, last = HEADER_ROW + 1, HEADER_ROW + count
    for column, item in enumerate(items, start=3):
        if not item.numeric:
            continue
        sheet.data_validation(
            first,
            column,
            last,
            column,
            {
                "validate": "integer" if item.integer else "decimal",
                "criteria": ">=",
                "value": 0,
                "input_title": texts.number_title,
                "input_message": texts.whole_message if item.integer else texts.number_message,
                "error_title": texts.error_title,
                "error_message": texts.error_message,
            },
        )


def display_width(text: str) -> int:
    """Columns ``text`` takes on screen: CJK and full-width characters count two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _widths(
    sheet: Worksheet, headers: Sequence[str], rows: Sequence[tuple[str, str, str]], *, explained: bool
) -> None:
    """Identity columns as wide as their content; item columns fit their header on two lines; the
    explanation (填写说明), last, is wide."""
    for column in range(3):
        longest = max([display_width(headers[column]), *(display_width(row[column]) for row in rows)])
        sheet.set_column(column, column, min(max(longest + 2, 10), 40))
    items = len(headers) - 1 if explained else len(headers)
    for column in range(3, items):
        sheet.set_column(column, column, min(max(display_width(headers[column]) / 2 + 2, 12), 22))
    if explained:
        sheet.set_column(items, items, 40)


def _help_sheet(
    book: xlsxwriter.Workbook,
    items: Sequence[Item],
    texts: _Labels,
    lang: str,
    formats: dict[str, xlsxwriter.format.Format],
) -> None:
    sheet = book.add_worksheet(texts.help_sheet)
    sheet.set_column(0, 0, 36)
    sheet.set_column(1, 1, 16)
    sheet.set_column(2, 2, 60)
    sheet.write_string(0, 0, texts.help_title, formats["bold"])
    lines = texts.help
    for row, line in enumerate(lines, start=1):
        sheet.merge_range(row, 0, row, 2, line, formats["wrap"])
        sheet.set_row(row, 48 if display_width(line) > 110 else 20)
    start = len(lines) + 2
    sheet.write_row(start, 0, [texts.item, texts.unit, texts.note], formats["header"])
    zh = lang.lower().startswith("zh")
    for row, item in enumerate(items, start=start + 1):
        unit = shown_unit(item.unit, lang) if item.numeric and item.unit else ""
        note = texts.whole if item.integer else "" if item.numeric else texts.text
        sheet.write_row(row, 0, [item.zh if zh else item.en, unit, note])
