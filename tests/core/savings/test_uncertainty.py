"""The Student t, the ASHRAE 14 statistics and the savings uncertainty against values worked by hand."""

from __future__ import annotations

import math

import numpy as np
import pytest

from jieneng.core.savings.uncertainty import (
    calibration,
    fit_statistics,
    fractional_savings_uncertainty,
    t_quantile,
    t_two_sided_p,
)
from jieneng.reference.savings import load_method


@pytest.mark.parametrize(
    ("probability", "dof", "expected"),
    [(0.95, 10, 1.812461123), (0.975, 10, 2.228138852), (0.95, 363, 1.649062), (0.975, 1, 12.70620474)],
)
# 363 degrees of freedom: the Cornish-Fisher expansion z + (z³ + z)/4ν + (5z⁵ + 16z³ + 3z)/96ν² = 1.649062
def test_t_quantiles_match_the_tables(probability: float, dof: int, expected: float) -> None:
    assert t_quantile(probability, dof) == pytest.approx(expected, rel=1e-6)


def test_two_sided_p_values() -> None:
    # P(|T| ≥ 2.228138852) = 0.05 with 10 degrees of freedom; t = 0 gives 1
    p = t_two_sided_p(np.array([2.228138852, 0.0]), 10)
    assert p[0] == pytest.approx(0.05, rel=1e-6) and p[1] == pytest.approx(1.0)


def test_fit_statistics_by_hand() -> None:
    # y = 10, 12, 14, 16; ŷ = 11, 11, 15, 15; residuals −1, 1, −1, 1; p = 2
    # ȳ = 13; SSR = 4; SST = 9 + 1 + 1 + 9 = 20; R² = 0.8; adj = 1 − 0.2 · 3 / 2 = 0.7
    # CV(RMSE) = √(4 / 2) / 13 = 0.10879; NMBE = 0 / (2 · 13) = 0
    stats = fit_statistics([10, 12, 14, 16], [11, 11, 15, 15], parameters=2)
    assert stats.r_squared == pytest.approx(0.8)
    assert stats.r_squared_adj == pytest.approx(0.7)
    assert stats.cvrmse == pytest.approx(math.sqrt(2) / 13)
    assert stats.nmbe == pytest.approx(0.0)
    monthly = calibration(stats, "monthly", 0.05, 0.15)
    assert monthly.passes
    assert not calibration(stats, "monthly", 0.05, 0.10).passes


def test_the_uncertainty_of_ashrae_14_annex_b() -> None:
    # n = 4, p = 2, ρ = lag-1 autocorrelation of (−1, 1, −1, 1) = −3/4 → n′ = 4 · 1.75 / 0.25 = 28;
    # m = 12, k = 1.26, 90 %: t(0.95, 2) = 2.919986; U = t · 1.26 · CV · √((4/28)(1 + 2/28)/12) · 1000
    stats = fit_statistics([10, 12, 14, 16], [11, 11, 15, 15], parameters=2)
    assert stats.autocorrelation == pytest.approx(-0.75)
    result = fractional_savings_uncertainty(
        stats, reporting_periods=12, baseline_use_reporting=1000.0, savings=100.0, confidence=0.9, factor=1.26
    )
    expected = 2.919986 * 1.26 * (math.sqrt(2) / 13) * math.sqrt((4 / 28) * (1 + 2 / 28) / 12) * 1000.0
    assert result.absolute == pytest.approx(expected, rel=1e-5)
    assert result.fractional == pytest.approx(expected / 100.0, rel=1e-5)


def test_the_methods_factors_and_limits_come_from_their_data() -> None:
    daily, billing = load_method("daily"), load_method("billing")
    # daily: a·m² + b·m + c with m = 365 / 30 reporting months
    m = 365 / 30
    assert daily.uncertainty_factor(365) == pytest.approx(-0.00024 * m * m + 0.03535 * m + 1.00286)
    assert daily.calibration_limits() == ("hourly", 0.10, 0.30)
    assert billing.calibration_limits() == ("monthly", 0.05, 0.15)
