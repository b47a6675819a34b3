"""The targets core: the model and its problems, the decomposition check, progress, forecast and warnings.

Pure: no Django. The worked examples are those of docs/targets.md.
"""

import math

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from polars.testing import assert_frame_equal

from jieneng.core import targets as t
from jieneng.core.errors import ReferenceDataError
from jieneng.core.problems import ADVISORY, Family, problem_type
from jieneng.core.targets import Kind, Method, Period, Target, Tier
from jieneng.reference.targets import DEFAULT_WARNING_RULE, builtin_warning_rules, load_warning_rule

PLAN = t.FIVE_YEAR_PLANS["十四五"]


def codes(problems):
    return [p.code for p in problems]


def one(**row):
    """A one-target frame for :func:`progress` with the defaults of a one-year target."""
    defaults = {"value": None, "required": None, "start": 2024, "end": 2024, "year": 2024, "months": 12}
    return pl.DataFrame([{**defaults, **row}], infer_schema_length=None)


# --- the model and its problems -----------------------------------------------------------------------


def test_a_good_target_has_no_problem_and_every_code_is_of_the_target_family():
    target = Target("city-gdp", "energy_per_gdp", PLAN, Kind.RANGE, low=4.0, high=4.5, base_year=2020)
    assert t.validate(target) == []
    assert target.required_reduction == 4.0  # a range is met at its lower bound
    for code in ("unknown_indicator", "range_reversed", "base_after_period", "weights_do_not_sum"):
        assert problem_type(code).family is Family.TARGET
    assert problem_type("split_short").severity is ADVISORY


def test_the_problems_of_a_target():
    # the range written the wrong way round, the base year after the period, an indicator nobody computes
    bad = Target("x", "energy_per_cat", Period.year(2024), Kind.RANGE, low=4.5, high=4.0, base_year=2025)
    found = t.validate(bad)
    assert codes(found) == ["unknown_indicator", "range_reversed", "base_after_period"]
    assert "energy_per_cat" in found[0].message and "energy_per_m2" in found[0].message
    assert found[1].params["low"] == 4.5 and "reversed" in found[1].message
    assert found[2].params == {"value": None, "column": None, "target": "x", "base": 2025, "period": "2024"}
    # the base year is the year before a one-year target, not the year itself
    same = Target("y", "energy_total", Period.year(2024), Kind.REDUCTION, reduction=3, base_year=2024)
    assert codes(t.validate(same)) == ["base_after_period"]
    assert codes(t.validate(Target("z", "count", Period.year(2024), Kind.VALUE))) == ["missing_target_value"]
    assert codes(t.validate(Target("r", "energy_total", PLAN, Kind.REDUCTION, reduction=5))) == [
        "missing_base"
    ]
    assert codes(t.validate(Target("p", "count", Period(2025, 2021), Kind.FLOOR, value=1))) == [
        "target_period_reversed"
    ]
    late = Target("m", "count", PLAN, Kind.VALUE, value=50000, milestones={2024: 30000, 2026: 60000})
    assert codes(t.validate(late)) == ["milestone_outside_period"]


def test_a_dual_control_pair():
    # 基本目标 −13.5 %, 激励目标 −14.5 % on 2020: the incentive target asks more
    basic = Target(
        "b", "energy_per_gdp", PLAN, Kind.REDUCTION, reduction=13.5, base_year=2020, tier=Tier.BASIC
    )
    incentive = Target(
        "i", "energy_per_gdp", PLAN, Kind.REDUCTION, reduction=14.5, base_year=2020, tier=Tier.INCENTIVE
    )
    assert t.validate_pair(basic, incentive) == []
    assert codes(t.validate_pair(incentive, basic)) == ["incentive_not_stricter"]
    other = Target("o", "energy_per_m2", PLAN, Kind.REDUCTION, reduction=15, base_year=2020)
    mismatch = t.validate_pair(basic, other)
    assert codes(mismatch) == ["pair_mismatch"] and mismatch[0].params["field"] == "indicator"
    # for caps the incentive target is the lower cap
    cap_basic = Target("cb", "energy_total", PLAN, Kind.CAP, value=1200)
    cap_incentive = Target("ci", "energy_total", PLAN, Kind.CAP, value=1300)
    assert codes(t.validate_pair(cap_basic, cap_incentive)) == ["incentive_not_stricter"]


