"""CalTRACK 2.0 daily and billing models, fitted for many meters at once.

The candidate models of CalTRACK 3.4.3.1 for usage per day y (weighted by the days of a billing period):

* intercept only: y = a
* HDD: y = a + β_H · HDD(b_H) for every heating balance point b_H of the grid
* CDD: y = a + β_C · CDD(b_C) for every cooling balance point b_C
* HDD+CDD: y = a + β_H · HDD(b_H) + β_C · CDD(b_C) for every pair with b_H ≤ b_C

A candidate is fitted only with enough days of non-zero degree days and enough total degree days
(3.2.2.2), is qualified when its intercept and slopes are ≥ 0 and their p-values within the method's
limits (3.4.3.2), and the qualified candidate with the highest adjusted R² is chosen (3.4.3.3; the
intercept-only model counts 0; on a tie the first in the order above wins, as in the reference
implementation).

Every least-squares problem is solved in closed form from weighted sums: for M meters, n days and B
balance points the sums are (M, B) arrays; the HDD×CDD cross moment needs no sum over days, since
HDD(b_H)·CDD(b_C) is zero on every day when b_H ≤ b_C. All candidates of all meters are fitted without a
Python loop over meters or balance points (meters are taken in chunks to bound memory).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from jieneng.core.savings.degree_days import Array, degree_days
from jieneng.core.savings.method import Method
from jieneng.core.savings.uncertainty import t_two_sided_p

INTERCEPT_ONLY, HDD_ONLY, CDD_ONLY, HDD_CDD = 0, 1, 2, 3
NO_MODEL = -1
MODEL_NAMES = {
    NO_MODEL: "none",
    INTERCEPT_ONLY: "intercept_only",
    HDD_ONLY: "hdd_only",
    CDD_ONLY: "cdd_only",
    HDD_CDD: "hdd_cdd",
}
_TINY = 1e-12


@dataclass(frozen=True)
class Fits:
    """The chosen model of each of M meters (arrays of shape (M,)); NaN where a term is absent."""

    model_type: NDArray[np.int8]
    intercept: Array  # [use per day]
    beta_hdd: Array  # [use per °C·d]
    beta_cdd: Array
    heating_bp: Array  # [°C]
    cooling_bp: Array
    r_squared_adj: Array
    n: NDArray[np.int64]  # periods used in the fit
    method: str  # id@version

    @property
    def parameters(self) -> NDArray[np.int64]:
        """Parameters of each chosen model, intercept included."""
        counts = np.array([1, 2, 2, 3], dtype=np.int64)
        return np.where(self.model_type >= 0, counts[np.clip(self.model_type, 0, 3)], 0)

    def predict(self, hdd: ArrayLike, cdd: ArrayLike) -> Array:
        """Use per day from each meter's degree days at its own balance points, shape (M, n)."""
        h = np.asarray(hdd, dtype=np.float64)
        c = np.asarray(cdd, dtype=np.float64)
        bh = np.nan_to_num(self.beta_hdd)[:, None]
        bc = np.nan_to_num(self.beta_cdd)[:, None]
        value = self.intercept[:, None] + bh * np.where(bh != 0, h, 0.0) + bc * np.where(bc != 0, c, 0.0)
        return np.where(self.model_type[:, None] >= 0, value, np.nan)

    def predict_temperature(self, temperature: ArrayLike) -> Array:
        """Use per day from daily mean temperatures [°C], shape (M, n)."""
        t = np.asarray(temperature, dtype=np.float64)
        hdd = np.maximum(np.nan_to_num(self.heating_bp)[:, None] - t, 0.0)
        cdd = np.maximum(t - np.nan_to_num(self.cooling_bp)[:, None], 0.0)
        return self.predict(hdd, cdd)


@dataclass(frozen=True)
class _Sums:
    """Weighted, centred sums of a chunk of meters (the normal equations of every candidate)."""

    n: Array  # periods used, as float
    ybar: Array
    hbar: Array
    cbar: Array
    vyy: Array
    vhy: Array
    vcy: Array
    vhh: Array
    vcc: Array
    vhc: Array  # (M, B_H, B_C)
    enough_h: NDArray[np.bool_]  # CalTRACK 3.2.2.2: enough non-zero and total degree days
    enough_c: NDArray[np.bool_]


