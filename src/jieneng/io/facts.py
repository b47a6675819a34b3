"""Read the yearly facts of each unit: building area and number of energy users (用能人数).

These are the denominators of 人均综合能耗 [kgce/人], 单位建筑面积能耗 [kgce/m²] and 人均用水量
[m³/人]. One row per organisation and year; the organisation is written as in the consumption file.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import polars as pl

from jieneng.io import cells
from jieneng.io.longform import COLUMNS as LONGFORM_COLUMNS
from jieneng.io.problems import Problem, ReadResult
from jieneng.io.sniff import ReadLimits
from jieneng.io.table import ColumnSpec, RowReader, read_table
from jieneng.reference.headers import load_header_names

NAMES = load_header_names().table("facts")  # reference data: headers.toml, table ``facts``
COLUMNS = (
    LONGFORM_COLUMNS[0],  # the organisation, by the same names as in the consumption file
    ColumnSpec("year", NAMES["year"].aliases),
    ColumnSpec("area_m2", NAMES["area_m2"].aliases, required=False),
    ColumnSpec("persons", NAMES["persons"].aliases, required=False),
)

SCHEMA = {
    "row": pl.Int32,
    "org": pl.String,
    "year": pl.Int16,
    "area_m2": pl.Float64,  # [m²] 建筑面积
    "persons": pl.Float64,  # [人] 用能人数
}


def _year(value: Any) -> int | None:
    period = cells.period(value)
    if period is None:
        return None
    if period.month is not None or period.quarter is not None:
        raise ValueError(value)
    return period.year


def read_facts(path: str | Path, sheet: str | None = None, limits: ReadLimits | None = None) -> ReadResult:
    """Read a facts file (org, year, 建筑面积/area_m2, 用能人数/persons) into a frame of :data:`SCHEMA`."""
    table, problems = read_table(Path(path), COLUMNS, sheet, limits)
    if table is None:
        return ReadResult(pl.DataFrame(schema=SCHEMA), problems, None, None)
    records: list[dict[str, Any]] = []
    seen: dict[tuple[str, int], int] = {}
    for number, raw in table.rows:
        reader = RowReader(number, raw, table.headers, problems)
        record = {
            "row": number,
            "org": reader.get("org", cells.text),
            "year": reader.get("year", _year, "not_a_year"),
            "area_m2": reader.get("area_m2", cells.number, "bad_number", required=False),
            "persons": reader.get("persons", cells.number, "bad_number", required=False),
        }
        key = (record["org"], record["year"])
        if not reader.failed and key in seen:
            problems.append(
                Problem.make("duplicate_facts", row=number, value=record["org"], year=key[1], first=seen[key])
            )
        elif not reader.failed:
            seen[key] = number
            records.append(record)
    if "area_m2" not in table.headers and "persons" not in table.headers:
        labels = f"{COLUMNS[2].label}, {COLUMNS[3].label}"
        found = ", ".join(table.headers.values())
        problems.append(
            Problem.make("missing_column", row=table.header_row, column=labels, names=labels, found=found)
        )
    frame = pl.DataFrame(records, schema=SCHEMA) if records else pl.DataFrame(schema=SCHEMA)
    return ReadResult(frame, problems, table.sheet, table.header_row)
