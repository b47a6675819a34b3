"""CO₂ of a long frame: hand-worked cases, the choice of data year and of basis, bad input, additivity.

Every expected value is worked out by hand in the comments from the published factors:
河北 2022 0.7252 kgCO₂/kWh, 华北 2023 0.6361, national 2022 excluding market-traded non-fossil 0.5856
(生态环境部、国家统计局); natural gas 389.31 GJ/万m³ × 15.3 tC/TJ × 99 % × 44/12 and diesel 42.652 GJ/t ×
20.2 tC/TJ × 98 % × 44/12 (GB/T 32150-2015 表A.1); diesel 0.86 kg/L (the coefficient set's density).
"""

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jieneng.core import indicators
from jieneng.core.carbon import CO2_VALUES, Convention, co2, co2_changes
from jieneng.core.coal import convert
from jieneng.core.errors import (
    CarbonFailed,
    EmissionYearNotCovered,
    GreenNotElectricity,
    MissingColumn,
    MissingDensity,
    MissingElectricityFactor,
    MissingEmissionFactor,
    MissingRegion,
    ProvinceNotListed,
)
from jieneng.reference import load_coefficient_set, load_energy_types, load_units
from jieneng.reference.emissions import load_emission_factor_set

CS = load_coefficient_set("public-institution")
UNITS = load_units()
TYPES = load_energy_types()
MEE = load_emission_factor_set("mee-nbs-electricity")
SHIJIAZHUANG = "130102"  # 石家庄市长安区, 河北省

# natural gas: 389.31 GJ/万m³ = 0.038931 GJ/m³; × 15.3 kgC/GJ = 0.5956443; × 0.99 = 0.58968786 kgC/m³;
# × 44/12 = 2.16218881 kgCO₂/m³
GAS = 0.038931 * 15.3 * 0.99 * 44 / 12
# diesel: 42.652 GJ/t = 0.042652 GJ/kg; × 20.2 kgC/GJ = 0.8615704 kgC/kg; × 0.98 = 0.84433899; × 44/12
# = 3.09590964 kgCO₂/kg
DIESEL = 0.042652 * 20.2 * 0.98 * 44 / 12


def frame(*rows, region=SHIJIAZHUANG, purpose=False):
    """Rows of (energy_type, quantity, unit, year[, purpose])."""
    data = {
        "org": ["某局"] * len(rows),
        "year": [r[3] for r in rows],
        "energy_type": [r[0] for r in rows],
        "quantity": [float(r[1]) for r in rows],
        "unit": [r[2] for r in rows],
        "region": [region] * len(rows),
    }
    if purpose:
        data["purpose"] = [r[4] if len(r) > 4 else None for r in rows]
    return pl.DataFrame(data, schema_overrides={"year": pl.Int16})


def run(data, convention=None, factors=MEE):
    return co2(data, factors, coefficients=CS, units=UNITS, energy_types=TYPES, convention=convention)


def test_a_unit_in_hebei_for_a_year_by_hand():
    """One unit in 石家庄, reporting year 2022 (data year 2022):
    electricity 12.5 万kWh = 125 000 kWh × 0.7252        = 90 650.000 kgCO₂
    natural gas 8 000 m³ × 2.16218881                      = 17 297.511 kgCO₂
    diesel 3 000 L × 0.86 kg/L = 2 580 kg × 3.09590964     =  7 987.447 kgCO₂
    total                                                  = 115 934.958 kgCO₂ ≈ 115.935 tCO₂
    """
    data = frame(("电力", 12.5, "万kWh", 2022), ("天然气", 8000, "m³", 2022), ("柴油", 3000, "L", 2022))
    out, provenance = run(data)
    assert out["kgco2"].to_list() == pytest.approx([90_650.0, 17_297.511, 7_987.447], abs=1e-3)
    assert out["kgco2"].sum() == pytest.approx(115_934.958, abs=1e-3)
    assert out["co2_level"].to_list() == ["province", "fuel", "fuel"]
    assert out["co2_data_year"].to_list() == [2022, None, None]
    assert [round(x, 8) for x in (GAS, DIESEL)] == [2.16218881, 3.09590964]
    assert provenance.factor_set == "mee-nbs-electricity@2026.1"
    assert provenance.lineage == ("gbt32150-2015@2015.1",)
    assert provenance.data_years == ((2022, 2022),)
    assert provenance.densities == "public-institution@2022.1"
    assert "electricity:2022:province:13:average" in provenance.factors
    assert {"fuel:natural_gas", "fuel:diesel"} <= set(provenance.unconfirmed)
    assert "electricity:2022:province:13:average" not in provenance.unconfirmed  # confirmed row
    assert provenance.as_dict()["convention"] == {
        "basis": "location",
        "finest": "province",
        "year_rule": "latest",
        "green_at_zero": True,
        "subtract_passed_on": True,
    }


