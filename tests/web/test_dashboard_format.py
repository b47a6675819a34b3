"""How the dashboards write numbers: totals of 10,000 tce or tCO₂ and more in 万吨, as the documents do."""

from __future__ import annotations

import pytest
from django.utils import translation

from jieneng.dashboard.templatetags.dashboard_format import amount, number


@pytest.mark.parametrize(
    ("value", "unit", "zh", "en"),
    [
        (30_144.7, "tce", ("3.01", "万吨标准煤"), ("3.01", "10,000 tce")),
        (10_000.0, "tCO₂", ("1.00", "万吨二氧化碳"), ("1.00", "10,000 tCO₂")),
        (9_999.994, "tce", ("9,999.99", "tce"), ("9,999.99", "tce")),
        (-25_000.0, "tce", ("-2.50", "万吨标准煤"), ("-2.50", "10,000 tce")),
        (123_456.0, "kgce/m²", ("123,456.00", "kgce/m²"), ("123,456.00", "kgce/m²")),
        (None, "tce", ("—", "tce"), ("—", "tce")),
        (float("nan"), "tce", ("—", "tce"), ("—", "tce")),
    ],
)
def test_amount(value, unit, zh, en) -> None:
    with translation.override("zh-hans"):
        assert amount(value, unit) == zh
    with translation.override("en"):
        assert amount(value, unit) == en


def test_number() -> None:
    assert number(1234.5) == "1,234.50" and number(1234.5, 0) == "1,234" and number(None) == "—"
