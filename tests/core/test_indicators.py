"""A hand-computed golden example for every indicator.

Two counties (C1, C2) under a city (C); three units; two years. All figures below are worked by
hand in the comments; the public-institution set converts electricity at 0.1229 kgce/kWh,
natural gas at 1.2143 kgce/m³, gasoline at 0.73 kg/L × 1.4714 kgce/kg = 1.074122 kgce/L.
"""

import polars as pl
import pytest

from jieneng.core import indicators as ind
from jieneng.core.coal import convert
from jieneng.core.regions import ancestry, rollup
from jieneng.reference import load_coefficient_set, load_energy_types, load_units

TYPES = load_energy_types()
TREE = ancestry(pl.DataFrame({"code": ["C", "C1", "C2"], "parent_code": [None, "C", "C"]}))

RECORDS = pl.DataFrame(
    {
        "org": [1, 1, 1, 2, 2, 3, 1, 2, 3],
        "region": ["C1", "C1", "C1", "C1", "C1", "C2", "C1", "C1", "C2"],
        "year": [2024, 2024, 2024, 2024, 2024, 2024, 2023, 2023, 2023],
        "month": [1, 2, 1, 1, 1, 1, 1, 1, 1],
        "energy_type": ["电力", "电力", "汽油", "天然气", "水", "电力", "电力", "电力", "电力"],
        "unit": ["kWh", "kWh", "L", "m3", "t", "万kWh", "kWh", "kWh", "万kWh"],
        "quantity": [10_000.0, 10_000.0, 1_000.0, 1_000.0, 500.0, 2.0, 25_000.0, 8_000.0, 2.5],
    }
)
FACTS = pl.DataFrame(
    {
        "org": [1, 2, 3, 1, 2, 3],
        "year": [2024, 2024, 2024, 2023, 2023, 2023],
        "persons": [100, 50, 200, 100, 50, 200],
        "area_m2": [2_000.0, 1_000.0, 5_000.0, 2_000.0, 1_000.0, 5_000.0],
    }
)
# 2024 by unit:
#   org 1: electricity 20 000 kWh → 2 458 kgce; gasoline 1 000 L → 1 074.122 kgce; total 3 532.122
#   org 2: natural gas 1 000 m³ → 1 214.3 kgce; water 500 t (not energy)
#   org 3: electricity 2 万kWh = 20 000 kWh → 2 458 kgce
# County C1 2024: kgce 4 746.422, excl. vehicle 3 672.3, persons 150, area 3 000 m², water 500 m³
# City C 2024:   kgce 7 204.422, excl. vehicle 6 130.3, persons 350, area 8 000 m², water 500 m³
# City C 2023:   25 000 + 8 000 + 25 000 kWh = 58 000 kWh → 7 128.2 kgce
CS = load_coefficient_set("public-institution")


@pytest.fixture(scope="module")
def city():
    converted, _ = convert(RECORDS, CS, load_units(), TYPES)
    totals = ind.unit_totals(converted, FACTS, vehicle_fuels=TYPES.vehicle_fuels())
    sums = ["kgce", "kgce_excl_vehicle", "water_m3", "persons", "area_m2", "units"]
    regions = ind.with_ratios(rollup(totals, TREE, sums=sums, by=["year"]))
    return converted, totals, regions


def row(frame, **where):
    selected = frame.filter(pl.all_horizontal(pl.col(k) == v for k, v in where.items()))
    assert selected.height == 1, where
    return selected.row(0, named=True)


def test_unit_totals(city):
    _, totals, _ = city
    assert row(totals, org=1, year=2024)["kgce"] == pytest.approx(3532.122)
    assert row(totals, org=1, year=2024)["kgce_excl_vehicle"] == pytest.approx(2458.0)
    assert row(totals, org=2, year=2024)["water_m3"] == pytest.approx(500.0)
    assert row(totals, org=2, year=2024)["kgce"] == pytest.approx(1214.3)


def test_total_comprehensive_energy_and_public_institution_indicators(city):
    _, _, regions = city
    c = row(regions, region="C", year=2024)
    assert c["tce"] == pytest.approx(7.204422)
    assert c["kgce_per_person"] == pytest.approx(7204.422 / 350)  # 20.5841 kgce/人
    assert c["kgce_per_m2"] == pytest.approx(7204.422 / 8000)  # 0.9006 kgce/m²
    assert c["kgce_per_m2_excl_vehicle"] == pytest.approx(6130.3 / 8000)  # 0.7663 kgce/m²
    assert c["water_per_person"] == pytest.approx(500 / 350)  # 1.4286 m³/人
    c1 = row(regions, region="C1", year=2024)
    assert c1["kgce_per_person"] == pytest.approx(4746.422 / 150)
    assert c1["units"] == 2


def test_region_ratio_is_not_the_average_of_child_ratios(city):
    _, _, regions = city
    c1, c2, c = (row(regions, region=r, year=2024) for r in ("C1", "C2", "C"))
    mean_of_ratios = (c1["kgce_per_m2"] + c2["kgce_per_m2"]) / 2
    assert c["kgce_per_m2"] != pytest.approx(mean_of_ratios)
    assert c["kgce_per_m2"] == pytest.approx((c1["kgce"] + c2["kgce"]) / (c1["area_m2"] + c2["area_m2"]))


