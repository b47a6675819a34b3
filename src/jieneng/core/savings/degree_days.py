"""Temperatures and degree days: °F to °C, plausibility of a °C series, HDD and CDD over a balance-point grid.

Everything here is array arithmetic (NumPy): a balance-point grid of B points turns a series of n daily
mean temperatures into two (n, B) arrays, or (M, n, B) for M meters at once. A missing temperature is
NaN and stays NaN. Degree days are continuous in the temperature: max(T − b, 0) and max(b − T, 0).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from jieneng.core.problems.savings import LooksFahrenheit, TemperatureTooHigh, TemperatureTooLow

Array = NDArray[np.float64]

CELSIUS, FAHRENHEIT = "C", "F"


def fahrenheit_to_celsius(values: ArrayLike) -> Array:
    """°F → °C: (F − 32) × 5/9."""
    return (np.asarray(values, dtype=np.float64) - 32.0) * (5.0 / 9.0)


def to_celsius(values: ArrayLike, unit: str) -> Array:
    """The temperatures in °C, from ``unit`` "C" or "F"."""
    if unit.upper() == FAHRENHEIT:
        return fahrenheit_to_celsius(values)
    if unit.upper() != CELSIUS:
        raise ValueError(f"temperature unit must be C or F, not {unit!r}")
    return np.asarray(values, dtype=np.float64)


@dataclass(frozen=True, slots=True)
class TemperatureCheck:
    """Why a series cannot be daily mean temperatures in °C, if it cannot: a code and the evidence.

    ``code`` is None when plausible, else one declared in :mod:`jieneng.core.problems.savings`:
    ``temperature_too_high``, ``temperature_too_low`` or ``looks_fahrenheit``.
    """

    code: str | None
    mean: float
    maximum: float
    minimum: float


def check_celsius(
    values: ArrayLike, *, max_mean: float, max_daily: float, min_daily: float, fahrenheit_mean: float
) -> TemperatureCheck:
    """Whether daily mean outdoor temperatures are plausible in °C (limits from the method's data).

    A daily mean above ``max_daily`` or below ``min_daily`` cannot be °C on the Earth's surface, nor can
    a series whose mean is above ``max_mean`` or ``fahrenheit_mean``; such a series that would be
    plausible once read as °F is reported as °F, otherwise as too high or too low.
    """
    data = np.asarray(values, dtype=np.float64)
    data = data[np.isfinite(data)]
    if data.size == 0:
        return TemperatureCheck(None, float("nan"), float("nan"), float("nan"))
    mean, high, low = float(data.mean()), float(data.max()), float(data.min())
    wrong = mean > max_mean or high > max_daily or low < min_daily or mean > fahrenheit_mean
    if not wrong:
        return TemperatureCheck(None, mean, high, low)
    as_c = fahrenheit_to_celsius([mean, high, low])
    plausible_in_f = as_c[0] <= fahrenheit_mean and as_c[1] <= max_daily and as_c[2] >= min_daily
    if plausible_in_f:
        code = LooksFahrenheit.code
    elif low < min_daily:
        code = TemperatureTooLow.code
    else:
        code = TemperatureTooHigh.code
    return TemperatureCheck(code, mean, high, low)


def degree_days(temperature: ArrayLike, balance_points: ArrayLike) -> tuple[Array, Array]:
    """Heating and cooling degree days [°C·d] of daily mean temperatures for every balance point.

    ``temperature`` has any shape (…, n); the result has shape (…, n, B): HDD = max(b − T, 0),
    CDD = max(T − b, 0). NaN temperatures give NaN.
    """
    t = np.asarray(temperature, dtype=np.float64)[..., None]
    b = np.asarray(balance_points, dtype=np.float64)
    hdd = np.maximum(b - t, 0.0)
    cdd = np.maximum(t - b, 0.0)
    missing = np.isnan(t)
    if missing.any():
        hdd = np.where(missing, np.nan, hdd)
        cdd = np.where(missing, np.nan, cdd)
    return hdd, cdd


def period_mean_degree_days(
    temperature: ArrayLike, starts: ArrayLike, balance_points: ArrayLike
) -> tuple[Array, Array, NDArray[np.int64]]:
    """Mean daily HDD and CDD of each billing period, and the days with a temperature in it.

    ``temperature`` is one meter's daily series (n,), ``starts`` the index of each period's first day
    (ascending, the last period runs to the end). Days without a temperature are left out of the mean,
    as CalTRACK's billing method does; a period with none gives NaN.
    """
    t = np.asarray(temperature, dtype=np.float64)
    idx = np.asarray(starts, dtype=np.int64)
    hdd, cdd = degree_days(t, balance_points)
    known = np.isfinite(t)
    counts = np.add.reduceat(known.astype(np.int64), idx)
    hsum = np.add.reduceat(np.where(known[:, None], hdd, 0.0), idx, axis=0)
    csum = np.add.reduceat(np.where(known[:, None], cdd, 0.0), idx, axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        denom = np.where(counts > 0, counts, np.nan)[:, None]
        return hsum / denom, csum / denom, counts
