"""Conversion to standard coal: properties and hand-computed cases."""

import math

import polars as pl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from jieneng.core.coal import convert
from jieneng.core.errors import ConversionFailed, MissingColumn, UnknownUnit
from jieneng.reference import load_coefficient_set, load_energy_types, load_units

CS = load_coefficient_set("public-institution")
UNITS = load_units()
TYPES = load_energy_types()
quantities = st.floats(min_value=0, max_value=1e9, allow_nan=False, allow_infinity=False)


def kgce(energy: str, unit: str, quantity: float, cs=CS) -> float:
    frame = pl.DataFrame({"energy_type": [energy], "unit": [unit], "quantity": [quantity]})
    out, _ = convert(frame, cs, UNITS, TYPES)
    return out["kgce"][0]


@pytest.mark.parametrize(
    ("energy", "unit", "quantity", "expected"),
    [
        ("电力", "kWh", 1000, 122.9),  # 1000 × 0.1229
        ("电力", "万kWh", 1, 1229.0),  # 10 000 × 0.1229
        ("电力", "亿千瓦时", 1, 12_290_000.0),
        ("天然气", "万m³", 2, 24_286.0),  # 20 000 × 1.2143
        ("汽油", "L", 100, 107.4122),  # 100 L × 0.73 kg/L × 1.4714
        ("柴油", "万L", 1, 12_531.06),  # 10 000 × 0.86 × 1.4571
        ("汽油", "t", 1, 1471.4),
        ("热力", "GJ", 1, 34.12),  # 1000 MJ × 0.03412
        ("热力", "百万千焦", 1, 34.12),  # 百万千焦 = 1 GJ
        ("原煤", "万t", 1, 7_143_000.0),
        ("液化石油气", "kg", 10, 17.143),
        ("水", "m³", 100, 8.57),  # Annex B 新水 0.0857 kgce/t, 1 m³ = 1 t
        ("其他能源（折标准煤）", "tce", 2, 2000.0),
        ("电力", "tce", 1, 1000.0),  # a quantity already in standard coal passes through
    ],
)
def test_hand_computed_conversions(energy, unit, quantity, expected):
    assert kgce(energy, unit, quantity) == pytest.approx(expected, rel=1e-12)


@given(st.lists(quantities, min_size=1, max_size=20), st.floats(min_value=0, max_value=1e6))
def test_conversion_is_linear(values, k):
    frame = pl.DataFrame(
        {"energy_type": ["电力"] * len(values), "unit": ["kWh"] * len(values), "quantity": values}
    )
    out, _ = convert(frame, CS, UNITS, TYPES)
    scaled, _ = convert(frame.with_columns(pl.col("quantity") * k), CS, UNITS, TYPES)
    assert scaled["kgce"].sum() == pytest.approx(out["kgce"].sum() * k, rel=1e-9, abs=1e-6)
    assert out["kgce"].sum() == pytest.approx(kgce("电力", "kWh", math.fsum(values)), rel=1e-9, abs=1e-6)


@given(
    quantities,
    st.sampled_from(
        [("电力", "kWh", "万kWh"), ("天然气", "m3", "万立方米"), ("柴油", "L", "万升"), ("原煤", "t", "万吨")]
    ),
)
def test_scale_words_are_consistent(q, case):
    energy, unit, scaled_unit = case
    assert kgce(energy, scaled_unit, q) == pytest.approx(kgce(energy, unit, q * 10_000), rel=1e-12)


@given(st.sampled_from(["kWh", "千瓦时", "度", "ｋＷｈ", " kwh ", "KWH"]))
def test_unit_spellings_are_the_same_unit(text):
    assert UNITS.parse(text).unit.symbol == "kWh"


def test_scale_words_parse():
    assert UNITS.parse("万kWh").size == pytest.approx(36_000)  # MJ
    assert UNITS.parse("亿千瓦时").scale == 1e8
    assert UNITS.parse("万m³").size == 1e4
    assert UNITS.parse("百万千焦").size == pytest.approx(1000)  # MJ: one GJ
    assert UNITS.parse("千克").unit.symbol == "kg"  # a unit, not 千 × 克


def test_unknown_unit_is_named():
    with pytest.raises(UnknownUnit) as caught:
        UNITS.parse("万桶")
    assert caught.value.params == {"unit": "万桶"}


def test_every_problem_is_reported_once():
    frame = pl.DataFrame(
        {
            "energy_type": ["电力", "暗物质", "暗物质", "煤油", "电力"],
            "unit": ["kWh", "kg", "kg", "L", "桶"],
            "quantity": [1.0, 2, 3, 4, 5],
        }
    )
    with pytest.raises(ConversionFailed) as caught:
        convert(frame, CS, UNITS, TYPES)
    codes = sorted(p.code for p in caught.value.problems)
    # 暗物质 unknown (once), 煤油 by volume has no density, 桶 unknown unit
    assert codes == ["missing_density", "unknown_energy_type", "unknown_unit"]


def test_incompatible_unit():
    frame = pl.DataFrame({"energy_type": ["电力"], "unit": ["m3"], "quantity": [1.0]})
    with pytest.raises(ConversionFailed) as caught:
        convert(frame, CS, UNITS, TYPES)
    assert caught.value.problems[0].code == "incompatible_unit"


def test_missing_column_names_it():
    with pytest.raises(MissingColumn) as caught:
        convert(pl.DataFrame({"energy_type": ["电"], "quantity": [1.0]}), CS, UNITS, TYPES)
    assert caught.value.params["column"] == "unit"


def test_measured_heating_value_takes_precedence():
    frame = pl.DataFrame(
        {
            "energy_type": ["焦炉煤气", "焦炉煤气"],
            "unit": ["万m³", "m3"],
            "quantity": [1.0, 1.0],
            "heating_value": [17981.0, None],
        }
    )
    out, _ = convert(frame, CS, UNITS, TYPES)
    assert out["kgce"].to_list() == pytest.approx([10_000 * 17981 / 29307, 0.5714])


def test_provenance_records_the_set_and_tables():
    frame = pl.DataFrame({"energy_type": ["电"], "unit": ["kWh"], "quantity": [1.0]})
    _, provenance = convert(frame.lazy(), load_coefficient_set("gbt2589-2020"), UNITS, TYPES)
    assert provenance.coefficient_set == "gbt2589-2020@2020.1"
    assert provenance.lineage == ("gbt2589-2008@2008.1",)
    assert provenance.as_dict()["units"] == "units@1"


def test_natural_quantity_is_in_the_default_unit():
    frame = pl.DataFrame({"energy_type": ["水", "水"], "unit": ["万t", "m3"], "quantity": [1.0, 5.0]})
    out, _ = convert(frame, CS, UNITS, TYPES)
    assert out["natural"].to_list() == [10_000.0, 5.0]