def test_indicators_from_summed_co2():
    """The same unit with 2 000 m² and 40 people: 115 934.958 / 2 000 = 57.967 kgCO₂/m²,
    / 40 = 2 898.374 kgCO₂/人; in 2023 (data year 2023, no province rows: 华北 0.6361) the electricity
    is 125 000 × 0.6361 = 79 512.5, the total 104 797.458 (−9.6 % on 2022)."""
    rows = [("电力", 12.5, "万kWh", y) for y in (2022, 2023)]
    rows += [("天然气", 8000, "m³", y) for y in (2022, 2023)] + [("柴油", 3000, "L", y) for y in (2022, 2023)]
    data, _ = run(frame(*rows))
    converted, _ = convert(data, CS, UNITS, TYPES)
    facts = pl.DataFrame(
        {"org": ["某局"] * 2, "year": [2022, 2023], "persons": [40.0] * 2, "area_m2": [2000.0] * 2}
    )
    totals = indicators.unit_totals(
        converted, facts.with_columns(pl.col("year").cast(pl.Int16)), keys=["org", "year"]
    )
    result = co2_changes(indicators.with_ratios(totals), keys=["org"], base_year=2022).sort("year")
    assert set(CO2_VALUES) <= set(result.columns)
    assert result["kgco2"].to_list() == pytest.approx([115_934.958, 104_797.458], abs=1e-3)
    assert result["tco2"][0] == pytest.approx(115.935, abs=1e-3)
    assert result["kgco2_per_m2"][0] == pytest.approx(57.967, abs=1e-3)
    assert result["kgco2_per_person"][0] == pytest.approx(2_898.374, abs=1e-3)
    assert result["tco2_yoy"][1] == pytest.approx((104_797.458 / 115_934.958 - 1) * 100, abs=1e-6)
    assert result["kgco2_per_m2_vs_base"][1] == pytest.approx(-9.6066, abs=1e-3)


def test_ratios_of_a_region_come_from_sums_not_averages():
    """Two units: 1 000 kWh on 100 m² and 3 000 kWh on 100 m² in 2022 → (725.2 + 2 175.6) / 200 = 14.504."""
    data = pl.DataFrame(
        {
            "org": ["a", "b"],
            "year": pl.Series([2022, 2022], dtype=pl.Int16),
            "energy_type": ["电力", "电力"],
            "quantity": [1000.0, 3000.0],
            "unit": ["kWh", "kWh"],
            "region": [SHIJIAZHUANG, SHIJIAZHUANG],
        }
    )
    out, _ = run(data)
    converted, _ = convert(out, CS, UNITS, TYPES)
    facts = pl.DataFrame(
        {"org": ["a", "b"], "year": [2022, 2022], "persons": [1.0, 1.0], "area_m2": [100.0, 100.0]}
    )
    totals = indicators.unit_totals(
        converted, facts.with_columns(pl.col("year").cast(pl.Int16)), keys=["org", "region", "year"]
    )
    region = indicators.with_ratios(indicators.aggregate(totals, by=["year"]))
    assert region["kgco2_per_m2"][0] == pytest.approx(14.504)


