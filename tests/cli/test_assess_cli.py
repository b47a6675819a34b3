"""``jieneng assess``, ``assess-template`` and ``schemes`` end to end on sheets written at test time."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from jieneng.cli import main
from jieneng.io.assessment import header, read_assessment
from jieneng.reference.schemes import load_scheme


@pytest.fixture(autouse=True)
def _default_language(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("JIENENG_LANG", raising=False)


def write_sheet(
    path: Path, parties: dict[str, tuple[str, str, float]], *, override: dict[str, str] | None = None
) -> Path:
    """A sheet of the 2007 scheme headed as the template heads it: each party's target, actual
    change [%] and every measure at a share of its points; ``override`` sets cells of the first party."""
    scheme = load_scheme("gf2007-36-province")
    inputs = scheme.inputs()
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["某市考核", ""])
        writer.writerow(["被考核单位", *(header(item.title, kind) for _c, kind, item in inputs)])
        for index, (name, (target, actual, share)) in enumerate(parties.items()):
            cells: list[str] = [name]
            for column, kind, item in inputs:
                if kind == "target":
                    value = target
                elif kind == "actual":
                    value = actual
                elif kind == "yes_no":
                    value = "是" if share >= 0.5 else "否"
                else:
                    value = f"{item.points * share:g}"
                cells.append((override or {}).get(column, value) if index == 0 else value)
            writer.writerow(cells)
    return path


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    status = main(list(args))
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def test_assess_scores_grades_and_vetoes(tmp_path, capsys):
    sheet = write_sheet(
        tmp_path / "regions.csv",
        {"甲县": ("-4.0~-4.5", "-4.832", 1.0), "乙县": ("-4.0", "-3.64", 1.0), "丙县": ("-4", "-4.2", 0.4)},
    )
    status, out, err = run(capsys, "assess", str(sheet), "--scheme", "gf2007-36-province", "--format", "json")
    assert status == 0, err
    document = json.loads(out)
    assert document["provenance"]["scheme"] == "gf2007-36-province@2007.1"
    rows = {row["party"]: row for row in document["rows"]}
    assert rows["甲县"]["gdp_energy_intensity"] == 40 and rows["甲县"]["gdp_energy_intensity_over"] == 6
    assert rows["甲县"]["grade"] == "超额完成" and rows["甲县"]["rank"] == 1
    assert rows["乙县"]["grade"] == "未完成" and "一票否决" in rows["乙县"]["veto_reason"]
    assert rows["丙县"]["grade"] == "基本完成"


def test_the_table_names_the_scheme(tmp_path, capsys):
    sheet = write_sheet(tmp_path / "regions.csv", {"甲县": ("-4", "-4", 1.0)})
    status, out, _err = run(capsys, "assess", str(sheet), "--scheme", "gf2007-36-province")
    assert status == 0
    assert "甲县" in out and "超额完成" in out and "gf2007-36-province@2007.1" in out


def test_a_score_above_the_maximum_and_a_bad_target_exit_2_by_row_and_column(tmp_path, capsys):
    sheet = write_sheet(
        tmp_path / "regions.csv",
        {"甲县": ("-4", "-4", 1.0), "乙县": ("-4", "-4", 1.0)},
        override={"backward_capacity": "9"},
    )
    status, _out, err = run(capsys, "--lang", "en", "assess", str(sheet), "--scheme", "gf2007-36-province")
    assert status == 2
    assert "Row 3" in err and "完成当年淘汰落后生产能力目标(得分)" in err and "0–8" in err
    bad = write_sheet(tmp_path / "bad.csv", {"甲县": ("about 4", "-4", 1.0)})
    status, _out, err = run(capsys, "--lang", "en", "assess", str(bad), "--scheme", "gf2007-36-province")
    assert status == 2 and "Row 3" in err and "about 4" in err


def test_a_refused_scheme_exits_2_naming_file_line_and_item(tmp_path, capsys):
    scheme = tmp_path / "mine.toml"
    scheme.write_text(
        'kind = "scoring_scheme"\nid = "mine"\nversion = "1"\nextends = "gf2007-36-province"\n'
        '\n[[items]]\nid = "coordination"\npoints = 3\n',
        encoding="utf-8",
    )
    sheet = write_sheet(tmp_path / "regions.csv", {"甲县": ("-4", "-4", 1.0)})
    status, _out, err = run(capsys, "--lang", "en", "assess", str(sheet), "--scheme", str(scheme))
    assert status == 2
    assert "gf2007-36-province.toml, line" in err and "“organisation”" in err and "add up to 4" in err
    status, _out, err = run(capsys, "assess", str(sheet), "--scheme", "no-such-scheme")
    assert status == 2 and "gf2007-36-province" in err


def test_the_template_is_the_sheet_assess_reads(tmp_path, capsys):
    path = tmp_path / "template.xlsx"
    status, _out, err = run(capsys, "assess-template", "--scheme", "demonstration-unit", "-o", str(path))
    assert status == 0, err
    scheme = load_scheme("demonstration-unit")
    read = read_assessment(path, scheme)
    assert read.problems == [] and read.frame.height == 0
    assert read.frame.columns == ["row", "party", *(c for c, _k, _i in scheme.inputs())]


def test_schemes_lists_the_shipped_schemes(capsys):
    status, out, _err = run(capsys, "schemes", "--format", "json")
    assert status == 0
    ids = [row["id"] for row in json.loads(out)["rows"]]
    assert ids == ["demonstration-unit", "gf2007-36-province", "public-institution"]


def test_a_bad_yes_no_and_a_party_twice_are_reported_by_row(tmp_path, capsys):
    sheet = write_sheet(
        tmp_path / "regions.csv",
        {"甲县": ("-4", "-4", 1.0), "乙县": ("-4", "-4", 1.0)},
        override={"targets_decomposed": "也许"},
    )
    with sheet.open("a", encoding="utf-8") as handle:
        handle.write(sheet.read_text(encoding="utf-8").splitlines()[-1] + "\n")
    status, _out, err = run(capsys, "--lang", "en", "assess", str(sheet), "--scheme", "gf2007-36-province")
    assert status == 2
    assert "Row 3" in err and "也许" in err
    assert "Row 5" in err and "first appears in row 4" in err
