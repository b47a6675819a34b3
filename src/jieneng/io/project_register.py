"""Read a project register from a spreadsheet: one row per energy-saving project.

The columns are named in Chinese or English (see :data:`COLUMNS`); the kind, status and contract type
are written by their titles (路灯照明, 实施中, 节能效益分享型) and resolved by the projects app, which
also checks each row against the directory and the form's rules. This reader only reads the cells: a
cell that is not a date or a number where one is wanted is reported by row and column, and the row is
left out. Title rows above the header are skipped, as by the other readers.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import polars as pl

from jieneng.io import cells
from jieneng.io.problems import ReadResult
from jieneng.io.savings import _date
from jieneng.io.sniff import ReadLimits
from jieneng.io.table import ColumnSpec, RowReader, read_table

TEXT, NUMBER, DAY = "text", "number", "day"
#: (name, accepted headers — the first is the template's, kind of cell, required)
FIELDS: tuple[tuple[str, tuple[str, ...], str, bool], ...] = (
    ("name", ("项目名称", "名称", "name", "project"), TEXT, True),
    ("kind", ("项目类型", "类型", "kind"), TEXT, True),
    ("region", ("地区代码", "行政区划代码", "region"), TEXT, True),
    ("owner", ("业主单位", "owner"), TEXT, False),
    ("site", ("项目地点", "地点", "site"), TEXT, False),
    ("start", ("开工日期", "开始日期", "start"), DAY, True),
    ("end", ("计划完成日期", "完成日期", "end"), DAY, False),
    ("status", ("状态", "项目状态", "status"), TEXT, False),
    ("planned_quantity", ("计划数量", "planned"), NUMBER, True),
    ("done", ("已完成数量", "完成数量", "done"), NUMBER, False),
    ("done_on", ("完成数量截至日期", "截至日期", "done on"), DAY, False),
    ("investment_yuan", ("总投资(元)", "总投资", "investment"), NUMBER, False),
    ("fiscal_yuan", ("财政资金(元)", "财政资金", "fiscal"), NUMBER, False),
    ("own_yuan", ("自有资金(元)", "自有资金", "own funds"), NUMBER, False),
    ("emc_yuan", ("节能服务公司投资(元)", "节能服务公司投资", "esco investment"), NUMBER, False),
    ("esco", ("节能服务公司", "esco"), TEXT, False),
    ("contract_type", ("合同类型", "合同能源管理类型", "contract type"), TEXT, False),
    ("esco_share", ("节能服务公司分享比例", "分享比例", "esco share"), NUMBER, False),
    ("contract_years", ("合同年限", "contract years"), NUMBER, False),
    ("guaranteed_kwh", ("保证节能量(kWh/年)", "保证节能量", "guaranteed kwh"), NUMBER, False),
    ("fee_yuan", ("年服务费(元)", "年服务费", "fee"), NUMBER, False),
    ("tariff", ("电价(元/kWh)", "电价", "tariff"), NUMBER, False),
)
COLUMNS = tuple(ColumnSpec(name, aliases, required) for name, aliases, _, required in FIELDS)
_TYPES = {TEXT: pl.Utf8, NUMBER: pl.Float64, DAY: pl.Date}
SCHEMA: dict[str, Any] = {"row": pl.Int32} | {name: _TYPES[kind] for name, _, kind, _ in FIELDS}


def _percent(value: Any) -> float | None:
    """``80%`` or ``0.8``: a share as a fraction; other numbers as written."""
    shown = cells.text(value)
    if shown is not None and shown.endswith(("%", "％")):
        number = cells.number(shown[:-1])
        return None if number is None else number / 100
    return cells.number(value)


_PARSERS = {TEXT: (cells.text, ""), NUMBER: (cells.number, "bad_number"), DAY: (_date, "bad_date")}


def read_project_register(
    path: str | Path, sheet: str | None = None, limits: ReadLimits | None = None
) -> ReadResult:
    """Read the file into a frame of :data:`SCHEMA` (one row per project, in the file's order); each
    column's name carries the header as written, ``name|项目名称`` (see :func:`headers_of`), so that the
    result crosses the child process's boundary as one frame."""
    table, problems = read_table(Path(path), COLUMNS, sheet, limits)
    if table is None:
        return ReadResult(pl.DataFrame(schema=SCHEMA), problems, None, None)
    records: list[dict[str, Any]] = []
    for number, raw in table.rows:
        reader = RowReader(number, raw, table.headers, problems)
        record: dict[str, Any] = {"row": number}
        for name, _, kind, required in FIELDS:
            parse, code = _PARSERS[kind]
            if name == "esco_share":
                parse = _percent
            record[name] = reader.get(name, parse, code, required=required)
        if not reader.failed:
            records.append(record)
    frame = pl.DataFrame(records, schema=SCHEMA) if records else pl.DataFrame(schema=SCHEMA)
    return ReadResult(_with_headers(frame, table.headers), problems, table.sheet, table.header_row)


def _with_headers(frame: pl.DataFrame, headers: dict[str, str]) -> pl.DataFrame:
    """Rename nothing; keep the headers as written in the column names' metadata: ``name|项目名称``."""
    return frame.rename({n: f"{n}|{headers[n]}" for n in frame.columns if n in headers})


def headers_of(frame: pl.DataFrame) -> tuple[pl.DataFrame, dict[str, str]]:
    """The frame with plain column names and the header each column had in the file."""
    headers: dict[str, str] = {}
    names: dict[str, str] = {}
    for column in frame.columns:
        name, _, header = column.partition("|")
        names[column] = name
        headers[name] = header or name
    return frame.rename(names), headers
