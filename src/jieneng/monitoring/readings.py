"""Readings in: a parsed file or a pushed batch → checked → stored in the Parquet store → roll-ups and
alerts of the meters it touched refreshed → the import log. Receive (the caller), check, store, report.

A batch with any blocking problem stores nothing (its log lists every problem with its row); a batch
without is written as new Parquet files and its roll-ups in one database transaction, and the files
are removed again if the transaction fails. Identical resends are skipped (counted as duplicates);
readings may arrive in any order."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import polars as pl
from django.db import transaction
from django.db.models import QuerySet

from jieneng.core.meters import unit_fits
from jieneng.core.problems import BLOCKING, Problem
from jieneng.io.meter_readings import Readings
from jieneng.monitoring import rollups
from jieneng.monitoring.models import ImportLog, Meter, RejectedReading
from jieneng.monitoring.store import ReadingStore, partition_columns
from jieneng.reference import load_energy_types, load_units

FUTURE_SLACK = timedelta(minutes=5)  # a gateway's clock may run a little ahead


@dataclass(frozen=True)
class Checked:
    batch: pl.DataFrame  # meter_id, ts, value (meter unit), row
    problems: list[Problem]


def check(readings: Readings, meters: QuerySet[Meter], now: datetime) -> Checked:
    """Every blocking problem of ``readings`` against the meters the user may feed, and the batch."""
    frame, problems = readings.frame, list(readings.problems)
    codes = {m.code: m for m in meters.filter(code__in=frame["meter"].drop_nulls().unique().to_list())}
    units, types = load_units(), load_energy_types().types
    ids, scales = [], []
    for row in frame.iter_rows(named=True):
        meter = codes.get(row["meter"] or "")
        scale = 1.0
        if meter is None:
            problems.append(
                Problem.make(
                    "reading_unknown_meter", row=row["row"], column="meter", value=row["meter"] or ""
                )
            )
        elif meter.kind == Meter.Kind.VIRTUAL:
            problems.append(
                Problem.make("reading_virtual_meter", row=row["row"], column="meter", value=meter.code)
            )
        elif row["unit"] and row["unit"] != meter.unit:
            energy = types[meter.energy]
            if not unit_fits(units, row["unit"], energy.default_unit):
                problems.append(
                    Problem.make(
                        "reading_unit_mismatch",
                        row=row["row"],
                        column="unit",
                        value=row["unit"],
                        energy=meter.energy,
                        unit=meter.unit,
                    )
                )
            else:
                scale = units.parse(row["unit"]).size / units.parse(meter.unit).size
        ids.append(meter.pk if meter else None)
        scales.append(scale)
    frame = frame.with_columns(meter_id=pl.Series(ids, dtype=pl.Int64), scale=pl.Series(scales))
    limit = (now + FUTURE_SLACK).astimezone(UTC)
    for row in frame.filter(pl.col("ts") > limit).iter_rows(named=True):
        problems.append(
            Problem.make(
                "reading_future",
                row=row["row"],
                column="time",
                value=row["time_text"],
                now=now.strftime("%Y-%m-%d %H:%M"),
            )
        )
    batch = frame.drop_nulls(["meter_id", "ts", "value"]).select(
        "row", "meter", "meter_id", "ts", value=pl.col("value") * pl.col("scale")
    )
    return Checked(batch, problems)


def ingest(
    readings: Readings,
    meters: QuerySet[Meter],
    *,
    source: str,
    name: str,
    user: object,
    now: datetime,
    store: ReadingStore | None = None,
) -> ImportLog:
    """Check and store ``readings``; the import log (stored, or refused with every problem)."""
    store = store or rollups.store()
    checked = check(readings, meters, now)
    plan = store.plan(checked.batch)
    problems = list(checked.problems)
    if plan.conflicts.height:
        rows = plan.conflicts.join(
            checked.batch.select("meter_id", "ts", "row", "meter"), on=["meter_id", "ts"]
        )
        for r in rows.sort("row").iter_rows(named=True):
            problems.append(
                Problem.make(
                    "reading_conflict",
                    row=r["row"],
                    column="value",
                    value=_local(r["ts"]),
                    meter=r["meter"],
                    stored=r["stored"],
                )
            )
    blocking = [p for p in problems if p.severity == BLOCKING]
    advisory = [note(p) for p in problems if p.severity != BLOCKING]
    organisation_id = _organisation(meters, checked.batch)
    common = {
        "source": source,
        "name": name[:200],
        "created_by": user if getattr(user, "pk", None) else None,
        "organisation_id": organisation_id,
    }
    if blocking or not readings.frame.height:
        with transaction.atomic():
            log = ImportLog.objects.create(
                status=ImportLog.Status.REFUSED, rejected=len(blocking), notes=advisory, **common
            )
            _reject(log, blocking)
        return log
    written = store.write(plan)
    try:
        with transaction.atomic():
            touched = partition_columns(plan.new)
            events = rollups.refresh(_pairs(touched), store)
            log = ImportLog.objects.create(
                status=ImportLog.Status.STORED,
                accepted=plan.new.height,
                duplicates=plan.duplicates,
                notes=advisory + [note(e) for e in events],
                **common,
            )
    except BaseException:
        store.discard(written)
        raise
    return log


def _pairs(touched: pl.DataFrame) -> dict[int, tuple[str, str]]:
    spans = touched.group_by("meter_id").agg(first=pl.col("day").min(), last=pl.col("day").max())
    return {r["meter_id"]: (r["first"], r["last"]) for r in spans.iter_rows(named=True)}


def _organisation(meters: QuerySet[Meter], batch: pl.DataFrame) -> int | None:
    ids = batch["meter_id"].unique().to_list()[:1]
    meter = meters.filter(pk__in=ids).first() if ids else None
    return meter.organisation_id if meter else None


def _local(ts: datetime) -> str:
    return (ts + timedelta(hours=8)).strftime("%Y-%m-%d %H:%M")


def note(problem: Problem) -> dict[str, object]:
    """A problem as stored in the log (rendered again in the reader's language when shown)."""
    params = {
        k: v for k, v in problem.params.items() if k != "column" and isinstance(v, str | int | float | None)
    }
    return {"code": problem.code, "row": problem.row, "column": problem.column, "params": params}


def _reject(log: ImportLog, problems: Iterable[Problem]) -> None:
    RejectedReading.objects.bulk_create(
        RejectedReading(
            log=log,
            row=p.row,
            column=p.column or "",
            value=(p.value or "")[:200],
            code=p.code,
            params=note(p)["params"],
        )
        for p in problems
    )
