"""What the monitoring pages show, read for the user's place: the meters by organisation and building,
a building's load profile (day, week, year), its calendar, end-use breakdown and last-year comparison,
the alerts and an alert's evidence. Views call these and render."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

import polars as pl
from django.db.models import Count, Max, Q, QuerySet
from django.utils.translation import gettext as _

from jieneng.accounts.scope import Scope
from jieneng.monitoring import charts, rollups
from jieneng.monitoring.models import Alert, DailyRollup, Meter
from jieneng.monitoring.rollups import ZONE
from jieneng.reference.monitoring import load_end_uses

VIEWS = ("day", "week", "year")


def visible(scope: Scope, capability: str = "view") -> QuerySet[Meter]:
    """The meters of the organisations the user's ``capability`` covers."""
    return Meter.objects.filter(scope.organisation_q(capability, "organisation__")).select_related(
        "organisation"
    )


def alerts(scope: Scope) -> QuerySet[Alert]:
    return Alert.objects.filter(meter__in=visible(scope)).select_related("meter", "meter__organisation")


@dataclass(frozen=True)
class Building:
    organisation_id: int
    organisation: str
    name: str
    meters: int
    alerts: int


def buildings(scope: Scope, organisation: int | None = None) -> list[Building]:
    meters = visible(scope)
    if organisation:
        meters = meters.filter(organisation_id=organisation)
    rows = (
        meters.values("organisation_id", "organisation__name", "building")
        .annotate(n=Count("pk", distinct=True), a=Count("alerts", distinct=True))
        .order_by("organisation__region__code", "organisation__name", "building")
    )
    return [
        Building(r["organisation_id"], r["organisation__name"], r["building"], r["n"], r["a"]) for r in rows
    ]


def building_meters(scope: Scope, organisation: int, building: str) -> list[Meter]:
    return list(visible(scope).filter(organisation_id=organisation, building=building).order_by("code"))


def end_use_title(code: str, zh: bool) -> str:
    use = load_end_uses().uses.get(code)
    return code if use is None else (use.zh if zh else use.en)


def _counting(meters: list[Meter]) -> list[Meter]:
    return [m for m in meters if m.counts]


def latest_day(meters: list[Meter]) -> date | None:
    found = DailyRollup.objects.filter(meter__in=meters).aggregate(last=Max("day"))["last"]
    return found if isinstance(found, date) else None


def building_page(meters: list[Meter], view: str, on: date, zh: bool) -> dict[str, Any]:
    """The charts of a building's page for ``view`` (day, week or year) ending on ``on``."""
    main = _counting(meters)
    unit = main[0].unit if main else "kWh"
    year_start = on - timedelta(days=364)
    daily = rollups.daily_frame([m.pk for m in main], year_start - timedelta(days=365), on)
    totals = daily.group_by("day").agg(pl.col("value").sum()).sort("day")
    this_year = totals.filter(pl.col("day") >= year_start)
    if view == "year":
        labels = [d.isoformat() for d in this_year["day"]]
        profile = charts.profile(
            labels,
            [round(v, 1) for v in this_year["value"]],
            unit,
            _("Daily consumption, the year to %(day)s") % {"day": on.isoformat()},
        )
    else:
        first = on if view == "day" else on - timedelta(days=6)
        hourly = rollups.hourly_local(rollups.intervals(main, first, on)) if main else pl.DataFrame()
        hours = (
            hourly.group_by("ts").agg(pl.col("value").sum()).sort("ts")
            if hourly.height
            else pl.DataFrame(schema={"ts": pl.Datetime, "value": pl.Float64})
        )
        fmt = "%H:%M" if view == "day" else "%m-%d %H:%M"
        title = (_("Hourly load, %(day)s") if view == "day" else _("Hourly load, the week to %(day)s")) % {
            "day": on.isoformat()
        }
        profile = charts.profile(
            [t.strftime(fmt) for t in hours["ts"]], [round(v, 2) for v in hours["value"]], unit, title
        )
    calendar = charts.calendar(list(this_year.iter_rows()), year_start, on, unit)
    return {
        "profile": profile,
        "calendar": calendar,
        "breakdown": _breakdown(meters, on, unit, zh),
        "compare": _compare(totals, on, unit),
        "unit": unit,
        "year_total": float(this_year["value"].sum()) if this_year.height else None,
    }


def _breakdown(meters: list[Meter], on: date, unit: str, zh: bool) -> charts.Chart:
    parts_of = [m for m in meters if m.parent_id is not None or m.kind == Meter.Kind.VIRTUAL] or _counting(
        meters
    )
    first = on.replace(day=1)
    frame = rollups.daily_frame([m.pk for m in parts_of], first, on)
    sums = dict(frame.group_by("meter_id").agg(pl.col("value").sum()).iter_rows())
    by_use: dict[str, float] = {}
    for m in parts_of:
        title = end_use_title(m.end_use, zh)
        by_use[title] = by_use.get(title, 0.0) + float(sums.get(m.pk) or 0.0)
    return charts.breakdown([(k, round(v, 1)) for k, v in by_use.items()], unit, first.strftime("%Y-%m"))


def _compare(totals: pl.DataFrame, on: date, unit: str) -> charts.Chart:
    monthly = dict(
        totals.group_by(pl.col("day").dt.strftime("%Y-%m").alias("m")).agg(pl.col("value").sum()).iter_rows()
    )
    months = []
    year, month = on.year, on.month
    for _i in range(12):
        months.append((year, month))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    months.reverse()
    labels = [f"{y}-{m:02d}" for y, m in months]
    this = [_round(monthly.get(label)) for label in labels]
    last = [_round(monthly.get(f"{y - 1}-{m:02d}")) for y, m in months]
    return charts.compare(labels, this, last, unit)


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def evidence(alert: Alert) -> charts.Chart:
    """The meter's hourly consumption from two days before the alert's span to two days after it."""
    start, end = alert.start.astimezone(ZONE), alert.end.astimezone(ZONE)
    first, last = (
        (start - timedelta(days=2)).date(),
        min((end + timedelta(days=2)).date(), start.date() + timedelta(days=40)),
    )
    hourly = rollups.hourly_local(rollups.intervals([alert.meter], first, last))
    fmt = "%m-%d %H:%M"
    labels = [t.strftime(fmt) for t in hourly["ts"]]
    marked = (_hour(start).strftime(fmt), _hour(end).strftime(fmt))
    return charts.evidence(
        labels, [None if v is None else round(v, 2) for v in hourly["value"]], marked, alert.meter.unit
    )


def _hour(moment: datetime) -> datetime:
    return moment.replace(minute=0, second=0, microsecond=0, tzinfo=None)


def alert_q(place: str) -> Q:
    return Q(meter__organisation__name__icontains=place) if place else Q()