@pytest.mark.parametrize(
    ("year", "convention", "factor", "level", "data_year"),
    [
        (2022, Convention(), 0.7252, "province", 2022),  # 河北 2022
        (2021, Convention(), 0.7901, "province", 2021),  # 河北 2021
        (2024, Convention(), 0.6361, "grid", 2023),  # latest not after 2024: 2023, 华北 (no 2023 provinces)
        (2030, Convention(), 0.6361, "grid", 2023),
        (2024, Convention(year_rule="lag", lag=2), 0.7252, "province", 2022),  # a fixed lag of two years
        (2025, Convention(year_rule="lag", lag=2), 0.6361, "grid", 2023),
        (2025, Convention(year_rule="fixed", data_year=2021), 0.7901, "province", 2021),
        (2022, Convention(finest="grid"), 0.6776, "grid", 2022),  # 华北 2022
        (2022, Convention(finest="national"), 0.5366, "national", 2022),
        (2022, Convention(basis="market"), 0.5856, "national", 2022),  # excluding market-traded non-fossil
        (2023, Convention(basis="market"), 0.6096, "national", 2023),
        (2022, Convention(basis="fossil"), 0.8325, "national", 2022),
    ],
)
def test_the_data_year_and_the_basis(year, convention, factor, level, data_year):
    out, provenance = run(frame(("电力", 1000, "kWh", year)), convention)
    assert out["kgco2"][0] == pytest.approx(1000 * factor)
    assert (out["co2_level"][0], out["co2_data_year"][0]) == (level, data_year)
    assert provenance.data_years == ((year, data_year),)
    assert provenance.convention == convention


def test_tibet_has_no_province_factor_and_takes_its_grid():
    out, _ = run(frame(("电力", 1000, "kWh", 2022), region="540102"))  # 拉萨市城关区 → 西南 0.2268
    assert (out["kgco2"][0], out["co2_level"][0]) == (pytest.approx(226.8), "grid")


def test_market_based_needs_no_region():
    out, _ = run(frame(("电力", 1000, "kWh", 2022), region=None), Convention(basis="market"))
    assert out["kgco2"][0] == pytest.approx(585.6)


def test_green_electricity_at_zero_and_passed_on_subtracted():
    """Bought 100 000 kWh, of which 20 000 certified green; 30 000 passed on to another unit:
    (100 000 − 30 000) × 0.7252 + 20 000 × 0 = 50 764 kgCO₂."""
    data = frame(
        ("电力", 100_000, "kWh", 2022, None),
        ("电力", 20_000, "kWh", 2022, "green"),
        ("电力", 30_000, "kWh", 2022, "passed_on"),
        purpose=True,
    )
    out, provenance = run(data)
    assert out["kgco2"].to_list() == pytest.approx([72_520.0, 0.0, -21_756.0])
    assert out["kgco2"].sum() == pytest.approx(50_764.0)
    assert out["co2_level"][1] == "green"
    assert "green_electricity" in provenance.factors
    kept, _ = run(data, Convention(green_at_zero=False, subtract_passed_on=False))
    assert kept["kgco2"].to_list() == pytest.approx([72_520.0, 14_504.0, 0.0])


def test_heat_water_and_solar():
    """Heat 100 GJ × 110 kgCO₂/GJ = 11 000; 百万千焦 is a GJ; water and on-site solar carry no CO₂."""
    data = frame(
        ("热力", 100, "GJ", 2022),
        ("热力", 1, "百万千焦", 2022),
        ("水", 500, "t", 2022),
        ("光伏发电", 9, "kWh", 2022),
    )
    out, _ = run(data)
    assert out["kgco2"].to_list() == pytest.approx([11_000.0, 110.0, 0.0, 0.0])
    assert out["co2_level"].to_list() == ["fuel", "fuel", "not_counted", "not_counted"]


