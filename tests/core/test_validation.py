"""Checks of an uploaded statistics form: every check firing and not firing at its boundary.

Frames are written by hand; the expected findings are worked out in the comments. Thresholds are
the shipped defaults (yoy 0.5–1.5, 万 window 5,000–20,000, per-m² factor 5, 5 peers, references
from 1). "Today" is 15 June 2025 unless a test says otherwise.
"""

import re
from datetime import date

import numpy as np
import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jieneng.core.errors import ReferenceDataError
from jieneng.core.problems import Family, Problem, declarations
from jieneng.core.validation import (
    AREA_SCHEMA,
    BASE_SCHEMA,
    PEER_SCHEMA,
    PERIOD_SCHEMA,
    Checks,
    Context,
    drop_identical_duplicates,
    editions,
    validate,
)
from jieneng.reference import load_checks, load_forms

ENERGY = load_forms()["pi-energy"]
BASIC = load_forms()["pi-basic"]
CHECKS = load_checks()
TODAY = date(2025, 6, 15)
ORG = "91110000000000001X"
#: the codes validate() emits
CHECK_CODES = {
    *("unknown_organisation", "negative_quantity", "period_outside_form", "item_not_in_edition"),
    *("conflicting_duplicate", "duplicate_row", "period_overlap", "unknown_type_code"),
    *("yoy_change", "ten_thousand_off", "per_m2_outlier", "missing_month", "unit_price_outlier"),
}


def period_of(year, quarter=None, month=None):
    if month is not None:
        return f"{year}-{month:02d}", "month"
    if quarter is not None:
        return f"{year}Q{quarter}", "quarter"
    return str(year), "year"


def line(row, year=2025, *, month=None, quarter=None, org_id=1, org=None, type_code="01", **items):
    """One row of the reader's frame; a month implies its quarter."""
    if month is not None:
        quarter = (month - 1) // 3 + 1
    period, frequency = period_of(year, None if month else quarter, month)
    base = {
        "row": row,
        "org": org or (f"{ORG}-{org_id}" if org_id is not None else "某某单位"),
        "org_id": org_id,
        "type_code": type_code,
        "period": period,
        "frequency": frequency,
        "year": year,
        "quarter": quarter,
        "month": month,
    }
    return base | items


def frame(lines, form=ENERGY):
    items = sorted({key for one in lines for key in one if key not in BASE_SCHEMA})
    schema = dict(BASE_SCHEMA)
    for code in items:
        schema[code] = pl.String() if not form.items[code].numeric else pl.Float64()
    return pl.DataFrame([{name: one.get(name) for name in schema} for one in lines], schema=schema)


def stored(lines, **extra):
    """A history/existing frame from ``line`` dicts (the row and organisation columns dropped)."""
    table = frame(lines).drop("row", "org", "type_code")
    return table.with_columns(pl.lit(v).alias(k) for k, v in extra.items())


def context(history=(), existing=(), areas=None, peers=None, today=TODAY, type_codes=("01", "021", "03")):
    empty = Context.empty(today, type_codes)
    return Context(
        today,
        stored(list(history)) if history else empty.history,
        stored(list(existing)) if existing else empty.existing,
        pl.DataFrame(areas, schema=AREA_SCHEMA, orient="row") if areas else empty.areas,
        pl.DataFrame(peers, schema=PEER_SCHEMA, orient="row") if peers else empty.peer_medians,
        frozenset(type_codes),
    )


def run(lines, ctx=None, form=ENERGY, checks=CHECKS):
    return validate(frame(lines, form), form, ctx or context(), checks)


def only(findings, code):
    return [f for f in findings if f.code == code]


def one(findings, code):
    found = only(findings, code)
    assert len(found) == 1, findings
    return found[0]


# --- reference data and API --------------------------------------------------------------------


