"""Fit statistics, ASHRAE Guideline 14 calibration and the fractional savings uncertainty.

* R², adjusted R², CV(RMSE) and NMBE after ASHRAE Guideline 14-2014 (clause 4.3 and Annex B): with n
  observations and p model parameters, CV(RMSE) = √(Σ(y − ŷ)² / (n − p)) / ȳ and
  NMBE = Σ(y − ŷ) / ((n − p) · ȳ).
* The calibration test compares them with the method's limits (monthly: |NMBE| ≤ 5 %, CV(RMSE) ≤ 15 %;
  hourly: 10 % and 30 %), read from the method's data, never written here.
* The fractional savings uncertainty (FSU) of ASHRAE 14 Annex B, eq. B-14: with the lag-1
  autocorrelation ρ of the residuals, n′ = n (1 − ρ)/(1 + ρ), m reporting periods and t the Student
  quantile at the confidence level with n − p degrees of freedom,
  U = t · k · CV · √((n / n′) (1 + 2/n′) (1/m)) · E_baseline(reporting) — k is 1.26 for monthly data in
  the Guideline; for daily data the method's data gives the correction polynomial in the reporting
  months that CalTRACK's reference implementation uses (Sun and Baltazar, 2013).

The Student t distribution is computed here (regularised incomplete beta by its continued fraction),
so the core needs NumPy only.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

Array = NDArray[np.float64]


def _log_beta(a: Array, b: Array) -> Array:
    lgamma = np.vectorize(math.lgamma, otypes=[np.float64])
    return np.asarray(lgamma(a) + lgamma(b) - lgamma(a + b), dtype=np.float64)


def _betacf(a: Array, b: Array, x: Array, iterations: int = 300) -> Array:
    """The continued fraction of the incomplete beta function (modified Lentz), element-wise."""
    tiny = 1e-300
    qab, qap, qam = a + b, a + 1.0, a - 1.0
    c = np.ones_like(x)
    d = 1.0 - qab * x / qap
    d = np.where(np.abs(d) < tiny, tiny, d)
    d = 1.0 / d
    h = d.copy()
    for m in range(1, iterations + 1):
        m2 = 2 * m
        aa = m * (b - m) * x / ((qam + m2) * (a + m2))
        d = 1.0 + aa * d
        d = np.where(np.abs(d) < tiny, tiny, d)
        c = 1.0 + aa / c
        c = np.where(np.abs(c) < tiny, tiny, c)
        d = 1.0 / d
        h = h * d * c
        aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2))
        d = 1.0 + aa * d
        d = np.where(np.abs(d) < tiny, tiny, d)
        c = 1.0 + aa / c
        c = np.where(np.abs(c) < tiny, tiny, c)
        d = 1.0 / d
        delta = d * c
        h = h * delta
        if np.all(np.abs(delta - 1.0) < 1e-15):
            break
    return h


def incomplete_beta(a: ArrayLike, b: ArrayLike, x: ArrayLike) -> Array:
    """The regularised incomplete beta function I_x(a, b), element-wise, for 0 ≤ x ≤ 1."""
    a_, b_, x_ = np.broadcast_arrays(
        np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64), np.asarray(x, dtype=np.float64)
    )
    x_ = np.clip(x_, 0.0, 1.0)
    swap = x_ > (a_ + 1.0) / (a_ + b_ + 2.0)
    aa, bb, xx = np.where(swap, b_, a_), np.where(swap, a_, b_), np.where(swap, 1.0 - x_, x_)
    with np.errstate(divide="ignore", invalid="ignore"):
        front = np.exp(aa * np.log(xx) + bb * np.log1p(-xx) - _log_beta(aa, bb)) / aa
        value = front * _betacf(aa, bb, xx)
    value = np.where(xx <= 0.0, 0.0, value)
    return np.where(swap, 1.0 - value, value)


def t_two_sided_p(t: ArrayLike, dof: ArrayLike) -> Array:
    """Two-sided p-value of a Student t statistic: P(|T| ≥ |t|) with ``dof`` degrees of freedom."""
    t_ = np.asarray(t, dtype=np.float64)
    v = np.broadcast_to(np.asarray(dof, dtype=np.float64), t_.shape)
    with np.errstate(divide="ignore", invalid="ignore"):
        x = v / (v + t_ * t_)
    p = incomplete_beta(v / 2.0, np.full_like(v, 0.5), np.where(np.isfinite(x), x, 0.0))
    return np.where(np.isnan(t_) | (v <= 0), np.nan, p)


def t_quantile(probability: float, dof: float) -> float:
    """The Student t quantile: t with P(T ≤ t) = ``probability`` (bisection on the distribution)."""
    if not 0.0 < probability < 1.0 or dof <= 0:
        return float("nan")
    if probability < 0.5:
        return -t_quantile(1.0 - probability, dof)
    target = 2.0 * (1.0 - probability)  # the two-sided p-value at the quantile
    low, high = 0.0, 1.0
    while float(t_two_sided_p(high, dof)) > target:
        high *= 2.0
    for _ in range(200):
        mid = 0.5 * (low + high)
        if float(t_two_sided_p(mid, dof)) > target:
            low = mid
        else:
            high = mid
        if high - low < 1e-13 * max(1.0, high):
            break
    return 0.5 * (low + high)


@dataclass(frozen=True, slots=True)
class FitStatistics:
    """How well a baseline model fits its own data (ASHRAE Guideline 14 definitions)."""

    n: int  # observations used
    parameters: int  # model parameters, intercept included
    r_squared: float
    r_squared_adj: float
    cvrmse: float  # fraction (0.15 = 15 %)
    nmbe: float  # fraction
    autocorrelation: float  # lag-1 autocorrelation of the residuals


def fit_statistics(
    observed: ArrayLike, predicted: ArrayLike, parameters: int, weights: ArrayLike | None = None
) -> FitStatistics:
    """R², adjusted R², CV(RMSE), NMBE and the residuals' lag-1 autocorrelation (NaN rows left out)."""
    y = np.asarray(observed, dtype=np.float64)
    yhat = np.asarray(predicted, dtype=np.float64)
    w = np.ones_like(y) if weights is None else np.asarray(weights, dtype=np.float64)
    ok = np.isfinite(y) & np.isfinite(yhat) & np.isfinite(w) & (w > 0)
    y, yhat, w = y[ok], yhat[ok], w[ok]
    n = int(y.size)
    dof = n - parameters
    if n == 0 or dof <= 0:
        nan = float("nan")
        return FitStatistics(n, parameters, nan, nan, nan, nan, nan)
    resid = y - yhat
    mean = float(np.average(y, weights=w))
    ss_res = float(np.sum(w * resid * resid))
    ss_tot = float(np.sum(w * (y - mean) ** 2))
    r2 = 1.0 - ss_res / ss_tot if ss_tot > 0 else 0.0
    r2_adj = 1.0 - (1.0 - r2) * (n - 1) / dof if n > 1 else float("nan")
    unweighted_mean = float(y.mean())
    cvrmse = (
        math.sqrt(float(np.sum(resid * resid)) / dof) / unweighted_mean if unweighted_mean else float("nan")
    )
    nmbe = float(np.sum(resid)) / (dof * unweighted_mean) if unweighted_mean else float("nan")
    rho = lag1_autocorrelation(resid)
    return FitStatistics(n, parameters, r2, r2_adj, cvrmse, nmbe, rho)


