"""The demo data generator: reproducible, complete, calibrated, with its planted problems in place."""

import itertools
import time
from datetime import date

import polars as pl
import pytest

from jieneng.core import credit_code
from jieneng.core.coal import convert
from jieneng.demo.generator import generate_city, generate_national, span
from jieneng.reference import load_coefficient_set, load_energy_types, load_units

# the demo lives on a day: six complete years before it, its year up to the last closed month
TODAY = date(2026, 12, 2)
YEARS, LAST_MONTHS = span(TODAY)
MONTHS = (len(YEARS) - 1) * 12 + LAST_MONTHS
TYPE_CODES = {"01", "021", "022", "023", "024", "025", "026", "03"}
# Published 2021 Guangdong same-type averages: kgce/m², kgce/人, m³/人 (shared/DOMAIN.md §3)
BENCHMARKS = {
    "government": (12.49, 517.33, 38.53),
    "college": (4.77, 102.80, 50.51),
    "school": (3.28, 65.30, 43.38),
    "hospital": (15.88, 294.06, 55.87),
}


@pytest.fixture(scope="module")
def city():
    return generate_city(today=TODAY)


@pytest.fixture(scope="module")
def planted(city):
    return {problem["kind"]: problem for problem in city.planted}


def test_same_seed_gives_identical_frames(city):
    again = generate_city(today=TODAY)
    for name in ("regions", "organisations", "facts", "records", "reports"):
        assert getattr(again, name).equals(getattr(city, name)), name
    assert again.planted == city.planted


def test_another_seed_gives_other_data(city):
    other = generate_city(7, today=TODAY)
    assert not other.records.equals(city.records)
    assert not other.facts.equals(city.facts)
    assert set(other.organisations["credit_code"]).isdisjoint(city.organisations["credit_code"])


def test_regions_are_the_city_and_its_counties_under_the_province(city):
    regions = city.regions
    assert regions.schema == {
        "code": pl.String,
        "name": pl.String,
        "level": pl.Int8,
        "parent_code": pl.String,
    }
    assert regions.filter(pl.col("parent_code").is_null()).rows() == [("440000", "广东省", 1, None)]
    assert regions.filter(pl.col("level") == 2).rows() == [("445200", "揭阳市", 2, "440000")]
    counties = regions.filter(pl.col("level") == 3)
    assert set(counties["name"]) == {"榕城区", "揭东区", "揭西县", "惠来县", "普宁市"}
    assert set(counties["parent_code"]) == {"445200"}


def test_organisations_frame(city):
    orgs = city.organisations
    assert orgs.height == 420
    assert orgs["org"].to_list() == list(range(1, 421))
    assert orgs.schema["org"] == pl.Int32 and orgs.schema["supervisor"] == pl.Int32
    assert orgs["name"].n_unique() == orgs.height
    assert set(orgs["type_code"]) == TYPE_CODES
    assert set(orgs["region"]) == set(city.regions.filter(pl.col("level") >= 2)["code"])
    names = set(orgs["name"])
    expected = {"揭阳市人民医院", "揭阳市教育局", "揭阳市机关事务管理局", "普宁市人民医院", "惠来县图书馆"}
    assert expected <= names
    assert orgs.filter(pl.col("type_code") == "01").height >= 20 + 5
    assert orgs["address"].str.starts_with("广东省揭阳市").all()


def test_every_county_has_institutions_of_several_types(city):
    per_region = city.organisations.group_by("region").agg(pl.col("type_code").n_unique())
    assert per_region["type_code"].min() >= 5


def test_credit_codes_are_valid_unique_and_carry_region_and_category(city):
    orgs = city.organisations
    assert orgs["credit_code"].n_unique() == orgs.height
    for code, type_code, region in orgs.select("credit_code", "type_code", "region").iter_rows():
        assert credit_code.is_valid(code)
        assert credit_code.org_code_is_valid(credit_code.org_code(code))
        assert code[2:8] == region
        expected = {"01": "11", "03": "51"}.get(type_code, "12")
        assert code[:2] == expected, (code, type_code)


