"""The anomaly rules and the meters' arithmetic of the core, on hand-made hourly series."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import polars as pl
import pytest

from jieneng.core import anomalies
from jieneng.core.meters import FormulaError, evaluate, parse_formula, roll_up, unit_fits
from jieneng.reference import load_units
from jieneng.reference.monitoring import load_anomaly_rules

RULES = load_anomaly_rules()
START = datetime(2026, 11, 2)  # a Monday


def week(hours: int = 24 * 28, night: float = 5.0, day: float = 50.0) -> pl.DataFrame:
    ts = [START + timedelta(hours=h) for h in range(hours)]
    values = [day if t.weekday() < 5 and 8 <= t.hour < 18 else night for t in ts]
    return pl.DataFrame({"ts": ts, "value": values}).with_columns(event=pl.lit(""))


def noisy(frame: pl.DataFrame) -> pl.DataFrame:
    return frame.with_columns(pl.col("value") * (1 + pl.int_range(pl.len()) % 7 / 100))


def rules_of(frame: pl.DataFrame) -> set[str]:
    return {f.rule for f in anomalies.detect(frame, RULES)}


def test_a_building_that_switches_off_has_no_alert() -> None:
    assert rules_of(noisy(week())) == set()


def test_a_building_that_never_switches_off_is_found() -> None:
    found = anomalies.base_load(week(night=45.0), RULES)
    assert {f.rule for f in found} == {"night_base_load", "weekend_base_load"}
    assert found[0].rules == RULES.ref and found[0].evidence["ratio"] == pytest.approx(0.9)


def test_a_spike_a_stuck_meter_a_gap_and_a_negative_interval() -> None:
    frame = (
        noisy(week())
        .with_row_index("i")
        .with_columns(
            value=pl.when(pl.col("i") == 100)
            .then(900.0)
            .when(pl.col("i").is_between(200, 240))
            .then(33.3)
            .when(pl.col("i") == 300)
            .then(-4.0)
            .otherwise(pl.col("value"))
        )
        .filter(~pl.col("i").is_between(400, 405))
        .drop("i")
    )
    found = {f.rule: f for f in anomalies.detect(frame, RULES)}
    assert {"spike", "flat_line", "gap", "negative"} <= found.keys()
    assert found["flat_line"].evidence["hours"] == 41
    assert found["gap"].evidence["hours"] == 6


def test_sub_meters_above_their_parent() -> None:
    days = [date(2026, 11, d) for d in (1, 2)]
    parent = pl.DataFrame({"day": days, "value": [100.0, 100.0]})
    children = pl.DataFrame({"day": days * 2, "value": [50.0, 50.0, 40.0, 70.0]})
    found = anomalies.submeter_excess(parent, children, RULES)
    assert [(f.start.date(), f.evidence["children"]) for f in found] == [(days[1], 120.0)]


def test_a_formula_is_parsed_not_evaluated() -> None:
    assert [(t.factor, t.code) for t in parse_formula("M01 - M02 + 0.5*M03")] == [
        (1.0, "M01"),
        (-1.0, "M02"),
        (0.5, "M03"),
    ]
    for bad in ("", "M01 M02", "__import__('os')", "M01 - "):
        with pytest.raises(FormulaError):
            parse_formula(bad)
    day = [date(2026, 11, 1), date(2026, 11, 2)]
    series = {
        "A": pl.DataFrame({"day": day, "value": [10.0, 12.0]}),
        "B": pl.DataFrame({"day": day[:1], "value": [4.0]}),
    }
    assert evaluate(parse_formula("A - B"), series).rows() == [(day[0], 6.0)]  # a missing day stays unknown


def test_roll_ups_count_main_meters_only_and_units_must_fit() -> None:
    daily = pl.DataFrame({"meter_id": [1, 2, 3], "day": [date(2026, 11, 1)] * 3, "value": [10.0, 4.0, 7.0]})
    meters = pl.DataFrame(
        {
            "meter_id": [1, 2, 3],
            "counts": [True, False, True],
            "building": ["a", "a", "b"],
            "organisation": [9, 9, 9],
            "energy": ["electricity"] * 3,
            "unit": ["kWh"] * 3,
        }
    )
    assert roll_up(daily, meters, "organisation", "month")["value"].to_list() == [17.0]
    assert roll_up(daily, meters, "building")["value"].to_list() == [10.0, 7.0]
    units = load_units()
    assert (
        unit_fits(units, "MWh", "kWh")
        and not unit_fits(units, "m3", "kWh")
        and not unit_fits(units, "x", "kWh")
    )