def test_time_progress():
    assert t.time_progress(2024, 2024, 2024, 9) == 75.0  # nine months of a one-year target
    # a five-year plan: 20/40/60/80/100 % by year
    assert [t.time_progress(2021, 2025, year) for year in range(2021, 2026)] == [20, 40, 60, 80, 100]
    assert t.time_progress(2021, 2025, 2023, 6) == 50.0  # the third year after six months
    assert t.time_progress(2021, 2025, 2027) == 100.0 and t.time_progress(2021, 2025, 2019) == 0.0
    frame = pl.DataFrame({"start": [2021] * 4, "end": [2025] * 4, "year": [2021, 2023, 2025, 2023]})
    frame = frame.with_columns(months=pl.Series([12, 6, 12, 0]))
    expected = [
        t.time_progress(2021, 2025, y, m) for y, m in zip(frame["year"], frame["months"], strict=True)
    ]
    assert frame.select(t._time_progress_expr())["time_progress"].to_list() == expected


# --- decomposition ------------------------------------------------------------------------------------

# Three counties share the city's −5 % per m² on 2020 (单位建筑面积能耗):
#   A 100,000 m² at 20 kgce/m² (2,000,000 kgce), B 50,000 m² at 30 (1,500,000), C 25,000 m² at 12 (300,000).
#   City: 3,800,000 kgce / 175,000 m² = 21.7143 kgce/m²; −5 % asks 3,800,000 × 5 % = 190,000 kgce saved.
COUNTIES = pl.DataFrame(
    {
        "child": ["A", "B", "C"],
        "base_num": [2_000_000.0, 1_500_000.0, 300_000.0],
        "base_den": [100_000.0, 50_000.0, 25_000.0],
    }
)
CITY = Target("city-m2", "energy_per_m2", PLAN, Kind.REDUCTION, reduction=5, base_year=2020)


def _with_reductions(reductions):
    return COUNTIES.with_columns(reduction=pl.Series(reductions))


def test_a_split_of_a_per_m2_target_among_three_counties():
    base = dict(zip(COUNTIES["child"], COUNTIES["base_num"], strict=True))
    amount = t.reduction_amount(5, sum(base.values()))
    assert amount == pytest.approx(190_000)
    # in proportion to the base-year energy: every county −5 %
    proportional = t.split(amount, list(base), Method.PROPORTIONAL, base=base)
    assert t.reductions_from_amounts(proportional.shares, base) == pytest.approx({"A": 5, "B": 5, "C": 5})
    # equally: 63,333 kgce each, i.e. A −3.17 %, B −4.22 %, C −21.11 %
    equal = t.split(amount, list(base), Method.EQUAL)
    reductions = t.reductions_from_amounts(equal.shares, base)
    assert reductions == pytest.approx({"A": 3.1667, "B": 4.2222, "C": 21.1111}, abs=1e-4)
    for shares in (proportional, equal):
        check = t.check_split(
            CITY, _with_reductions([t.reductions_from_amounts(shares.shares, base)[c] for c in "ABC"])
        )
        assert check.met and check.shortfall == 0 and check.problems == []
        assert check.parent_base == pytest.approx(3_800_000 / 175_000)
        assert check.parent_target == pytest.approx(3_800_000 * 0.95 / 175_000)


def test_children_that_fall_short_and_why_ratios_are_not_averaged():
    # by hand: A and B −5 %, C nothing. Recomputed: (2,000,000 × 0.95 + 1,500,000 × 0.95 + 300,000)
    # / 175,000 m² = 20.7143 kgce/m², a fall of 4.605 % — short by 0.395 pp. The average of the three
    # counties' falls, (5 + 5 + 0) / 3 = 3.33 %, would be wrong.
    check = t.check_split(CITY, _with_reductions([5.0, 5.0, 0.0]))
    assert not check.met
    assert check.reached == pytest.approx(175_000 / 3_800_000 * 100)
    assert check.shortfall == pytest.approx(5 - 4.60526, abs=1e-5)
    assert codes(check.problems) == ["split_short"] and check.problems[0].params["unit"] == "pp"
    # a county that grows: people and area of the target year replace the base-year ones
    grown = _with_reductions([5.0, 5.0, 5.0]).with_columns(den=pl.Series([100_000.0, 50_000.0, 35_000.0]))
    assert t.check_split(CITY, grown).met  # C's extra area lowers the city's per-m² figure