def test_supervisors_are_departments_of_the_right_kind(city):
    orgs = city.organisations
    supervised = orgs.join(
        orgs.select(
            pl.col("org").alias("supervisor"),
            pl.col("name").alias("boss"),
            pl.col("type_code").alias("boss_type"),
            pl.col("region").alias("boss_region"),
        ),
        on="supervisor",
    )
    assert supervised.height == orgs.filter(pl.col("type_code") != "01").height
    assert set(supervised["boss_type"]) == {"01"}
    assert supervised.filter(
        (pl.col("boss_region") != pl.col("region")) & (pl.col("boss_region") != "445200")
    ).is_empty()
    for kind, suffix in (("school", "教育局"), ("hospital", "卫生健康局"), ("library", "文化广电旅游体育局")):
        bosses = supervised.filter(pl.col("kind") == kind)["boss"]
        assert bosses.str.ends_with(suffix).all(), kind
    county_school = supervised.filter(pl.col("name") == "普宁市第一中学")
    assert county_school["boss"].to_list() == ["普宁市教育局"]


def test_every_organisation_has_facts_for_every_year(city):
    facts = city.facts
    assert facts.schema == {
        "org": pl.Int32,
        "year": pl.Int16,
        "area_m2": pl.Float64,
        "persons": pl.Int32,
        "vehicles": pl.Int16,
    }
    assert facts.height == 420 * len(YEARS)
    assert facts.select("org", "year").n_unique() == facts.height
    assert set(facts["year"]) == set(YEARS)
    assert (facts["area_m2"] > 0).all() and (facts["persons"] > 0).all() and (facts["vehicles"] >= 0).all()
    changes = facts.sort("org", "year").group_by("org").agg(pl.col("persons").n_unique() > 1)
    assert changes["persons"].mean() > 0.5  # facts change a little over the years


def test_records_schema_and_values(city):
    records = city.records
    assert records.schema == {
        "org": pl.Int32,
        "region": pl.String,
        "year": pl.Int16,
        "month": pl.Int8,
        "energy_type": pl.String,
        "quantity": pl.Float64,
        "unit": pl.String,
        "cost": pl.Float64,
    }
    assert set(records["energy_type"]) == {
        "electricity",
        "water",
        "natural_gas",
        "gasoline",
        "diesel",
        "lpg",
        "solar_pv",
    }
    assert (records["quantity"] > 0).all() and (records["cost"] >= 0).all()
    assert records.select("org", "year", "month", "energy_type").n_unique() == records.height
    regions = records.join(city.organisations.select("org", pl.col("region").alias("home")), on="org")
    assert (regions["region"] == regions["home"]).all()
    units = records.group_by("energy_type").agg(pl.col("unit").unique().sort())
    assert dict(units.iter_rows()) == {
        "electricity": ["kWh", "万kWh"],
        "water": ["m3", "t", "万t"],
        "natural_gas": ["m3"],
        "gasoline": ["L"],
        "diesel": ["L"],
        "lpg": ["kg"],
        "solar_pv": ["kWh"],
    }


def test_about_fifteen_percent_report_electricity_in_wan_kwh(city):
    share = (
        city.records.filter(pl.col("energy_type") == "electricity")
        .group_by("org")
        .agg((pl.col("unit") == "万kWh").all())["unit"]
        .mean()
    )
    assert 0.08 < share < 0.25


