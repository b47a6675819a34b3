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

Every least-squares problem is solved in closed form from weighted, centred sums: for M meters, n days and
B balance points the sums are (M, B) arrays and the HDD×CDD cross sums one (M, B_H, B_C) batched matrix
product, so all candidates of all meters are fitted without a Python loop over meters or balance points
(meters are taken in chunks to bound memory).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from jieneng.core.savings.degree_days import Array, degree_days
from jieneng.core.savings.method import Method
from jieneng.core.savings.uncertainty import t_two_sided_p

INTERCEPT_ONLY, HDD_ONLY, CDD_ONLY, HDD_CDD = 0, 1, 2, 3
NO_MODEL = -1
MODEL_NAMES = {NO_MODEL: "none", INTERCEPT_ONLY: "intercept_only", HDD_ONLY: "hdd_only",
               CDD_ONLY: "cdd_only", HDD_CDD: "hdd_cdd"}
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


def _masked_centre(values: Array, weights: Array, total: Array) -> tuple[Array, Array]:
    """Weighted means over axis 1 and the centred values (zero where the weight is zero)."""
    mean = np.einsum("mn,mn...->m...", weights, values) / total.reshape((-1,) + (1,) * (values.ndim - 2))
    centred = values - np.expand_dims(mean, 1)
    mask = (weights > 0).reshape(weights.shape + (1,) * (values.ndim - 2))
    return mean, np.where(mask, centred, 0.0)


