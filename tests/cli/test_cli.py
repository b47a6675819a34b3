"""The command line end to end: exit status, outputs, provenance, messages in the user's language."""

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from jieneng.cli import main

ROOT = Path(__file__).parents[2]
FIXTURES = ROOT / "tests" / "fixtures" / "longform"
CHONGQING = ROOT / "docs" / "examples" / "chongqing.toml"
GAS_1_2143, GAS_1_33 = 1.2143, 1.33  # kgce/m³: the built-in default and Chongqing's value


@pytest.fixture(autouse=True)
def _default_language(settings):
    settings.JIENENG = settings.JIENENG.replace(lang="zh-hans")


def run(capsys, *argv):
    status = main([str(a) for a in argv])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def rows_of_csv(text):
    return list(csv.DictReader(io.StringIO(text)))


# --- convert -------------------------------------------------------------------------------------


def test_convert_json_has_provenance_and_every_row(capsys):
    status, out, err = run(capsys, "convert", FIXTURES / "good.xlsx", "--format", "json")
    assert status == 0, err
    document = json.loads(out)
    provenance = document["provenance"]
    assert provenance["coefficient_set"] == "public-institution@2022.1"
    assert provenance["lineage"] == ["gbt2589-2008@2008.1"]
    assert provenance["input"] == {"file": "good.xlsx", "sheet": "能源消费", "header_row": 3}
    rows = document["rows"]
    assert len(rows) == 14
    assert [r["row"] for r in rows][:3] == [4, 5, 6]
    electricity = rows[0]
    assert electricity["energy_code"] == "electricity"
    assert electricity["tce"] == pytest.approx(147.48)  # 1 200 000 kWh × 0.1229 kgce/kWh


def test_convert_csv_carries_the_coefficient_set_and_4_decimals(capsys):
    status, out, _ = run(capsys, "convert", FIXTURES / "tiny.csv", "--format", "csv")
    assert status == 0
    rows = rows_of_csv(out)
    assert {r["coefficient_set"] for r in rows} == {"public-institution@2022.1"}
    gasoline = next(r for r in rows if r["energy_code"] == "gasoline")
    assert gasoline["tce"] == "1.0741"  # 1000 L × 0.73 kg/L × 1.4714 kgce/kg = 1.074122 tce


def test_convert_matches_its_golden_output(capsys):
    status, out, _ = run(capsys, "convert", FIXTURES / "tiny.csv", "--format", "csv", "--lang", "en")
    assert status == 0
    assert out == (FIXTURES / "golden-convert.csv").read_text(encoding="utf-8")


def test_convert_table_has_a_footer_naming_the_set(capsys):
    status, out, _ = run(capsys, "convert", FIXTURES / "tiny.csv", "--lang", "en")
    assert status == 0
    assert out.splitlines()[-1] == "Coefficient set: public-institution@2022.1 ← gbt2589-2008@2008.1"


def test_convert_writes_a_file(capsys, tmp_path):
    target = tmp_path / "out.csv"
    status, out, _ = run(capsys, "convert", FIXTURES / "good-gbk.csv", "--format", "csv", "-o", target)
    assert status == 0 and out == ""
    assert target.read_bytes().startswith(b"\xef\xbb\xbf")  # a BOM, so Excel reads UTF-8
    assert len(rows_of_csv(target.read_text(encoding="utf-8-sig"))) == 14


def test_chongqing_set_changes_natural_gas_by_exactly_its_ratio(capsys):
    def gas_tce(*extra):
        status, out, err = run(capsys, "convert", FIXTURES / "good.csv", "--format", "json", *extra)
        assert status == 0, err
        document = json.loads(out)
        rows = [r for r in document["rows"] if r["energy_code"] == "natural_gas"]
        return document["provenance"], {r["row"]: r["kgce"] for r in rows}, rows

    _, default, _ = gas_tce()
    provenance, local, rows = gas_tce("--set", CHONGQING)
    assert provenance["coefficient_set"] == "chongqing-public-institution@2024.1"
    assert provenance["lineage"] == ["public-institution@2022.1", "gbt2589-2008@2008.1"]
    for row, kgce in default.items():
        assert local[row] / kgce == pytest.approx(GAS_1_33 / GAS_1_2143, rel=1e-9)
    assert rows[0]["tce"] == pytest.approx(30_000 * GAS_1_33 / 1000)  # 39.9 tce


# --- compute -------------------------------------------------------------------------------------


