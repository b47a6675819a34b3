"""The tables of a document as an Excel workbook: one sheet a table, numbers as numbers."""

from __future__ import annotations

import io
import re

import xlsxwriter

from jieneng.core.document import Document

_NOT_IN_SHEET_NAME = re.compile(r"[\[\]:*?/\\]")


def _number(text: str) -> float | None:
    try:
        return float(text.replace(",", "").rstrip("%"))
    except ValueError:
        return None


def write_xlsx(document: Document) -> bytes:
    """Each :class:`~jieneng.core.document.Table` of ``document`` on its own sheet, its caption on top."""
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True})
    bold = book.add_format({"bold": True, "border": 1, "align": "center", "text_wrap": True})
    plain = book.add_format({"border": 1})
    title = book.add_format({"bold": True, "font_size": 14})
    used: set[str] = set()
    for index, table in enumerate(document.tables() or [], start=1):
        name = _NOT_IN_SHEET_NAME.sub("", table.caption)[:28] or f"表{index}"
        while name in used:
            name = f"{name[:25]}{index}"
        used.add(name)
        sheet = book.add_worksheet(name)
        sheet.write(0, 0, table.caption or document.title.replace("\n", ""), title)
        for col, header in enumerate(table.columns):
            sheet.write(2, col, header, bold)
            sheet.set_column(col, col, max(10, min(40, 2 * len(header) + 4)))
        for row, values in enumerate(table.rows, start=3):
            for col, text in enumerate(values):
                number = _number(text) if col in table.numeric else None
                if number is None:
                    sheet.write_string(row, col, text, plain)
                else:
                    sheet.write_number(row, col, number, plain)
    if not used:
        book.add_worksheet("表1").write(0, 0, document.title.replace("\n", ""), title)
    book.close()
    return out.getvalue()
