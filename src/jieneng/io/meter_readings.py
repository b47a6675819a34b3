"""Meter-reading files (.csv/.xlsx exports of monitoring platforms: 15-minute, hourly or daily; register
counts or interval values) read into one frame of readings, with every problem as a record.

The file goes through :func:`jieneng.io.grid.read_grid` (its format from its bytes, the
``JIENENG_IMPORT_*`` limits). The header row is looked for in the first rows by the names of
``monitoring/reading_columns.toml``. A time is the *end* of the interval it closes; a date alone means the
end of that day (24:00, so a daily value belongs to its date). A time without a zone is Beijing time
(Asia/Shanghai, UTC+8) and the reader says so (an advisory problem); the frame's ``ts`` is UTC.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import polars as pl

from jieneng.core.meters import unit_fits
from jieneng.core.problems import ADVISORY, Problem
from jieneng.core.units import normalise
from jieneng.io.grid import read_grid
from jieneng.io.sniff import ReadLimits
from jieneng.reference import load_energy_types, load_units
from jieneng.reference.monitoring import load_reading_columns

HEADER_ROWS = 10  # the header is looked for in this many first rows
LOCAL_OFFSET_MINUTES = 8 * 60  # Asia/Shanghai
_ZONE = r"(Z|[+-]\d{2}:?\d{2})$"
FUTURE_SLACK = timedelta(minutes=5)  # a gateway's clock may run a little ahead
_FORMATS = ("%Y-%m-%d %H:%M:%S%.f", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M")


@dataclass(frozen=True)
class Readings:
    """``frame``: ``row`` (as the spreadsheet shows it, or the position in a batch), ``meter`` (code as
    written), ``ts`` (UTC; null where unreadable), ``value`` (null where not a number), ``unit`` (as written
    or null), ``time_text``, ``value_text``; ``problems``: those found reading (bad times, numbers)."""

    frame: pl.DataFrame
    problems: list[Problem]


def _header(cells: list[str | None]) -> dict[str, int]:
    names = {key: {normalise(n) for n in names} for key, names in load_reading_columns().items()}
    found: dict[str, int] = {}
    for index, cell in enumerate(cells):
        key = normalise(cell or "")
        for column, accepted in names.items():
            if key in accepted and column not in found:
                found[column] = index
    return found


def read_readings_file(path: Path, limits: ReadLimits | None = None) -> Readings:
    """Read ``path``; raises :class:`~jieneng.io.sniff.UnreadableFile` when it is no readable grid."""
    grid = read_grid(path, limits=limits)
    for number in range(1, min(grid.height, HEADER_ROWS) + 1):
        found = _header(grid.cells(number))
        if {"meter", "time", "value"} <= found.keys():
            break
    else:
        missing = sorted({"meter", "time", "value"} - _header(grid.cells(1)).keys())
        return Readings(_empty(), [Problem.make("reading_columns", row=1, missing=", ".join(missing))])
    body = grid.frame.slice(number).with_row_index("row", offset=number + 1)
    columns = grid.frame.columns
    raw = body.select(
        pl.col("row").cast(pl.Int64),
        meter=pl.col(columns[found["meter"]]).str.strip_chars(),
        time_text=pl.col(columns[found["time"]]).str.strip_chars(),
        value_text=pl.col(columns[found["value"]]).str.strip_chars(),
        unit=pl.col(columns[found["unit"]]).str.strip_chars() if "unit" in found else pl.lit(None, pl.String),
    ).filter(pl.any_horizontal(pl.col("meter", "time_text", "value_text").is_not_null()))
    return parse(raw)


def parse(raw: pl.DataFrame) -> Readings:
    """Times and values of ``raw`` (``row``, ``meter``, ``time_text``, ``value_text``, ``unit``) parsed."""
    text = raw["time_text"].cast(pl.String).str.replace_all("/", "-").str.replace("T", " ")
    zone = text.str.extract(_ZONE, 1)
    local = text.str.replace(_ZONE, "").str.strip_chars()
    parsed = pl.select(
        pl.coalesce(
            *[local.str.to_datetime(f, strict=False, time_unit="us") for f in _FORMATS],
            (local.str.to_date("%Y-%m-%d", strict=False).cast(pl.Datetime("us")) + pl.duration(days=1)),
        ).alias("t")
    )["t"]
    sign = pl.select(pl.when(zone.str.starts_with("-")).then(-1).otherwise(1).alias("s"))["s"]
    digits = zone.str.replace_all(r"[^0-9]", "")
    offset = pl.select(
        pl.when(zone == "Z")
        .then(0)
        .when(zone.is_not_null())
        .then(
            sign
            * (
                digits.str.slice(0, 2).cast(pl.Int64, strict=False) * 60
                + digits.str.slice(2, 2).cast(pl.Int64, strict=False)
            )
        )
        .otherwise(LOCAL_OFFSET_MINUTES)
        .alias("o")
    )["o"]
    number = raw["value_text"].cast(pl.String).str.replace_all(r"[,，\s]", "").cast(pl.Float64, strict=False)
    frame = raw.with_columns(
        ts=(parsed - pl.duration(minutes=pl.lit(offset))).dt.replace_time_zone("UTC"),
        value=number,
    )
    problems = [
        Problem.make("reading_bad_time", row=r["row"], column="time", value=r["time_text"] or "")
        for r in frame.filter(pl.col("ts").is_null()).iter_rows(named=True)
    ]
    problems += [
        Problem.make("reading_bad_number", row=r["row"], column="value", value=r["value_text"] or "")
        for r in frame.filter(pl.col("value").is_null() | ~pl.col("value").is_finite()).iter_rows(named=True)
    ]
    naive = int(((zone.is_null()) & parsed.is_not_null()).sum())
    if naive:
        problems.append(Problem.make("reading_naive_time", severity=ADVISORY, count=naive))
    return Readings(frame.select("row", "meter", "ts", "value", "unit", "time_text", "value_text"), problems)


def _empty() -> pl.DataFrame:
    return pl.DataFrame(
        schema={
            "row": pl.Int64,
            "meter": pl.String,
            "ts": pl.Datetime("us", "UTC"),
            "value": pl.Float64,
            "unit": pl.String,
            "time_text": pl.String,
            "value_text": pl.String,
        }
    )


def check_frame(
    readings: Readings, meters: pl.DataFrame, now: datetime
) -> tuple[pl.DataFrame, list[Problem]]:
    """The readings against the meters the sender may feed (``meters``: ``code``, ``meter_id``, ``kind``,
    ``unit``, ``energy``), vectorised: the batch (``row``, ``meter``, ``meter_id``, ``ts``, ``value`` in
    the meter's unit) and every problem (unknown or virtual meter, a unit that does not fit the energy
    type, a reading after ``now`` plus :data:`FUTURE_SLACK`), besides those of reading."""
    units, types = load_units(), load_energy_types().types
    problems = list(readings.problems)
    frame = readings.frame.join(
        meters.rename({"code": "meter", "unit": "meter_unit"}), on="meter", how="left"
    )
    for r in frame.filter(pl.col("meter_id").is_null()).iter_rows(named=True):
        problems.append(
            Problem.make("reading_unknown_meter", row=r["row"], column="meter", value=r["meter"] or "")
        )
    for r in frame.filter(pl.col("kind") == "virtual").iter_rows(named=True):
        problems.append(Problem.make("reading_virtual_meter", row=r["row"], column="meter", value=r["meter"]))
    pairs = frame.filter(pl.col("unit").is_not_null() & (pl.col("unit") != pl.col("meter_unit")))
    scales: dict[tuple[str, str], float | None] = {}
    for unit, meter_unit, energy in pairs.select("unit", "meter_unit", "energy").unique().iter_rows():
        fits = unit_fits(units, unit, types[energy].default_unit)
        scales[(unit, meter_unit)] = units.parse(unit).size / units.parse(meter_unit).size if fits else None
    for r in pairs.iter_rows(named=True):
        if scales[(r["unit"], r["meter_unit"])] is None:
            problems.append(
                Problem.make(
                    "reading_unit_mismatch",
                    row=r["row"],
                    column="unit",
                    value=r["unit"],
                    energy=r["energy"],
                    unit=r["meter_unit"],
                )
            )
    scale = pl.DataFrame(
        [(u, m, s) for (u, m), s in scales.items()],
        schema={"unit": pl.String, "meter_unit": pl.String, "scale": pl.Float64},
        orient="row",
    )
    frame = frame.join(scale, on=["unit", "meter_unit"], how="left").with_columns(
        pl.col("scale").fill_null(1.0)
    )
    limit = (now + FUTURE_SLACK).astimezone(UTC)
    for r in frame.filter(pl.col("ts") > limit).iter_rows(named=True):
        problems.append(
            Problem.make(
                "reading_future",
                row=r["row"],
                column="time",
                value=r["time_text"],
                now=now.strftime("%Y-%m-%d %H:%M"),
            )
        )
    batch = (
        frame.filter(pl.col("kind") != "virtual")
        .drop_nulls(["meter_id", "ts", "value"])
        .select("row", "meter", "meter_id", "ts", value=pl.col("value") * pl.col("scale"))
    )
    return batch.sort("row"), problems