def test_the_split_of_a_quantity_and_targets_given_as_values():
    cap = Target("cap", "energy_total", PLAN, Kind.CAP, value=1000)  # 1,000 tce
    shares = t.split(1000, ["A", "B", "C"], Method.WEIGHTS, weights={"A": 50, "B": 30, "C": 20})
    assert shares.shares == pytest.approx({"A": 500, "B": 300, "C": 200})
    children = pl.DataFrame({"child": ["A", "B", "C"], "value": [500.0, 300.0, 210.0]})
    check = t.check_split(cap, children)  # 1,010 tce against a cap of 1,000
    assert (
        not check.met and check.shortfall == pytest.approx(10) and check.problems[0].params["unit"] == "tce"
    )
    # caps per m² by hand: recomputed from the areas, A 19 and B 28 and C 12 give 21.6286 ≤ 21.7
    per_m2 = Target("m2", "energy_per_m2", Period.year(2025), Kind.CAP, value=21.7)
    by_value = COUNTIES.with_columns(value=pl.Series([19.0, 28.0, 12.0]))
    check = t.check_split(per_m2, by_value)
    assert check.met and check.reached == pytest.approx((1_900_000 + 1_400_000 + 300_000) / 175_000)


def test_the_problems_of_a_split():
    wrong = t.split(100, ["A", "B"], Method.WEIGHTS, weights={"A": 0.6, "B": 0.3})
    assert codes(wrong.problems) == ["weights_do_not_sum"] and wrong.shares == {}
    assert wrong.problems[0].params["total"] == 0.9
    assert codes(t.split(100, ["A", "B"], Method.WEIGHTS, weights={"A": 1.2, "B": -0.2}).problems) == [
        "bad_weight"
    ]
    assert codes(t.split(100, ["A", "B"], Method.PROPORTIONAL, base={"A": 5}).problems) == ["bad_weight"]
    assert codes(t.split(100, ["A", "B"], Method.HAND, by_hand={"A": 100}).problems) == ["bad_weight"]
    assert t.split(100, ["A", "B"], Method.HAND, by_hand={"A": 70, "B": 20}).shares == {"A": 70, "B": 20}


children_st = st.lists(
    st.tuples(
        st.floats(1e3, 1e9, allow_nan=False),  # base-year numerator
        st.floats(1.0, 1e7, allow_nan=False),  # base-year denominator
        st.floats(0.01, 100.0, allow_nan=False),  # weight
    ),
    min_size=1,
    max_size=12,
)


@settings(max_examples=200, deadline=None)
@given(children=children_st, reduction=st.floats(0.1, 30.0), method=st.sampled_from(list(Method)))
def test_the_check_holds_for_any_split(children, reduction, method):
    names = [f"c{i}" for i in range(len(children))]
    base = {n: c[0] for n, c in zip(names, children, strict=True)}
    total_weight = sum(c[2] for c in children)
    weights = {n: c[2] / total_weight for n, c in zip(names, children, strict=True)}
    amount = t.reduction_amount(reduction, sum(base.values()))
    hand = {n: amount * w for n, w in weights.items()}
    shares = t.split(amount, names, method, weights=weights, base=base, by_hand=hand)
    assert shares.problems == []
    assert math.isclose(sum(shares.shares.values()), amount, rel_tol=1e-9)
    cuts = t.reductions_from_amounts(shares.shares, base)
    frame = pl.DataFrame(
        {
            "child": names,
            "base_num": [c[0] for c in children],
            "base_den": [c[1] for c in children],
            "reduction": [cuts[n] for n in names],
        }
    )
    parent = Target("p", "energy_per_person", PLAN, Kind.REDUCTION, reduction=reduction, base_year=2020)
    check = t.check_split(parent, frame)
    assert check.met and check.shortfall == 0
    assert check.reached == pytest.approx(reduction, rel=1e-9)
    # and a quantity shared among the same children sums back to the parent
    cap = Target("cap", "count", PLAN, Kind.FLOOR, value=amount)
    assert t.check_split(cap, pl.DataFrame({"value": list(shares.shares.values())})).met


