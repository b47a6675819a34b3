"""The shipped emission-factor sets against the published figures, and the loader's refusals.

Expected values are typed here from the published announcements (as printed, or as quoted by the press
reports named in the data files), not read from the data files, so a slip in either shows up.
"""

import pytest

from jieneng.core.emission_factors import CO2_PER_C, ElectricityFactor, FuelFactor
from jieneng.core.errors import ReferenceDataError
from jieneng.reference.emissions import (
    builtin_emission_factor_sets,
    is_emission_factor_file,
    load_emission_factor_set,
)

GRIDS = ("north", "northeast", "east", "central", "northwest", "south", "southwest")

# 生态环境部、国家统计局 announcements: national average, excluding market-traded non-fossil, fossil only
NATIONAL = {
    2021: {"average": 0.5568, "fossil": 0.8426},
    2022: {"average": 0.5366, "market": 0.5856, "fossil": 0.8325},
    2023: {"average": 0.5306, "market": 0.6096, "fossil": 0.8273},
}
# 区域电力平均二氧化碳排放因子 as the press reports of the 2022 and 2023 announcements print them
REGIONAL = {
    2022: dict(zip(GRIDS, (0.6776, 0.5564, 0.5617, 0.5395, 0.5857, 0.3869, 0.2268), strict=True)),
    2023: dict(zip(GRIDS, (0.6361, 0.5122, 0.5500, 0.5271, 0.5543, 0.4042, 0.2472), strict=True)),
}
# the five highest and five lowest provinces of 2022 (河北 山西 天津 内蒙古 安徽; 福建 广西 青海 四川 云南)
PROVINCES_2022 = {"13": 0.7252, "14": 0.7096, "12": 0.7041, "15": 0.6849, "34": 0.6782}
PROVINCES_2022 |= {"35": 0.4092, "45": 0.4044, "63": 0.1567, "51": 0.1404, "53": 0.1073}


@pytest.fixture(scope="module")
def mee():
    return load_emission_factor_set("mee-nbs-electricity")


@pytest.mark.parametrize(
    ("year", "variant", "value"), [(y, v, x) for y, d in NATIONAL.items() for v, x in d.items()]
)
def test_national_factors_match_the_announcements(mee, year, variant, value):
    row = mee.electricity[(year, "national", "", variant)]
    assert (row.kgco2, row.unit, row.status) == (value, "kWh", "confirmed")
    assert row.checked


@pytest.mark.parametrize(
    ("year", "grid", "value"), [(y, g, x) for y, d in REGIONAL.items() for g, x in d.items()]
)
def test_regional_factors_match_the_announcements(mee, year, grid, value):
    row = mee.electricity[(year, "grid", grid, "average")]
    assert (row.kgco2, row.status) == (value, "confirmed")


@pytest.mark.parametrize(("province", "value"), PROVINCES_2022.items())
def test_the_provinces_the_press_printed_are_confirmed(mee, province, value):
    row = mee.electricity[(2022, "province", province, "average")]
    assert (row.kgco2, row.status) == (value, "confirmed")


def test_2021_south_grid_is_the_2022_value_plus_the_reported_fall(mee):
    """The press report of 2022: 南方 fell by 0.0457 to 0.3869."""
    assert mee.electricity[(2021, "grid", "south", "average")].kgco2 == round(0.3869 + 0.0457, 4)


def test_every_unconfirmed_row_says_what_was_not_checked():
    for ref in builtin_emission_factor_sets():
        es = load_emission_factor_set(ref)
        rows: list[FuelFactor | ElectricityFactor] = [*es.fuels.values(), *es.electricity.values()]
        assert rows, ref
        for row in rows:
            assert row.clause, (ref, row)
            assert row.status in ("confirmed", "to_confirm", "policy_default")
            if row.status == "to_confirm":
                assert row.note, (ref, row)
        for row in es.electricity.values():
            if row.status == "confirmed":
                assert row.checked, (ref, row.key)


