"""Anomalies of a meter's hourly intervals: base load at night and at weekends against working hours,
spikes, flat lines (a stuck meter), gaps, negative intervals, register resets, and a sub-meter sum above
its parent. Pure: Polars frames in, :class:`Finding` records out; the thresholds are the reference table
``monitoring/anomaly_rules.toml`` (:class:`AnomalyRules`), whose ``id@version`` every finding records.

The hourly frame of one meter has ``ts`` [datetime, local Asia/Shanghai, the hour's start], ``value``
[the meter's unit per hour; null where a register reset left it unknown] and ``event`` (``reset`` …).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, time
from typing import Any

import polars as pl

from jieneng.core.errors import ReferenceDataError

RULES = (
    "night_base_load",
    "weekend_base_load",
    "spike",
    "flat_line",
    "gap",
    "negative",
    "register_reset",
    "submeter_excess",
)


@dataclass(frozen=True)
class AnomalyRules:
    id: str
    version: str
    start_hour: int
    end_hour: int
    night_start_hour: int
    night_end_hour: int
    thresholds: Mapping[str, Mapping[str, float]]

    @property
    def ref(self) -> str:
        return f"{self.id}@{self.version}"

    def get(self, rule: str, key: str) -> float:
        try:
            return float(self.thresholds[rule][key])
        except KeyError as exc:
            raise ReferenceDataError(table=self.id, problem=f"no threshold {rule}.{key}") from exc

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> AnomalyRules:
        try:
            working = data["working"]
            return cls(
                str(data["id"]),
                str(data["version"]),
                int(working["start_hour"]),
                int(working["end_hour"]),
                int(working["night_start_hour"]),
                int(working["night_end_hour"]),
                {k: dict(v) for k, v in data["rules"].items()},
            )
        except KeyError as exc:
            raise ReferenceDataError(
                table=str(data.get("id", "anomaly rules")), problem=f"missing {exc}"
            ) from exc


@dataclass(frozen=True)
class Finding:
    """One anomaly of one meter: its rule, the local time span, the figures that show it, the rules' ref."""

    rule: str
    start: datetime
    end: datetime
    evidence: dict[str, float] = field(default_factory=dict)
    rules: str = ""


def _ratio_findings(
    hourly: pl.DataFrame, rules: AnomalyRules, rule: str, mask: pl.Expr, min_days_key: str = "min_days"
) -> list[Finding]:
    """Per calendar month: the mean of the hours in ``mask`` against the weekday working-hours mean."""
    working = pl.col("ts").dt.weekday().le(5) & pl.col("ts").dt.hour().is_between(
        rules.start_hour, rules.end_hour - 1
    )
    frame = hourly.drop_nulls("value").with_columns(month=pl.col("ts").dt.strftime("%Y-%m"))
    stats = (
        frame.group_by("month")
        .agg(
            base=pl.col("value").filter(mask).mean(),
            work=pl.col("value").filter(working).mean(),
            days=pl.col("ts").dt.date().n_unique(),
            start=pl.col("ts").min(),
            end=pl.col("ts").max(),
        )
        .sort("month")
    )
    limit, min_days = rules.get(rule, "ratio"), rules.get(rule, min_days_key)
    out = []
    for row in stats.iter_rows(named=True):
        if row["days"] < min_days or not row["work"] or row["base"] is None:
            continue
        ratio = row["base"] / row["work"]
        if ratio > limit:
            evidence = {"base": row["base"], "working": row["work"], "ratio": ratio, "limit": limit}
            out.append(Finding(rule, row["start"], row["end"], evidence, rules.ref))
    return out


def base_load(hourly: pl.DataFrame, rules: AnomalyRules) -> list[Finding]:
    """Night (hours ``night_start``–``night_end``) and weekend base loads above their share of the
    weekday working-hours mean, per month: a building that never switches off."""
    night = pl.col("ts").dt.hour().is_between(rules.night_start_hour, rules.night_end_hour - 1)
    weekend = pl.col("ts").dt.weekday() >= 6
    return _ratio_findings(hourly, rules, "night_base_load", night & pl.col("ts").dt.weekday().le(5)) + (
        _ratio_findings(hourly, rules, "weekend_base_load", weekend)
    )


def _runs(frame: pl.DataFrame, flag: str) -> pl.DataFrame:
    """Consecutive rows where ``flag`` is true: ``start``, ``end``, ``hours``, ``peak``, ``total``."""
    marked = frame.with_columns(run=(pl.col(flag) != pl.col(flag).shift(1)).fill_null(True).cum_sum())
    return (
        marked.filter(pl.col(flag))
        .group_by("run")
        .agg(
            start=pl.col("ts").min(),
            end=pl.col("ts").max(),
            hours=pl.len(),
            peak=pl.col("value").max(),
            low=pl.col("value").min(),
        )
        .sort("start")
    )