def test_units_and_scale_words():
    """1 MWh = 1 000 kWh; 1 万m³ of gas = 10 000 × 2.16218881; 1 t of diesel = 1 000 × 3.09590964."""
    out, _ = run(frame(("电", 1, "MWh", 2022), ("天然气", 1, "万m³", 2022), ("柴油", 1, "吨", 2022)))
    assert out["kgco2"].to_list() == pytest.approx([725.2, 10_000 * GAS, 1000 * DIESEL])


def test_a_local_set_extending_the_builtin_one(tmp_path):
    """A local file adds 河北 2023 (a test value, 0.7000) and a measured natural gas (360 GJ/万m³):
    2023 electricity 1 000 × 0.7000 = 700; gas 100 m³ × 0.036 × 15.3 × 0.99 × 44/12 = 199.9404."""
    local = tmp_path / "hebei.toml"
    local.write_text(
        'kind = "emission_factors"\nid = "hebei-local"\nversion = "2024.1"\nextends = "mee-nbs-electricity"\n'
        'fuels = [{ energy = "natural_gas", unit = "m3", ncv = 360.0, ncv_per = "万m3", carbon = 15.3,'
        ' oxidation = 0.99, clause = "measured by the supplier", status = "confirmed" }]\n'
        'electricity = [{ year = 2023, level = "province", area = "13", variant = "average", kgco2 = 0.7,'
        ' unit = "kWh", clause = "local", status = "to_confirm", note = "a test value" }]\n',
        encoding="utf-8",
    )
    out, provenance = run(
        frame(("电力", 1000, "kWh", 2023), ("天然气", 100, "m³", 2023)),
        factors=load_emission_factor_set(local),
    )
    assert out["kgco2"].to_list() == pytest.approx([700.0, 199.9404])
    assert out["co2_level"][0] == "province"
    assert provenance.factor_set == "hebei-local@2024.1"
    assert provenance.lineage == ("mee-nbs-electricity@2026.1", "gbt32150-2015@2015.1")
    assert "electricity:2023:province:13:average" in provenance.unconfirmed


# --- bad input -------------------------------------------------------------------------------------


def problems_of(data, convention=None, factors=MEE):
    with pytest.raises(CarbonFailed) as caught:
        run(data, convention, factors)
    return caught.value.problems


def test_an_energy_type_without_a_factor():
    problems = problems_of(frame(("其他能源（折标准煤）", 5, "tce", 2022), ("蒸汽", 2, "t", 2022)))
    assert {type(p) for p in problems} == {MissingEmissionFactor}
    assert {p.params["energy"] for p in problems} == {"other_energy_tce", "steam_low_pressure"}
    assert str(problems[0]).startswith(
        "Emission-factor set mee-nbs-electricity@2026.1 has no CO₂ factor for "
    )


def test_a_reporting_year_the_set_does_not_cover():
    (problem,) = problems_of(frame(("电力", 1, "kWh", 2020), ("电力", 2, "kWh", 2020)))
    assert isinstance(problem, EmissionYearNotCovered)
    assert problem.code == "emission_year_not_covered"
    assert problem.params == {
        "set": "mee-nbs-electricity@2026.1",
        "variant": "average",
        "year": 2020,
        "rule": "latest",
        "years": "2021, 2022, 2023",
    }
    (lagged,) = problems_of(frame(("电力", 1, "kWh", 2022)), Convention(year_rule="lag", lag=2))
    assert (lagged.params["year"], lagged.params["rule"]) == (2022, "lag 2")


def test_a_unit_in_a_province_the_set_does_not_list():
    (problem,) = problems_of(frame(("电力", 1, "kWh", 2022), region="810000"))  # 香港
    assert isinstance(problem, ProvinceNotListed)
    assert problem.params == {"set": "mee-nbs-electricity@2026.1", "province": "81"}
    assert "“81”" in str(problem)


def test_electricity_without_a_region_is_not_given_the_national_factor_silently():
    (problem,) = problems_of(frame(("电力", 1, "kWh", 2022), region=None))
    assert isinstance(problem, MissingRegion)
    out, _ = run(frame(("电力", 1000, "kWh", 2022), region=None), Convention(finest="national"))
    assert out["kgco2"][0] == pytest.approx(536.6)