def test_provinces_and_grids(mee):
    assert len(mee.provinces) == 31
    assert {p.grid for p in mee.provinces.values()} == set(GRIDS) == set(mee.grids)
    assert mee.provinces["13"].grid == "north"
    assert mee.provinces["54"].grid == "southwest"
    # 30 provinces have a factor (西藏 none) in 2021 and 2022; the 2023 provinces are not shipped
    for year, count in ((2021, 30), (2022, 30), (2023, 0)):
        assert sum(1 for y, lvl, _, _ in mee.electricity if (y, lvl) == (year, "province")) == count


def test_data_years(mee):
    assert mee.data_years("average") == (2021, 2022, 2023)
    assert mee.data_years("market") == (2021, 2022, 2023)
    assert mee.lineage == ("gbt32150-2015@2015.1",)


# GB/T 32150-2015 formula (2): kgCO₂ per unit = NCV × CC × OF × 44/12 — typed parameters and the
# factors as public tables print them to 4 decimals
FUELS = {
    "natural_gas": ("m3", 389.31e-4, 15.3, 0.99, 2.1622),
    "diesel": ("kg", 42.652e-3, 20.2, 0.98, 3.0959),
    "gasoline": ("kg", 43.070e-3, 18.9, 0.98, 2.9251),
    "kerosene": ("kg", 43.070e-3, 19.6, 0.98, 3.0334),
    "fuel_oil": ("kg", 41.816e-3, 21.1, 0.98, 3.1705),
    "crude_oil": ("kg", 41.816e-3, 20.1, 0.98, 3.0202),
    "lpg": ("kg", 50.179e-3, 17.2, 0.98, 3.1013),
    "raw_coal": ("kg", 20.908e-3, 26.37, 0.94, 1.9003),
    "coke": ("kg", 28.435e-3, 29.5, 0.93, 2.8604),
}


@pytest.mark.parametrize(("energy", "expected"), FUELS.items())
def test_fuel_factors_are_computed_from_their_parameters(energy, expected):
    unit, gj_per_unit, carbon, oxidation, printed = expected
    fuel = load_emission_factor_set("gbt32150-2015").fuels[energy]
    assert fuel.unit == unit
    assert fuel.kgco2 == pytest.approx(gj_per_unit * carbon * oxidation * 44 / 12, rel=1e-12)
    assert round(fuel.kgco2, 4) == printed
    assert (fuel.carbon, fuel.oxidation) == (carbon, oxidation)
    assert "44/12" in fuel.parameters


def test_heat_and_green_electricity():
    es = load_emission_factor_set("gbt32150-2015")
    assert (es.fuels["heat"].kgco2, es.fuels["heat"].unit) == (110.0, "GJ")  # 0.11 tCO₂/GJ
    assert es.green is not None
    assert (es.green.kgco2, es.green.status) == (0.0, "policy_default")
    assert CO2_PER_C == 44 / 12


def test_enterprise_grid_factors_are_marked_to_confirm():
    es = load_emission_factor_set("mee-enterprise-grid")
    assert es.electricity[(2022, "national", "", "average")].kgco2 == 0.5703
    assert es.electricity[(2021, "national", "", "average")].kgco2 == 0.5810
    assert {row.status for row in es.electricity.values()} == {"to_confirm"}


def test_a_local_set_lists_only_what_it_changes(tmp_path):
    local = tmp_path / "hebei.toml"
    local.write_text(
        'kind = "emission_factors"\nid = "hebei-local"\nversion = "1"\nextends = "mee-nbs-electricity"\n'
        'fuels = [{ energy = "natural_gas", unit = "m3", ncv = 360.0, ncv_per = "万m3", carbon = 15.3,'
        ' oxidation = 0.99, clause = "measured", status = "confirmed" }]\n'
        'electricity = [{ year = 2023, level = "province", area = "13", variant = "average", kgco2 = 0.7,'
        ' unit = "kWh", clause = "local", status = "to_confirm", note = "test value" }]\n',
        encoding="utf-8",
    )
    assert is_emission_factor_file(local)
    es = load_emission_factor_set(local)
    assert es.ref == "hebei-local@1"
    assert es.lineage == ("mee-nbs-electricity@2026.1", "gbt32150-2015@2015.1")
    assert es.fuels["natural_gas"].kgco2 == pytest.approx(0.036 * 15.3 * 0.99 * 44 / 12)
    assert es.fuels["diesel"].kgco2 == pytest.approx(FUELS["diesel"][1] * 20.2 * 0.98 * 44 / 12)
    assert es.electricity_factor(2023, "average", "13").kgco2 == 0.7
    assert es.electricity_factor(2023, "average", "14").level == "grid"


