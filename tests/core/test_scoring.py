"""Assessment scoring: the shipped schemes against worked examples, and the schemes the loader refuses."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from jieneng.core.scoring import score, target_value
from jieneng.reference.schemes import SchemeRefused, builtin_schemes, line_of, load_scheme


def _national_row(actual: float, target: str, measures: float, row: int = 2) -> dict[str, object]:
    """A region of the 2007 scheme: its target and actual change [%], each measure at a share."""
    scheme = load_scheme("gf2007-36-province")
    values: dict[str, object] = {"row": row, "party": f"region {row}"}
    for column, kind, item in scheme.inputs():
        if kind == "target":
            values[column] = target_value(target)
        elif kind == "actual":
            values[column] = actual
        elif kind == "yes_no":
            values[column] = measures >= 0.5
        else:
            values[column] = item.points * measures
    return values


def test_every_shipped_scheme_loads_with_its_version():
    assert set(builtin_schemes()) >= {"gf2007-36-province", "public-institution", "demonstration-unit"}
    for ref in builtin_schemes():
        scheme = load_scheme(ref)
        assert scheme.ref == f"{scheme.id}@{scheme.version}"


def test_the_national_measures_are_grouped_as_published():
    scheme = load_scheme("gf2007-36-province")
    assert [g.points for g in scheme.groups] == [40, 2, 3, 20, 10, 9, 8, 8]


def test_a_region_over_achieving_by_20_8_percent_scores_40_plus_6():
    frame = pl.DataFrame([_national_row(-4.832, "-4.0", 1.0)])
    result = score(load_scheme("gf2007-36-province"), frame).frame.row(0, named=True)
    assert result["gdp_energy_intensity_rate"] == pytest.approx(1.208)
    assert result["gdp_energy_intensity"] == 40
    assert result["gdp_energy_intensity_over"] == 6
    assert result["total"] == 106
    assert result["grade"] == "超额完成" and not result["vetoed"]
    assert result["scheme"] == "gf2007-36-province@2007.1"


def test_a_region_at_91_percent_is_vetoed_whatever_its_measures():
    frame = pl.DataFrame([_national_row(-3.64, "-4.0", 1.0)])
    result = score(load_scheme("gf2007-36-province"), frame).frame.row(0, named=True)
    assert result["gdp_energy_intensity"] == 36 and result["total"] == 96
    assert result["grade"] == "未完成" and result["vetoed"]
    assert "单位GDP能耗降低率" in result["veto_reason"]
    assert "整改" in result["consequences"]


def test_a_range_target_is_met_at_its_lower_bound():
    assert target_value("−4.0~−4.5 %") == -4.0
    assert target_value("4.5～4.0") == 4.0
    with pytest.raises(ValueError):
        target_value("about four")
    frame = pl.DataFrame([_national_row(-4.0, "−4.0~−4.5 %", 0.8)])
    result = score(load_scheme("gf2007-36-province"), frame).frame.row(0, named=True)
    assert result["gdp_energy_intensity"] == 40 and not result["vetoed"]


@pytest.mark.parametrize(
    ("actual", "points", "bonus"),
    [(-2.0, 20, 0), (-1.9, 0, 0), (-2.52, 24, 0), (-3.6, 36, 0), (-4.4, 40, 3), (-8.0, 40, 9), (1.0, 0, 0)],
)
def test_the_national_target_bands(actual, points, bonus):
    frame = pl.DataFrame([_national_row(actual, "-4", 1.0)])
    result = score(load_scheme("gf2007-36-province"), frame).frame.row(0, named=True)
    assert (result["gdp_energy_intensity"], result["gdp_energy_intensity_over"]) == (points, bonus)


def test_many_parties_are_ranked_and_graded_together():
    rows = [
        _national_row(-4.8, "-4", 1.0, 2),
        _national_row(-4.0, "-4", 0.5, 3),
        _national_row(-4.0, "-4", 0.9, 4),
    ]
    result = score(load_scheme("gf2007-36-province"), pl.DataFrame(rows)).frame
    assert result["rank"].to_list() == [1, 3, 2]
    assert result["grade"].to_list() == ["超额完成", "基本完成", "完成"]  # 106, 71.5, 94.3


def _unit_row(**values: object) -> dict[str, object]:
    scheme = load_scheme("demonstration-unit")
    row: dict[str, object] = {"row": 2, "party": "unit"}
    for column, kind, item in scheme.inputs():
        row[column] = {"value": 1.0, "peer": 1.0, "certified": False}.get(kind, item.points)
    return {**row, **values}


def test_a_demonstration_applicant_at_1_05_times_the_average_scores_5():
    scheme = load_scheme("demonstration-unit")
    frame = pl.DataFrame([_unit_row(energy_per_m2_value=10.5, energy_per_m2_peer=10.0)])
    result = score(scheme, frame).frame.row(0, named=True)
    assert result["energy_per_m2"] == 5
    assert result["energy_per_person"] == 6  # exactly 1.0×: ≤ 1.0× scores 6
    assert result["total"] == 100 - 2 - 1 - 1 + 10  # water at 1.0× too
    assert result["grade"] == "通过"


def test_a_certified_water_saver_gets_the_water_points_and_a_starred_zero_fails():
    scheme = load_scheme("demonstration-unit")
    frame = pl.DataFrame(
        [
            _unit_row(
                water_per_person_value=2.0,
                water_per_person_peer=1.0,
                water_per_person_certified=True,
                statistics=0.0,
            )
        ]
    )
    result = score(scheme, frame).frame.row(0, named=True)
    assert result["water_per_person"] == 7
    assert result["total"] >= 85 and result["grade"] == "不通过" and result["vetoed"]


def test_a_public_institution_missing_a_binding_target_is_not_complete():
    scheme = load_scheme("public-institution")
    values: dict[str, object] = {"row": 2, "party": "bureau"}
    for column, kind, item in scheme.inputs():
        values[column] = {"target": -2.0, "actual": -2.5, "yes_no": True, "count": 10.0}.get(
            kind, item.points
        )
    values["water_per_person_actual"] = -1.9
    result = score(scheme, pl.DataFrame([values])).frame.row(0, named=True)
    assert result["total"] == 98 and result["grade"] == "未完成"
    assert "人均用水量" in result["veto_reason"]


def test_a_hand_score_above_its_maximum_is_a_problem():
    frame = pl.DataFrame([_national_row(-4.0, "-4", 1.0)]).with_columns(
        pl.lit(5.0).alias("backward_capacity")
    )
    frame = frame.with_columns(pl.when(pl.col("row") == 2).then(9.0).alias("backward_capacity"))
    scored = score(load_scheme("gf2007-36-province"), frame, {"backward_capacity": "淘汰落后"})
    assert [(p.code, p.row, p.column, p.value) for p in scored.problems] == [
        ("score_out_of_range", 2, "淘汰落后", "9")
    ]
    assert scored.frame["grade"].to_list() == [None]


# --- schemes the loader refuses -----------------------------------------------------------------------


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "my-scheme.toml"
    path.write_text('kind = "scoring_scheme"\nid = "mine"\nversion = "1"\n' + text, encoding="utf-8")
    return path


def _refused(path: Path) -> list[tuple[str, object, str]]:
    with pytest.raises(SchemeRefused) as caught:
        load_scheme(path)
    return [(p.code, p.row, p.value or "") for p in caught.value.problems]


def test_an_office_extends_a_scheme_without_code(tmp_path):
    path = _write(
        tmp_path,
        'extends = "gf2007-36-province"\n'
        'grades = [{ name = "好", min = 90 }, { name = "一般", min = 60 }, { name = "未完成", min = 0 }]\n'
        'vetoes = [{ items = ["gdp_energy_intensity"], when = "target_missed", grade = "未完成" }]\n'
        'consequences = [{ grade = "未完成", kind = "accountability", text = "问责" }]\n'
        '[[items]]\nid = "statistics_system"\ntitle = "统计体系"\n',
    )
    scheme = load_scheme(path)
    assert scheme.ref == "mine@1" and scheme.lineage == ("gf2007-36-province@2007.1",)
    assert scheme.items["statistics_system"].title == "统计体系"
    assert scheme.items["statistics_system"].points == 1
    assert [g.name for g in scheme.grades] == ["好", "一般", "未完成"]


def test_points_that_do_not_add_up_name_the_file_line_and_group(tmp_path):
    path = _write(
        tmp_path, '\nextends = "gf2007-36-province"\n\n[[items]]\nid = "coordination"\npoints = 2\n'
    )
    problems = _refused(path)
    assert ("scheme_points_mismatch", None, "organisation") in [(c, None, v) for c, _r, v in problems]
    with pytest.raises(SchemeRefused) as caught:
        load_scheme(path)
    message = next(p.message for p in caught.value.problems if p.value == "organisation")
    assert "gf2007-36-province.toml" in message and "organisation" in message and "line" in message


def test_a_band_with_a_gap_an_unknown_item_and_a_veto_on_nothing(tmp_path):
    path = _write(
        tmp_path,
        "points = 10\n"
        'grades = [{ name = "ok", min = 6 }, { name = "no", min = 0 }]\n'
        'vetoes = [{ items = ["ghost"], when = "zero", grade = "no" }]\n'
        'remove = ["phantom"]\n'
        'groups = [{ id = "g", points = 10 }]\n'
        "\n[[items]]\n"
        'id = "rate"\ngroup = "g"\npoints = 10\nmethod = "completion"\n'
        "bands = [{ from = 1.0, points = 10 }, { from = 0.5, to = 0.9, points = 5 },\n"
        "  { to = 0.5, points = 0 }]\n",
    )
    with pytest.raises(SchemeRefused) as caught:
        load_scheme(path)
    found = {(p.code, p.row, p.value) for p in caught.value.problems}
    assert ("scheme_unknown_item", 7, "phantom") in found
    text = path.read_text(encoding="utf-8")
    assert line_of(text, "phantom") == 7


def test_a_band_gap_and_a_veto_on_an_unknown_item_are_each_reported(tmp_path):
    path = _write(
        tmp_path,
        "points = 10\n"
        'grades = [{ name = "ok", min = 6 }, { name = "no", min = 0 }]\n'
        'vetoes = [{ items = ["ghost"], when = "zero", grade = "no" }]\n'
        'groups = [{ id = "g", points = 10 }]\n'
        "\n[[items]]\n"
        'id = "rate"\ngroup = "g"\npoints = 10\nmethod = "completion"\n'
        "bands = [{ from = 1.0, points = 10 }, { from = 0.5, to = 0.9, points = 5 },\n"
        "  { to = 0.5, points = 0 }]\n",
    )
    found = {(c, r, v) for c, r, v in _refused(path)}
    assert found == {("scheme_band_gap", 10, "rate"), ("scheme_veto_unknown_item", 6, "ghost")}
    with pytest.raises(SchemeRefused) as caught:
        load_scheme(path)
    gap = next(p for p in caught.value.problems if p.code == "scheme_band_gap")
    assert "my-scheme.toml, line 10" in gap.message and "0.9 and 1" in gap.message