def _sums(y: Array, w: Array, hdd: Array, cdd: Array, method: Method, *, daily: bool) -> _Sums:
    valid = np.isfinite(y) & np.isfinite(w) & (w > 0) & np.isfinite(hdd[..., 0]) & np.isfinite(cdd[..., 0])
    w = np.where(valid, w, 0.0)
    y = np.where(valid, y, 0.0)
    if not valid.all():  # a NaN times a zero weight is still NaN
        hdd = np.where(valid[..., None], hdd, 0.0)
        cdd = np.where(valid[..., None], cdd, 0.0)
    total = w.sum(axis=1)
    safe = np.where(total > 0, total, 1.0)
    wy = w * y
    ybar = wy.sum(axis=1) / safe
    sum_h = np.einsum("mn,mnb->mb", w, hdd)  # Σ w·HDD: also CalTRACK's total degree days
    sum_c = np.einsum("mn,mnb->mb", w, cdd)
    hbar, cbar = sum_h / safe[:, None], sum_c / safe[:, None]
    # centred second moments from raw sums: v_xy = Σ w·x·y − W·x̄·ȳ
    vyy = np.einsum("mn,mn->m", wy, y) - total * ybar * ybar
    vhy = np.einsum("mn,mnb->mb", wy, hdd) - sum_h * ybar[:, None]
    vcy = np.einsum("mn,mnb->mb", wy, cdd) - sum_c * ybar[:, None]
    vhh = np.einsum("mn,mnb,mnb->mb", w, hdd, hdd) - sum_h * hbar
    vcc = np.einsum("mn,mnb,mnb->mb", w, cdd, cdd) - sum_c * cbar
    # HDD(b_H)·CDD(b_C) = 0 on every day when b_H ≤ b_C (no temperature is both below b_H and above b_C),
    # so for daily rows and the pairs CalTRACK fits the cross moment is −W·h̄·c̄, no sum over days; a billing
    # period's mean HDD and mean CDD can both be positive, so periods take the sum (a dozen rows)
    vhc = -total[:, None, None] * hbar[:, :, None] * cbar[:, None, :]
    if not daily:
        vhc = vhc + np.einsum("mn,mnh,mnc->mhc", w, hdd, cdd)
    return _Sums(
        n=valid.sum(axis=1).astype(np.float64),
        ybar=ybar,
        hbar=hbar,
        cbar=cbar,
        vyy=np.maximum(vyy, 0.0),
        vhy=vhy,
        vcy=vcy,
        vhh=np.maximum(vhh, 0.0),
        vcc=np.maximum(vcc, 0.0),
        vhc=vhc,
        enough_h=(np.count_nonzero(hdd > 0, axis=1) >= method.minimum_non_zero_hdd)
        & (sum_h >= method.minimum_total_hdd),
        enough_c=(np.count_nonzero(cdd > 0, axis=1) >= method.minimum_non_zero_cdd)
        & (sum_c >= method.minimum_total_cdd),
    )


def _single(
    s: _Sums, vxx: Array, vxy: Array, xbar: Array, *, enough: NDArray[np.bool_], p_max: float
) -> tuple[Array, Array, Array]:
    """One regressor for every balance point: β = vxy / vxx, SSR = vyy − β·vxy; (score, intercept, β)."""
    nf, vyy = s.n[:, None], s.vyy[:, None]
    ok = enough & (vxx > _TINY * np.maximum(1.0, vyy)) & (nf > 2)
    beta = np.where(ok, vxy / vxx, np.nan)
    ssr = np.maximum(vyy - beta * vxy, 0.0)
    adj = 1.0 - (ssr / vyy) * (nf - 1.0) / (nf - 2.0)
    intercept = s.ybar[:, None] - beta * xbar
    qualified = ok & (beta >= 0) & (intercept >= 0)
    if p_max < 1.0:
        se = np.sqrt(ssr / (nf - 2.0) / vxx)
        qualified &= t_two_sided_p(beta / se, np.broadcast_to(nf - 2.0, beta.shape)) <= p_max
    return np.where(qualified & np.isfinite(adj), adj, -np.inf), intercept, beta


def _pairs(s: _Sums, method: Method) -> tuple[Array, Array, Array, Array]:
    """Both regressors for every (b_H, b_C) with b_H ≤ b_C: the centred 2×2 normal equations solved."""
    nf, vyy = s.n[:, None, None], s.vyy[:, None, None]
    a11, a22, a12 = s.vhh[:, :, None], s.vcc[:, None, :], s.vhc
    hy, cy = s.vhy[:, :, None], s.vcy[:, None, :]
    det = a11 * a22 - a12 * a12
    pair = np.asarray(method.heating_f)[:, None] <= np.asarray(method.cooling_f)[None, :] + 1e-9
    ok = s.enough_h[:, :, None] & s.enough_c[:, None, :] & pair[None]
    ok &= (det > _TINY * np.maximum(a11 * a22, _TINY)) & (nf > 3)
    bh = np.where(ok, (a22 * hy - a12 * cy) / det, np.nan)
    bc = np.where(ok, (a11 * cy - a12 * hy) / det, np.nan)
    ssr = np.maximum(vyy - bh * hy - bc * cy, 0.0)
    adj = 1.0 - (ssr / vyy) * (nf - 1.0) / (nf - 3.0)
    intercept = s.ybar[:, None, None] - bh * s.hbar[:, :, None] - bc * s.cbar[:, None, :]
    qualified = ok & (bh >= 0) & (bc >= 0) & (intercept >= 0)
    if min(method.maximum_p_value_hdd, method.maximum_p_value_cdd) < 1.0:
        s2 = ssr / (nf - 3.0)
        dof = np.broadcast_to(nf - 3.0, bh.shape)
        qualified &= t_two_sided_p(bh / np.sqrt(s2 * a22 / det), dof) <= method.maximum_p_value_hdd
        qualified &= t_two_sided_p(bc / np.sqrt(s2 * a11 / det), dof) <= method.maximum_p_value_cdd
    return np.where(qualified & np.isfinite(adj), adj, -np.inf), intercept, bh, bc