def test_records_cover_every_month_but_the_planted_gap(city, planted):
    """Every month up to the last closed one, less the planted gap and what is not reported yet: the
    months whose deadline passed long ago are complete (the fixed 2020–2025 span became this rule)."""
    gap = planted["missing_month"]
    unreported = 420 * MONTHS - 1 - city.reports.height
    for energy in ("electricity", "water"):
        rows = city.records.filter(pl.col("energy_type") == energy)
        assert (
            rows.select("org", "year", "month")
            .join(city.reports, on=["org", "year", "month"], how="anti")
            .is_empty()
        )
        months = rows.group_by("org").agg(pl.struct("year", "month").n_unique().alias("months"))
        assert months.height == 420
        assert months["months"].sum() == 420 * MONTHS - 1 - unreported
        old = rows.filter(pl.col("year") < TODAY.year)
        short = (
            old.group_by("org")
            .agg(pl.len().alias("months"))
            .filter(pl.col("months") != 12 * (len(YEARS) - 1))
        )
        assert short.rows() == [(gap["org"], 12 * (len(YEARS) - 1) - 1)], energy
    assert city.records.filter(pl.col("year") == TODAY.year)["month"].max() == TODAY.month - 1


def test_the_problems_are_few_and_described(city, planted):
    assert [problem["kind"] for problem in city.planted] == [
        "missing_month",
        "unit_confusion",
        "spike",
        "water_scale",
    ]
    assert len({problem["org"] for problem in city.planted}) == 4
    names = dict(city.organisations.select("org", "name").iter_rows())
    for problem in city.planted:
        assert problem["year"] in YEARS[1:]
        assert problem["description"].startswith(names[problem["org"]])


def _cell(city, problem, energy, *, other_years=False):
    """The problem's rows (or the same month in the other years) of one energy."""
    rows = city.records.filter(
        (pl.col("org") == problem["org"])
        & (pl.col("energy_type") == energy)
        & ((pl.col("year") != problem["year"]) if other_years else (pl.col("year") == problem["year"]))
    )
    return rows.filter(pl.col("month") == problem["month"]) if problem["month"] else rows


def test_planted_missing_month(city, planted):
    gap = planted["missing_month"]
    mine = city.records.filter(pl.col("org") == gap["org"])
    assert mine.filter((pl.col("year") == gap["year"]) & (pl.col("month") == gap["month"])).is_empty()
    assert mine.filter(pl.col("year") == gap["year"])["month"].n_unique() == 11


def test_planted_unit_confusion(city, planted):
    problem = planted["unit_confusion"]
    row = _cell(city, problem, "electricity")
    assert row["unit"].to_list() == ["kWh"]
    others = _cell(city, problem, "electricity", other_years=True)
    assert set(others["unit"]) == {"万kWh"}  # the unit the unit normally writes
    ratio = row["quantity"].item() / others["quantity"].mean()
    assert 0.6 < ratio < 1.6  # the 万kWh figure, so 10 000 times too small as kWh


def test_planted_spike(city, planted):
    problem = planted["spike"]
    row = _cell(city, problem, "electricity")
    assert row["unit"].to_list() == [problem["unit"]]
    normal = _cell(city, problem, "electricity", other_years=True)["quantity"].mean()
    assert 5.5 < row["quantity"].item() / normal < 11


def test_planted_water_scale(city, planted):
    problem = planted["water_scale"]
    year = _cell(city, problem, "water")
    assert year.height == 12 and set(year["unit"]) == {"万t"}
    others = _cell(city, problem, "water", other_years=True)
    assert set(others["unit"]) == {"t"}
    assert 0.6 < year["quantity"].mean() / others["quantity"].mean() < 1.6  # tonnes, not scaled


def _annual_indicators(city):
    flawed = [problem["org"] for problem in city.planted]
    records, _ = convert(
        city.records.filter(~pl.col("org").is_in(flawed)),
        load_coefficient_set("public-institution"),
        load_units(),
        load_energy_types(),
    )
    counted = pl.col("kind").is_in(["energy", "coal_equivalent"])
    return (
        records.group_by("org", "year")
        .agg(
            kgce=pl.col("kgce").filter(counted).sum(),
            water=pl.col("natural").filter(pl.col("energy_code") == "water").sum(),
        )
        .join(city.facts, on=["org", "year"])
        .join(city.organisations.select("org", "kind"), on="org")
        .with_columns(
            per_m2=pl.col("kgce") / pl.col("area_m2"),
            per_person=pl.col("kgce") / pl.col("persons"),
            water_per_person=pl.col("water") / pl.col("persons"),
        )
    )