def test_compute_matches_its_golden_output(capsys):
    status, out, err = run(
        capsys,
        "compute",
        FIXTURES / "tiny.csv",
        "--facts",
        FIXTURES / "tiny-facts.csv",
        "--format",
        "json",
        "--composition",
        "--lang",
        "en",
    )
    assert status == 0, err
    actual = json.loads(out)
    golden = json.loads((FIXTURES / "golden-compute.json").read_text(encoding="utf-8"))
    for document in (actual, golden):
        document["provenance"].pop("jieneng_version")
    assert actual == golden


def test_compute_by_hand():
    """The golden file, checked by hand (public-institution set, GB/T 2589-2008 Annex A)."""
    golden = json.loads((FIXTURES / "golden-compute.json").read_text(encoding="utf-8"))
    y2023, y2024 = golden["rows"]
    # 2023: 100 000 kWh × 0.1229 + 10 000 m³ × 1.2143 = 12 290 + 12 143 = 24 433 kgce; 100 people, 5 000 m²
    assert (y2023["tce"], y2023["kgce_per_person"], y2023["kgce_per_m2"]) == (24.433, 244.33, 4.89)
    # 2024: 11 061 + 12 143 + 1 000 L × 0.73 × 1.4714 (= 1 074.122) = 24 278.122 kgce; 90 people
    assert (y2024["tce"], y2024["kgce_per_person"]) == (24.2781, 269.76)
    assert y2024["kgce_per_m2_excl_vehicle"] == 4.64  # (24 278.122 − 1 074.122) / 5 000
    assert y2024["water_per_person"] == 20.0  # 1 800 m³ / 90
    assert y2024["tce_yoy"] == -0.63 and y2024["kgce_per_person_yoy"] == 10.41
    assert y2024["share_gasoline"] == 4.42 and y2023["share_gasoline"] is None


def test_compute_from_a_workbook_with_facts(capsys):
    status, out, err = run(
        capsys, "compute", FIXTURES / "good.xls", "--facts", FIXTURES / "facts.csv", "--format", "csv"
    )
    assert status == 0 and err == ""
    rows = {(r["org"], r["year"]): r for r in rows_of_csv(out)}
    office = rows[("区机关事务管理局", "2024")]
    assert office["tce"] == "184.8476"  # 140 106 + 34 000.4 + 10 741.22 kgce
    assert office["kgce_per_person"] == "596.28"
    assert office["tce_yoy"] == "-6.07"
    school = rows[("区第一中学", "2024")]  # quarters and months add up to its year
    assert school["tce"] == "53.9437" and school["tce_yoy"] == ""  # 350 000 × 0.1229 + 9 000 × 1.2143
    assert {r["coefficient_set"] for r in rows.values()} == {"public-institution@2022.1"}


def test_compute_by_region_sums_units_before_dividing(capsys):
    status, out, _ = run(
        capsys,
        "compute",
        FIXTURES / "good.csv",
        "--facts",
        FIXTURES / "facts.csv",
        "--by",
        "region",
        "--format",
        "csv",
    )
    assert status == 0
    row = next(r for r in rows_of_csv(out) if r["year"] == "2024")
    assert (row["region"], row["units"], row["persons"]) == ("500103", "2", "1810")
    assert row["kgce_per_person"] == "131.93"  # (184 847.62 + 53 943.7) / 1 810, not a mean of ratios


def test_compute_warns_about_units_without_facts(capsys):
    status, _, err = run(
        capsys, "compute", FIXTURES / "good.csv", "--facts", FIXTURES / "tiny-facts.csv", "--lang", "en"
    )
    assert status == 0
    assert "No building area or energy users for “区第一中学” in 2024" in err


def test_compute_rejects_an_unknown_grouping(capsys):
    status, out, err = run(capsys, "compute", FIXTURES / "good.csv", "--by", "building", "--lang", "en")
    assert (status, out) == (2, "")
    assert "Unknown grouping “building”" in err


# --- sets ----------------------------------------------------------------------------------------


def test_sets_lists_the_builtin_sets(capsys):
    status, out, _ = run(capsys, "sets", "--format", "json")
    assert status == 0
    ids = {row["id"]: row for row in json.loads(out)["rows"]}
    assert {"gbt2589-2008", "public-institution"} <= set(ids)
    assert ids["public-institution"]["version"] == "2022.1"


def test_sets_shows_where_each_row_of_a_user_file_comes_from(capsys):
    status, out, _ = run(capsys, "sets", CHONGQING, "--format", "csv")
    assert status == 0
    rows = {r["energy"]: r for r in rows_of_csv(out) if r["per"] != "kg/L"}
    assert (rows["natural_gas"]["value"], rows["natural_gas"]["defined_in"]) == (
        "1.33",
        "chongqing-public-institution@2024.1",
    )
    assert rows["electricity"]["defined_in"] == "public-institution@2022.1"
    assert rows["coke_oven_gas"]["range"] == "0.5714–0.6143"
    assert rows["raw_coal"]["defined_in"] == "gbt2589-2008@2008.1"