def test_checks_are_loaded_with_their_version():
    assert (CHECKS.id, CHECKS.version) == ("default", "1")
    assert (CHECKS.yoy_ratio_low, CHECKS.yoy_ratio_high) == (0.5, 1.5)
    assert (CHECKS.ten_thousand_low, CHECKS.ten_thousand_high) == (5000, 20000)
    assert (CHECKS.per_m2_factor, CHECKS.min_peers, CHECKS.min_value_for_ratio) == (5, 5, 1)
    assert "10,000" in CHECKS.source


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        ({"version": None}, "version"),
        ({"min_peers": 0}, "min_peers"),
        ({"yoy_ratio_low": 1.2}, "yoy_ratio_low"),
        ({"ten_thousand_low": 30000}, "ten_thousand_low"),
        ({"per_m2_factor": "5"}, "per_m2_factor"),
    ],
)
def test_impossible_checks_are_refused(change, problem):
    data = {
        "id": "t",
        "version": "1",
        "source": "test",
        "yoy_ratio_high": 1.5,
        "yoy_ratio_low": 0.5,
        "ten_thousand_low": 5000,
        "ten_thousand_high": 20000,
        "per_m2_factor": 5,
        "min_peers": 5,
        "min_value_for_ratio": 1,
    }
    Checks.from_mapping(data)
    with pytest.raises(ReferenceDataError, match=problem):
        Checks.from_mapping({k: v for k, v in (data | change).items() if v is not None})


def test_every_code_has_a_severity_params_and_a_template_using_only_its_params():
    checks = [d for d in declarations() if d.family == Family.CHECK]
    assert {d.code for d in checks} >= CHECK_CODES
    for declared in checks:
        used = set(re.findall(r"%\((\w+)\)s", declared.template))
        assert used <= set(declared.params), declared.code
        assert declared.severity in ("blocking", "advisory")


def test_editions_by_year():
    rows = frame([line(2, 2016), line(3, 2017), line(4, 2021), line(5, 2022), line(6, 2030), line(7, None)])
    assert editions(rows, ENERGY)["edition"].to_list() == [
        None,
        "pi-energy@2017",
        "pi-energy@2017",
        "pi-energy@2022",
        "pi-energy@2022",
        None,
    ]
    assert editions(rows, BASIC)["edition"][4] == "pi-basic@2025"


def test_a_clean_file_has_no_finding():
    lines = [line(r, month=r - 1, electricity=1000.0 + r, electricity_cost=800.0) for r in range(2, 8)]
    assert run(lines) == []


def test_empty_and_degenerate_frames():
    assert validate(pl.DataFrame(schema=BASE_SCHEMA), ENERGY, context(), CHECKS) == []
    # no item columns at all, all-null item columns, missing base columns
    # rows without a value: the file is refused as "no data" (on its first row)
    assert [(f.row, f.code) for f in run([line(2, month=1)])] == [(2, "no_data")]
    both_empty = run([line(2, month=1, electricity=None), line(3, month=2, electricity=None)])
    assert [(f.row, f.code) for f in both_empty] == [(2, "no_data")]
    findings = validate(pl.DataFrame({"row": [2], "org": ["x"]}), ENERGY, context(), CHECKS)
    assert [f.code for f in findings] == ["no_data", "period_outside_form", "unknown_organisation"]
    mixed = run([line(2, month=1, electricity=5.0), line(3, month=2, electricity=None)])
    assert [(f.row, f.code) for f in mixed if f.code in ("empty_row", "no_data")] == [(3, "empty_row")]


# --- blocking ----------------------------------------------------------------------------------


def test_unknown_organisation():
    findings = run([line(2, month=1, org_id=None, org="某某局"), line(3, month=1, org_id=7)])
    found = one(findings, "unknown_organisation")
    assert (found.row, found.item, found.value, found.severity) == (2, "org", "某某局", "blocking")
    assert found.params == {"org": "某某局"}
    assert "18-character unified social credit code" in found.message


