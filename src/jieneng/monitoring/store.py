"""The readings store: interval data in Parquet files partitioned by local day and meter group, queried
by DuckDB. The one interface the rest of the project uses for readings (never the files themselves).

Layout under ``<root>`` (``JIENENG_DATA_DIR/monitoring/readings``)::

    day=2026-11-30/group=0/part-<tag>.parquet      columns meter_id [int64], ts [UTC], value [float64]

``group`` is ``meter_id // GROUP_SIZE``. A reading's day is the Asia/Shanghai day of the interval it
closes (:func:`jieneng.core.meter_rollups.local_day`). Files are only ever added (one per partition and
batch) and replaced whole by :meth:`ReadingStore.compact`, so a reader never sees half a batch.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import duckdb
import polars as pl

GROUP_SIZE = 1000
SCHEMA: dict[str, pl.DataType] = {
    "meter_id": pl.Int64(),
    "ts": pl.Datetime("us", "UTC"),
    "value": pl.Float64(),
}


def partition_columns(frame: pl.DataFrame) -> pl.DataFrame:
    """``frame`` with its partition: ``day`` (local, as text) and ``group``."""
    local = pl.col("ts").dt.convert_time_zone("Asia/Shanghai") - pl.duration(seconds=1)
    return frame.with_columns(
        day=local.dt.date().cast(pl.String), group=(pl.col("meter_id") // GROUP_SIZE).cast(pl.Int64)
    )


@dataclass(frozen=True)
class Plan:
    """What appending a batch would do: ``new`` rows to write, ``duplicates`` (identical, skipped) and
    ``conflicts`` (``meter_id``, ``ts``, ``value``, ``stored``: a different value already stored)."""

    new: pl.DataFrame
    duplicates: int
    conflicts: pl.DataFrame


def _utc() -> pl.Expr:
    """``ts`` as UTC, whatever zone name it came with (``Etc/UTC`` from DuckDB)."""
    return pl.col("ts").dt.convert_time_zone("UTC").dt.replace_time_zone(None).dt.replace_time_zone("UTC")


def _normal(batch: pl.DataFrame) -> pl.DataFrame:
    return batch.select(pl.col("meter_id").cast(pl.Int64), _utc(), pl.col("value").cast(pl.Float64))


class ReadingStore:
    def __init__(self, root: Path) -> None:
        self.root = root

    def _dir(self, day: str, group: int) -> Path:
        return self.root / f"day={day}" / f"group={group}"

    def _files(self, partitions: Iterable[tuple[str, int]]) -> list[str]:
        files: list[str] = []
        for day, group in partitions:
            folder = self._dir(day, group)
            if folder.is_dir():
                files += sorted(str(p) for p in folder.glob("*.parquet"))
        return files

    def plan(self, batch: pl.DataFrame) -> Plan:
        """Compare ``batch`` (``meter_id``, ``ts``, ``value``) with what is stored; writes nothing. Rows
        repeated inside the batch count once (the first)."""
        frame = partition_columns(_normal(batch)).unique(["meter_id", "ts"], keep="first")
        partitions = frame.select("day", "group").unique().iter_rows()
        files = self._files(partitions)
        duplicates_in_batch = batch.height - frame.height
        if not files:
            return Plan(frame, duplicates_in_batch, frame.clear().with_columns(stored=pl.lit(0.0)))
        ids = frame["meter_id"].unique().to_list()
        with duckdb.connect() as con:
            rows = con.sql(
                "SELECT meter_id, ts, value AS stored FROM read_parquet(?) "
                "WHERE meter_id IN (SELECT UNNEST(?))",
                params=[files, ids],
            ).pl()
        stored = rows.with_columns(_utc(), pl.col("meter_id").cast(pl.Int64))
        joined = frame.join(stored, on=["meter_id", "ts"], how="left")
        found = joined.filter(pl.col("stored").is_not_null())
        same = found.filter(
            (pl.col("stored") - pl.col("value")).abs() <= 1e-9 * pl.col("value").abs().clip(1)
        )
        conflicts = found.join(same.select("meter_id", "ts"), on=["meter_id", "ts"], how="anti")
        new = joined.filter(pl.col("stored").is_null()).drop("stored")
        return Plan(new, duplicates_in_batch + same.height, conflicts)

    def write(self, plan: Plan, tag: str | None = None) -> list[Path]:
        """Write the plan's new rows, one file per partition; the files written (for :meth:`discard`)."""
        tag = tag or uuid.uuid4().hex
        written: list[Path] = []
        for (day, group), part in plan.new.sort("meter_id", "ts").group_by(
            ["day", "group"], maintain_order=True
        ):
            folder = self._dir(str(day), int(str(group)))
            folder.mkdir(parents=True, exist_ok=True)
            target = folder / f"part-{tag}.parquet"
            temporary = folder / f".part-{tag}.tmp"
            part.select(SCHEMA.keys()).write_parquet(temporary, statistics=True)
            os.replace(temporary, target)
            written.append(target)
        return written

    @staticmethod
    def discard(paths: Iterable[Path]) -> None:
        """Remove files a failed import wrote."""
        for path in paths:
            path.unlink(missing_ok=True)

    def glob(self) -> str:
        return str(self.root / "day=*" / "group=*" / "*.parquet")

    def has_data(self) -> bool:
        return self.root.is_dir() and any(self.root.glob("day=*/group=*/*.parquet"))

    def query(self, meter_ids: Iterable[int], start: date, end: date) -> pl.DataFrame:
        """The readings of ``meter_ids`` whose local day is in [``start``, ``end``], by meter and time."""
        ids = sorted(set(meter_ids))
        if not ids or not self.has_data():
            return pl.DataFrame(schema=SCHEMA)
        with duckdb.connect() as con:
            frame = con.sql(
                "SELECT meter_id, ts, value FROM read_parquet(?, hive_partitioning = true) "
                'WHERE day BETWEEN ? AND ? AND "group" IN (SELECT UNNEST(?)) '
                "AND meter_id IN (SELECT UNNEST(?)) "
                "ORDER BY meter_id, ts",
                params=[
                    self.glob(),
                    start.isoformat(),
                    end.isoformat(),
                    sorted({i // GROUP_SIZE for i in ids}),
                    ids,
                ],
            ).pl()
        out: pl.DataFrame = frame.with_columns(_utc(), pl.col("meter_id").cast(pl.Int64))
        return out

    def compact(self, min_files: int = 2) -> int:
        """Merge each partition of at least ``min_files`` files into one; how many partitions merged."""
        merged = 0
        for folder in sorted(self.root.glob("day=*/group=*")):
            files = sorted(folder.glob("part-*.parquet"))
            if len(files) < min_files:
                continue
            tag = uuid.uuid4().hex
            temporary, target = folder / f".compact-{tag}.tmp", folder / f"part-c{tag}.parquet"
            frame = pl.read_parquet(files).unique(["meter_id", "ts"], keep="first").sort("meter_id", "ts")
            frame.write_parquet(temporary, statistics=True)
            os.replace(temporary, target)
            for path in files:
                path.unlink()
            merged += 1
        return merged