def test_a_set_without_grid_or_national_rows_for_a_place(tmp_path):
    local = tmp_path / "only-hebei.toml"
    local.write_text(
        'kind = "emission_factors"\nid = "only-hebei"\nversion = "1"\nextends = "gbt32150-2015"\n'
        'grids = [{ code = "north", zh = "华北", en = "North China" }]\n'
        'provinces = [{ code = "13", zh = "河北省", grid = "north" },'
        ' { code = "14", zh = "山西省", grid = "north" }]\n'
        'electricity = [{ year = 2022, level = "province", area = "13", variant = "average", kgco2 = 0.7252,'
        ' unit = "kWh", clause = "c", status = "confirmed", checked = "test" }]\n',
        encoding="utf-8",
    )
    (problem,) = problems_of(
        frame(("电力", 1, "kWh", 2022), region="140105"), factors=load_emission_factor_set(local)
    )
    assert isinstance(problem, MissingElectricityFactor)
    assert problem.params["area"] == "山西省"


def test_green_fuel_and_missing_density():
    problems = problems_of(frame(("柴油", 1, "kg", 2022, "green"), ("柴油", 1, "L", 2022), purpose=True))
    assert {type(p) for p in problems} == {GreenNotElectricity}
    no_density = load_coefficient_set("gbt2589-2008")
    with pytest.raises(CarbonFailed) as caught:
        co2(
            frame(("液化石油气", 1, "L", 2022)), MEE, coefficients=no_density, units=UNITS, energy_types=TYPES
        )
    (problem,) = caught.value.problems
    assert isinstance(problem, MissingDensity)
    assert problem.params["set"] == "gbt2589-2008@2008.1"


def test_each_problem_is_reported_once_and_all_are_reported():
    data = frame(
        *[("电力", i, "kWh", 2019) for i in range(50)], *[("煤矿瓦斯气", i, "m3", 2022) for i in range(50)]
    )
    problems = problems_of(data)
    assert sorted(p.code for p in problems) == ["emission_year_not_covered", "missing_emission_factor"]


def test_a_missing_column():
    with pytest.raises(MissingColumn):
        run(frame(("电力", 1, "kWh", 2022)).drop("year"))


def test_a_bad_convention():
    with pytest.raises(ValueError, match="basis"):
        Convention(basis="guess")
    with pytest.raises(ValueError, match="data_year"):
        Convention(year_rule="fixed")


def test_lazy_in_lazy_out():
    out, _ = run(frame(("电力", 1000, "kWh", 2022)).lazy())
    assert isinstance(out, pl.LazyFrame)
    assert out.collect()["kgco2"][0] == pytest.approx(725.2)


# --- properties -------------------------------------------------------------------------------------

ENERGIES = [
    ("电力", "kWh"),
    ("电力", "万kWh"),
    ("天然气", "m³"),
    ("柴油", "L"),
    ("汽油", "kg"),
    ("热力", "GJ"),
    ("水", "t"),
]
rows = st.lists(
    st.tuples(
        st.sampled_from(ENERGIES),
        st.floats(min_value=0, max_value=1e7, allow_nan=False),
        st.sampled_from([2021, 2022, 2023, 2024]),
        st.sampled_from(["130102", "110101", "440103", "540102"]),
        st.sampled_from([None, "green", "passed_on"]),
    ),
    min_size=1,
    max_size=40,
)


def _frame(rows):
    return pl.DataFrame(
        {
            "energy_type": [e for (e, _), *_ in rows],
            "unit": [u for (_, u), *_ in rows],
            "quantity": [q for _, q, *_ in rows],
            "year": pl.Series([y for _, _, y, _, _ in rows], dtype=pl.Int16),
            "region": [r for *_, r, _ in rows],
            "purpose": [p if e[0] == "电力" else None for e, *_, p in rows],
        }
    )