def test_negative_values_one_finding_per_cell():
    findings = run([line(2, month=1, electricity=-0.5, water=-3.0, electricity_cost=0.0)])
    assert [(f.code, f.item, f.value) for f in findings] == [
        ("negative_quantity", "electricity", "-0.5"),
        ("negative_quantity", "water", "-3"),
    ]
    assert findings[0].params == {
        "label": "electricity",
        "item_zh": "电力消费量",
        "item_en": "Electricity",
        "value": "-0.5",
    }


def test_period_before_the_form():
    found = one(run([line(2, 2016, month=3)]), "period_outside_form")
    assert found.params["reason"] == "year"
    assert (found.params["form"], found.params["years"]) == ("公共机构能源资源消费状况", "2017–")
    assert (found.item, found.value) == ("period", "2016-03")


def test_monthly_row_on_the_yearly_basic_form():
    findings = run(
        [line(2, 2023, month=3, building_area=100.0), line(3, 2023, building_area=100.0)], form=BASIC
    )
    found = one(findings, "period_outside_form")
    assert (found.row, found.params["reason"], found.params["frequencies"]) == (2, "frequency", "year")


@pytest.mark.parametrize(
    ("year", "quarter", "month", "future"),
    [
        (2025, None, 6, False),  # the current month
        (2025, None, 7, True),
        (2025, 2, None, False),  # started in April
        (2025, 3, None, True),  # starts in July
        (2025, None, None, False),
        (2026, None, None, True),
    ],
)
def test_future_periods(year, quarter, month, future):
    found = only(run([line(2, year, quarter=quarter, month=month)]), "period_outside_form")
    assert bool(found) is future
    if future:
        assert (found[0].params["reason"], found[0].params["latest"]) == ("future", "2025-06")


def test_item_not_in_edition():
    lines = [
        line(2, 2021, month=1, solar_pv=5.0),  # pi-energy@2017 has no PV
        line(3, 2021, month=2, solar_pv=None),
        line(4, 2022, month=1, solar_pv=5.0),
    ]
    found = one(run(lines), "item_not_in_edition")
    assert (found.row, found.item, found.value) == (2, "solar_pv", "5")
    assert found.params["edition"] == "pi-energy@2017"
    assert found.params["years"] == "2017–2021"
    assert found.params["item_zh"] == "太阳能光电系统发电量"
    basic = one(
        run([line(2, 2026, land_area=12.5), line(3, 2025, land_area=12.5)], form=BASIC), "item_not_in_edition"
    )
    assert (basic.row, basic.params["edition"], basic.params["years"]) == (2, "pi-basic@2025", "2026–")


def test_duplicates_identical_and_conflicting():
    lines = [
        line(2, month=1, electricity=100.0, water=None),
        line(3, month=1, electricity=100.0, water=None, org="another spelling"),  # same values, nulls equal
        line(4, month=1, electricity=101.0, water=None),
        line(5, month=1, electricity=100.0, org_id=2),  # another organisation
        line(6, month=2, electricity=100.0),
        line(7, month=3, electricity=100.0, water=None),
        line(8, month=3, electricity=100.0, water=5.0),  # a value where the first row has none
    ]
    findings = run(lines)
    assert [(f.row, f.code, f.severity, f.params["first"]) for f in findings if "dup" in f.code] == [
        (3, "duplicate_row", "advisory", 2),
        (4, "conflicting_duplicate", "blocking", 2),
        (8, "conflicting_duplicate", "blocking", 7),
    ]
    assert one(findings, "duplicate_row").item is None
    assert drop_identical_duplicates(frame(lines))["row"].to_list() == [2, 4, 5, 6, 7, 8]