BAD = [
    ('id = "x"\nversion = "1"\n', "kind"),
    ('kind = "emission_factors"\nversion = "1"\n', "“id” is missing"),
    ('kind = "emission_factors"\nid = "x"\nversion = "1"\nextends = "no-such-set"\n', "no-such-set"),
    (
        'kind = "emission_factors"\nid = "x"\nversion = "1"\n'
        'fuels = [{ energy = "unobtainium", unit = "kg", kgco2 = 1, clause = "c", status = "confirmed" }]',
        "unknown energy unobtainium",
    ),
    (
        'kind = "emission_factors"\nid = "x"\nversion = "1"\n'
        'fuels = [{ energy = "diesel", unit = "kg", kgco2 = 1, status = "confirmed" }]',
        "fuel row 1: “clause” is missing",
    ),
    (
        'kind = "emission_factors"\nid = "x"\nversion = "1"\n'
        'fuels = [{ energy = "diesel", unit = "kg", ncv = 42, clause = "c", status = "confirmed" }]',
        "go together",
    ),
    (
        'kind = "emission_factors"\nid = "x"\nversion = "1"\n'
        'fuels = [{ energy = "diesel", unit = "kg", ncv = 42, ncv_per = "m3", carbon = 20, oxidation = 0.98,'
        ' clause = "c", status = "confirmed" }]',
        "differ in kind",
    ),
    (
        'kind = "emission_factors"\nid = "x"\nversion = "1"\nextends = "mee-nbs-electricity"\n'
        'electricity = [{ year = 2024, level = "province", area = "99", variant = "average", kgco2 = 0.5,'
        ' unit = "kWh", clause = "c", status = "confirmed" }]',
        "electricity row 1: unknown province “99”",
    ),
    (
        'kind = "emission_factors"\nid = "x"\nversion = "1"\n'
        'electricity = [{ year = 2024, level = "county", variant = "average", kgco2 = 0.5,'
        ' unit = "kWh", clause = "c", status = "confirmed" }]',
        "level must be one of",
    ),
    (
        'kind = "emission_factors"\nid = "x"\nversion = "1"\n'
        'electricity = [{ year = 2024, level = "national", variant = "average", kgco2 = 0.5,'
        ' unit = "kWh", clause = "c", status = "maybe" }]',
        "status must be one of",
    ),
    (
        'kind = "emission_factors"\nid = "x"\nversion = "1"\n'
        'electricity = [{ year = 2024, level = "national", variant = "average", kgco2 = 0.5,'
        ' unit = "kWh", clause = "c" }]',
        "electricity row 1: “status” is missing",
    ),
]


@pytest.mark.parametrize(("text", "needle"), BAD)
def test_a_bad_file_fails_naming_the_table_and_the_key(tmp_path, text, needle):
    path = tmp_path / "bad.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ReferenceDataError) as caught:
        load_emission_factor_set(path)
    assert needle in str(caught.value)
    assert caught.value.params["table"] in (str(path), "x", "no-such-set")  # the file, its id, or its base


def test_a_set_that_extends_itself(tmp_path):
    path = tmp_path / "loop.toml"
    path.write_text('kind = "emission_factors"\nid = "loop"\nversion = "1"\nextends = "loop.toml"\n', "utf-8")
    with pytest.raises(ReferenceDataError, match="extends itself"):
        load_emission_factor_set(path)


def test_an_unknown_builtin_id_names_the_builtin_sets():
    with pytest.raises(ReferenceDataError, match="mee-nbs-electricity"):
        load_emission_factor_set("no-such-set")
