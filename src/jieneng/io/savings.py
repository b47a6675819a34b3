"""Read a meter's daily use and temperatures for measured savings (IPMVP Option C).

One row per day: the date, the day's mean outdoor temperature, and the use. For the daily method the
use is the day's; for the billing method a use is written on the day a bill (or meter reading) ends and
covers the days since the previous one (the first bill starts on the file's first day); other rows leave
it empty. Problems are reported by row and column as the other readers do; nothing is guessed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl

from jieneng.io import cells
from jieneng.io.problems import Problem, ReadResult
from jieneng.io.sniff import ReadLimits
from jieneng.io.table import ColumnSpec, RowReader, read_table

COLUMNS = (
    ColumnSpec("date", ("日期", "读数日期", "date", "day")),
    ColumnSpec("temperature", ("日均气温", "平均气温", "气温", "温度", "temperature", "temp")),
    ColumnSpec("use", ("用量", "用电量", "能耗", "消费量", "use", "usage", "consumption")),
)
SCHEMA = {"row": pl.Int32, "date": pl.Date, "temperature": pl.Float64, "use": pl.Float64}
_DATE = re.compile(
    r"^\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?\s*(?:[ T]00:00(?::00)?)?\s*$"
)


def _date(value: Any) -> date | None:
    if cells.is_empty(value):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    match = _DATE.match(str(value))
    if not match:
        raise ValueError(value)
    year, month, day = (int(g) for g in match.groups())
    return date(year, month, day)  # ValueError for 2024-02-30


def read_meter_days(
    path: str | Path, sheet: str | None = None, limits: ReadLimits | None = None
) -> ReadResult:
    """Read the file into a frame of :data:`SCHEMA`, sorted by date."""
    table, problems = read_table(Path(path), COLUMNS, sheet, limits)
    if table is None:
        return ReadResult(pl.DataFrame(schema=SCHEMA), problems, None, None)
    records: list[dict[str, Any]] = []
    seen: dict[date, int] = {}
    for number, raw in table.rows:
        reader = RowReader(number, raw, table.headers, problems)
        record = {
            "row": number,
            "date": reader.get("date", _date, "bad_date"),
            "temperature": reader.get("temperature", cells.number, "bad_number", required=False),
            "use": reader.get("use", cells.number, "bad_number", required=False),
        }
        day = record["date"]
        if reader.failed or day is None:
            continue
        if day in seen:
            problems.append(
                Problem.make(
                    "duplicate_date",
                    row=number,
                    column=table.headers["date"],
                    value=day.isoformat(),
                    first=seen[day],
                )
            )
            continue
        seen[day] = number
        records.append(record)
    frame = pl.DataFrame(records, schema=SCHEMA).sort("date") if records else pl.DataFrame(schema=SCHEMA)
    return ReadResult(frame, problems, table.sheet, table.header_row)


@dataclass(frozen=True)
class MeterDays:
    days: np.ndarray  # datetime64[D]
    temperature: np.ndarray
    use: np.ndarray


def arrays(frame: pl.DataFrame) -> MeterDays:
    """The frame's columns as NumPy arrays (missing values NaN)."""
    return MeterDays(
        frame["date"].to_numpy().astype("datetime64[D]"),
        frame["temperature"].fill_null(np.nan).to_numpy().astype(np.float64),
        frame["use"].fill_null(np.nan).to_numpy().astype(np.float64),
    )


def billing_periods(meter: MeterDays) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Bills from the reading rows: each runs from the day after the previous reading to its own day."""
    read = np.flatnonzero(np.isfinite(meter.use))
    ends = meter.days[read]
    starts = np.empty_like(ends)
    if ends.size:
        starts[0] = meter.days[0]
        starts[1:] = ends[:-1] + np.timedelta64(1, "D")
    return starts, ends, meter.use[read]
