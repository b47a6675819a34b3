"""Benchmark: meter readings in from CSV and their roll-ups, each against DuckDB doing the same alone.

    python3 tasks.py bench bench_monitoring [--meters N] [--days D] [--file-rows R] [--repeat K]

Writes N meters × D days of hourly interval readings as CSV files of at most R rows (表号, 时间, 读数,
单位; times without a zone), then, in the same run:

* ingest — ``io.meter_readings.read_readings_file`` + ``check_frame`` + ``ReadingStore.plan`` and
  ``write`` per file (read, parse times and numbers, check every reading against the meters, compare
  with what is stored, write the day × group Parquet partitions), against the baseline: DuckDB reading
  the same CSV files and writing the same partitioned Parquet alone (``COPY … PARTITION_BY``).
  Goal ≤ 2×.
* roll-ups — the daily and monthly roll-ups of the whole set through the Ibis queries of
  ``core.meter_rollups`` on DuckDB, against the equivalent hand-written DuckDB SQL over the same files.
  Goal ≤ 1.5×.
* peak memory of the process (max RSS). Goal < 4 GiB.

The once-a-process costs (importing the Ibis backend, Ibis's first expression) are paid before the
timed roll-ups, as a server pays them once.

Default: 300 meters × 31 days (223,200 readings), about a minute. The issue's run, 100 million
readings, is ``--meters 10000 --days 365 --file-rows 1000000`` (87.6 million; 11,416 meters for 100
million): expect tens of minutes and the disk for the CSV (≈ 4 GB) and the Parquet.

``--stored-only`` skips the CSV and the ingest: DuckDB generates the readings straight into the store's
partitioned Parquet, one meter group (1,000 meters) at a time, so no step holds the whole set in
memory; then the roll-ups and the peak memory are measured as above. That is the way to the
100-million-row roll-ups on a small machine (``--stored-only --meters 11416 --days 365``).
``--memory-limit 3GB`` sets DuckDB's memory limit for both sides (by default DuckDB may take 80 % of
the machine's memory, so the peak says what it was allowed, not what it needs).
"""

from __future__ import annotations

import argparse
import resource
import statistics
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import numpy as np
import polars as pl

from jieneng.core import meter_rollups
from jieneng.io.meter_readings import check_frame, read_readings_file
from jieneng.io.sniff import ReadLimits
from jieneng.monitoring import engine
from jieneng.monitoring.store import GROUP_SIZE, SCHEMA, ReadingStore

HAND_WRITTEN = """
WITH r AS (
  SELECT r.meter_id, r.ts, r.value, m.kind, m.multiplier, m.rollover,
         LAG(r.value) OVER (PARTITION BY r.meter_id ORDER BY r.ts) AS prev
  FROM read_parquet(?) r JOIN meters m USING (meter_id)),
i AS (
  SELECT meter_id, ts, multiplier * CASE WHEN kind <> 'register' THEN value
      WHEN prev IS NULL THEN NULL WHEN value >= prev THEN value - prev
      WHEN rollover IS NOT NULL AND prev >= rollover * 0.9 THEN value + rollover - prev END AS value
  FROM r),
d AS (
  SELECT meter_id, CAST(ts + INTERVAL 8 HOUR - INTERVAL 1 SECOND AS DATE) AS day, SUM(value) AS value,
         COUNT(value) AS intervals
  FROM i GROUP BY ALL)
SELECT meter_id, strftime(day, '%Y-%m') AS month, SUM(value) AS value, COUNT(DISTINCT day) AS days,
       (SELECT COUNT(*) FROM d) AS daily_rows
FROM d GROUP BY ALL
"""