def lag1_autocorrelation(residuals: ArrayLike) -> float:
    """Lag-1 autocorrelation of a residual series (0 when it cannot be computed)."""
    r = np.asarray(residuals, dtype=np.float64)
    if r.size < 3:
        return 0.0
    centred = r - r.mean()
    denominator = float(np.sum(centred * centred))
    if denominator == 0:
        return 0.0
    return float(np.sum(centred[1:] * centred[:-1]) / denominator)


@dataclass(frozen=True, slots=True)
class Calibration:
    """ASHRAE Guideline 14 calibration: the limits used, and whether the model is within them."""

    interval: str  # "monthly" or "hourly" limits, as the method's data maps the data's interval
    nmbe_limit: float
    cvrmse_limit: float
    passes: bool


def calibration(stats: FitStatistics, interval: str, nmbe_limit: float, cvrmse_limit: float) -> Calibration:
    """Whether |NMBE| ≤ ``nmbe_limit`` and CV(RMSE) ≤ ``cvrmse_limit`` (fractions)."""
    ok = (
        math.isfinite(stats.nmbe)
        and math.isfinite(stats.cvrmse)
        and abs(stats.nmbe) <= nmbe_limit
        and stats.cvrmse <= cvrmse_limit
    )
    return Calibration(interval, nmbe_limit, cvrmse_limit, ok)


@dataclass(frozen=True, slots=True)
class SavingsUncertainty:
    confidence: float
    t: float
    n_effective: float
    absolute: float  # ± the savings, in the meter's unit
    fractional: float  # absolute / savings (NaN without savings)


def fractional_savings_uncertainty(
    stats: FitStatistics,
    *,
    reporting_periods: int,
    baseline_use_reporting: float,
    savings: float,
    confidence: float,
    factor: float,
) -> SavingsUncertainty:
    """ASHRAE 14 Annex B eq. B-14 with ``factor`` (1.26 monthly, or the daily correction)."""
    n, m = stats.n, reporting_periods
    rho = stats.autocorrelation if math.isfinite(stats.autocorrelation) else 0.0
    rho = min(max(rho, -0.99), 0.99)
    n_prime = n * (1.0 - rho) / (1.0 + rho)
    dof = n - stats.parameters
    if m <= 0 or dof <= 0 or n_prime <= 0 or not math.isfinite(stats.cvrmse):
        nan = float("nan")
        return SavingsUncertainty(confidence, nan, n_prime, nan, nan)
    t = t_quantile(1.0 - (1.0 - confidence) / 2.0, dof)
    relative = t * factor * stats.cvrmse * math.sqrt((n / n_prime) * (1.0 + 2.0 / n_prime) / m)
    absolute = relative * baseline_use_reporting
    fractional = absolute / abs(savings) if savings else float("nan")
    return SavingsUncertainty(confidence, t, n_prime, absolute, fractional)