@settings(max_examples=200, deadline=None)
@given(children=children_st, reduction=st.floats(0.0, 50.0))
def test_recomputed_ratios_equal_the_parents_for_an_exact_split(children, reduction):
    frame = pl.DataFrame(
        {
            "base_num": [c[0] for c in children],
            "base_den": [c[1] for c in children],
            "reduction": [reduction] * len(children),
        }
    )
    parent = Target("p", "water_per_person", PLAN, Kind.REDUCTION, reduction=reduction, base_year=2020)
    check = t.check_split(parent, frame)
    base_ratio = sum(c[0] for c in children) / sum(c[1] for c in children)
    assert check.parent_base == pytest.approx(base_ratio, rel=1e-12)
    assert check.parent_target == pytest.approx(base_ratio * (1 - reduction / 100), rel=1e-9)
    assert check.met


# --- progress and forecast ----------------------------------------------------------------------------


def test_chongqing_per_capita_energy_in_the_twelfth_plan():
    # 十二五 public institutions, −15 % per person on 2010. Say 2010: 600,000,000 kgce for 1,000,000 people
    # (600 kgce/人); 2015: 503,280,000 kgce for the same people (503.28 kgce/人): −16.12 %, the figure
    # reported. Completion 16.12 / 15 = 107.5 %; 时间进度 100 % at the end of 2015.
    frame = one(
        target="cq",
        indicator="energy_per_person",
        kind="reduction",
        required=15.0,
        start=2011,
        end=2015,
        year=2015,
        num=503_280_000.0,
        den=1_000_000.0,
        base_num=600_000_000.0,
        base_den=1_000_000.0,
    )
    row = t.progress(frame).row(0, named=True)
    assert row["now"] == pytest.approx(503.28) and row["base"] == pytest.approx(600)
    assert row["change"] == pytest.approx(-16.12) and row["reached"] == pytest.approx(16.12)
    assert row["time_progress"] == 100 and row["completion_rate"] == pytest.approx(107.4667, abs=1e-4)
    assert row["met"] and row["shortfall_pp"] == 0
    for rule in ("ndrc-2021-629", "completion-rate-bands"):
        assert t.warn(t.progress(frame), load_warning_rule(rule))["warning"].to_list() == ["green"]
    # at the end of 2013 (60 % of the plan) with only −8 %: task progress 53.3 % lags → 二级 (yellow)
    midway = frame.with_columns(year=pl.lit(2013), num=pl.lit(552_000_000.0))
    row = t.warn(t.progress(midway), load_warning_rule()).row(0, named=True)
    assert row["task_progress"] == pytest.approx(53.333, abs=1e-3) and row["time_progress"] == 60
    assert row["warning"] == "yellow" and row["warning_rule"] == "ndrc-2021-629@1"


CITY_RANGE = one(
    target="city",
    indicator="energy_per_gdp",
    kind="range",
    required=4.0,  # −4.0~−4.5 %: met at −4.0 %
    months=9,
    num=96_900_000.0,  # kgce, January–September
    den=1_000_000.0,  # 万元 GDP at constant prices, January–September
    base_num=100_000_000.0,  # the same months of last year
    base_den=1_000_000.0,
)


def test_a_city_at_minus_three_point_one_after_nine_months():
    # 0.0969 tce/万元 against 0.1000: −3.1 %. 任务进度 3.1 / 4.0 = 77.5 % against 时间进度 9 / 12 = 75 %.
    progressed = t.progress(CITY_RANGE)
    row = progressed.row(0, named=True)
    assert row["now"] == pytest.approx(0.0969) and row["change"] == pytest.approx(-3.1)
    assert row["task_progress"] == pytest.approx(77.5) and row["time_progress"] == 75
    assert row["shortfall_pp"] == pytest.approx(0.9) and not row["met"]
    levels = {
        rule: t.warn(progressed, load_warning_rule(rule)).row(0, named=True)
        for rule in builtin_warning_rules()
    }
    assert levels["ndrc-2021-629"]["warning"] == "green"  # ahead of time progress
    assert levels["shortfall-pp-city"]["warning"] == "orange"  # 0.9 pp after three quarters: 0.5–1 pp
    assert levels["completion-rate-bands"]["warning"] == "orange"  # 77.5 %: 50–90 %
    assert {r["warning_rule"] for r in levels.values()} == {f"{rule}@1" for rule in builtin_warning_rules()}
    # at mid-year the same 0.9 pp is yellow (0.3–1 pp); before mid-year the bands do not rate
    mid = t.progress(CITY_RANGE.with_columns(months=pl.lit(6)))
    assert t.warn(mid, load_warning_rule("shortfall-pp-city"))["warning"].to_list() == ["yellow"]
    early = t.progress(CITY_RANGE.with_columns(months=pl.lit(3)))
    assert t.warn(early, load_warning_rule("shortfall-pp-city"))["warning"].to_list() == [None]
    # intensity rose instead of falling: 一级 (red) under the national rule
    rose = t.progress(CITY_RANGE.with_columns(num=pl.lit(100_500_000.0)))
    assert t.warn(rose, load_warning_rule())["warning"].to_list() == ["red"]


