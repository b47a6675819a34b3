"""Measured savings of one meter (IPMVP Option C, GB/T 28750): sufficiency, baseline model, savings.

:func:`measure_daily` takes one row per day (use and mean temperature in °C); :func:`measure_billing`
takes billing periods (first and last day, use) and the daily temperatures. Both check the data
(:mod:`~jieneng.core.savings.sufficiency`), fit the CalTRACK candidates, and sum savings =
Σ(predicted − observed) over the reporting periods that have both, with the fit statistics, the ASHRAE 14
calibration and the fractional savings uncertainty. A blocking problem gives a result with the
problems and no figures: nothing is computed silently.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from jieneng.core.savings import sufficiency as suf
from jieneng.core.savings.caltrack import MODEL_NAMES, NO_MODEL, Fits, fit_chunk
from jieneng.core.savings.degree_days import Array, degree_days, period_mean_degree_days
from jieneng.core.savings.method import Method
from jieneng.core.savings.sufficiency import Issue
from jieneng.core.savings.uncertainty import (
    Calibration,
    FitStatistics,
    SavingsUncertainty,
    calibration,
    fit_statistics,
    fractional_savings_uncertainty,
)

Day = np.datetime64
Period = tuple[np.datetime64, np.datetime64]  # first and last day, inclusive


@dataclass(frozen=True)
class BaselineModel:
    model_type: str
    intercept: float  # use per day
    beta_hdd: float | None  # use per °C·d
    beta_cdd: float | None
    heating_balance_point: float | None  # °C
    cooling_balance_point: float | None
    statistics: FitStatistics
    calibration: Calibration

    def as_dict(self) -> dict[str, Any]:
        def f(x: float | None) -> float | None:
            return None if x is None or not math.isfinite(x) else x

        stats = self.statistics
        return {
            "model_type": self.model_type,
            "intercept": f(self.intercept),
            "beta_hdd": f(self.beta_hdd),
            "beta_cdd": f(self.beta_cdd),
            "heating_balance_point_c": f(self.heating_balance_point),
            "cooling_balance_point_c": f(self.cooling_balance_point),
            "n": stats.n,
            "parameters": stats.parameters,
            "r_squared": f(stats.r_squared),
            "r_squared_adj": f(stats.r_squared_adj),
            "cvrmse": f(stats.cvrmse),
            "nmbe": f(stats.nmbe),
            "ashrae14": {
                "limits": self.calibration.interval,
                "nmbe_limit": self.calibration.nmbe_limit,
                "cvrmse_limit": self.calibration.cvrmse_limit,
                "passes": self.calibration.passes,
            },
        }


@dataclass(frozen=True)
class SavingsResult:
    method: str  # id@version
    interval: str
    baseline: Period
    reporting: Period
    issues: list[Issue] = field(default_factory=list)
    model: BaselineModel | None = None
    reporting_periods: int = 0
    predicted: float | None = None  # Σ baseline model over the reporting periods used
    observed: float | None = None
    savings: float | None = None  # predicted − observed
    uncertainty: SavingsUncertainty | None = None
    series: dict[str, list[Any]] = field(
        default_factory=dict
    )  # reporting periods: start, predicted, observed

    @property
    def ok(self) -> bool:
        return self.savings is not None and not suf.blocking(self.issues)

    @property
    def fractional_savings(self) -> float | None:
        if self.savings is None or not self.predicted:
            return None
        return self.savings / self.predicted

    def as_dict(self) -> dict[str, Any]:
        unc = self.uncertainty

        def f(x: float | None) -> float | None:
            return None if x is None or not math.isfinite(x) else x

        return {
            "method": self.method,
            "interval": self.interval,
            "baseline": [str(self.baseline[0]), str(self.baseline[1])],
            "reporting": [str(self.reporting[0]), str(self.reporting[1])],
            "ok": self.ok,
            "problems": [issue.as_dict() for issue in self.issues],
            "model": self.model.as_dict() if self.model else None,
            "reporting_periods": self.reporting_periods,
            "predicted": f(self.predicted),
            "observed": f(self.observed),
            "savings": f(self.savings),
            "fractional_savings": f(self.fractional_savings),
            "uncertainty": None
            if unc is None
            else {
                "confidence": unc.confidence,
                "t": f(unc.t),
                "n_effective": f(unc.n_effective),
                "absolute": f(unc.absolute),
                "fractional": f(unc.fractional),
            },
        }


def _days(start: Day, end: Day) -> NDArray[np.datetime64]:
    return np.arange(start, end + np.timedelta64(1, "D"), dtype="datetime64[D]")


def _on_days(days: NDArray[np.datetime64], values: Array, wanted: NDArray[np.datetime64]) -> Array:
    """``values`` (given on ``days``) on every day of ``wanted``, NaN where not given."""
    out = np.full(wanted.shape, np.nan)
    if days.size == 0:
        return out
    pos = np.searchsorted(days, wanted)
    pos_c = np.clip(pos, 0, days.size - 1)
    hit = days[pos_c] == wanted
    out[hit] = values[pos_c[hit]]
    return out


def _trim_baseline(baseline: Period, method: Method, issues: list[Issue]) -> Period | None:
    required = int(method.sufficiency["baseline_days"])
    length = int((baseline[1] - baseline[0]).astype(int)) + 1
    if length < required:
        issues.append(
            Issue.make(
                "baseline_too_short",
                baseline=suf.period_text(*baseline),
                days=length,
                required=required,
                method=method.ref,
            )
        )
        return None
    if length > required:
        start = baseline[1] - np.timedelta64(required - 1, "D")
        issues.append(
            Issue.make(
                "baseline_trimmed", days=length, required=required, used=suf.period_text(start, baseline[1])
            )
        )
        return (start, baseline[1])
    return baseline


def _model(fits: Fits, stats: FitStatistics, method: Method) -> BaselineModel:
    def first(a: Array) -> float | None:
        value = float(a[0])
        return value if math.isfinite(value) else None

    name, nmbe, cvrmse = method.calibration_limits()
    return BaselineModel(
        MODEL_NAMES[int(fits.model_type[0])],
        float(fits.intercept[0]),
        first(fits.beta_hdd),
        first(fits.beta_cdd),
        first(fits.heating_bp),
        first(fits.cooling_bp),
        stats,
        calibration(stats, name, nmbe, cvrmse),
    )


def _finish(
    fits: Fits,
    *,
    method: Method,
    baseline: Period,
    reporting: Period,
    issues: list[Issue],
    base_obs: Array,
    base_pred: Array,
    base_weights: Array | None,
    rep_starts: NDArray[np.datetime64],
    rep_obs: Array,
    rep_pred: Array,
) -> SavingsResult:
    stats = fit_statistics(base_obs, base_pred, int(fits.parameters[0]), base_weights)
    model = _model(fits, stats, method)
    both = np.isfinite(rep_obs) & np.isfinite(rep_pred)
    count = int(both.sum())
    if count == 0:
        issues.append(Issue.make("reporting_empty", reporting=suf.period_text(*reporting)))
        return SavingsResult(method.ref, method.interval, baseline, reporting, issues, model)
    predicted = float(rep_pred[both].sum())
    observed = float(rep_obs[both].sum())
    savings = predicted - observed
    confidence = float(method.uncertainty["confidence"])
    unc = fractional_savings_uncertainty(
        stats,
        reporting_periods=count,
        baseline_use_reporting=predicted,
        savings=savings,
        confidence=confidence,
        factor=method.uncertainty_factor(count),
    )
    series: dict[str, list[Any]] = {
        "start": [str(d) for d in rep_starts],
        "predicted": [None if not math.isfinite(v) else float(v) for v in rep_pred],
        "observed": [None if not math.isfinite(v) else float(v) for v in rep_obs],
    }
    return SavingsResult(
        method.ref,
        method.interval,
        baseline,
        reporting,
        issues,
        model,
        count,
        predicted,
        observed,
        savings,
        unc,
        series,
    )


def measure_daily(
    days: ArrayLike,
    use: ArrayLike,
    temperature: ArrayLike,
    *,
    baseline: Period,
    reporting: Period,
    method: Method,
    cooling: bool = True,
) -> SavingsResult:
    """Savings from daily use and daily mean temperatures [°C] (one value per day, days ascending)."""
    d = np.asarray(days, dtype="datetime64[D]")
    y = np.asarray(use, dtype=np.float64)
    t = np.asarray(temperature, dtype=np.float64)
    issues = suf.check_periods(baseline, reporting) + suf.check_temperature(t, method)
    if suf.blocking(issues):
        return SavingsResult(method.ref, method.interval, baseline, reporting, issues)
    trimmed = _trim_baseline(baseline, method, issues)
    if trimmed is None:
        return SavingsResult(method.ref, method.interval, baseline, reporting, issues)
    base_days = _days(*trimmed)
    by = _on_days(d, y, base_days)
    bt = _on_days(d, t, base_days)
    valid = np.isfinite(by) & np.isfinite(bt)
    issues += suf.check_baseline_days(base_days, valid, np.isfinite(bt), by, method)
    if suf.blocking(issues):
        return SavingsResult(method.ref, method.interval, trimmed, reporting, issues)
    hdd, _ = degree_days(bt[None, :], method.heating)
    _, cdd = degree_days(bt[None, :], method.cooling)
    fits = fit_chunk(by[None, :], np.ones((1, by.size)), hdd, cdd, method, daily=True, cooling=cooling)
    if int(fits.model_type[0]) == NO_MODEL:
        issues.append(Issue.make("no_model"))
        return SavingsResult(method.ref, method.interval, trimmed, reporting, issues)
    base_pred = fits.predict_temperature(bt[None, :])[0]
    rep_days = _days(*reporting)
    rep_obs = _on_days(d, y, rep_days)
    rep_pred = fits.predict_temperature(_on_days(d, t, rep_days)[None, :])[0]
    return _finish(
        fits,
        method=method,
        baseline=trimmed,
        reporting=reporting,
        issues=issues,
        base_obs=np.where(valid, by, np.nan),
        base_pred=base_pred,
        base_weights=None,
        rep_starts=rep_days,
        rep_obs=rep_obs,
        rep_pred=rep_pred,
    )


def _period_table(
    starts: NDArray[np.datetime64],
    ends: NDArray[np.datetime64],
    use: Array,
    days: NDArray[np.datetime64],
    temperature: Array,
    *,
    window: Period,
    method: Method,
    issues: list[Issue] | None,
) -> tuple[NDArray[np.bool_], Array, Array, Array, Array, NDArray[np.datetime64]]:
    """The billing periods inside ``window``: which are kept, use per day, days, mean HDD and CDD."""
    spec = method.sufficiency
    inside = (starts >= window[0]) & (ends <= window[1])
    s, e, u = starts[inside], ends[inside], use[inside]
    length = ((e - s).astype(int) + 1).astype(np.float64)
    if s.size == 0:
        empty = np.zeros(0)
        return np.zeros(0, dtype=bool), empty, empty, np.zeros((0, 0)), np.zeros((0, 0)), s
    span = _days(s[0], e[-1])
    t = _on_days(days, temperature, span)
    first = ((s - s[0]).astype(int)).astype(np.int64)
    covered = np.zeros(span.size, dtype=bool)
    for a, b in zip(first, first + length.astype(np.int64), strict=True):  # periods, not rows: a dozen or so
        covered[a:b] = True
    # mean degree days per period over its own days (gaps between periods are not periods)
    idx = np.concatenate([[0], np.cumsum(length.astype(np.int64))])[:-1]
    period_temps = np.concatenate([t[a : a + int(n)] for a, n in zip(first, length, strict=True)])
    hdd, _, known = period_mean_degree_days(period_temps, idx, method.heating)
    _, cdd, _ = period_mean_degree_days(period_temps, idx, method.cooling)
    bimonthly = np.median(length) > float(spec["maximum_period_days"])
    maximum = float(spec["maximum_bimonthly_period_days"] if bimonthly else spec["maximum_period_days"])
    minimum = float(spec["minimum_period_days"])
    share = float(spec["minimum_period_temperature_coverage"])
    keep = np.ones(s.size, dtype=bool)
    for i in range(s.size):
        reason: str | None = None
        params: dict[str, Any] = {}
        if not math.isfinite(u[i]):
            reason = "no_use"
        elif length[i] < minimum:
            reason, params = "too_short", {"minimum": int(minimum)}
        elif length[i] > maximum:
            reason, params = "too_long", {"maximum": int(maximum)}
        elif known[i] / length[i] < share:
            reason, params = "temperature", {"share": round(share * 100, 1)}
        if reason is not None:
            keep[i] = False
            if issues is not None:
                issues.append(
                    Issue.make(
                        "billing_period_excluded",
                        period=suf.period_text(s[i], e[i]),
                        days=int(length[i]),
                        phrases={"reason": (suf.REASONS[reason], params)},
                    )
                )
    return keep, u / length, length, hdd, cdd, s


def measure_billing(
    starts: ArrayLike,
    ends: ArrayLike,
    use: ArrayLike,
    days: ArrayLike,
    temperature: ArrayLike,
    *,
    baseline: Period,
    reporting: Period,
    method: Method,
    cooling: bool = True,
) -> SavingsResult:
    """Savings from billing periods (first and last day inclusive, use) and daily mean temperatures [°C]."""
    s = np.asarray(starts, dtype="datetime64[D]")
    e = np.asarray(ends, dtype="datetime64[D]")
    u = np.asarray(use, dtype=np.float64)
    d = np.asarray(days, dtype="datetime64[D]")
    t = np.asarray(temperature, dtype=np.float64)
    issues = suf.check_periods(baseline, reporting) + suf.check_temperature(t, method)
    if suf.blocking(issues):
        return SavingsResult(method.ref, method.interval, baseline, reporting, issues)
    trimmed = _trim_baseline(baseline, method, issues)
    if trimmed is None:
        return SavingsResult(method.ref, method.interval, baseline, reporting, issues)
    keep, upd, length, hdd, cdd, bs = _period_table(
        s, e, u, d, t, window=trimmed, method=method, issues=issues
    )
    base_days = _days(*trimmed)
    valid_day = np.zeros(base_days.size, dtype=bool)
    use_day = np.full(base_days.size, np.nan)
    for start, n, ok, value in zip(bs, length, keep, upd, strict=True):
        a = int((start - trimmed[0]).astype(int))
        valid_day[a : a + int(n)] = ok
        use_day[a + int(n) - 1] = value
    has_t = np.isfinite(_on_days(d, t, base_days))
    issues += suf.check_baseline_days(base_days, valid_day, has_t, use_day, method)
    if suf.blocking(issues):
        return SavingsResult(method.ref, method.interval, trimmed, reporting, issues)
    y = np.where(keep, upd, np.nan)[None, :]
    w = np.where(keep, length, 0.0)[None, :]
    fits = fit_chunk(y, w, hdd[None], cdd[None], method, cooling=cooling)
    if int(fits.model_type[0]) == NO_MODEL:
        issues.append(Issue.make("no_model"))
        return SavingsResult(method.ref, method.interval, trimmed, reporting, issues)
    hb, cb = _at_balance_points(fits, method, hdd, cdd)
    base_pred = fits.predict(hb[None], cb[None])[0]
    rkeep, rupd, rlength, rhdd, rcdd, rs = _period_table(
        s, e, u, d, t, window=reporting, method=method, issues=None
    )
    rhb, rcb = _at_balance_points(fits, method, rhdd, rcdd)
    rep_pred = fits.predict(rhb[None], rcb[None])[0] * rlength
    rep_obs = np.where(rkeep, rupd * rlength, np.nan)
    rep_pred = np.where(rkeep, rep_pred, np.nan)
    return _finish(
        fits,
        method=method,
        baseline=trimmed,
        reporting=reporting,
        issues=issues,
        base_obs=np.where(keep, upd, np.nan),
        base_pred=base_pred,
        base_weights=np.where(keep, length, 0.0),
        rep_starts=rs,
        rep_obs=rep_obs,
        rep_pred=rep_pred,
    )


def _at_balance_points(fits: Fits, method: Method, hdd: Array, cdd: Array) -> tuple[Array, Array]:
    """The columns of the chosen balance points (zeros where the model has no such term)."""
    rows = hdd.shape[0]
    hb, cb = np.zeros(rows), np.zeros(rows)
    if rows == 0:
        return hb, cb
    if math.isfinite(float(fits.heating_bp[0])):
        hb = hdd[:, int(np.argmin(np.abs(method.heating - fits.heating_bp[0])))]
    if math.isfinite(float(fits.cooling_bp[0])):
        cb = cdd[:, int(np.argmin(np.abs(method.cooling - fits.cooling_bp[0])))]
    return hb, cb
