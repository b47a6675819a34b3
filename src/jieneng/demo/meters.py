"""The demonstration city's metered buildings, as plain arrays (no Django): a year of hourly interval
readings of each building's main meter, up to the hour before ``now``, with a working-day shape
(base load at night and weekends, a working-hours plateau, more air conditioning in summer and winter)
and the anomalies a reviewer should find planted in a few of them:

* building 1 never switches off at night (its night load stays near its working-hours load);
* building 2's meter is stuck for three days in October (the same value every hour);
* building 3 has a register meter (six digits: it rolls over at 1,000,000) that is replaced in
  November (the register falls to zero);
* building 4 misses six hours of readings;
* building 0 has four end-use sub-meters (照明插座, 空调, 动力, 特殊) and, on one day, a sub-meter
  that double counts (the sub-meters' sum above the main meter).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

import numpy as np

BUILDINGS = 70
SHARES = {"lighting_sockets": 0.38, "hvac": 0.34, "power": 0.16, "special": 0.07}  # of the main meter
REGISTER_START = 995_000.0
ROLLOVER = 1_000_000.0


@dataclass(frozen=True)
class Series:
    building: int  # index among the buildings
    code: str
    end_use: str
    kind: str  # interval | register
    ts: np.ndarray  # datetime64[us], UTC, the end of each hour
    value: np.ndarray  # kWh per hour, or the register's count


def hours(now: datetime) -> np.ndarray:
    """A year of hour ends in UTC, up to the last full hour before ``now`` (an aware datetime)."""
    offset = now.utcoffset() or timedelta(0)
    end = np.datetime64(now.replace(minute=0, second=0, microsecond=0, tzinfo=None) - offset, "h")
    return np.arange(end - np.timedelta64(365 * 24, "h"), end + np.timedelta64(1, "h"), dtype="datetime64[h]")


def _profile(
    ts: np.ndarray, rng: np.random.Generator, base: float, peak: float, night_off: bool
) -> np.ndarray:
    local = ts + np.timedelta64(8, "h") - np.timedelta64(1, "h")  # the hour's start, Beijing time
    hour = (local.astype("datetime64[h]").astype(np.int64) % 24).astype(np.int64)
    weekday = ((local.astype("datetime64[D]").astype(np.int64) + 3) % 7).astype(np.int64)  # Monday 0
    month = local.astype("datetime64[M]").astype(np.int64) % 12 + 1
    working = (weekday < 5) & (hour >= 8) & (hour < 18)
    shoulder = (weekday < 5) & ((hour == 7) | (hour == 18) | (hour == 19))
    season = np.where(np.isin(month, (6, 7, 8, 9)), 1.45, np.where(np.isin(month, (12, 1, 2)), 1.2, 1.0))
    load = base + peak * season * (working + 0.45 * shoulder)
    if not night_off:
        load = np.maximum(load, 0.85 * (base + peak * season))
    out: np.ndarray = np.round(load * rng.normal(1.0, 0.05, ts.size).clip(0.8, 1.2), 2)
    return out


def buildings(
    now: datetime, count: int = BUILDINGS, seed: int = 16, means: Sequence[float | None] = ()
) -> list[Series]:
    """The buildings' series; ``means`` (kWh an hour, by building) scales a building's main meter to
    that mean, e.g. what its organisation reported a year, so that meters and statistics agree."""
    rng = np.random.default_rng(seed)
    ts = hours(now)
    out: list[Series] = []
    for b in range(count):
        base, peak = rng.uniform(8, 40), rng.uniform(40, 260)
        value = _profile(ts, rng, base, peak, night_off=b != 1)
        mean = means[b] if b < len(means) else None
        if mean:
            value = np.round(value * (mean / value.mean()), 2)
        code = f"B{b + 1:02d}-M"
        if b == 2:  # stuck for three days in October
            start = ts.size - 24 * 53  # about 10 October for a demo on 2 December
            value[start : start + 72] = value[start]
        keep = np.ones(ts.size, dtype=bool)
        if b == 4:  # six hours missing
            keep[ts.size - 24 * 20 : ts.size - 24 * 20 + 6] = False
        if b == 3:  # a register meter that rolls over, then is replaced
            count_ = REGISTER_START + np.cumsum(value)
            count_ = np.mod(count_, ROLLOVER)
            replaced = ts.size - 24 * 18
            count_[replaced:] = np.cumsum(value[replaced:]) - value[replaced]
            out.append(Series(b, code, "total", "register", ts.astype("datetime64[us]"), np.round(count_, 2)))
            continue
        out.append(Series(b, code, "total", "interval", ts[keep].astype("datetime64[us]"), value[keep]))
        if b == 0:
            noise = rng.normal(1.0, 0.03, (len(SHARES), ts.size)).clip(0.9, 1.1)
            for i, (use, share) in enumerate(SHARES.items()):
                sub = np.round(value * share * noise[i], 2)
                if use == "hvac":
                    day = ts.size - 24 * 9
                    sub[day : day + 24] *= 2.8  # double counting on one day
                out.append(Series(b, f"B01-{i + 1}", use, "interval", ts.astype("datetime64[us]"), sub))
    return out
