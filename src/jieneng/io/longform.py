"""Read energy and water consumption in long form: one row per unit, period, energy type, quantity, unit.

This is the shape a statistician keeps in Excel (and the shape of the core's input):

====== ======= ======== ======= ======== ====== ==========
单位    期间     能源品种   数量     计量单位   金额    行政区划代码
====== ======= ======== ======= ======== ====== ==========
区财政局 2024-03 电力       12,345  kWh      9,876  500103
====== ======= ======== ======= ======== ====== ==========

In Chinese statistics a bare “单位” is the organisation (报告单位) and “计量单位” the unit of measure.
Bad cells do not raise: each becomes a :class:`~jieneng.io.problems.Problem` naming its row and
column, and the rows that could be read are returned in the frame.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import polars as pl

from jieneng.io import cells
from jieneng.io.problems import ReadResult
from jieneng.io.sniff import ReadLimits
from jieneng.io.table import ColumnSpec, RowReader, read_table
from jieneng.reference.headers import load_header_names

NAMES = load_header_names().table("longform")  # reference data: headers.toml, table ``longform``
COLUMNS = (
    ColumnSpec("org", NAMES["org"].aliases),
    ColumnSpec("period", NAMES["period"].aliases),
    ColumnSpec("energy_type", NAMES["energy_type"].aliases),
    ColumnSpec("quantity", NAMES["quantity"].aliases),
    ColumnSpec("unit", NAMES["unit"].aliases, borrow=NAMES["unit"].borrow),
    ColumnSpec("cost", NAMES["cost"].aliases, required=False),
    ColumnSpec("region", NAMES["region"].aliases, required=False),
)

SCHEMA = {
    "row": pl.Int32,  # the row number the spreadsheet shows
    "org": pl.String,
    "year": pl.Int16,
    "month": pl.Int8,
    "quarter": pl.Int8,
    "energy_type": pl.String,  # as written; the core resolves names and aliases
    "quantity": pl.Float64,
    "unit": pl.String,  # as written, scale words allowed (万kWh)
    "cost": pl.Float64,  # [元]
    "region": pl.String,  # GB/T 2260 code
}


def read_longform(path: str | Path, sheet: str | None = None, limits: ReadLimits | None = None) -> ReadResult:
    """Read a long-form .csv, .xlsx or .xls file into a frame of :data:`SCHEMA`.

    ``sheet`` names the worksheet of a workbook (default: the first). Rows with a problem are left
    out of the frame; ``ReadResult.ok`` is False when any problem blocks.
    """
    table, problems = read_table(Path(path), COLUMNS, sheet, limits)
    if table is None:
        return ReadResult(pl.DataFrame(schema=SCHEMA), problems, None, None)
    records: list[dict[str, Any]] = []
    for number, raw in table.rows:
        reader = RowReader(number, raw, table.headers, problems)
        period = reader.get("period", cells.period, "bad_period")
        record = {
            "row": number,
            "org": reader.get("org", cells.text),
            "energy_type": reader.get("energy_type", cells.text),
            "quantity": reader.get("quantity", cells.number, "bad_number"),
            "unit": reader.get("unit", cells.text),
            "cost": reader.get("cost", cells.number, "bad_number", required=False),
            "region": reader.get("region", cells.text, required=False),
        }
        if reader.failed:
            continue
        record.update(year=period.year, month=period.month, quarter=period.quarter)
        records.append(record)
    frame = pl.DataFrame(records, schema=SCHEMA) if records else pl.DataFrame(schema=SCHEMA)
    return ReadResult(frame.select(list(SCHEMA)), problems, table.sheet, table.header_row)