# --- errors --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("bad-unknown-energy.csv", "Rows 3, 5: Unknown energy type “煤气罐”"),
        ("bad-unknown-unit.csv", "Rows 3, 5: Unknown unit “万千瓦”"),
        ("bad-number.csv", "Row 3, column “数量”: “12,3a4” is not a number"),
        ("bad-period.csv", "Row 2, column “期间”: “2024年13月” is not a period"),
        ("missing-column.csv", "Required column “计量单位” is missing"),
        ("bad-encoding.csv", "Row 3: The file is neither UTF-8 nor GBK/GB18030 text"),
        ("no-such-file.csv", "File “no-such-file.csv” does not exist."),
    ],
)
def test_bad_input_exits_2_with_the_row_and_no_traceback(capsys, name, expected):
    status, out, err = run(capsys, "convert", FIXTURES / name, "--lang", "en")
    assert (status, out) == (2, "")
    assert expected in err
    assert "Traceback" not in err


def test_each_unknown_name_is_reported_once(capsys):
    status, _, err = run(capsys, "compute", FIXTURES / "bad-unknown-unit.csv", "--lang", "en")
    assert status == 2
    assert err.count("万千瓦") == 1  # on rows 3 (电力) and 5 (天然气): one line
    assert (
        err.splitlines()[0] == "bad-unknown-unit.csv: 1 problem(s) prevent the conversion to standard coal."
    )


@pytest.mark.parametrize(
    ("ref", "expected"),
    [
        ("no-such-set", "Unknown coefficient set “no-such-set”. Built-in sets: "),
        ("missing.toml", "Coefficient set file “missing.toml” does not exist."),
    ],
)
def test_an_unknown_coefficient_set(capsys, ref, expected):
    status, _, err = run(capsys, "convert", FIXTURES / "tiny.csv", "--set", ref, "--lang", "en")
    assert status == 2
    assert expected in err


def test_a_broken_coefficient_file(capsys, tmp_path):
    broken = tmp_path / "broken.toml"
    broken.write_text(
        'id = "x"\nversion = "1"\nextends = "public-institution"\ncoefficients = [{ energy = "gas" }]\n'
    )
    status, _, err = run(capsys, "sets", broken, "--lang", "en")
    assert status == 2
    assert err.startswith("Error: Reference table") and "Traceback" not in err


def test_usage_errors_exit_2(capsys):
    assert run(capsys, "convert")[0] == 2
    assert run(capsys, "convert", FIXTURES / "tiny.csv", "--format", "xml")[0] == 2
    assert run(capsys)[0] == 2
    assert run(capsys, "--help")[0] == 0


def test_english_from_the_setting(capsys, settings):
    settings.JIENENG = settings.JIENENG.replace(lang="en")
    _, _, err = run(capsys, "convert", FIXTURES / "bad-unknown-energy.csv")
    assert "Unknown energy type “煤气罐”" in err


def test_english_from_the_environment(tmp_path):
    """JIENENG_LANG is read when the program starts (a process of its own here)."""
    env = {**os.environ, "JIENENG_LANG": "en", "JIENENG_DATA_DIR": str(tmp_path)}
    command = [sys.executable, "-m", "jieneng.cli", "convert", str(FIXTURES / "bad-unknown-energy.csv")]
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    assert done.returncode == 2
    assert "Unknown energy type “煤气罐”" in done.stderr


def test_a_setting_it_does_not_accept_is_named(tmp_path):
    env = {**os.environ, "JIENENG_LANG": "fr", "JIENENG_DATA_DIR": str(tmp_path)}
    command = [sys.executable, "-m", "jieneng.cli", "sets"]
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    assert done.returncode == 2
    assert "JIENENG_LANG: got 'fr'; expected zh-hans or en" in done.stderr
    assert "Traceback" not in done.stderr


def test_chinese_by_default_for_the_core_messages(capsys):
    status, _, err = run(capsys, "convert", FIXTURES / "bad-unknown-energy.csv")
    assert status == 2
    assert "Unknown energy type" not in err
    assert "煤气罐" in err and "未知" in err


def test_chinese_by_default_for_the_reader_messages(capsys):
    _, _, err = run(capsys, "convert", FIXTURES / "bad-number.csv")
    assert "第 3 行“数量”列：“12,3a4”不是数字。" in err
    assert "bad-number.csv：发现 2 个问题：" in err