def test_period_overlap_with_the_file_and_with_stored_submissions():
    # an annual row for 2025 while months of 2025 are stored
    found = one(run([line(2, 2025, electricity=1.0)], context(existing=[line(0, month=1)])), "period_overlap")
    assert (found.row, found.value, found.params) == (
        2,
        "2025",
        {"period": "2025", "other": "2025-01", "year": "2025"},
    )
    # quarters and months of one year in the file: each row is told
    findings = only(run([line(2, quarter=1), line(3, month=4)]), "period_overlap")
    assert [(f.row, f.params["other"]) for f in findings] == [(2, "2025-04"), (3, "2025Q1")]
    # another year, or another organisation: no overlap
    assert not only(run([line(2, 2024), line(3, month=1), line(4, 2025, org_id=2)]), "period_overlap")


def test_unknown_type_code_on_the_basic_form():
    lines = [
        line(2, 2024, type_code="99"),
        line(3, 2024, org_id=2, type_code="021"),
        line(4, 2024, org_id=3, type_code=None),
    ]
    found = one(run(lines, form=BASIC), "unknown_type_code")
    assert (found.row, found.item, found.value, found.params["codes"]) == (
        2,
        "type_code",
        "99",
        "01, 021, 03",
    )
    # on the energy form, type_code is the directory's and is not checked
    assert not only(run(lines), "unknown_type_code")


# --- advisory: last year and 万 ------------------------------------------------------------------


def january(value, *, last=1000.0):
    return run(
        [line(2, month=1, electricity=value)], context(history=[line(0, 2024, month=1, electricity=last)])
    )


@pytest.mark.parametrize(
    ("value", "change"),
    [(1500.0, None), (1501.0, "+50.1"), (500.0, None), (499.0, "-50.1"), (0.0, "-100.0")],
)
def test_yoy_change_boundaries(value, change):
    found = only(january(value), "yoy_change")
    assert [f.params["change"] for f in found] == ([change] if change else [])
    if change:
        assert (found[0].params["last"], found[0].params["last_period"], found[0].severity) == (
            "1000",
            "2024-01",
            "advisory",
        )


def test_a_negative_value_is_refused_without_advice():
    findings = january(-5.0)
    assert [f.code for f in findings] == ["negative_quantity"]
    lines, areas = peers([50_000.0] * 5 + [-1.0])
    assert [f.code for f in run(lines, context(areas=areas))] == ["negative_quantity"]


def test_yoy_ignores_costs_tiny_references_and_finds_last_year_in_the_file():
    assert not only(january(3000.0, last=0.5), "yoy_change")  # last year below min_value_for_ratio
    costs = run(
        [line(2, month=1, electricity_cost=3000.0)],
        context(history=[line(0, 2024, month=1, electricity_cost=1000.0)]),
    )
    assert not costs
    both = run([line(2, 2024, quarter=1, electricity=1000.0), line(3, 2025, quarter=1, electricity=2000.0)])
    found = one(both, "yoy_change")
    assert (found.row, found.params["last_period"], found.params["change"]) == (3, "2024Q1", "+100.0")


@pytest.mark.parametrize(
    ("value", "code", "ratio"),
    [
        (5_000_000.0, "ten_thousand_off", "5000"),  # 5,000 × 1,000: in the window (inclusive)
        (4_999_000.0, "yoy_change", None),
        (20_000_000.0, "ten_thousand_off", "20000"),
        (20_001_000.0, "yoy_change", None),
        (0.1, "ten_thousand_off", "1/10000"),  # 0.1 万kWh written in a kWh column
    ],
)
def test_ten_thousand_window_replaces_yoy(value, code, ratio):
    findings = january(value)
    assert [f.code for f in findings] == [code]
    if ratio:
        assert (findings[0].params["ratio"], findings[0].params["reference"]) == (ratio, "1000")


