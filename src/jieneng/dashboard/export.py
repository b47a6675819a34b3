"""A chart's table as an .xlsx workbook: a title row, the coefficient set and notes, then a header row
with the units in brackets, the rows (numbers as numbers) and the total."""

from __future__ import annotations

import io
import math
import re
from typing import Any

import xlsxwriter

from jieneng.dashboard.tables import CHANGE, TEXT, Column, Table

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


def header(column: Column) -> str:
    unit = "%" if column.kind == CHANGE else column.unit
    return f"{column.label} [{unit}]" if unit else column.label


def workbook(table: Table, lines: tuple[str, ...] = ()) -> bytes:
    """The workbook of ``table``; ``lines`` (e.g. the coefficient set) go under the title."""
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True})
    sheet = book.add_worksheet(_SHEET_FORBIDDEN.sub(" ", table.title)[:31] or "Sheet1")
    title = book.add_format({"bold": True, "font_size": 14})
    note = book.add_format({"font_color": "#5f6b76"})
    head = book.add_format({"bold": True, "bottom": 1, "text_wrap": True, "valign": "top"})
    bold = book.add_format({"bold": True, "top": 1})
    formats: dict[tuple[str, int, bool], Any] = {}

    def number_format(column: Column, strong: bool) -> Any:
        key = (column.kind, column.decimals, strong)
        if key not in formats:
            decimals = "." + "0" * column.decimals if column.decimals else ""
            pattern = f"0{decimals}" if column.kind == CHANGE else f"#,##0{decimals}"
            formats[key] = book.add_format({"num_format": pattern, "bold": strong, "top": int(strong)})
        return formats[key]

    sheet.write_string(0, 0, table.title, title)
    row = 1
    for line in (*lines, *table.notes):
        sheet.write_string(row, 0, line, note)
        row += 1
    row += 1
    for col, column in enumerate(table.columns):
        sheet.write_string(row, col, header(column), head)
        sheet.set_column(col, col, 28 if col == 0 else 16)
    sheet.freeze_panes(row + 1, 1)
    for rows, strong in ((table.rows, False), (table.foot, True)):
        for entry in rows:
            if entry.gap:
                continue
            row += 1
            for col, (column, value) in enumerate(zip(table.columns, entry.values, strict=True)):
                if column.kind == TEXT:
                    sheet.write_string(
                        row, col, "" if value is None else str(value), bold if strong else None
                    )
                elif value is None or (isinstance(value, float) and not math.isfinite(value)):
                    sheet.write_blank(row, col, None, number_format(column, strong))
                else:
                    sheet.write_number(row, col, float(value), number_format(column, strong))
    book.close()
    return out.getvalue()
