from datetime import date, timedelta

from jieneng.core.meter_coverage import Coverage, DayFigure, coverage

NOV = date(2026, 11, 1), date(2026, 11, 30)


def _full(meter: int, skip: tuple[int, ...] = ()) -> list[DayFigure]:
    return [DayFigure(meter, NOV[0] + timedelta(days=i), 100.0, 24) for i in range(30) if i + 1 not in skip]


def test_a_full_month_is_complete() -> None:
    got = coverage([1, 2], _full(1) + _full(2), *NOV, through=date(2026, 12, 1))
    assert got.complete and got.covered == 30 and got.days == 30
    assert got.as_dict()["missing"] == []


def test_a_missing_day_of_one_meter_is_named() -> None:
    got = coverage([1, 2], _full(1) + _full(2, skip=(5,)), *NOV, through=date(2026, 12, 1))
    assert not got.complete
    assert got.missing == (date(2026, 11, 5),) and got.covered == 29


def test_hours_missing_make_a_short_day() -> None:
    figures = _full(1)
    figures[11] = DayFigure(1, date(2026, 11, 12), 80.0, 18)
    got = coverage([1], figures, *NOV, through=date(2026, 12, 1))
    assert got.short == (date(2026, 11, 12),) and not got.complete


def test_an_unknown_day_and_a_reset_count() -> None:
    figures = _full(1)
    figures[13] = DayFigure(1, date(2026, 11, 14), None, 23, resets=1)
    got = coverage([1], figures, *NOV, through=date(2026, 12, 1))
    assert got.missing == (date(2026, 11, 14),) and got.resets == 1


def test_a_month_in_progress_is_not_complete() -> None:
    got: Coverage = coverage([1], _full(1)[:10], *NOV, through=date(2026, 11, 10))
    assert got.covered == 10 and got.missing == () and not got.complete