def fit_chunk(y: Array, w: Array, hdd: Array, cdd: Array, method: Method, *, cooling: bool = True) -> Fits:
    """Fit every candidate for a chunk of meters: y, w (M, n); hdd (M, n, B_H); cdd (M, n, B_C).

    ``cooling=False`` leaves out the CDD and HDD+CDD candidates (gas meters, CalTRACK 3.4.3.1).
    """
    valid = np.isfinite(y) & np.isfinite(w) & (w > 0) & np.isfinite(hdd[..., 0]) & np.isfinite(cdd[..., 0])
    w = np.where(valid, w, 0.0)
    y = np.where(valid, y, 0.0)
    hdd = np.where(valid[..., None], hdd, 0.0)
    cdd = np.where(valid[..., None], cdd, 0.0)
    n = valid.sum(axis=1)
    total = w.sum(axis=1)
    safe_total = np.where(total > 0, total, 1.0)
    ybar, yc = _masked_centre(y, w, safe_total)
    hbar, hc = _masked_centre(hdd, w, safe_total)
    cbar, cc = _masked_centre(cdd, w, safe_total)
    wy = w * yc
    vyy = np.einsum("mn,mn->m", wy, yc)
    vhy = np.einsum("mn,mnb->mb", wy, hc)
    vcy = np.einsum("mn,mnb->mb", wy, cc)
    whc = w[..., None] * hc
    vhh = np.einsum("mnb,mnb->mb", whc, hc)
    vcc = np.einsum("mnb,mnb->mb", w[..., None] * cc, cc)
    vhc = np.matmul(whc.transpose(0, 2, 1), cc)  # (M, B_H, B_C)
    nonzero_h = np.count_nonzero(hdd > 0, axis=1)
    nonzero_c = np.count_nonzero(cdd > 0, axis=1)
    total_h = np.einsum("mn,mnb->mb", w, hdd)
    total_c = np.einsum("mn,mnb->mb", w, cdd)
    enough_h = (nonzero_h >= method.minimum_non_zero_hdd) & (total_h >= method.minimum_total_hdd)
    enough_c = (nonzero_c >= method.minimum_non_zero_cdd) & (total_c >= method.minimum_total_cdd)
    nf = n.astype(np.float64)

    with np.errstate(divide="ignore", invalid="ignore"):
        # one regressor: β = vxy / vxx, SSR = vyy − β·vxy
        def single(vxx: Array, vxy: Array, xbar: Array, enough: Array, p_max: float) -> tuple[Array, ...]:
            ok = enough & (vxx > _TINY * np.maximum(1.0, vyy[:, None])) & (nf[:, None] > 2)
            beta = np.where(ok, vxy / vxx, np.nan)
            ssr = np.maximum(vyy[:, None] - beta * vxy, 0.0)
            r2 = 1.0 - ssr / vyy[:, None]
            adj = 1.0 - (1.0 - r2) * (nf[:, None] - 1.0) / (nf[:, None] - 2.0)
            intercept = ybar[:, None] - beta * xbar
            qualified = ok & (beta >= 0) & (intercept >= 0)
            if p_max < 1.0:
                se = np.sqrt(ssr / (nf[:, None] - 2.0) / vxx)
                p = t_two_sided_p(beta / se, np.broadcast_to(nf[:, None] - 2.0, beta.shape))
                qualified &= p <= p_max
            score = np.where(qualified & np.isfinite(adj), adj, -np.inf)
            return score, intercept, beta

        h_score, h_intercept, h_beta = single(vhh, vhy, hbar, enough_h, method.maximum_p_value_hdd)
        c_score, c_intercept, c_beta = single(vcc, vcy, cbar, enough_c, method.maximum_p_value_cdd)

        # two regressors: the 2×2 normal equations of the centred problem, for every (b_H, b_C)
        a11, a22, a12 = vhh[:, :, None], vcc[:, None, :], vhc
        det = a11 * a22 - a12 * a12
        pair = np.asarray(method.heating_f)[:, None] <= np.asarray(method.cooling_f)[None, :] + 1e-9
        ok2 = (
            enough_h[:, :, None] & enough_c[:, None, :] & pair[None] & (det > _TINY * np.maximum(a11 * a22, _TINY))
            & (nf[:, None, None] > 3)
        )
        bh = np.where(ok2, (a22 * vhy[:, :, None] - a12 * vcy[:, None, :]) / det, np.nan)
        bc = np.where(ok2, (a11 * vcy[:, None, :] - a12 * vhy[:, :, None]) / det, np.nan)
        ssr2 = np.maximum(vyy[:, None, None] - bh * vhy[:, :, None] - bc * vcy[:, None, :], 0.0)
        r2b = 1.0 - ssr2 / vyy[:, None, None]
        adj2 = 1.0 - (1.0 - r2b) * (nf[:, None, None] - 1.0) / (nf[:, None, None] - 3.0)
        intercept2 = ybar[:, None, None] - bh * hbar[:, :, None] - bc * cbar[:, None, :]
        qualified2 = ok2 & (bh >= 0) & (bc >= 0) & (intercept2 >= 0)
        if min(method.maximum_p_value_hdd, method.maximum_p_value_cdd) < 1.0:
            s2 = ssr2 / (nf[:, None, None] - 3.0)
            dof = np.broadcast_to(nf[:, None, None] - 3.0, bh.shape)
            p_h = t_two_sided_p(bh / np.sqrt(s2 * a22 / det), dof)
            p_c = t_two_sided_p(bc / np.sqrt(s2 * a11 / det), dof)
            qualified2 &= (p_h <= method.maximum_p_value_hdd) & (p_c <= method.maximum_p_value_cdd)
        score2 = np.where(qualified2 & np.isfinite(adj2), adj2, -np.inf)
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
    intercept_score = np.where((ybar >= 0) & (n > 0), 0.0, -np.inf)
    scores = np.stack(
        [intercept_score, h_score[rows, best_h], c_score[rows, best_c], flat2[rows, best_2]], axis=1
    )
    kind = np.argmax(scores, axis=1)
    chosen = scores[rows, kind]
    kind = np.where(np.isfinite(chosen), kind, NO_MODEL).astype(np.int8)

    nan = np.full(m, np.nan)
    grid_h, grid_c = method.heating, method.cooling
    intercept = np.select(
        [kind == INTERCEPT_ONLY, kind == HDD_ONLY, kind == CDD_ONLY, kind == HDD_CDD],
        [ybar, h_intercept[rows, best_h], c_intercept[rows, best_c], intercept2[rows, best_2h, best_2c]],
        nan,
    )
    beta_hdd = np.select([kind == HDD_ONLY, kind == HDD_CDD], [h_beta[rows, best_h], bh[rows, best_2h, best_2c]], nan)
    beta_cdd = np.select([kind == CDD_ONLY, kind == HDD_CDD], [c_beta[rows, best_c], bc[rows, best_2h, best_2c]], nan)
    heating_bp = np.select([kind == HDD_ONLY, kind == HDD_CDD], [grid_h[best_h], grid_h[best_2h]], nan)
    cooling_bp = np.select([kind == CDD_ONLY, kind == HDD_CDD], [grid_c[best_c], grid_c[best_2c]], nan)
    return Fits(kind, intercept, beta_hdd, beta_cdd, heating_bp, cooling_bp,
                np.where(kind >= 0, chosen, np.nan), n.astype(np.int64), method.ref)


def concat(parts: list[Fits]) -> Fits:
    """Join the fits of several chunks of meters."""
    def cat(name: str) -> NDArray[np.generic]:
        return np.concatenate([getattr(p, name) for p in parts])

    return Fits(
        cat("model_type"), cat("intercept"), cat("beta_hdd"), cat("beta_cdd"), cat("heating_bp"),
        cat("cooling_bp"), cat("r_squared_adj"), cat("n"), parts[0].method,
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
        parts.append(fit_chunk(ys, np.ones_like(ys), hdd, cdd, method, cooling=cooling))
    return concat(parts)