def test_the_bounds_of_the_shortfall_bands():
    rule = load_warning_rule("shortfall-pp-city")
    cases = {
        (6, 0.2): "green", (6, 0.3): "yellow", (6, 1.0): "yellow", (6, 1.5): "orange", (6, 2.5): "red",
        (9, 0.0): "green", (9, 0.4): "yellow", (9, 0.5): "orange", (9, 1.0): "orange", (9, 1.01): "red",
    }  # fmt: skip
    frame = pl.DataFrame(
        {
            "kind": ["reduction"] * len(cases),
            "months": [m for m, _ in cases],
            "shortfall_pp": [s for _, s in cases],
        }
    )
    assert t.warn(frame, rule)["warning"].to_list() == list(cases.values())


def test_completion_rate_bands():
    rule = load_warning_rule("completion-rate-bands")
    rates = [120.0, 100.0, 99.9, 90.0, 89.9, 50.1, 50.0, 10.0]
    frame = pl.DataFrame(
        {"kind": ["reduction"] * len(rates), "months": [12] * len(rates), "completion_rate": rates}
    )
    warned = t.warn(frame, rule)
    assert warned["warning"].to_list() == [
        "green",
        "green",
        "yellow",
        "yellow",
        "orange",
        "orange",
        "red",
        "red",
    ]
    assert warned["warning_rank"].to_list() == [0, 0, 1, 1, 2, 2, 3, 3]


def test_forecast_from_last_years_monthly_profile_and_a_cap():
    # a 1,000 tce cap; 700 tce used by June; last year 480 of its 1,000 tce were used by June, so the
    # year-end forecast is 700 × 1000 / 480 = 1,458.3 tce: above the cap → red under the national rule
    frame = one(
        target="cap",
        indicator="energy_total",
        kind="cap",
        value=1000.0,
        months=6,
        num=700_000.0,
        prev_num=1_000_000.0,
        prev_num_to_date=480_000.0,
    )
    row = t.warn(t.progress(frame), load_warning_rule()).row(0, named=True)
    assert row["now"] == pytest.approx(700) and row["forecast"] == pytest.approx(1458.333, abs=1e-3)
    assert row["task_progress"] == pytest.approx(70) and row["time_progress"] == 50
    assert not row["met"] and row["warning"] == "red"
    # a profile that puts 70 % of the year in the first half: forecast 1,000 → within the cap, but 70 % of
    # the cap used after 50 % of the time → yellow
    even = t.progress(frame.with_columns(prev_num_to_date=pl.lit(700_000.0)))
    row = t.warn(even, load_warning_rule()).row(0, named=True)
    assert row["forecast"] == pytest.approx(1000) and row["met"] and row["warning"] == "yellow"


def test_a_per_person_forecast_keeps_the_people_and_scales_gdp():
    frame = one(
        target="pp",
        indicator="energy_per_gdp",
        kind="reduction",
        required=3.0,
        months=9,
        num=750_000.0,
        den=1_000.0,
        base_num=800_000.0,
        base_den=1_000.0,
        prev_num=1_000_000.0,
        prev_num_to_date=720_000.0,
        prev_den=1_400.0,
        prev_den_to_date=1_000.0,
    )
    row = t.progress(frame).row(0, named=True)
    # year end: 750,000 × 1000/720 kgce over 1,000 × 1.4 万元 → 0.7440 tce/万元
    assert row["forecast"] == pytest.approx(750 * 1000 / 720 / 1400, rel=1e-9)
    per_person = t.progress(frame.with_columns(indicator=pl.lit("energy_per_person"), prev_den=None))
    assert per_person["forecast"][0] == pytest.approx(750_000 * 1000 / 720 / 1000)