def test_ten_thousand_against_the_units_other_periods():
    # no last year: months 1 and 2 are the reference. Others of month 3 are {1000, 1100}: the median
    # of all three (1100) is the reference, 11,000,000 / 1100 = 10,000
    lines = [
        line(2, month=1, electricity=1000.0),
        line(3, month=2, electricity=1100.0),
        line(4, month=3, electricity=11e6),
    ]
    found = one(run(lines), "ten_thousand_off")
    assert (found.row, found.params["reference"], found.params["ratio"]) == (4, "1100", "10000")
    # stored months of last year count as other periods (2024-03 is not stored: no yoy)
    history = [line(0, 2024, month=1, electricity=1000.0), line(0, 2024, month=2, electricity=1200.0)]
    found = one(run([line(2, month=3, electricity=12e6)], context(history=history)), "ten_thousand_off")
    assert found.params["reference"] == "1200"
    # with a single other value, each is 10,000 times the other: both are shown
    two = run([line(2, month=1, electricity=1000.0), line(3, month=2, electricity=1e7)])
    assert [(f.row, f.params["ratio"]) for f in two] == [(2, "1/10000"), (3, "10000")]
    # a single value has no reference
    assert not run([line(2, month=1, electricity=1e7)])


# --- advisory: per m² ----------------------------------------------------------------------------


def peers(values, *, type_code="01", areas=1000.0):
    lines = [line(r, org_id=r, type_code=type_code, electricity=v) for r, v in enumerate(values, start=2)]
    area_rows = [(r, 2020, areas) for r in range(2, 2 + len(values))]
    return lines, area_rows


@pytest.mark.parametrize(
    ("value", "fires"),
    [(300_000.0, True), (250_000.0, False), (10_000.0, False), (9_990.0, True)],
)
def test_per_m2_against_the_files_peers(value, fires):
    # median of 50, 50, 50, 50 and value/1000 per m² is 50: bounds 10 and 250
    lines, areas = peers([50_000.0] * 4 + [value])
    found = only(run(lines, context(areas=areas)), "per_m2_outlier")
    assert bool(found) is fires
    if fires:
        assert found[0].row == 6
        assert {k: found[0].params[k] for k in ("median", "type_code", "unit", "area_m2")} == {
            "median": "50",
            "type_code": "01",
            "unit": "kWh",
            "area_m2": "1000",
        }
        assert found[0].params["per_m2"] == ("300" if value > 1e5 else "9.99")


def test_per_m2_falls_back_to_stored_medians_below_min_peers():
    lines, areas = peers([50_000.0] * 3 + [300_000.0])
    assert not only(run(lines, context(areas=areas)), "per_m2_outlier")  # 4 peers, nothing stored
    stored_median = [("01", "year", "electricity", 50.0), ("01", "year", "water", 1.0)]
    found = one(run(lines, context(areas=areas, peers=stored_median)), "per_m2_outlier")
    assert (found.row, found.params["median"]) == (5, "50")


def test_per_m2_uses_the_latest_area_and_skips_zero_areas():
    # 2020: 1000 m², 2026: 10 m² (after the row's year); org 3 has a zero area
    lines = [line(2, electricity=300_000.0), line(3, org_id=3, electricity=1.0)]
    ctx = context(
        areas=[(1, 2020, 1000.0), (1, 2026, 10.0), (3, 2024, 0.0)],
        peers=[("01", "year", "electricity", 50.0)],
    )
    found = one(run(lines, ctx), "per_m2_outlier")
    assert (found.row, found.params["per_m2"], found.params["area_m2"]) == (2, "300", "1000")


# --- advisory: missing months --------------------------------------------------------------------


def test_missing_months_with_the_file_and_stored_months():
    lines = [line(2, month=1), line(3, month=5), line(4, month=2)]
    found = one(run(lines), "missing_month")
    assert (found.row, found.value, found.params) == (
        3,
        "2025-05",
        {"period": "2025-05", "year": "2025", "months": "3, 4"},
    )
    found = one(run(lines, context(existing=[line(0, month=3)])), "missing_month")
    assert found.params["months"] == "4"
    # the latest month stored: the file's latest row is told
    found = one(
        run([line(2, month=1), line(3, month=2)], context(existing=[line(0, month=4)])), "missing_month"
    )
    assert (found.row, found.params["months"]) == (3, "3")
    assert not [f for f in run([line(2, month=1), line(3, month=2)]) if f.code == "missing_month"]


