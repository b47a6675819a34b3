"""Readings in: a parsed file or a pushed batch → checked → stored in the Parquet store → roll-ups and
alerts of the meters it touched refreshed → the import log. Receive (the caller), check, store, report.

A batch with any blocking problem stores nothing (its log lists every problem with its row); a batch
without is written as new Parquet files and its roll-ups in one database transaction, and the files
are removed again if the transaction fails. Identical resends are skipped (counted as duplicates);
readings may arrive in any order."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

import polars as pl
from django.db import transaction
from django.db.models import QuerySet

from jieneng.core.problems import BLOCKING, Problem
from jieneng.io.meter_readings import Readings, check_frame
from jieneng.monitoring import rollups
from jieneng.monitoring.models import ImportLog, Meter, RejectedReading
from jieneng.monitoring.store import ReadingStore, partition_columns


@dataclass(frozen=True)
class Checked:
    batch: pl.DataFrame  # meter_id, ts, value (meter unit), row
    problems: list[Problem]


def check(readings: Readings, meters: QuerySet[Meter], now: datetime) -> Checked:
    """Every blocking problem of ``readings`` against the meters the user may feed, and the batch."""
    codes = readings.frame["meter"].drop_nulls().unique().to_list()
    rows = meters.filter(code__in=codes).values_list("code", "pk", "kind", "unit", "energy")
    table = pl.DataFrame(
        list(rows), schema={"code": pl.String, "meter_id": pl.Int64, "kind": pl.String, "unit": pl.String,
                            "energy": pl.String}, orient="row",
    )  # fmt: skip
    batch, problems = check_frame(readings, table, now)
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