def write_csv(folder: Path, meters: int, days: int, file_rows: int) -> list[Path]:
    rng = np.random.default_rng(16)
    start = np.datetime64("2025-01-01T01:00")  # a year of hours stays in the past
    hours = np.arange(start, start + np.timedelta64(days * 24, "h"), np.timedelta64(1, "h")).astype(
        "datetime64[ms]"
    )
    per_file = max(1, file_rows // hours.size)
    paths = []
    for first in range(0, meters, per_file):
        ids = np.arange(first, min(meters, first + per_file))
        frame = pl.DataFrame(
            {
                "表号": np.repeat([f"M{i:05d}" for i in ids], hours.size),
                "时间": np.tile(hours, ids.size),
                "读数": rng.gamma(2.0, 20.0, ids.size * hours.size).round(2),
            }
        ).with_columns(pl.col("时间").dt.strftime("%Y-%m-%d %H:%M"), 单位=pl.lit("kWh"))
        path = folder / f"readings-{first:06d}.csv"
        frame.write_csv(path)
        paths.append(path)
    return paths


GENERATE = """
COPY (
  SELECT m.range AS meter_id,
         TIMESTAMPTZ '2026-01-01 01:00:00+00' + h.range * INTERVAL 1 HOUR AS ts,
         round(random() * 80, 2) AS value,
         CAST(TIMESTAMP '2026-01-01 09:00:00' + h.range * INTERVAL 1 HOUR - INTERVAL 1 SECOND AS DATE) AS day,
         m.range // {group_size} AS "group"
  FROM range({first}, {last}) m CROSS JOIN range({hours}) h)
TO '{root}' (FORMAT parquet, PARTITION_BY (day, "group"), FILENAME_PATTERN 'part-gen{first}-{{i}}',
             OVERWRITE_OR_IGNORE)
"""


def generate_store(root: Path, meters: int, days: int, memory_limit: str | None) -> int:
    """The readings written straight into the store's layout, one meter group at a time (meter ids
    1 … ``meters``); how many."""
    with duckdb.connect() as con:
        con.execute("SET TimeZone = 'UTC'")
        if memory_limit:
            con.execute(f"SET memory_limit = '{memory_limit}'")
        starts = [1, *range(GROUP_SIZE, meters + 1, GROUP_SIZE)]  # one meter group each
        for first, last in zip(starts, [*starts[1:], meters + 1], strict=True):
            sql = GENERATE.format(group_size=GROUP_SIZE, first=first, last=last, hours=days * 24, root=root)
            con.execute(sql)
    return meters * days * 24


def meters_table(meters: int) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "code": [f"M{i:05d}" for i in range(meters)],
            "meter_id": np.arange(1, meters + 1, dtype=np.int64),
            "kind": ["interval"] * meters,
            "unit": ["kWh"] * meters,
            "energy": ["electricity"] * meters,
            "multiplier": [1.0] * meters,
            "rollover": [None] * meters,
        },
        schema_overrides={"rollover": pl.Float64},
    )


def ingest(paths: list[Path], meters: pl.DataFrame, root: Path) -> int:
    store = ReadingStore(root)
    limits = ReadLimits(rows=10_000_000, columns=100, cells=100_000_000, text_chars=10_000,
                        unpacked_bytes=10**10, memory_bytes=10**10, seconds=3600)  # fmt: skip
    now = datetime.now(UTC)
    stored = 0
    for path in paths:
        batch, problems = check_frame(read_readings_file(path, limits), meters, now)
        assert not [p for p in problems if p.code != "reading_naive_time"], problems[:3]
        plan = store.plan(batch)
        store.write(plan)
        stored += plan.new.height
    return stored


def baseline_ingest(paths: list[Path], root: Path, meters: pl.DataFrame) -> None:
    with duckdb.connect() as con:
        con.register("meters", meters.select("code", "meter_id").to_arrow())
        con.execute(
            f"""COPY (SELECT m.meter_id, CAST(c."时间" AS TIMESTAMP) - INTERVAL 8 HOUR AS ts,
                   c."读数" AS value,
                   CAST(CAST(c."时间" AS TIMESTAMP) - INTERVAL 1 SECOND AS DATE) AS day,
                   m.meter_id // {GROUP_SIZE} AS "group"
                FROM read_csv(?, header = true) c JOIN meters m ON m.code = c."表号")
               TO '{root}' (FORMAT parquet, PARTITION_BY (day, "group"))""",
            [[str(p) for p in paths]],
        )