def test_a_counted_quantity():
    # the street-light pilot: 6,500 of 9,016 lamps replaced — 72 %
    frame = one(target="led", indicator="count", kind="value", value=9016.0, months=8, num=6500.0)
    row = t.warn(t.progress(frame), load_warning_rule()).row(0, named=True)
    assert (
        row["completion_rate"] == pytest.approx(72.09, abs=0.01)
        and row["task_progress"] == row["completion_rate"]
    )
    assert row["time_progress"] == pytest.approx(66.667, abs=1e-3) and row["warning"] == "green"
    assert row["shortfall_pp"] is None and not row["met"]


def test_progress_is_vectorised_over_many_targets():
    rows = []
    for i in range(300):
        kind = ("reduction", "range", "cap", "value")[i % 4]
        indicator = {"cap": "energy_total", "value": "count"}.get(
            kind, ("energy_per_m2", "energy_per_gdp")[i % 2]
        )
        rows.append(
            {
                "target": f"t{i}",
                "indicator": indicator,
                "kind": kind,
                "value": 1000.0 + i if kind in ("cap", "value") else None,
                "required": 2.0 + (i % 7) / 2 if kind in ("reduction", "range") else None,
                "start": 2021 if i % 3 else 2024,
                "end": 2025 if i % 3 else 2024,
                "year": 2024,
                "months": 1 + i % 12,
                "num": 900.0 + 3 * i,
                "den": 10.0 + i % 5,
                "base_num": 1000.0 if kind in ("reduction", "range") else None,
                "base_den": 10.0 if kind in ("reduction", "range") else None,
                "prev_num": 1200.0,
                "prev_num_to_date": 100.0 * (1 + i % 12),
            }
        )
    frame = pl.DataFrame(rows, infer_schema_length=None)
    rule = load_warning_rule()
    together = t.warn(t.progress(frame), rule)
    alone = pl.concat(
        [t.warn(t.progress(frame.slice(i, 1)), rule) for i in range(len(rows))], how="vertical_relaxed"
    )
    assert_frame_equal(together, alone, rel_tol=1e-12, abs_tol=1e-12)  # the same figures, row by row
    assert set(together["warning"].drop_nulls()) <= {"green", "yellow", "red"}
    listed = t.warning_list(together)
    assert listed.height == together.filter(pl.col("warning_rank") >= 1).height > 0
    assert listed["warning_rank"].to_list() == sorted(listed["warning_rank"].to_list(), reverse=True)


def test_progress_refuses_a_frame_it_cannot_read():
    with pytest.raises(ValueError, match="num"):
        t.progress(CITY_RANGE.drop("num"))
    with pytest.raises(ValueError, match="energy_per_cat"):
        t.progress(CITY_RANGE.with_columns(indicator=pl.lit("energy_per_cat")))


# --- the warning rules as reference data --------------------------------------------------------------


def test_every_warning_rule_loads_with_its_source():
    assert DEFAULT_WARNING_RULE == "ndrc-2021-629"
    assert builtin_warning_rules() == ["completion-rate-bands", "ndrc-2021-629", "shortfall-pp-city"]
    for ident in builtin_warning_rules():
        rule = load_warning_rule(ident)
        assert rule.ref == f"{ident}@1" and rule.source.strip() and rule.to_confirm
        assert set(rule.labels) >= {"green", "yellow", "red"}
    assert "629" in load_warning_rule().source and load_warning_rule().kind == "national"
    assert [p.months for p in load_warning_rule("shortfall-pp-city").checkpoints] == [6, 9]
    with pytest.raises(ReferenceDataError, match="no such warning rule"):
        load_warning_rule("no-such-rule")


def test_a_bad_warning_rule_is_refused():
    good = {"id": "r", "version": "1", "source": "s", "kind": "completion_rate"}
    with pytest.raises(ReferenceDataError, match="kind"):
        t.WarningRule.from_mapping({**good, "kind": "mood"})
    with pytest.raises(ReferenceDataError, match="checkpoints"):
        t.WarningRule.from_mapping(good)
    with pytest.raises(ReferenceDataError, match="purple"):
        t.WarningRule.from_mapping({**good, "checkpoints": [{"months": 0, "bands": [{"level": "purple"}]}]})
    with pytest.raises(ReferenceDataError, match="last band"):
        t.WarningRule.from_mapping(
            {**good, "checkpoints": [{"months": 0, "bands": [{"level": "red", "at_least": 1}]}]}
        )
    with pytest.raises(ReferenceDataError, match="source"):
        t.WarningRule.from_mapping({"id": "r", "version": "1", "kind": "national"})
