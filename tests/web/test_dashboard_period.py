"""A year not yet over is compared over the same months: the months whose monthly reports are due
(the deadlines of the reference data: 15 days after the month), against the same months of the
year before and of the base year. The hand-made city reports the same quantities every month of
2020, 2024 and 2025, so a period of n months of those years is n/12 of the whole year; in 2026 one
unit has reported January to March."""

from __future__ import annotations

from datetime import date

import pytest

from jieneng.dashboard import services
from jieneng.dashboard.services import compared_months, overview
from jieneng.reference import load_coefficient_set

pytestmark = pytest.mark.django_db


def tce_of_kwh(kwh: float) -> float:
    return kwh * load_coefficient_set("public-institution").coefficients["electricity"].kgce / 1000


@pytest.mark.parametrize(
    ("year", "last", "day", "months"),
    [
        (2025, 12, date(2026, 12, 2), 12),  # a past year: whole
        (2025, 9, date(2026, 12, 2), 9),  # a past year reported to September: to September
        (2026, 11, date(2026, 12, 2), 10),  # November is due on 15 December
        (2026, 11, date(2026, 12, 15), 11),
        (2026, 3, date(2026, 12, 2), 3),  # no later month reported
        (2026, 1, date(2026, 2, 14), 0),  # January is due on 15 February
        (2026, 1, date(2026, 2, 15), 1),
    ],
)
def test_the_months_compared(year: int, last: int, day: date, months: int) -> None:
    assert compared_months(year, last, day) == months


def test_a_year_to_date_is_compared_with_the_same_months(loaded, monkeypatch) -> None:
    whole_2025 = overview("445200", 2025)
    assert whole_2025.period == 12
    tce_2025, per_m2_2025 = whole_2025.totals.tce.value, whole_2025.totals.kgce_per_m2.value
    assert tce_2025 and per_m2_2025
    monkeypatch.setattr(services, "today", lambda: date(2026, 3, 20))  # February is due, March not
    ytd = overview("445200", 2026)
    assert (ytd.period, ytd.comparable, ytd.last_month) == (2, True, 3)
    # this year: two months of 10,000 kWh
    assert ytd.totals.tce.value == pytest.approx(tce_of_kwh(2 * 10_000))
    assert ytd.totals.tce.previous == pytest.approx(tce_2025 * 2 / 12)
    assert ytd.totals.tce.yoy == pytest.approx((tce_of_kwh(2 * 10_000) / (tce_2025 * 2 / 12) - 1) * 100)
    # persons and floor area are the year's, so ratios compare the same months too
    assert ytd.totals.kgce_per_m2.previous == pytest.approx(per_m2_2025 * 2 / 12)


def test_no_month_due_yet_means_no_comparison(loaded, monkeypatch) -> None:
    monkeypatch.setattr(services, "today", lambda: date(2026, 2, 1))
    early = overview("445200", 2026)
    assert early.period == 0 and not early.comparable
    assert early.totals.tce.value == pytest.approx(tce_of_kwh(3 * 10_000))  # what is reported so far
    assert early.totals.tce.yoy is None and early.totals.tce.vs_base is None


def test_the_page_says_which_months_it_compares(client, people, monkeypatch) -> None:
    monkeypatch.setattr(services, "today", lambda: date(2026, 12, 2))
    client.force_login(people.viewer)
    page = client.get("/region/445200/?year=2026", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "2026年1—3月累计" in page and "同期（1—3月）" in page