def test_intensities_land_near_the_guangdong_2021_averages(city):
    indicators = _annual_indicators(city).filter(pl.col("year") == 2021)
    means = indicators.group_by("kind").agg(pl.col("per_m2", "per_person", "water_per_person").mean())
    achieved = {kind: values for kind, *values in means.iter_rows()}
    for kind, published in BENCHMARKS.items():
        for got, want in zip(achieved[kind], published, strict=True):
            assert got == pytest.approx(want, rel=0.10), (kind, got, want)


def test_intensity_trends_gently_down(city):
    complete = _annual_indicators(city).filter(pl.col("year") < TODAY.year)  # this year: part of it
    per_year = complete.group_by("year").agg(pl.col("per_m2").mean()).sort("year")
    yearly = per_year["per_m2"].to_list()
    assert all(later < earlier for earlier, later in itertools.pairwise(yearly))
    change = (yearly[-1] / yearly[0]) ** (1 / (len(yearly) - 1)) - 1
    assert -0.045 < change < -0.015


def test_guangdong_seasons(city):
    electricity = city.records.filter(pl.col("energy_type") == "electricity", pl.col("unit") == "kWh")
    by_month = (
        electricity.join(city.organisations.select("org", "kind"), on="org")
        .group_by("kind", "month")
        .agg(pl.col("quantity").sum())
    )
    use = {(kind, month): quantity for kind, month, quantity in by_month.iter_rows()}
    assert use["government", 7] > 1.3 * use["government", 1]  # air conditioning
    assert use["school", 2] < 0.6 * use["school", 3]  # winter holiday
    assert use["school", 8] < 0.6 * use["school", 6]  # summer holiday


def test_too_few_institutions_is_refused():
    with pytest.raises(ValueError, match="at least"):
        generate_city(institutions=50)


@pytest.fixture(scope="module")
def nation():
    started = time.perf_counter()
    data = generate_national(institutions=20_000)
    return data, time.perf_counter() - started


def test_national_shape_and_dtypes(nation):
    data, seconds = nation
    assert seconds < 10
    records = data.records
    assert records.columns == ["org", "region", "year", "month", "energy_type", "quantity", "unit", "cost"]
    assert records.schema["org"] == pl.Int32 and records.schema["year"] == pl.Int16
    assert records.schema["month"] == pl.Int8 and records.schema["quantity"] == pl.Float64
    for column in ("region", "energy_type", "unit"):
        assert isinstance(records.schema[column], pl.Enum), column
    assert data.facts.height == 20_000 and data.facts["org"].n_unique() == 20_000
    assert data.facts.schema["persons"] == pl.Int32 and data.facts.schema["vehicles"] == pl.Int16
    per_unit = records.height / 20_000
    assert 27 < per_unit < 32  # 24 for electricity and water, plus gas, vehicle fuels and LPG for some
    counts = dict(records.group_by("energy_type").len().iter_rows())
    assert counts["electricity"] == counts["water"] == 20_000 * 12
    assert set(records["month"]) == set(range(1, 13)) and set(records["year"]) == {2024}
    assert (records["quantity"] > 0).all()


