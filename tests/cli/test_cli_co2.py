"""CO₂ on the command line: ``jieneng compute --co2`` and the emission-factor sets in ``jieneng sets``.

good.csv is 渝中区 (500103, 重庆市). Reporting years 2023 and 2024 take the data year 2023 by default; the
2023 announcement's provinces are not shipped, so 重庆 takes its grid, 西南 0.2472 kgCO₂/kWh.
"""

import json
from pathlib import Path

import pytest

from jieneng.cli import main

ROOT = Path(__file__).parents[2]
GOOD = ROOT / "tests" / "fixtures" / "longform" / "good.csv"
FACTS = ROOT / "tests" / "fixtures" / "longform" / "facts.csv"
OFFICE = "区机关事务管理局"
# natural gas 389.31 GJ/万m³ × 15.3 × 0.99 × 44/12 = 2.16218881 kgCO₂/m³;
# gasoline 0.73 kg/L, 43.070 GJ/t × 18.9 × 0.98 × 44/12 = 2.92505598 kgCO₂/kg
# office 2023: gas 30 000 × 2.16218881 = 64 865.664; gasoline 12 000 × 0.73 × 2.92505598 = 25 623.490
FUELS_2023 = 64_865.664 + 25_623.490


@pytest.fixture(autouse=True)
def _default_language(monkeypatch):
    monkeypatch.delenv("JIENENG_LANG", raising=False)


def run(capsys, *argv):
    status = main([str(a) for a in argv])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def office_2023(capsys, *extra):
    status, out, err = run(capsys, "compute", GOOD, "--co2", "--format", "json", *extra)
    assert (status, err) == (0, ""), err
    document = json.loads(out)
    row = next(r for r in document["rows"] if (r["org"], r["year"]) == (OFFICE, 2023))
    return row, document["provenance"]


def test_compute_co2_by_hand(capsys):
    """1 200 000 kWh × 0.2472 = 296 640; + 90 489.154 of fuels = 387 129.154 kgCO₂ = 387.1292 tCO₂."""
    row, provenance = office_2023(capsys)
    assert row["tco2"] == pytest.approx(387.1292, abs=1e-4)
    assert row["kgco2"] == pytest.approx(296_640 + FUELS_2023, abs=0.01)
    assert (row["co2_data_year"], row["emission_factors"]) == (2023, "mee-nbs-electricity@2026.1")
    carbon = provenance["co2"]
    assert carbon["factor_set"] == "mee-nbs-electricity@2026.1"
    assert carbon["data_years"] == {"2023": 2023, "2024": 2023}
    assert carbon["convention"]["basis"] == "location"
    assert carbon["convention"]["year_rule"] == "latest"
    assert "electricity:2023:grid:southwest:average" in carbon["factors"]
    assert carbon["unconfirmed"] == ["fuel:gasoline", "fuel:natural_gas"]
    assert provenance["coefficient_set"] == "public-institution@2022.1"


@pytest.mark.parametrize(
    ("extra", "kwh_factor", "data_year"),
    [
        (("--factor-year", "2022"), 0.5227, 2022),  # 重庆 2022
        (("--factor-year", "lag1"), 0.5227, 2022),
        (("--basis", "market"), 0.6096, 2023),  # national, excluding market-traded non-fossil
        (("--factors", "mee-enterprise-grid"), 0.5703, 2022),  # national grid average for 2022 data
    ],
)
def test_compute_co2_conventions(capsys, extra, kwh_factor, data_year):
    row, provenance = office_2023(capsys, *extra)
    assert row["kgco2"] == pytest.approx(1_200_000 * kwh_factor + FUELS_2023, abs=0.01)
    assert row["co2_data_year"] == data_year
    assert provenance["co2"]["data_years"]["2023"] == data_year


def test_compute_co2_intensities_and_change(capsys):
    status, out, _ = run(capsys, "compute", GOOD, "--facts", FACTS, "--co2", "--format", "json")
    assert status == 0
    rows = {(r["org"], r["year"]): r for r in json.loads(out)["rows"]}
    office = rows[(OFFICE, 2023)]
    assert office["kgco2_per_person"] == pytest.approx(office["kgco2"] / office["persons"], abs=0.01)
    assert office["kgco2_per_m2"] == pytest.approx(office["kgco2"] / office["area_m2"], abs=0.01)
    later = rows[(OFFICE, 2024)]
    assert later["tco2_yoy"] == pytest.approx((later["kgco2"] / office["kgco2"] - 1) * 100, abs=0.01)


def test_compute_co2_table_names_the_factors(capsys):
    status, out, _ = run(capsys, "compute", GOOD, "--co2", "--lang", "en")
    assert status == 0
    assert "CO₂ [tCO₂]" in out
    assert "CO₂ factors: mee-nbs-electricity@2026.1 ← gbt32150-2015@2015.1; location-based" in out
    assert "data years used: 2023→2023, 2024→2023" in out
    assert "2 of the CO₂ factors used are still to be confirmed: fuel:gasoline, fuel:natural_gas" in out
    status, out, _ = run(capsys, "compute", GOOD, "--co2")
    assert "二氧化碳排放因子：mee-nbs-electricity@2026.1" in out


