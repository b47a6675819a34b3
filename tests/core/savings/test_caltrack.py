"""CalTRACK 2.0 models on series built from a known model: the fit recovers what built them.

Temperatures are a smooth year (°C) written at test time; use is intercept + β_H·HDD + β_C·CDD at
balance points on the method's grid, so the fit has an exact answer to find.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jieneng.core.savings.caltrack import CDD_ONLY, HDD_CDD, HDD_ONLY, INTERCEPT_ONLY, fit_daily
from jieneng.core.savings.degree_days import degree_days, fahrenheit_to_celsius, to_celsius
from jieneng.core.savings.measure import measure_billing, measure_daily
from jieneng.reference.savings import load_method

DAILY = load_method("daily")
BILLING = load_method("billing")
ONE = np.timedelta64(1, "D")
FIRST = np.datetime64("2023-01-01")
DAYS = FIRST + np.arange(730) * ONE
BASELINE = (FIRST, FIRST + 364 * ONE)
REPORTING = (FIRST + 365 * ONE, FIRST + 729 * ONE)


def year_of_temperatures(days: int = 730, seed: int = 0) -> np.ndarray:
    """A Beijing-like year: mean 12 °C, ±15 °C seasonal swing, ±4 °C day-to-day."""
    rng = np.random.default_rng(seed)
    d = np.arange(days)
    return 12.0 - 15.0 * np.cos(2 * np.pi * d / 365.0) + rng.normal(0.0, 4.0, days)


def model_use(t: np.ndarray, a: float, bh: float, hb: float, bc: float, cb: float) -> np.ndarray:
    return a + bh * np.maximum(hb - t, 0.0) + bc * np.maximum(t - cb, 0.0)


def test_the_grid_is_calltracks_in_celsius() -> None:
    # 30 … 90 °F in steps of 1 °F: 61 points from −1.11 °C to 32.22 °C; 20 °F·d is 11.11 °C·d
    assert len(DAILY.heating_c) == 61
    assert DAILY.heating_c[0] == pytest.approx((30 - 32) * 5 / 9)
    assert DAILY.cooling_c[-1] == pytest.approx((90 - 32) * 5 / 9)
    assert DAILY.minimum_total_hdd == pytest.approx(20 * 5 / 9)
    assert DAILY.ref == "caltrack-2.0-daily@1"


def test_hdd_cdd_fit_recovers_coefficients_and_balance_points() -> None:
    t = year_of_temperatures(365)
    hb, cb = DAILY.heating_c[30], DAILY.cooling_c[40]  # 60 °F = 15.56 °C, 70 °F = 21.11 °C
    use = model_use(t, 20.0, 1.5, hb, 2.5, cb)
    fits = fit_daily(use, t, DAILY)
    assert fits.model_type[0] == HDD_CDD
    assert fits.heating_bp[0] == pytest.approx(hb)
    assert fits.cooling_bp[0] == pytest.approx(cb)
    assert fits.intercept[0] == pytest.approx(20.0, abs=1e-9)
    assert fits.beta_hdd[0] == pytest.approx(1.5, rel=1e-9)
    assert fits.beta_cdd[0] == pytest.approx(2.5, rel=1e-9)
    assert fits.r_squared_adj[0] == pytest.approx(1.0)
    assert fits.method == "caltrack-2.0-daily@1"


def test_each_model_type_is_chosen_for_its_own_data() -> None:
    t = year_of_temperatures(365, seed=3)
    rng = np.random.default_rng(3)
    noise = rng.normal(0.0, 0.3, (4, 365))
    noise[0] = 0.0  # with noise some balance point always explains a little of it (adjusted R² > 0)
    hb, cb = DAILY.heating_c[28], DAILY.cooling_c[42]
    use = (
        np.stack(
            [
                np.full(365, 10.0),
                model_use(t, 10.0, 1.0, hb, 0.0, cb),
                model_use(t, 10.0, 0.0, hb, 1.0, cb),
                model_use(t, 10.0, 1.0, hb, 1.0, cb),
            ]
        )
        + noise
    )
    fits = fit_daily(use, np.tile(t, (4, 1)), DAILY)
    assert list(fits.model_type) == [INTERCEPT_ONLY, HDD_ONLY, CDD_ONLY, HDD_CDD]
    assert list(fits.parameters) == [1, 2, 2, 3]


def test_negative_slopes_do_not_qualify() -> None:
    # use falling with heating degree days: every HDD candidate has β_H < 0, so none qualifies
    t = year_of_temperatures(365, seed=4)
    use = 50.0 - 1.0 * np.maximum(DAILY.heating_c[40] - t, 0.0)
    fits = fit_daily(use, t, DAILY)
    assert fits.model_type[0] not in (HDD_ONLY, HDD_CDD)
    assert not (fits.beta_hdd[0] < 0)


def test_many_meters_at_once_equal_one_at_a_time() -> None:
    rng = np.random.default_rng(5)
    t = year_of_temperatures(365, seed=5)[None, :] + rng.normal(0, 1, (7, 365))
    use = model_use(t, 8.0, 0.7, DAILY.heating_c[25], 1.2, DAILY.cooling_c[45]) + rng.normal(0, 0.5, (7, 365))
    together = fit_daily(use, t, DAILY, chunk=3)
    for i in range(7):
        alone = fit_daily(use[i], t[i], DAILY)
        assert alone.model_type[0] == together.model_type[i]
        assert alone.intercept[0] == pytest.approx(together.intercept[i], rel=1e-12)
        assert alone.heating_bp[0] == together.heating_bp[i] or np.isnan(alone.heating_bp[0])


def test_savings_of_a_known_step_change() -> None:
    # the reporting year uses exactly 90 % of what the baseline model predicts: savings are 10 % of the
    # prediction, and the prediction is the model on the reporting temperatures
    t = year_of_temperatures()
    hb, cb = DAILY.heating_c[30], DAILY.cooling_c[40]
    use = model_use(t, 20.0, 1.5, hb, 2.5, cb)
    use[365:] *= 0.9
    result = measure_daily(DAYS, use, t, baseline=BASELINE, reporting=REPORTING, method=DAILY)
    assert result.ok, [i.message for i in result.issues]
    expected_predicted = float(model_use(t[365:], 20.0, 1.5, hb, 2.5, cb).sum())
    assert result.predicted == pytest.approx(expected_predicted, rel=1e-9)
    assert result.savings == pytest.approx(0.1 * expected_predicted, rel=1e-9)
    assert result.fractional_savings == pytest.approx(0.1, rel=1e-9)
    assert result.model is not None and result.model.model_type == "hdd_cdd"
    assert result.model.statistics.cvrmse == pytest.approx(0.0, abs=1e-9)
    assert result.model.calibration.passes
    assert result.method == "caltrack-2.0-daily@1"


def test_fahrenheit_input_gives_the_celsius_result() -> None:
    rng = np.random.default_rng(7)
    t_c = year_of_temperatures(seed=7)
    use = model_use(t_c, 15.0, 1.0, DAILY.heating_c[32], 2.0, DAILY.cooling_c[38]) + rng.normal(0, 1, 730)
    use[365:] -= 2.0
    t_f = t_c * 1.8 + 32.0
    in_c = measure_daily(DAYS, use, t_c, baseline=BASELINE, reporting=REPORTING, method=DAILY)
    in_f = measure_daily(
        DAYS, use, to_celsius(t_f, "F"), baseline=BASELINE, reporting=REPORTING, method=DAILY
    )
    assert in_c.savings is not None and in_f.savings is not None
    assert in_f.savings == pytest.approx(in_c.savings, rel=1e-9)
    assert in_f.model is not None and in_c.model is not None
    assert in_f.model.heating_balance_point == pytest.approx(in_c.model.heating_balance_point)
    assert fahrenheit_to_celsius([32.0, 212.0]).tolist() == pytest.approx([0.0, 100.0])


def test_billing_method_recovers_the_model_from_monthly_bills() -> None:
    # bills of 28–31 days (calendar months); use per day follows the model on each day's temperature
    t = year_of_temperatures(731, seed=8)  # 2023 and the leap year 2024
    days = FIRST + np.arange(731) * ONE
    hb, cb = BILLING.heating_c[30], BILLING.cooling_c[40]
    daily_use = model_use(t, 12.0, 1.2, hb, 2.0, cb)
    daily_use[365:] *= 0.85
    months = np.arange("2023-01", "2025-01", dtype="datetime64[M]")
    starts = months.astype("datetime64[D]")
    ends = (months + 1).astype("datetime64[D]") - ONE
    use = np.array(
        [
            daily_use[(s - FIRST).astype(int) : (e - FIRST).astype(int) + 1].sum()
            for s, e in zip(starts, ends, strict=True)
        ]
    )
    reporting = (np.datetime64("2024-01-01"), np.datetime64("2024-12-31"))
    result = measure_billing(
        starts, ends, use, days, t, baseline=BASELINE, reporting=reporting, method=BILLING
    )
    assert result.ok, [i.message for i in result.issues]
    assert result.reporting_periods == 12
    # per-period mean degree days are what the daily model averages, so the model is exact again
    assert result.model is not None and result.model.model_type == "hdd_cdd"
    assert result.fractional_savings == pytest.approx(0.15, rel=1e-9)
    assert result.model.calibration.interval == "monthly"
    assert result.method == "caltrack-2.0-billing@1"


def test_degree_days_are_continuous_and_nan_stays_nan() -> None:
    hdd, cdd = degree_days([10.0, np.nan, 20.0], [15.0])
    assert hdd[:, 0].tolist()[0] == 5.0 and np.isnan(hdd[1, 0]) and hdd[2, 0] == 0.0
    assert cdd[2, 0] == 5.0


@settings(max_examples=40, deadline=None)
@given(
    seed=st.integers(0, 10_000),
    base=st.floats(5.0, 50.0),
    heating=st.floats(0.0, 3.0),
    cooling=st.floats(0.0, 3.0),
    shift=st.floats(-5.0, 5.0),
)
def test_a_tiny_change_of_temperature_changes_savings_continuously(
    seed: int, base: float, heating: float, cooling: float, shift: float
) -> None:
    # eemeter's savings are known to jump by up to a third for a 1e-9 °F change; ours must move by
    # no more than the change itself could explain (a slope times 1e-9 °C times 730 days, and rounding)
    rng = np.random.default_rng(seed)
    t = year_of_temperatures(seed=seed) + shift
    use = model_use(t, base, heating, DAILY.heating_c[30], cooling, DAILY.cooling_c[40])
    # metered use is never negative (a negative day is refused: negative_use): noise clipped at zero
    use = np.clip(use + rng.normal(0.0, 1.0 + 0.05 * base, 730), 0.0, None)
    use[365:] *= 0.9
    before = measure_daily(DAYS, use, t, baseline=BASELINE, reporting=REPORTING, method=DAILY)
    after = measure_daily(DAYS, use, t + 1e-9, baseline=BASELINE, reporting=REPORTING, method=DAILY)
    assert before.savings is not None and after.savings is not None
    scale = float(np.abs(use).sum())
    assert abs(after.savings - before.savings) <= 1e-6 * scale
