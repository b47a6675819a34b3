"""The shipped coefficient sets against the values printed in GB/T 2589.

Expected values are typed here from the standard (2008 edition, Table A.1 and Table B.1), not read
from the data files, so a slip in either shows up as a failure.
"""

import pytest

from jieneng.core.errors import ReferenceDataError
from jieneng.reference import builtin_coefficient_sets, load_coefficient_set, load_energy_types, load_units

# GB/T 2589-2008 Table A.1: energy → (unit, kgce per unit, low, high)
TABLE_A1 = {
    "raw_coal": ("kg", 0.7143),
    "cleaned_coal": ("kg", 0.9000),
    "middlings": ("kg", 0.2857),
    "coal_slime": ("kg", 0.2857, 0.2857, 0.4286),
    "coke": ("kg", 0.9714),
    "crude_oil": ("kg", 1.4286),
    "fuel_oil": ("kg", 1.4286),
    "gasoline": ("kg", 1.4714),
    "kerosene": ("kg", 1.4714),
    "diesel": ("kg", 1.4571),
    "coal_tar": ("kg", 1.1429),
    "residual_oil": ("kg", 1.4286),
    "lpg": ("kg", 1.7143),
    "refinery_gas": ("kg", 1.5714),
    "oilfield_gas": ("m3", 1.3300),
    "gasfield_gas": ("m3", 1.2143),
    "coal_mine_methane": ("m3", 0.5000, 0.5000, 0.5714),
    "coke_oven_gas": ("m3", 0.5714, 0.5714, 0.6143),
    "blast_furnace_gas": ("m3", 0.1286),
    "producer_gas": ("m3", 0.1786),
    "heavy_oil_catalytic_gas": ("m3", 0.6571),
    "heavy_oil_thermal_gas": ("m3", 1.2143),
    "coke_derived_gas": ("m3", 0.5571),
    "pressure_gasification_gas": ("m3", 0.5143),
    "water_gas": ("m3", 0.3571),
    "crude_benzene": ("kg", 1.4286),
    "heat": ("MJ", 0.03412),
    "electricity": ("kWh", 0.1229),
    "steam_low_pressure": ("kg", 0.1286),
}
# GB/T 2589-2008 Table B.1 (energy-working media)
TABLE_B1 = {
    "water": ("t", 0.0857),
    "softened_water": ("t", 0.4857),
    "deaerated_water": ("t", 0.9714),
    "compressed_air": ("m3", 0.0400),
    "blast_air": ("m3", 0.0300),
    "oxygen": ("m3", 0.4000),
    "nitrogen_byproduct": ("m3", 0.4000),
    "nitrogen_main": ("m3", 0.6714),
    "carbon_dioxide": ("m3", 0.2143),
    "acetylene": ("m3", 8.3143),
    "calcium_carbide": ("kg", 2.0786),
}


@pytest.mark.parametrize(("energy", "expected"), {**TABLE_A1, **TABLE_B1}.items())
def test_2008_set_matches_the_standard(energy, expected):
    row = load_coefficient_set("gbt2589-2008").coefficients[energy]
    assert (row.unit, row.kgce) == expected[:2]
    assert row.status == "published"
    assert row.clause.startswith(("表A.1", "表B.1"))
    if len(expected) == 4:
        assert (row.low, row.high) == expected[2:]


def test_2008_set_has_every_row_of_both_tables_and_the_definition():
    cs = load_coefficient_set("gbt2589-2008")
    assert set(TABLE_A1) | set(TABLE_B1) <= set(cs.coefficients)
    assert cs.kj_per_kgce == 29307


def test_coefficients_agree_with_heating_values():
    """The standard derives kgce from heating values in kcal: kgce = kcal / 7 000 (1 kgce = 7 000 kcal).

    (In kJ the rounding differs: 3 600 kJ / 29 307 = 0.12284, while 860 kcal / 7 000 = 0.12286 → 0.1229.)
    """
    cs = load_coefficient_set("gbt2589-2008")
    kcal = {"raw_coal": 5000, "cleaned_coal": 6300, "diesel": 10200, "lpg": 12000, "electricity": 860}
    for energy, value in kcal.items():
        assert round(value / 7000, 4) == cs.coefficients[energy].kgce, energy
    assert round(1000 / cs.kj_per_kgce, 5) == cs.coefficients["heat"].kgce


def test_2020_rows_are_marked_to_confirm_and_inherit_the_rest():
    cs = load_coefficient_set("gbt2589-2020")
    assert cs.coefficients["lng"].kgce == 1.7572
    assert cs.coefficients["lng"].status == "to_confirm"
    assert cs.coefficients["water"].kgce == 0.2571
    assert cs.coefficients["raw_coal"].kgce == 0.7143
    assert cs.lineage == ("gbt2589-2008@2008.1",)


def test_public_institution_convention_uses_the_calorific_equivalent():
    cs = load_coefficient_set("public-institution")
    assert cs.coefficients["electricity"].kgce == 0.1229
    assert cs.ref == "public-institution@2022.1"


@pytest.mark.parametrize(("ref", "rate"), [("0404", 0.404), ("031", 0.31), ("028078", 0.28078)])
def test_electricity_equal_value_variants(ref, rate):
    cs = load_coefficient_set(f"electricity-equal-value-{ref}")
    assert cs.coefficients["electricity"].kgce == rate
    assert cs.coefficients["raw_coal"].kgce == 0.7143


def test_every_builtin_set_loads_and_covers_the_public_institution_form():
    form = ["electricity", "water", "raw_coal", "natural_gas", "lpg", "town_gas", "gasoline", "diesel"]
    form += ["kerosene", "other_oil", "heat", "other_energy_tce"]
    for ref in builtin_coefficient_sets():
        cs = load_coefficient_set(ref)
        assert set(form) <= set(cs.coefficients), ref


def test_user_file_extends_and_overrides(tmp_path):
    user = tmp_path / "cq.toml"
    user.write_text(
        'id = "cq"\nversion = "2024"\nextends = "public-institution"\n'
        'coefficients = [{ energy = "natural_gas", unit = "m3", kgce = 1.33, clause = "重庆" }]\n'
        'densities = [{ energy = "gasoline", kg_per_l = 0.73 }]\n',
        encoding="utf-8",
    )
    cs = load_coefficient_set(user)
    assert cs.coefficients["natural_gas"].kgce == 1.33
    assert cs.coefficients["electricity"].kgce == 0.1229
    assert cs.lineage == ("public-institution@2022.1", "gbt2589-2008@2008.1")
    assert load_coefficient_set(str(user)).ref == "cq@2024"


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        ('id = "x"\nversion = "1"\nextends = "no-such-set"\n', "no-such-set"),
        ('version = "1"\n', "id"),
        (
            'id = "x"\nversion = "1"\ncoefficients = [{ energy = "unobtainium", unit = "kg", kgce = 1 }]',
            "unobtainium",
        ),
        (
            'id = "x"\nversion = "1"\ncoefficients = [{ energy = "raw_coal", unit = "kg", kgce = -1 }]',
            "positive",
        ),
        ('id = "x"\nversion = "1"\nextends = "loop.toml"\n', "extends itself"),
        ('id = "x" version', "loop.toml"),
    ],
)
def test_bad_user_files_name_the_problem(tmp_path, text, needle):
    path = tmp_path / "loop.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ReferenceDataError) as caught:
        load_coefficient_set(path)
    assert needle in str(caught.value)


def test_tables_load():
    assert load_units().parse("万千瓦时").size == 36000.0
    assert load_energy_types().resolve("用电量").code == "electricity"