def test_compute_without_co2_has_no_co2_columns(capsys):
    status, out, _ = run(capsys, "compute", GOOD, "--format", "json")
    assert status == 0
    document = json.loads(out)
    assert "co2" not in document["provenance"]
    assert not any(key.startswith(("tco2", "kgco2")) for key in document["rows"][0])


def test_a_reporting_year_the_factors_do_not_cover(capsys):
    status, out, err = run(capsys, "compute", GOOD, "--co2", "--factor-year", "lag5", "--lang", "en")
    assert (status, out) == (2, "")
    assert err.splitlines()[0] == "good.csv: 2 problem(s) prevent the CO₂ calculation."
    assert (
        "Rows 2: Emission-factor set mee-nbs-electricity@2026.1 has no average electricity factor for " in err
    )
    assert "reporting year 2023 under the rule “lag 5”; its data years are 2021, 2022, 2023." in err
    assert "Traceback" not in err


def test_a_province_the_factors_do_not_list(capsys, tmp_path):
    data = tmp_path / "hk.csv"
    data.write_text("单位,期间,能源品种,数量,计量单位,行政区划代码\n某署,2022,电力,100,kWh,810000\n", "utf-8")
    status, _, err = run(capsys, "compute", data, "--co2", "--lang", "en")
    assert status == 2
    assert "Rows 2: Emission-factor set mee-nbs-electricity@2026.1 lists no province “81”" in err


def test_an_energy_type_without_a_factor(capsys, tmp_path):
    data = tmp_path / "tce.csv"
    data.write_text(
        "单位,期间,能源品种,数量,计量单位,行政区划代码\n某局,2022,其他能源,5,tce,130102\n", "utf-8"
    )
    status, _, err = run(capsys, "compute", data, "--co2")
    assert status == 2
    assert (
        "排放因子集 mee-nbs-electricity@2026.1 中没有 其他能源（折标准煤） 的二氧化碳排放因子。" in err
    )  # by its name


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        (
            ("--factors", "no-such-set"),
            "Unknown emission-factor set “no-such-set”. Built-in sets: gbt32150-2015",
        ),
        (("--factors", "missing.toml"), "Emission-factor set file “missing.toml” does not exist."),
        (("--co2", "--factor-year", "soon"), "Unknown data-year rule “soon”"),
    ],
)
def test_bad_co2_options(capsys, extra, expected):
    status, _, err = run(capsys, "compute", GOOD, *extra, "--lang", "en")
    assert status == 2
    assert expected in err


# --- sets ------------------------------------------------------------------------------------------


def test_sets_lists_the_emission_factor_sets(capsys):
    status, out, _ = run(capsys, "sets", "--format", "json")
    assert status == 0
    kinds = {row["id"]: row["kind"] for row in json.loads(out)["rows"]}
    assert kinds["public-institution"] == "coefficients"
    assert kinds["mee-nbs-electricity"] == kinds["gbt32150-2015"] == "emission_factors"


def test_sets_shows_an_emission_factor_set(capsys):
    status, out, _ = run(capsys, "sets", "mee-nbs-electricity", "--format", "json", "--lang", "en")
    assert status == 0
    document = json.loads(out)
    assert document["provenance"]["emission_factor_set"] == "mee-nbs-electricity@2026.1"
    rows = document["rows"]
    hebei = next(r for r in rows if (r["year"], r["level"], r["area"]) == (2022, "province", "13 河北省"))
    assert (hebei["value"], hebei["status"], hebei["defined_in"]) == (
        0.7252,
        "confirmed",
        "mee-nbs-electricity@2026.1",
    )
    gas = next(r for r in rows if r["energy"] == "natural_gas")
    assert gas["parameters"] == "389.31 GJ/万m3 × 15.3 tC/TJ × 99% × 44/12"
    assert (gas["per"], gas["defined_in"]) == ("kgCO₂/m3", "gbt32150-2015@2015.1")


def test_sets_shows_where_the_rows_of_a_local_emission_file_come_from(capsys, tmp_path):
    local = tmp_path / "local.toml"
    local.write_text(
        'kind = "emission_factors"\nid = "local"\nversion = "1"\nextends = "mee-nbs-electricity"\n'
        'fuels = [{ energy = "heat", unit = "GJ", kgco2 = 95.0, clause = "supplier",'
        ' status = "confirmed" }]\n',
        encoding="utf-8",
    )
    status, out, _ = run(capsys, "sets", local, "--format", "json")
    assert status == 0
    rows = json.loads(out)["rows"]
    heat = next(r for r in rows if r["energy"] == "heat")
    assert (heat["value"], heat["defined_in"]) == (95.0, "local@1")
    diesel = next(r for r in rows if r["energy"] == "diesel")
    assert diesel["defined_in"] == "gbt32150-2015@2015.1"
    north = next(r for r in rows if (r["year"], r["level"], r["variant"]) == (2023, "grid", "average"))
    assert north["defined_in"] == "mee-nbs-electricity@2026.1"