def _f64(values: NDArray[np.generic]) -> Array:
    return np.asarray(values, dtype=np.float64)


def fit_chunk(
    y: Array, w: Array, hdd: Array, cdd: Array, method: Method, *, daily: bool = False, cooling: bool = True
) -> Fits:
    """Fit every candidate for a chunk of meters: y, w (M, n); hdd (M, n, B_H); cdd (M, n, B_C).

    ``daily``: each row is one day's degree days (not a period's mean), which allows the faster cross
    moment; ``cooling=False`` leaves out the CDD and HDD+CDD candidates (gas meters, CalTRACK 3.4.3.1).
    """
    s = _sums(y, w, hdd, cdd, method, daily=daily)
    with np.errstate(divide="ignore", invalid="ignore"):
        h_score, h_intercept, h_beta = _single(
            s, s.vhh, s.vhy, s.hbar, enough=s.enough_h, p_max=method.maximum_p_value_hdd
        )
        c_score, c_intercept, c_beta = _single(
            s, s.vcc, s.vcy, s.cbar, enough=s.enough_c, p_max=method.maximum_p_value_cdd
        )
        score2, intercept2, bh, bc = _pairs(s, method)
    if not cooling:
        c_score = np.full_like(c_score, -np.inf)
        score2 = np.full_like(score2, -np.inf)

    # the reference order: intercept, HDD by b_H, CDD by b_C, HDD+CDD with b_C outer and b_H inner
    m = y.shape[0]
    rows = np.arange(m)
    best_h = np.argmax(h_score, axis=1)
    best_c = np.argmax(c_score, axis=1)
    flat2 = score2.transpose(0, 2, 1).reshape(m, -1)
    best_2 = np.argmax(flat2, axis=1)
    best_2c, best_2h = np.divmod(best_2, score2.shape[1])
    intercept_score = np.where((s.ybar >= 0) & (s.n > 0), 0.0, -np.inf)
    scores = np.stack(
        [intercept_score, h_score[rows, best_h], c_score[rows, best_c], flat2[rows, best_2]], axis=1
    )
    kind = np.argmax(scores, axis=1)
    chosen = scores[rows, kind]
    kind = np.where(np.isfinite(chosen), kind, NO_MODEL).astype(np.int8)

    nan = np.full(m, np.nan)
    grid_h, grid_c = method.heating, method.cooling
    is_h, is_c, is_2 = kind == HDD_ONLY, kind == CDD_ONLY, kind == HDD_CDD
    intercept = np.select(
        [kind == INTERCEPT_ONLY, is_h, is_c, is_2],
        [s.ybar, h_intercept[rows, best_h], c_intercept[rows, best_c], intercept2[rows, best_2h, best_2c]],
        nan,
    )
    return Fits(  # np.select and fancy indexing lose the dtype in the stubs
        model_type=kind.astype(np.int8),
        intercept=_f64(intercept),
        beta_hdd=_f64(np.select([is_h, is_2], [h_beta[rows, best_h], bh[rows, best_2h, best_2c]], nan)),
        beta_cdd=_f64(np.select([is_c, is_2], [c_beta[rows, best_c], bc[rows, best_2h, best_2c]], nan)),
        heating_bp=_f64(np.select([is_h, is_2], [grid_h[best_h], grid_h[best_2h]], nan)),
        cooling_bp=_f64(np.select([is_c, is_2], [grid_c[best_c], grid_c[best_2c]], nan)),
        r_squared_adj=_f64(np.where(kind >= 0, chosen, np.nan)),
        n=s.n.astype(np.int64),
        method=method.ref,
    )


def concat(parts: list[Fits]) -> Fits:
    """Join the fits of several chunks of meters."""

    def cat(name: str) -> Any:
        return np.concatenate([getattr(p, name) for p in parts])

    return Fits(
        cat("model_type"),
        cat("intercept"),
        cat("beta_hdd"),
        cat("beta_cdd"),
        cat("heating_bp"),
        cat("cooling_bp"),
        cat("r_squared_adj"),
        cat("n"),
        parts[0].method,
    )


def fit_daily(
    usage: ArrayLike, temperature: ArrayLike, method: Method, *, cooling: bool = True, chunk: int = 128
) -> Fits:
    """Fit the daily method for M meters: ``usage`` [per day] and ``temperature`` [°C] of shape (M, n)."""
    y = np.atleast_2d(np.asarray(usage, dtype=np.float64))
    t = np.atleast_2d(np.asarray(temperature, dtype=np.float64))
    parts = []
    for start in range(0, y.shape[0], chunk):
        ys, ts = y[start : start + chunk], t[start : start + chunk]
        hdd, _ = degree_days(ts, method.heating)
        _, cdd = degree_days(ts, method.cooling)
        parts.append(fit_chunk(ys, np.ones_like(ys), hdd, cdd, method, daily=True, cooling=cooling))
    return concat(parts)