@settings(max_examples=60, deadline=None)
@given(rows, st.integers(min_value=0, max_value=40))
def test_co2_is_additive_over_rows(rows, cut):
    """The CO₂ of a frame is the sum of the CO₂ of any split of its rows, and of its rows one by one."""
    whole = run(_frame(rows))[0]["kgco2"].sum()
    cut = min(cut, len(rows))
    parts = [run(_frame(part))[0]["kgco2"].sum() for part in (rows[:cut], rows[cut:]) if part]
    assert whole == pytest.approx(sum(parts), rel=1e-9, abs=1e-6)
    assert whole == pytest.approx(sum(run(_frame([r]))[0]["kgco2"][0] for r in rows), rel=1e-9, abs=1e-6)


@settings(max_examples=30, deadline=None)
@given(rows, st.floats(min_value=0, max_value=1e3, allow_nan=False))
def test_co2_scales_with_the_quantities(rows, k):
    base = run(_frame(rows))[0]["kgco2"].sum()
    scaled = run(_frame([(e, q * k, y, r, p) for e, q, y, r, p in rows]))[0]["kgco2"].sum()
    assert scaled == pytest.approx(k * base, rel=1e-9, abs=1e-6)


def test_not_strict_leaves_a_missing_factor_empty_and_names_it():
    """The roll-ups' mode: 2020 precedes the first data year (2021) and 揭阳 (44) has no province factor
    of 2023 — but its grid has — so only the 2020 electricity is without CO₂, the rows of a province
    the set does not list too; every other row is computed as in strict mode, and the problems are
    numbered in the provenance."""
    hebei = frame(("电力", 1000, "kWh", 2020), ("电力", 1000, "kWh", 2022), ("天然气", 100, "m³", 2020))
    nowhere = frame(("电力", 1000, "kWh", 2022), region="990101")
    data = pl.concat([hebei, nowhere, frame(("电力", 1000, "kWh", 2025), region="445202")])
    out, provenance = co2(data, MEE, coefficients=CS, units=UNITS, energy_types=TYPES, strict=False)
    codes = [p.code for p in provenance.problems]
    assert sorted(codes) == ["emission_year_not_covered", "province_not_listed"]
    kgco2, problem = out["kgco2"].to_list(), out["co2_problem"].to_list()
    assert kgco2[0] is None and codes[problem[0]] == "emission_year_not_covered"
    assert kgco2[1] == pytest.approx(725.2) and problem[1] is None  # 河北 2022: 0.7252 kgCO₂/kWh
    assert kgco2[2] == pytest.approx(100 * GAS) and problem[2] is None  # fuels whatever the year
    assert kgco2[3] is None and codes[problem[3]] == "province_not_listed"
    south = MEE.electricity_factor(2023, "average", "44", "province")
    assert south is not None and south.level == "grid"
    assert kgco2[4] == pytest.approx(1000 * south.kgco2) and problem[4] is None
    with pytest.raises(CarbonFailed):
        run(data)  # strict: the same frame is refused


def test_an_enum_region_and_energy_code_give_the_same_figures():
    """Large frames have Enum columns, looked up by position: the figures are those of plain strings."""
    rows = [("电力", 1000, "kWh", 2022), ("电力", 500, "kWh", 2024), ("柴油", 30, "L", 2024)]
    data = pl.concat([frame(*rows), frame(*rows, region="445202"), frame(*rows, region="540102")])
    plain, _ = run(data)
    codes = sorted(set(data["region"]) | {"110101"})
    enum, _ = run(data.with_columns(pl.col("region").cast(pl.Enum(codes))))
    converted, _ = convert(data, CS, UNITS, TYPES)
    assert isinstance(converted.schema["energy_code"], pl.Enum)
    via_convert, _ = run(converted.with_columns(pl.col("region").cast(pl.Enum(codes))))
    for other in (enum, via_convert):
        assert other["kgco2"].to_list() == pytest.approx(plain["kgco2"].to_list())
        assert other["co2_level"].to_list() == plain["co2_level"].to_list()
        assert other["co2_data_year"].to_list() == plain["co2_data_year"].to_list()