def rollups(con: object, store: ReadingStore, meters: pl.DataFrame) -> tuple[int, int]:
    table = engine.stored_readings(con, store)
    daily, monthly = engine.daily_and_monthly(con, table, meters)
    return daily.height, monthly.height


def baseline_rollups(store: ReadingStore, meters: pl.DataFrame, memory_limit: str | None) -> tuple[int, int]:
    with duckdb.connect() as con:
        if memory_limit:
            con.execute(f"SET memory_limit = '{memory_limit}'")
        con.register("meters", meters.select("meter_id", "kind", "multiplier", "rollover").to_arrow())
        out = con.execute(HAND_WRITTEN, [store.glob()]).fetchall()
    return out[0][4] if out else 0, len(out)


def timed(run, *args):  # type: ignore[no-untyped-def]
    began = time.perf_counter()
    result = run(*args)
    return time.perf_counter() - began, result


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--meters", type=int, default=300)
    parser.add_argument("--days", type=int, default=31)
    parser.add_argument("--file-rows", type=int, default=250_000)
    parser.add_argument("--repeat", type=int, default=3, help="ingest runs; the medians are compared")
    parser.add_argument("--stored-only", action="store_true", help="generate the Parquet; roll-ups only")
    parser.add_argument("--memory-limit", default=None, help="DuckDB's memory limit for both sides, e.g. 3GB")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        meters = meters_table(args.meters)
        readings = args.meters * args.days * 24
        if args.stored_only:
            made, generated = timed(
                generate_store, folder / "store-0", args.meters, args.days, args.memory_limit
            )
            print(
                f"{generated:,} readings of {args.meters:,} meters generated into the store in {made:.1f} s"
            )
        else:
            measure_ingest(folder, args, meters, readings)
        measure_rollups(ReadingStore(folder / "store-0"), meters, args.memory_limit)
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2
        print(f"peak memory: {peak:.2f} GiB (goal < 4)")


def measure_ingest(folder: Path, args: argparse.Namespace, meters: pl.DataFrame, readings: int) -> None:
    paths = write_csv(folder, args.meters, args.days, args.file_rows)
    print(f"{readings:,} readings of {args.meters:,} meters in {len(paths)} CSV files")
    runs = [
        (
            timed(baseline_ingest, paths, folder / f"baseline-{r}", meters)[0],
            timed(ingest, paths, meters, folder / f"store-{r}"),
        )
        for r in range(args.repeat)
    ]
    base_in = statistics.median(b for b, _o in runs)
    ours_in = statistics.median(o[0] for _b, o in runs)
    stored = runs[0][1][1]
    assert stored == readings, (stored, readings)
    ratio = ours_in / base_in
    print(f"ingest:   {ours_in:7.2f} s against DuckDB alone {base_in:7.2f} s = {ratio:4.2f}× (goal ≤ 2)")


def measure_rollups(store: ReadingStore, meters: pl.DataFrame, memory_limit: str | None) -> None:
    base_roll, (base_daily, base_monthly) = timed(baseline_rollups, store, meters, memory_limit)
    # the backend's import and start and Ibis's first expression (lazy imports), once a process: not timed
    con = engine.connect("duckdb")
    if memory_limit:
        con.raw_sql(f"SET memory_limit = '{memory_limit}'")
    meter_rollups.monthly(
        meter_rollups.daily(
            meter_rollups.intervals(
                engine.readings_table(con, pl.DataFrame(schema=SCHEMA)),
                engine.meters_table(meters.head(1)),
            )
        )
    )
    ours_roll, (daily, monthly) = timed(rollups, con, store, meters)
    assert (daily, monthly) == (base_daily, base_monthly), ((daily, monthly), (base_daily, base_monthly))
    ratio = ours_roll / base_roll
    print(
        f"roll-ups: {ours_roll:7.2f} s against hand-written SQL {base_roll:7.2f} s = "
        f"{ratio:4.2f}× (goal ≤ 1.5)"
    )
    print(f"          {daily:,} daily and {monthly:,} monthly rows")


if __name__ == "__main__":
    main()
