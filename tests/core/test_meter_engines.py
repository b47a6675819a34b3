"""The roll-up queries of :mod:`jieneng.core.meter_rollups` give the same figures on DuckDB and on a
local Spark session (the path past one machine), over a small set with a register that rolls over and
is reset, a multiplier, and readings that arrive out of order."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime, timedelta

import numpy as np
import polars as pl
import pytest

from jieneng.monitoring import engine

METERS = pl.DataFrame(
    {"meter_id": [1, 2, 3], "kind": ["interval", "register", "interval"], "multiplier": [1.0, 40.0, 1.0],
     "rollover": [None, 10_000.0, None]}
)  # fmt: skip


def readings() -> pl.DataFrame:
    rng = np.random.default_rng(7)
    start = datetime(2026, 1, 30, 16, tzinfo=UTC)  # 31 January 00:00 in Beijing
    ts = [start + timedelta(hours=h) for h in range(24 * 5)]
    counts = (9_900 + np.cumsum(rng.uniform(0, 5, len(ts)))) % 10_000
    counts[80:] -= counts[80]  # replaced: falls to zero
    frame = pl.DataFrame(
        {"meter_id": [1] * len(ts) + [2] * len(ts) + [3] * len(ts), "ts": ts * 3,
         "value": [*rng.uniform(0, 50, len(ts)), *counts, *rng.uniform(0, 5, len(ts))]}
    )  # fmt: skip
    return frame.sample(fraction=1.0, shuffle=True, seed=3)  # out of order


@pytest.fixture(scope="module")
def spark(tmp_path_factory):
    if shutil.which("java") is None:
        pytest.skip("no Java runtime: Spark needs one (scripts/install-system-packages.sh installs it)")
    pyspark = pytest.importorskip("pyspark.sql", reason="pyspark is not installed (pip install -e .[dev])")
    session = (
        pyspark.SparkSession.builder.master("local[1]").appName("jieneng-tests")
        .config("spark.sql.session.timeZone", "UTC").config("spark.ui.enabled", "false")
        .config("spark.sql.warehouse.dir", str(tmp_path_factory.mktemp("spark-warehouse")))
        .config("spark.sql.shuffle.partitions", "2").getOrCreate()
    )  # fmt: skip
    yield session
    session.stop()


def _both(spark, run):
    duck = engine.connect("duckdb")
    on_spark = engine.connect("spark", spark=spark)
    frame = readings()
    a = run(duck, engine.readings_table(duck, frame))
    b = run(on_spark, engine.readings_table(on_spark, frame))
    return a, b


def test_the_daily_roll_ups_agree(spark) -> None:
    a, b = _both(spark, lambda con, t: engine.daily(con, t, METERS))
    key = ["meter_id", "day"]
    a, b = a.sort(key), b.select(a.columns).cast(dict(a.schema)).sort(key)
    assert a.select(key).equals(b.select(key))
    assert np.allclose(a["value"].fill_null(-1).to_numpy(), b["value"].fill_null(-1).to_numpy())
    assert a["resets"].to_list() == b["resets"].to_list()
    assert a.filter(pl.col("meter_id") == 2)["resets"].sum() == 1


def test_the_monthly_roll_ups_agree(spark) -> None:
    a, b = _both(spark, lambda con, t: engine.monthly(con, t, METERS))
    a, b = a.sort("meter_id", "month"), b.select(a.columns).cast(dict(a.schema)).sort("meter_id", "month")
    assert a["month"].to_list() == b["month"].to_list() == ["2026-01", "2026-02"] * 3
    assert np.allclose(a["value"].to_numpy(), b["value"].to_numpy())