def test_findings_sorted_by_row_then_code_and_messages_render():
    lines = [
        line(3, month=1, org_id=None, electricity=-1.0),
        line(2, 2016, month=1, electricity=-1.0),
        line(4, month=5, electricity=1.0),
        line(5, month=5, electricity=2.0),
    ]
    findings = run(lines)
    keys = [(f.row, f.code) for f in findings]
    assert keys == sorted(keys)
    assert keys[:4] == [
        (2, "negative_quantity"),
        (2, "period_outside_form"),
        (3, "negative_quantity"),
        (3, "unknown_organisation"),
    ]
    for finding in findings:
        assert finding.message


# --- properties and size -----------------------------------------------------------------------

ITEMS = ["electricity", "electricity_cost", "water", "solar_pv"]
numbers = st.one_of(
    st.none(), st.floats(allow_nan=True, allow_infinity=True), st.sampled_from([0.0, -1.0, 1e4, 1e-4])
)


@st.composite
def uploads(draw):
    size = draw(st.integers(0, 12))
    columns: dict[str, list[object]] = {name: [] for name in BASE_SCHEMA}
    items = draw(st.lists(st.sampled_from(ITEMS), unique=True))
    for name in items:
        columns[name] = []
    for _ in range(size):
        frequency = draw(st.sampled_from(["month", "quarter", "year", "week", None]))
        year = draw(st.one_of(st.none(), st.integers(2014, 2027), st.sampled_from([-32768, 0, 32767])))
        month = draw(st.one_of(st.none(), st.integers(-1, 13)))
        quarter = draw(st.one_of(st.none(), st.integers(0, 5)))
        columns["row"].append(draw(st.integers(1, 30)))
        columns["org"].append(draw(st.sampled_from(["A", "B", "", None])))
        columns["org_id"].append(draw(st.one_of(st.none(), st.integers(1, 3), st.sampled_from([-5, 2**62]))))
        columns["type_code"].append(draw(st.sampled_from(["01", "03", "x", None])))
        columns["period"].append(draw(st.sampled_from(["2025-03", "2025Q1", "2025", "", None])))
        columns["frequency"].append(frequency)
        columns["year"].append(year)
        columns["quarter"].append(quarter)
        columns["month"].append(month)
        for name in items:
            columns[name].append(draw(numbers))
    schema = dict(BASE_SCHEMA) | dict.fromkeys(items, pl.Float64())
    return pl.DataFrame(columns, schema=schema)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    rows=uploads(),
    history=uploads(),
    existing=uploads(),
    area=st.sampled_from([0.0, 1.0, None, 1e9]),
    form=st.sampled_from([ENERGY, BASIC]),
)
def test_validate_never_raises_and_reports_rows_of_the_input(rows, history, existing, area, form):
    ctx = Context(
        date(2025, 6, 15),
        history.drop("row", "org", "type_code"),
        existing.select(*PERIOD_SCHEMA),
        pl.DataFrame({"org_id": [1, 2], "year": [2020, 2025], "area_m2": [area, 0.0]}, schema=AREA_SCHEMA),
        pl.DataFrame([("01", "month", "electricity", 1.0)], schema=PEER_SCHEMA, orient="row"),
        frozenset({"01"}),
    )
    findings = validate(rows, form, ctx, CHECKS)
    assert {f.row for f in findings} <= set(rows["row"].to_list())
    for finding in findings:
        assert finding.message
    assert drop_identical_duplicates(rows).height <= rows.height