def test_composition_by_energy_type(city):
    converted, _, _ = city
    mix = ind.by_energy_type(converted.filter(pl.col("year") == 2024))
    shares = dict(zip(mix["energy_code"], mix["share"], strict=True))
    assert shares["electricity"] == pytest.approx(4916 / 7204.422 * 100)  # 68.2358 %
    assert shares["natural_gas"] == pytest.approx(1214.3 / 7204.422 * 100)
    assert shares["gasoline"] == pytest.approx(1074.122 / 7204.422 * 100)
    assert "water" not in shares
    assert sum(shares.values()) == pytest.approx(100)


def test_year_on_year_and_versus_base(city):
    _, _, regions = city
    yoy = ind.year_on_year(regions, keys=["region"], values=["kgce"])
    assert row(yoy, region="C", year=2024)["kgce_yoy"] == pytest.approx(
        (7204.422 / 7128.2 - 1) * 100
    )  # +1.0693 %
    assert row(yoy, region="C", year=2023)["kgce_yoy"] is None
    base = ind.versus_base(regions, keys=["region"], values=["kgce"], base=2023)
    assert row(base, region="C", year=2024)["kgce_vs_base"] == pytest.approx(1.0693, abs=1e-4)


def test_year_to_date_compares_the_same_months():
    monthly = pl.DataFrame(
        {
            "year": [2023, 2023, 2023, 2024, 2024],
            "month": [1, 2, 3, 1, 2],
            "kgce": [10.0, 20.0, 999.0, 12.0, 15.0],
        }
    )
    out = ind.year_to_date(monthly, keys=[], values=["kgce"], year=2024, month=2).row(0, named=True)
    # Jan–Feb 2024: 27; Jan–Feb 2023: 30 (March 2023 not counted) → −10 %
    assert (out["kgce"], out["kgce_prev"], out["kgce_yoy"]) == (27.0, 30.0, pytest.approx(-10.0))


def test_ratio_with_no_denominator_is_null():
    frame = pl.DataFrame(
        {"kgce": [5.0], "kgce_excl_vehicle": [5.0], "water_m3": [1.0], "persons": [0], "area_m2": [None]}
    )
    out = ind.with_ratios(frame).row(0, named=True)
    assert out["kgce_per_person"] is None
    assert out["kgce_per_m2"] is None


def test_official_vehicle_use_by_purpose_column():
    converted = pl.DataFrame(
        {
            "org": [1, 1],
            "year": [2024, 2024],
            "kind": ["energy", "energy"],
            "energy_code": ["gasoline", "gasoline"],
            "purpose": ["vehicle", "generator"],
            "kgce": [10.0, 4.0],
            "natural": [1.0, 1.0],
        }
    )
    out = ind.unit_totals(converted, keys=("org", "year")).row(0, named=True)
    assert (out["kgce"], out["kgce_excl_vehicle"]) == (14.0, 4.0)


# --- regional GDP indicators ---------------------------------------------------------------------
# A city, base year 2020: GDP 1 000 万元 at 2020 prices; real growth 6 % in 2021, 5 % in 2022.
# Constant-price GDP: 2021 = 1 060; 2022 = 1 113. Energy: 500, 510, 515 tce.
# Intensity (4 d.p.): 0.5000, 0.4811 (510/1060 = 0.481132), 0.4627 (515/1113 = 0.462713).
# Rate 2021 = (0.4811/0.5000 − 1) × 100 = −3.78 %; 2022 = (0.4627/0.4811 − 1) × 100 = −3.8245 %.
# Elasticity 2021 = 2 % / 6 % = 0.3333.
def test_gdp_intensity_rate_cumulative_and_elasticity():
    frame = pl.DataFrame(
        {
            "region": ["X"] * 3,
            "year": [2020, 2021, 2022],
            "gdp": [1000.0, 1180.0, 1300.0],  # current prices: not used after the base year
            "gdp_real_growth": [None, 6.0, 5.0],
            "energy_tce": [500.0, 510.0, 515.0],
        }
    )
    gdp = ind.constant_price_gdp(frame, keys=["region"], base_year=2020)
    assert gdp.sort("year")["gdp_constant"].to_list() == pytest.approx([1000.0, 1060.0, 1113.0])
    out = ind.gdp_indicators(gdp, keys=["region"], base_year=2020).sort("year")
    assert out["intensity"].to_list() == [0.5, 0.4811, 0.4627]
    assert out["intensity_rate"].to_list()[1:] == pytest.approx([-3.78, (0.4627 / 0.4811 - 1) * 100])
    assert out["intensity_vs_base"].to_list()[2] == pytest.approx(-7.46)
    assert out["elasticity"].to_list()[1] == pytest.approx(2 / 6)
    # cumulative over the plan: (1 − 0.0378)(1 − 0.038245) − 1 = −7.46 %, equal to the change on the base
    rates = out["intensity_rate"].to_list()[1:]
    assert ind.cumulative_rate(rates) == pytest.approx(-7.46, abs=1e-9)


def test_cumulative_rate_matches_official_form():
    # K = 1 − Π(1 − k_i) for reductions of 3 %, 4 %, 5 %: 1 − 0.97 × 0.96 × 0.95 = 11.536 %
    assert ind.cumulative_rate([-3, -4, -5]) == pytest.approx(-11.536)


def test_elasticity_when_gdp_does_not_grow():
    assert ind.elasticity(3.0, 0.0) is None
    assert ind.elasticity(3.0, 6.0) == 0.5
