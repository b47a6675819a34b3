"""Meter readings to intervals and roll-ups, written once as Ibis expressions so that the same query runs
on DuckDB (one machine) and on Spark (a cluster). Pure: the functions build expressions over the tables
they are given and never open a file or a connection; :mod:`jieneng.monitoring.engine` executes them.

Tables
------
``readings``: ``meter_id`` [int64], ``ts`` [timestamp, UTC], ``value`` [float64, the meter's unit as read:
a register's cumulative count, or the interval's consumption].
``meters``: ``meter_id``, ``kind`` (``register`` | ``interval``), ``multiplier`` [CT ratio × PT ratio, 1],
``rollover`` [the register's wrap value, e.g. 1e6 for six digits; null when unknown].

Local day: Asia/Shanghai has kept UTC+8 without daylight saving since 1991, so the local day of a UTC
instant is the date of ``ts + 8 h`` (:data:`LOCAL_OFFSET_HOURS`), the same on every engine.
"""

from __future__ import annotations

from typing import Any

import ibis
from ibis import _

LOCAL_OFFSET_HOURS = 8  # Asia/Shanghai, UTC+8, no daylight saving since 1991


def intervals(readings: Any, meters: Any) -> Any:
    """Each reading as the consumption of the interval it ends [meter unit × multiplier].

    A register's interval is its difference from the previous reading of the same meter (in time
    order, whatever order the readings arrived in). A difference below zero is a *rollover* when the
    meter has a ``rollover`` and the previous count lay in its top tenth (the count wrapped: the interval
    is ``value + rollover − previous``), otherwise a *reset or replacement* (the interval is unknown:
    null, and the ``event`` column says ``reset``). The first reading of a register has no interval."""
    joined = readings.join(meters, "meter_id")
    window = ibis.window(group_by=joined.meter_id, order_by=joined.ts)
    previous = joined.value.lag().over(window)
    step = joined.value - previous
    wrapped = joined.rollover.notnull() & (previous >= joined.rollover * 0.9)
    register_value = ibis.cases(
        (previous.isnull(), ibis.null("float64")),
        (step >= 0, step),
        (wrapped, joined.value + joined.rollover - previous),
        else_=ibis.null("float64"),
    )
    register_event = ibis.cases(
        (previous.isnull(), "first"),
        (step >= 0, ""),
        (wrapped, "rollover"),
        else_="reset",
    )
    is_register = joined.kind == "register"
    raw = ibis.ifelse(is_register, register_value, joined.value)
    return joined.select(
        meter_id=joined.meter_id,
        ts=joined.ts,
        value=(raw * joined.multiplier).cast("float64"),
        event=ibis.ifelse(is_register, register_event, ibis.literal("")),
    )


def local_day(ts: Any) -> Any:
    """The Asia/Shanghai calendar day of a UTC instant. An interval ending at 00:00 local belongs to
    the day before (it measured the last hour of that day)."""
    return (ts + ibis.interval(hours=LOCAL_OFFSET_HOURS) - ibis.interval(seconds=1)).date()


def daily(intervals_table: Any) -> Any:
    """Daily consumption per meter: ``meter_id``, ``day``, ``value`` (the sum of known intervals),
    ``intervals`` (how many were known) and ``resets`` (unknown intervals)."""
    t = intervals_table.mutate(day=local_day(_.ts))
    return t.group_by(["meter_id", "day"]).aggregate(
        value=t.value.sum(),
        intervals=t.value.count(),
        resets=(t.event == "reset").sum().cast("int64"),
    )


def monthly(daily_table: Any) -> Any:
    """Monthly consumption per meter: ``meter_id``, ``month`` (``YYYY-MM``), ``value``, ``days``."""
    t = daily_table.mutate(month=_.day.strftime("%Y-%m"))
    return t.group_by(["meter_id", "month"]).aggregate(value=t.value.sum(), days=t.day.nunique())


def hourly_profile(intervals_table: Any) -> Any:
    """Mean consumption by local hour of day and weekday/weekend, per meter (the load profile's shape)."""
    local = intervals_table.ts + ibis.interval(hours=LOCAL_OFFSET_HOURS) - ibis.interval(seconds=1)
    t = intervals_table.mutate(hour=local.hour(), weekend=local.day_of_week.index() >= 5)
    return t.group_by(["meter_id", "weekend", "hour"]).aggregate(value=t.value.mean())
