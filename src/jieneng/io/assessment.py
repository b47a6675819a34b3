"""The sheet of assessed parties for a scoring scheme: its columns, its reader and its template.

One row per assessed party (被考核单位): its name, then the scheme's inputs
(:meth:`jieneng.core.scoring.Scheme.inputs`) — a completion item's target and actual change [%]
(the target may be a range, ``−4.0~−4.5``), a ratio item's own value and its peers' average (and,
where the scheme allows it, whether the party is certified), yes/no items, counts and hand scores
[points]. Each column is headed by the item's title with what it holds, or by its column id.
Problems are reported by row and column, as the other readers do; nothing is guessed.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, BinaryIO

import polars as pl
import xlsxwriter

from jieneng.core.scoring import Scheme, target_value
from jieneng.io import cells
from jieneng.io.problems import Problem, ReadResult
from jieneng.io.sniff import ReadLimits
from jieneng.io.table import ColumnSpec, RowReader, read_table

PARTY = ColumnSpec("party", ("被考核单位", "被考核地区", "地区", "单位名称", "party", "name"))
#: what a column holds, by the kind of input, as its header says it (after the item's title)
SUFFIXES = {
    "target": "目标(%)",
    "actual": "实际(%)",
    "value": "本单位值",
    "peer": "同类平均值",
    "certified": "节水型单位(是/否)",
    "yes_no": "(是/否)",
    "count": "(次数)",
    "score": "(得分)",
}
_YES = {"是", "有", "y", "yes", "true", "1", "✓", "√"}
_NO = {"否", "无", "n", "no", "false", "0", "×", "✗"}
_DTYPES = {"certified": pl.Boolean, "yes_no": pl.Boolean}


def header(title: str, kind: str) -> str:
    """The header of an input column: the item's title and what the column holds."""
    suffix = SUFFIXES[kind]
    return f"{title}{suffix}" if suffix.startswith("(") else f"{title}·{suffix}"


def columns(scheme: Scheme) -> list[ColumnSpec]:
    """The columns of the scheme's sheet: the party and every input, by header or column id."""
    specs = [PARTY]
    for column, kind, item in scheme.inputs():
        specs.append(ColumnSpec(column, (header(item.title, kind), column)))
    return specs


def yes_no(value: Any) -> bool | None:
    """``是``/``否``, yes/no, 1/0, ✓/× → True/False; empty → None; anything else ``ValueError``."""
    if cells.is_empty(value):
        return None
    if isinstance(value, bool):
        return value
    word = (cells.text(value) or "").strip().lower()
    if word in _YES:
        return True
    if word in _NO:
        return False
    raise ValueError(value)


def _target(value: Any) -> float | None:
    if cells.is_empty(value):
        return None
    return target_value(value if isinstance(value, int | float) else str(value))


def read_assessment(
    path: str | Path, scheme: Scheme, sheet: str | None = None, limits: ReadLimits | None = None
) -> ReadResult:
    """The sheet as a frame: ``row``, ``party`` and every input column of the scheme."""
    inputs = scheme.inputs()
    schema: dict[str, Any] = {"row": pl.Int32, "party": pl.String}
    schema |= {column: _DTYPES.get(kind, pl.Float64) for column, kind, _item in inputs}
    table, problems = read_table(Path(path), columns(scheme), sheet, limits)
    if table is None:
        return ReadResult(pl.DataFrame(schema=schema), problems, None, None)
    parsers = {
        "target": (_target, "bad_target"),
        "certified": (yes_no, "bad_yes_no"),
        "yes_no": (yes_no, "bad_yes_no"),
    }
    records: list[dict[str, Any]] = []
    seen: dict[str, int] = {}
    for number, raw in table.rows:
        reader = RowReader(number, raw, table.headers, problems)
        record: dict[str, Any] = {"row": number, "party": reader.get("party", cells.text)}
        for column, kind, _item in inputs:
            parse, code = parsers.get(kind, (cells.number, "bad_number"))
            record[column] = reader.get(column, parse, code, required=kind != "certified")
        party = record["party"]
        if party is not None and party in seen:
            problems.append(
                Problem.make(
                    "duplicate_party",
                    row=number,
                    column=table.headers["party"],
                    value=party,
                    first=seen[party],
                )
            )
            continue
        if party is not None:
            seen[party] = number
        if not reader.failed:
            records.append(record)
    frame = pl.DataFrame(records, schema=schema) if records else pl.DataFrame(schema=schema)
    return ReadResult(frame, problems, table.sheet, table.header_row)


def write_template(scheme: Scheme, target: str | Path | BinaryIO) -> None:
    """An .xlsx input sheet for ``scheme``: a title row naming the scheme, the header row, and a
    second sheet listing each item with its group, points and how it is scored."""
    book = xlsxwriter.Workbook(target, {"in_memory": True})
    bold = book.add_format(
        {"bold": True, "text_wrap": True, "valign": "top", "bg_color": "#DDEBF7", "border": 1}
    )
    sheet = book.add_worksheet("考核表")
    sheet.write(0, 0, f"{scheme.title}（{scheme.ref}）")
    headers = [PARTY.label, *(header(item.title, kind) for _c, kind, item in scheme.inputs())]
    for index, text in enumerate(headers):
        sheet.write(1, index, text, bold)
        sheet.set_column(index, index, 14 if index else 18)
    sheet.set_row(1, 60)
    sheet.freeze_panes(2, 1)
    items = book.add_worksheet("计分说明")
    for index, text in enumerate(("编号", "分组", "项目", "分值", "计分方式", "列")):
        items.write(0, index, text, bold)
    groups = {g.id: g.title for g in scheme.groups}
    row = 1
    for item in scheme.items.values():
        used = [c for c, _k, i in scheme.inputs() if i.id == item.id]
        values = (item.id, groups[item.group], item.title, item.points, item.method, ", ".join(used))
        for index, value in enumerate(values):
            items.write(row, index, value)
        row += 1
    items.set_column(0, 0, 22)
    items.set_column(2, 2, 40)
    book.close()
