"""Runs the roll-up queries of :mod:`jieneng.core.meter_rollups` on the configured engine
(``JIENENG_MONITORING_ENGINE``): DuckDB in this process, or Spark. The queries are the same Ibis
expressions on both; only the connection and the way the Parquet files are opened differ."""

from __future__ import annotations

from datetime import date
from typing import Any

import ibis
import polars as pl

from jieneng.config import current
from jieneng.core import meter_rollups
from jieneng.monitoring.store import ReadingStore


def connect(engine: str | None = None, spark: Any = None) -> Any:
    """An Ibis backend: DuckDB (default) or Spark (``spark``: a session; else a local one is started)."""
    chosen = engine or current().monitoring_engine
    if chosen == "spark":
        if spark is None:
            from pyspark.sql import SparkSession

            spark = SparkSession.builder.master("local[2]").appName("jieneng").getOrCreate()
        return ibis.pyspark.connect(spark)
    return ibis.duckdb.connect()


def meters_table(meters: pl.DataFrame) -> Any:
    """The meters' attributes the queries need, as an Ibis in-memory table."""
    return ibis.memtable(
        meters.select(
            pl.col("meter_id").cast(pl.Int64),
            pl.col("kind").cast(pl.String),
            pl.col("multiplier").cast(pl.Float64),
            pl.col("rollover").cast(pl.Float64),
        ).to_arrow()
    )


def readings_table(con: Any, frame: pl.DataFrame) -> Any:
    """``frame`` (``meter_id``, ``ts``, ``value``) as a table of the backend ``con``."""
    del con
    return ibis.memtable(frame.select("meter_id", "ts", "value").to_arrow())


def stored_readings(con: Any, store: ReadingStore) -> Any:
    """Every stored reading as a table of ``con`` (DuckDB and Spark read the Parquet files themselves)."""
    return con.read_parquet(store.glob()).select("meter_id", "ts", "value")


def daily(
    con: Any, readings: Any, meters: pl.DataFrame, start: date | None = None, end: date | None = None
) -> pl.DataFrame:
    """Daily consumption per meter (``meter_id``, ``day``, ``value``, ``intervals``, ``resets``)."""
    table = meter_rollups.daily(meter_rollups.intervals(readings, meters_table(meters)))
    if start is not None:
        table = table.filter(table.day >= start)
    if end is not None:
        table = table.filter(table.day <= end)
    return _frame(con, table.order_by(["meter_id", "day"]))


def monthly(con: Any, readings: Any, meters: pl.DataFrame) -> pl.DataFrame:
    table = meter_rollups.monthly(
        meter_rollups.daily(meter_rollups.intervals(readings, meters_table(meters)))
    )
    return _frame(con, table.order_by(["meter_id", "month"]))


def hourly(con: Any, readings: Any, meters: pl.DataFrame) -> pl.DataFrame:
    """Each reading's interval (``meter_id``, ``ts`` UTC, ``value``, ``event``), sorted."""
    table = meter_rollups.intervals(readings, meters_table(meters))
    return _frame(con, table.order_by(["meter_id", "ts"]))


def _frame(con: Any, table: Any) -> pl.DataFrame:
    result = con.to_pyarrow(table)
    frame = pl.from_arrow(result)
    if not isinstance(frame, pl.DataFrame):  # pragma: no cover - a table always gives a frame
        raise TypeError(type(frame))
    return frame


def daily_and_monthly(con: Any, readings: Any, meters: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Both roll-ups of the whole set in one pass over the readings: the monthly from the daily."""
    days = daily(con, readings, meters)
    table = meter_rollups.monthly(ibis.memtable(days.to_arrow()))
    return days, _frame(con, table.order_by(["meter_id", "month"]))
