"""Upkeep of the meters' daily roll-ups and alerts after readings arrive, and the reads the pages use.

:func:`refresh` recomputes, for the meters and days a batch touched, the daily roll-ups (through the
Ibis queries of :mod:`jieneng.core.meter_rollups`), the virtual meters computed from them and the
alerts of :mod:`jieneng.core.anomalies`; every alert records the rules' ``id@version``."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import polars as pl
from django.db.models import Q

from jieneng.config import current
from jieneng.core import anomalies
from jieneng.core.meters import evaluate, parse_formula
from jieneng.core.problems import ADVISORY, Problem
from jieneng.monitoring import engine
from jieneng.monitoring.models import Alert, DailyRollup, Meter
from jieneng.monitoring.store import ReadingStore
from jieneng.reference.monitoring import load_anomaly_rules

ZONE = ZoneInfo("Asia/Shanghai")
BATCH = 5000  # rows per INSERT
LOOK_BACK = timedelta(
    days=35
)  # readings before a batch read again: a register's previous count, a month's base load


def store() -> ReadingStore:
    return ReadingStore(current().data_dir / "monitoring" / "readings")


def meters_frame(meters: Iterable[Meter]) -> pl.DataFrame:
    rows = [(m.pk, m.kind, m.multiplier, m.rollover) for m in meters]
    return pl.DataFrame(
        rows,
        schema={"meter_id": pl.Int64, "kind": pl.String, "multiplier": pl.Float64, "rollover": pl.Float64},
        orient="row",
    )


def intervals(
    meters: list[Meter], start: date, end: date, readings: ReadingStore | None = None
) -> pl.DataFrame:
    """The intervals (``meter_id``, ``ts`` UTC, ``value``, ``event``) of ``meters``, ``start`` to ``end``."""
    frame = (readings or store()).query([m.pk for m in meters], start, end)
    if frame.is_empty():
        return pl.DataFrame(
            schema={
                "meter_id": pl.Int64,
                "ts": pl.Datetime("us", "UTC"),
                "value": pl.Float64,
                "event": pl.String,
            }
        )
    con = engine.connect("duckdb")
    out = engine.hourly(con, engine.readings_table(con, frame), meters_frame(meters))
    return out.with_columns(pl.col("ts").dt.replace_time_zone(None).dt.replace_time_zone("UTC"))


def hourly_local(frame: pl.DataFrame) -> pl.DataFrame:
    """Intervals summed to local hours: ``meter_id``, ``ts`` (naive Asia/Shanghai, the hour's start),
    ``value``, ``event`` (``reset`` when one of the hour's intervals was)."""
    local = pl.col("ts").dt.convert_time_zone("Asia/Shanghai").dt.replace_time_zone(None) - pl.duration(
        seconds=1
    )
    return (
        frame.with_columns(hour=local.dt.truncate("1h"))
        .group_by("meter_id", "hour")
        .agg(
            value=pl.col("value").sum(),
            event=pl.when((pl.col("event") == "reset").any()).then(pl.lit("reset")).otherwise(pl.lit("")),
        )
        .rename({"hour": "ts"})
        .sort("meter_id", "ts")
    )


def refresh(spans: Mapping[int, tuple[str, str]], readings: ReadingStore | None = None) -> list[Problem]:
    """Recompute the roll-ups and alerts of the meters in ``spans`` (meter id → first and last local day
    touched); the rollovers and resets found in those days, as advisory problems."""
    if not spans:
        return []
    meters = list(Meter.objects.filter(pk__in=spans))
    first = min(date.fromisoformat(a) for a, _b in spans.values())
    last = max(date.fromisoformat(b) for _a, b in spans.values())
    window = (first - LOOK_BACK).replace(day=1)
    frame = intervals(meters, window, last, readings)
    con = engine.connect("duckdb")
    daily = engine.daily(
        con,
        engine.readings_table(con, (readings or store()).query(spans, window, last)),
        meters_frame(meters),
        first,
        last,
    )
    DailyRollup.objects.filter(meter_id__in=spans, day__range=(first, last)).delete()
    new = [
        DailyRollup(
            meter_id=r["meter_id"],
            day=r["day"],
            value=r["value"],
            intervals=r["intervals"],
            resets=r["resets"],
        )
        for r in daily.iter_rows(named=True)
    ]
    DailyRollup.objects.bulk_create(new, batch_size=BATCH)
    organisations = {m.organisation_id for m in meters}
    refresh_virtual(
        Meter.objects.filter(organisation_id__in=organisations, kind=Meter.Kind.VIRTUAL), first, last
    )
    _detect(meters, frame, window, last)
    return _events(meters, frame, first)


def refresh_virtual(virtual: Iterable[Meter], first: date, last: date) -> None:
    """Each virtual meter's daily figures from its formula over the other meters' roll-ups."""
    for meter in virtual:
        terms = parse_formula(meter.formula)
        others = {m.code: m.pk for m in Meter.objects.filter(organisation_id=meter.organisation_id)}
        series = {
            t.code: daily_frame([others.get(t.code, -1)], first, last).select("day", "value") for t in terms
        }
        result = evaluate(terms, series)
        DailyRollup.objects.filter(meter=meter, day__range=(first, last)).delete()
        DailyRollup.objects.bulk_create(
            DailyRollup(meter=meter, day=r["day"], value=r["value"], intervals=0)
            for r in result.iter_rows(named=True)
        )


def daily_frame(meter_ids: Iterable[int], first: date, last: date) -> pl.DataFrame:
    """The stored daily roll-ups: ``meter_id``, ``day``, ``value``."""
    rows = DailyRollup.objects.filter(meter_id__in=list(meter_ids), day__range=(first, last)).values_list(
        "meter_id", "day", "value"
    )
    return pl.DataFrame(
        list(rows), schema={"meter_id": pl.Int64, "day": pl.Date, "value": pl.Float64}, orient="row"
    )


def _detect(meters: list[Meter], frame: pl.DataFrame, window: date, last: date) -> None:
    rules = load_anomaly_rules()
    hourly = hourly_local(frame)
    start = datetime.combine(window, datetime.min.time())
    end = datetime.combine(last + timedelta(days=1), datetime.min.time())
    tz = ZONE
    Alert.objects.filter(
        meter__in=meters, start__gte=start.replace(tzinfo=tz), start__lt=end.replace(tzinfo=tz)
    ).delete()
    found: list[Alert] = []
    for meter in meters:
        mine = hourly.filter(pl.col("meter_id") == meter.pk).drop("meter_id")
        findings = anomalies.detect(mine, rules)
        if meter.children.exists():
            parent = daily_frame([meter.pk], window, last)
            children = daily_frame(meter.children.values_list("pk", flat=True), window, last)
            findings += anomalies.submeter_excess(parent, children, rules)
        found += [
            Alert(
                meter=meter,
                rule=f.rule,
                start=f.start.replace(tzinfo=tz),
                end=f.end.replace(tzinfo=tz),
                evidence={k: round(v, 3) for k, v in f.evidence.items()},
                rules=f.rules,
            )
            for f in findings
        ]
    Alert.objects.bulk_create(found, ignore_conflicts=True)


def _events(meters: list[Meter], frame: pl.DataFrame, first: date) -> list[Problem]:
    codes = {m.pk: m.code for m in meters}
    since = datetime.combine(first, datetime.min.time()).replace(tzinfo=ZONE).astimezone(UTC)
    events = frame.filter(pl.col("event").is_in(["rollover", "reset"]) & (pl.col("ts") >= since))
    return [
        Problem.make(
            "register_rollover" if r["event"] == "rollover" else "register_reset",
            severity=ADVISORY,
            value=(r["ts"] + timedelta(hours=8)).strftime("%Y-%m-%d %H:%M"),
            meter=codes[r["meter_id"]],
        )
        for r in events.sort("ts").head(50).iter_rows(named=True)
    ]


def visible_q(scope: object, capability: str = "view") -> Q:
    """Meters of the organisations the user's ``capability`` covers."""
    return scope.organisation_q(capability, "organisation__")  # type: ignore[attr-defined,no-any-return]