def spikes(hourly: pl.DataFrame, rules: AnomalyRules) -> list[Finding]:
    """Hours above ``factor`` × the meter's median weekday working-hour interval (and above ``min_kwh``)."""
    working = hourly.drop_nulls("value").filter(
        pl.col("ts").dt.weekday().le(5)
        & pl.col("ts").dt.hour().is_between(rules.start_hour, rules.end_hour - 1)
    )
    median = working["value"].median() if working.height else None
    if not isinstance(median, int | float) or median <= 0:
        return []
    limit = max(rules.get("spike", "factor") * float(median), rules.get("spike", "min_kwh"))
    flagged = hourly.sort("ts").with_columns(flag=pl.col("value").fill_null(0) > limit)
    return [
        Finding(
            "spike",
            r["start"],
            r["end"],
            {"peak": r["peak"], "median": float(median), "limit": limit},
            rules.ref,
        )
        for r in _runs(flagged, "flag").iter_rows(named=True)
    ]


def flat_lines(hourly: pl.DataFrame, rules: AnomalyRules) -> list[Finding]:
    """At least ``hours`` consecutive equal, non-zero intervals: the meter is stuck or estimated."""
    frame = hourly.sort("ts").drop_nulls("value")
    runs = (
        frame.with_columns(run=(pl.col("value") != pl.col("value").shift(1)).fill_null(True).cum_sum())
        .group_by("run")
        .agg(start=pl.col("ts").min(), end=pl.col("ts").max(), hours=pl.len(), value=pl.col("value").first())
        .filter((pl.col("value") != 0) & (pl.col("hours") >= rules.get("flat_line", "hours")))
        .sort("start")
    )
    return [
        Finding(
            "flat_line", r["start"], r["end"], {"hours": float(r["hours"]), "value": r["value"]}, rules.ref
        )
        for r in runs.iter_rows(named=True)
    ]


def gaps(hourly: pl.DataFrame, rules: AnomalyRules) -> list[Finding]:
    """Holes of at least ``hours`` in the hourly series (between its first and last reading)."""
    frame = hourly.sort("ts").with_columns(next_ts=pl.col("ts").shift(-1))
    frame = frame.with_columns(missing=(pl.col("next_ts") - pl.col("ts")).dt.total_hours() - 1)
    need = rules.get("gap", "hours")
    return [
        Finding("gap", r["ts"], r["next_ts"], {"hours": float(r["missing"])}, rules.ref)
        for r in frame.filter(pl.col("missing") >= need).iter_rows(named=True)
    ]


def negatives(hourly: pl.DataFrame, rules: AnomalyRules) -> list[Finding]:
    """Intervals below zero (beyond the tolerance): an interval meter wired or configured backwards."""
    tolerance = rules.get("negative", "tolerance")
    flagged = hourly.sort("ts").with_columns(flag=pl.col("value").fill_null(0) < -tolerance)
    return [
        Finding("negative", r["start"], r["end"], {"lowest": r["low"], "hours": float(r["hours"])}, rules.ref)
        for r in _runs(flagged, "flag").iter_rows(named=True)
    ]


def resets(hourly: pl.DataFrame, rules: AnomalyRules) -> list[Finding]:
    """Register readings that fell without a rollover: the meter was reset or replaced."""
    if "event" not in hourly.columns:
        return []
    rows = hourly.filter(pl.col("event") == "reset").sort("ts")
    return [Finding("register_reset", t, t, {}, rules.ref) for t in rows["ts"]]


def detect(hourly: pl.DataFrame, rules: AnomalyRules) -> list[Finding]:
    """Every rule over one meter's hourly frame, in the order of :data:`RULES`."""
    if hourly.is_empty():
        return []
    found = [*base_load(hourly, rules), *spikes(hourly, rules), *flat_lines(hourly, rules)]
    return [*found, *gaps(hourly, rules), *negatives(hourly, rules), *resets(hourly, rules)]


def submeter_excess(parent: pl.DataFrame, children: pl.DataFrame, rules: AnomalyRules) -> list[Finding]:
    """Days on which the sub-meters' sum exceeds the parent's by more than ``tolerance`` of the parent.

    ``parent``: ``day``, ``value``; ``children``: ``day``, ``value`` (one row per child and day)."""
    tolerance = rules.get("submeter_excess", "tolerance")
    sums = children.group_by("day").agg(children=pl.col("value").sum())
    days = parent.join(sums, on="day").filter(pl.col("children") > pl.col("value") * (1 + tolerance))
    return [
        Finding(
            "submeter_excess",
            datetime.combine(r["day"], time(0)),
            datetime.combine(r["day"], time(23)),
            {"parent": r["value"], "children": r["children"], "tolerance": tolerance},
            rules.ref,
        )
        for r in days.sort("day").iter_rows(named=True)
    ]
