"""The demonstration city's energy-saving projects, as plain data (no Django): the LED street-light
project of the work reports (9,016 lamps replaced one for one under a shared-savings contract, monthly
quantities done reaching 72 % on ``today``), and a building retrofit with a year of daily meter data
before and a year after it (use driven by degree days, the retrofit cutting the heating and cooling
slopes and the base load). The figures the core computes from these (estimate, savings, subsidy) are
not here: the loader has the core compute them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np

LED_LAMPS = 9016
LED_DONE = 6500  # "6,500 done (72 %)" in the work report
# (name, count, old W incl. ballast, new W incl. ballast): high-pressure sodium replaced by LED
LED_CLASSES = (
    ("高压钠灯 140 W → LED 65 W", 5200, 140.0, 65.0),
    ("高压钠灯 300 W → LED 110 W", 2816, 300.0, 110.0),
    ("高压钠灯 400 W → LED 180 W", 1000, 400.0, 180.0),
)
LED_HOURS = 4200.0  # about 11.5 h a day
LED_MONTHS = 10  # months of work up to today


@dataclass(frozen=True)
class Meter:
    days: np.ndarray  # datetime64[D], ascending
    temperature: np.ndarray  # °C
    use: np.ndarray  # kWh a day
    baseline: tuple[date, date]
    reporting: tuple[date, date]
    retrofit: date


def _month_end(year: int, month: int) -> date:
    following = date(year + month // 12, month % 12 + 1, 1)
    return following - timedelta(days=1)


def led_progress(today: date, done: int = LED_DONE) -> list[tuple[date, int]]:
    """Cumulative lamps done at the end of each of the last :data:`LED_MONTHS` closed months, the last
    (the month before ``today``'s) at ``done``; the pace rises then eases, as crews do."""
    target = done
    weights = np.array([1, 2, 3, 4, 4, 4, 3, 3, 2, 1], dtype=float)[:LED_MONTHS]
    cumulative = np.round(np.cumsum(weights) / weights.sum() * target).astype(int)
    ends = []
    for back in range(LED_MONTHS, 0, -1):
        index = today.year * 12 + today.month - 1 - back  # months since year 0, zero-based
        ends.append(_month_end(index // 12, index % 12 + 1))
    return list(zip(ends, (int(c) for c in cumulative), strict=True))


def building_meter(today: date, seed: int = 15, saving: float = 0.22) -> Meter:
    """Two years of daily use and temperature ending yesterday: the baseline year, the retrofit day,
    the reporting year. ``saving`` is the share by which the retrofit cuts base load and slopes."""
    rng = np.random.default_rng(seed)
    end = today - timedelta(days=1)
    start = end - timedelta(days=2 * 365)
    days = np.arange(np.datetime64(start), np.datetime64(end) + 1, dtype="datetime64[D]")
    doy = (days - days.astype("datetime64[Y]")).astype(int)
    temperature = 21.5 - 8.5 * np.cos(2 * np.pi * (doy - 15) / 365.25) + rng.normal(0, 2.2, days.size)
    hdd = np.clip(16.0 - temperature, 0, None)
    cdd = np.clip(temperature - 24.0, 0, None)
    retrofit = start + timedelta(days=365)
    after = days >= np.datetime64(retrofit)
    factor = np.where(after, 1.0 - saving, 1.0)
    use = factor * (1800.0 + 95.0 * hdd + 140.0 * cdd) + rng.normal(0, 60, days.size)
    return Meter(
        days,
        np.round(temperature, 1),
        np.round(np.clip(use, 0, None), 1),
        (start, retrofit - timedelta(days=1)),
        (retrofit, end),
        retrofit,
    )