def test_two_hundred_thousand_rows():
    """A smoke run of the size of a province's monthly upload (timed in the notes, not here)."""
    n = 200_000
    orgs = np.arange(n) // 12
    months = np.arange(n) % 12 + 1
    rng = np.random.default_rng(7)
    base = rng.uniform(1_000, 3_000, orgs.max() + 1)
    rows = pl.DataFrame(
        {
            "row": np.arange(2, n + 2, dtype=np.int32),
            "org": [f"O{o}" for o in orgs],
            "org_id": orgs,
            "type_code": np.array(["01", "021", "03"])[orgs % 3],
            "period": [f"2025-{m:02d}" for m in months],
            "frequency": ["month"] * n,
            "year": np.full(n, 2025, dtype=np.int16),
            "quarter": ((months - 1) // 3 + 1).astype(np.int8),
            "month": months.astype(np.int8),
            "electricity": base[orgs] * rng.uniform(0.9, 1.1, n),
            "water": base[orgs] / 10,
        }
    ).with_columns(
        pl.when(pl.col("row") == 100).then(pl.col("electricity") * 10_000).otherwise("electricity")
    )
    areas = pl.DataFrame(
        {"org_id": np.arange(orgs.max() + 1), "year": 2020, "area_m2": base * 2}, schema=AREA_SCHEMA
    )
    empty = Context.empty(date(2026, 1, 15))
    ctx = Context(empty.today, empty.history, empty.existing, areas, empty.peer_medians, frozenset())
    findings = validate(rows, ENERGY, ctx, CHECKS)
    # row 100 is 10,000 times its unit's other months and its peers' figure per m²
    assert [(f.row, f.code) for f in findings] == [(100, "per_m2_outlier"), (100, "ten_thousand_off")]


def test_impossible_values_are_blocking_and_reach_no_other_check():
    import math

    from jieneng.reference import load_checks, load_forms

    form = load_forms()["pi-energy"]
    checks = load_checks()
    bound = checks.bounds[form.items["electricity"].unit]
    rows = pl.DataFrame(
        {
            "row": [3, 4, 5, 6],
            "org": ["a", "b", "c", "d"],
            "org_id": [1, 2, 3, 4],
            "period": ["2025-03"] * 4,
            "frequency": ["month"] * 4,
            "year": [2025] * 4,
            "month": [3] * 4,
            "electricity": [1e30, math.inf, math.nan, bound],
        }
    )
    findings = validate(rows, form, Context.empty(date(2025, 6, 1)), checks)
    by_row = {(f.row, f.code) for f in findings}
    assert (3, "beyond_bounds") in by_row and (4, "not_finite") in by_row and (5, "not_finite") in by_row
    assert not any(f.row == 6 and f.code in ("beyond_bounds", "not_finite") for f in findings)
    assert all(f.severity == "blocking" for f in findings if f.code in ("beyond_bounds", "not_finite"))
    assert "+bounds@1" in checks.ref
    beyond = next(f for f in findings if f.code == "beyond_bounds")
    assert beyond.params["maximum"] == "100000000000" and beyond.params["unit"] == "kWh"


def test_every_numeric_item_of_every_form_has_a_bound():
    from jieneng.reference import load_checks, load_forms

    checks = load_checks()
    for form in load_forms().values():
        for item in form.items.values():
            if item.numeric:
                assert 0 < checks.bounds[item.unit] < float("inf")


def test_a_credit_code_with_a_wrong_check_character_says_so():
    from jieneng.core import credit_code
    from jieneng.reference import load_checks, load_forms

    good = credit_code.make("1", "2", "445202", "MB2C9047")
    wrong = good[:-1] + ("0" if good[-1] != "0" else "1")
    rows = pl.DataFrame(
        {
            "row": [3, 4],
            "org": [f" {wrong[:9]} {wrong[9:]}", "某某单位"],
            "org_id": [None, None],
            "period": ["2025-03"] * 2,
            "frequency": ["month"] * 2,
            "year": [2025] * 2,
            "month": [3] * 2,
        },
        schema_overrides={"org_id": pl.Int64},
    )
    findings = validate(rows, load_forms()["pi-energy"], Context.empty(date(2025, 6, 1)), load_checks())
    codes = {(f.row, f.code) for f in findings}
    assert (3, "mistyped_credit_code") in codes and (4, "unknown_organisation") in codes
    assert (3, "unknown_organisation") not in codes
    mistyped = next(f for f in findings if f.code == "mistyped_credit_code")
    assert (mistyped.params["found"], mistyped.params["expected"]) == (wrong[-1], good[-1])


# --- the unit price (金额 ÷ 数量), a verification check ---------------------------------------------


def _priced(energy: str) -> tuple[str, float, float]:
    return CHECKS.unit_prices[energy]


@pytest.mark.parametrize("energy", ["electricity", "water", "natural_gas", "gasoline"])
def test_a_unit_price_outside_its_range_is_flagged_at_its_bounds(energy):
    unit, low, high = _priced(energy)
    quantity = 1_000.0

    def flagged(price: float) -> list[Problem]:
        return only(
            run([line(3, month=1, **{energy: quantity, f"{energy}_cost": quantity * price})]),
            "unit_price_outlier",
        )

    assert flagged(low) == [] and flagged(high) == [] and flagged((low + high) / 2) == []
    below, above = flagged(low * 0.9), flagged(high * 1.1)
    assert len(below) == len(above) == 1
    assert below[0].item == energy and below[0].params["unit"] == unit and below[0].severity == "advisory"
    assert below[0].params["cost"] == "%g" % (quantity * low * 0.9)


def test_a_cost_in_wan_yuan_or_kwh_for_wan_kwh_is_flagged_and_tiny_values_are_not():
    _unit, low, _high = _priced("electricity")
    # 4.78 typed under 千瓦时 for 4.78 万千瓦时: 38,240 元 ÷ 4.78 kWh is 8,000 元 per kWh
    assert (
        only(
            run([line(3, month=1, electricity=4.78 * 10_000, electricity_cost=38_240.0)]),
            "unit_price_outlier",
        )
        == []
    )
    assert one(run([line(3, month=1, electricity=4.78, electricity_cost=38_240.0)]), "unit_price_outlier")
    # a quantity or cost below min_value_for_ratio gives no price; no cost, no quantity: nothing to compare
    assert only(run([line(3, month=1, electricity=0.5, electricity_cost=500.0)]), "unit_price_outlier") == []
    assert only(run([line(3, month=1, electricity=5_000.0)]), "unit_price_outlier") == []
    assert only(run([line(3, month=1, electricity_cost=5_000.0)]), "unit_price_outlier") == []
    assert low > 0 and CHECKS.ref.endswith("+unit-prices@" + CHECKS.unit_prices_ref.split("@")[1])


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        ({"electricity": {"unit": "kWh", "low": 2.0, "high": 1.0}}, "0 < low < high"),
        ({"electricity": {"unit": "kWh", "low": 0, "high": 1.0}}, "0 < low < high"),
        ({"electricity": {"low": 0.2, "high": 1.0}}, "unit of its quantity"),
        ({"electricity": {"unit": "kWh", "low": "cheap", "high": 1.0}}, "0 < low < high"),
    ],
)
def test_impossible_price_ranges_are_refused(change, problem):
    data = {"id": "mine", "version": "1", "source": "test", "price": change}
    with pytest.raises(ReferenceDataError, match=problem):
        CHECKS.with_unit_prices(data)


def test_verification_checks_are_the_advisories_that_need_an_explanation():
    from jieneng.core.problems import needs_explanation

    verify = {d.code for d in declarations() if d.verify}
    assert verify == {"yoy_change", "ten_thousand_off", "per_m2_outlier", "unit_price_outlier"}
    assert all(d.severity == "advisory" for d in declarations() if d.verify)
    codes = ["missing_month", "unit_price_outlier", "yoy_change", "yoy_change", "nonsense"]
    assert needs_explanation(codes) == ["unit_price_outlier", "yoy_change"]
    assert needs_explanation(["missing_month", "duplicate_row"]) == []