def test_national_region_tree(nation):
    data, _ = nation
    regions = data.regions
    assert dict(regions.group_by("level").len().iter_rows()) == {1: 31, 2: 340, 3: 2850}
    assert regions["code"].n_unique() == regions.height
    assert regions["code"].str.contains(r"^\d{6}$").all()
    parents = regions.filter(pl.col("level") > 1).join(
        regions.select(pl.col("code").alias("parent_code"), pl.col("level").alias("parent_level")),
        on="parent_code",
    )
    assert parents.height == regions.height - 31
    assert (parents["parent_level"] == parents["level"] - 1).all()
    counties = set(regions.filter(pl.col("level") == 3)["code"])
    assert set(data.records["region"].cast(pl.String).unique()) <= counties


def test_national_is_reproducible_and_takes_months():
    first, second = generate_national(institutions=2_000), generate_national(institutions=2_000)
    assert first.records.equals(second.records) and first.facts.equals(second.facts)
    quarter = generate_national(institutions=2_000, months=3)
    assert set(quarter.records["month"]) == {1, 2, 3}


# --- the reporting calendar of "today" ----------------------------------------------------------


@pytest.mark.parametrize(
    ("today", "years", "last_month"),
    [
        (date(2026, 12, 2), tuple(range(2020, 2027)), 11),
        (date(2027, 3, 15), tuple(range(2021, 2028)), 2),
        (date(2027, 1, 20), tuple(range(2021, 2027)), 12),
    ],
)
def test_the_span_follows_today(today, years, last_month):
    assert span(today) == (years, last_month)


@pytest.fixture(scope="module", params=[date(2026, 12, 2), date(2027, 3, 15), date(2027, 1, 20)], ids=str)
def on_a_day(request):
    return generate_city(today=request.param, institutions=200)


def _state(data, year, month):
    reports = data.reports.filter((pl.col("year") == year) & (pl.col("month") == month))
    return reports, dict(reports.group_by("status").len().iter_rows())


def test_a_day_is_reproducible_and_another_day_differs(on_a_day):
    again = generate_city(today=on_a_day.today, institutions=200)
    assert again.records.equals(on_a_day.records) and again.reports.equals(on_a_day.reports)
    later = generate_city(today=date(2027, 6, 30), institutions=200)
    assert not later.reports.equals(on_a_day.reports)


def test_the_open_and_the_passed_periods_look_like_an_ordinary_day(on_a_day):
    """The latest month whose deadline passed: most reported (a few late), some missing, returned and
    awaiting review; the open month (deadline ahead) reported by part of the units, none late."""
    from jieneng.reference.deadlines import load_deadlines

    today, deadline = on_a_day.today, load_deadlines().of("pi-energy", "month")
    periods = on_a_day.records.select("year", "month").unique().sort("year", "month").rows()
    passed = [p for p in periods if deadline.due(p[0], month=p[1]) < today]
    reports, counts = _state(on_a_day, *passed[-1])
    assert 0.85 * 200 < reports.height < 200  # some have not reported past the deadline
    assert counts.get("submitted", 0) > 0 and counts.get("approved", 0) > 0.4 * reports.height
    year, month = passed[-1]
    late = reports.filter(pl.col("submitted") > deadline.due(year, month=month))
    assert 0 < late.height < 0.25 * reports.height
    assert (reports["submitted"] <= today).all() and (reports["approved"].drop_nulls() <= today).all()
    returned = on_a_day.reports.filter(pl.col("status").is_in(["returned", "resubmitted"]))
    assert returned.height > 0 and returned["reason"].is_not_null().all()
    assert (
        on_a_day.reports.filter(~pl.col("status").is_in(["returned", "resubmitted"]))["reason"]
        .is_null()
        .all()
    )
    old, old_counts = _state(on_a_day, *passed[-6])
    assert old.height == 200 and old_counts == {"approved": 200}
    open_periods = [p for p in periods if p not in passed]
    for year, month in open_periods:
        reports, counts = _state(on_a_day, year, month)
        assert 0 < reports.height < 200
        assert (reports["submitted"] <= today).all()
        assert reports["submitted"].min() > date(year, month, 28)
    assert len(open_periods) == (1 if today.day <= 15 else 0)
