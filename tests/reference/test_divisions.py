"""The packaged GB/T 2260 division table and its loader."""

from __future__ import annotations

import tomllib
from collections import Counter
from datetime import date
from importlib import resources
from itertools import pairwise
from pathlib import Path

import pytest

from jieneng.reference.divisions import Division, DivisionTable, UnknownDivision, load_divisions

HEADER = "code,name,level,parent_code,valid_from,valid_to\n"
SNAPSHOT = date(2023, 6, 30)


@pytest.fixture(scope="module")
def table() -> DivisionTable:
    return load_divisions()


def write(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "divisions.csv"
    path.write_text(HEADER + body, encoding="utf-8")
    return path


def test_loads_with_metadata(table: DivisionTable) -> None:
    assert table.id == "gb2260"
    assert table.version == "2023-06-30"
    assert "china-division 2.7.0" in table.source
    assert "MIT" in table.license
    assert load_divisions() is table  # the default table is cached


def test_source_file_has_the_documented_keys() -> None:
    text = (resources.files("jieneng.reference") / "data" / "divisions" / "SOURCE.toml").read_text("utf-8")
    meta = tomllib.loads(text)
    for key in ("id", "version", "title", "source", "license", "retrieved", "notes"):
        assert meta[key], key
    assert meta["retrieved"] == "2026-11-21"


def test_snapshot_counts_are_plausible(table: DivisionTable) -> None:
    current = Counter(d.level for d in table.divisions if d.valid_to is None)
    assert current[1] == 31
    assert 333 <= current[2] <= 360  # 333 prefecture-level units plus the pseudo-prefectures 市辖区/县/省直辖
    assert 2800 <= current[3] <= 2900
    on_snapshot = Counter(d.level for d in table.divisions if d.valid_on(SNAPSHOT))
    assert on_snapshot == current


def test_rows_are_sorted_and_well_formed(table: DivisionTable) -> None:
    keys = [(d.code, d.valid_from) for d in table.divisions]
    assert keys == sorted(keys)
    for d in table.divisions:
        assert len(d.code) == 6 and d.code.isdigit()
        assert d.level in (1, 2, 3)
        assert (d.parent_code is None) == (d.level == 1)
        assert d.valid_to is None or d.valid_to >= d.valid_from


def test_known_codes(table: DivisionTable) -> None:
    assert table.get("440000").name == "广东省"
    assert table.get("130000").name == "河北省"
    chongqing = table.get("500000")
    assert (chongqing.name, chongqing.level, chongqing.parent_code) == ("重庆市", 1, None)
    jieyang = table.get("445200")
    assert (jieyang.name, jieyang.level, jieyang.parent_code) == ("揭阳市", 2, "440000")


def test_jieyang_counties(table: DivisionTable) -> None:
    expected = {
        "445202": "榕城区",
        "445203": "揭东区",
        "445222": "揭西县",
        "445224": "惠来县",
        "445281": "普宁市",
    }
    children = table.children("445200")
    assert {d.code: d.name for d in children} == expected
    assert all(d.level == 3 and d.parent_code == "445200" for d in children)
    assert table.children("445200", on=SNAPSHOT) == children


def test_history_jiedong_county_became_a_district(table: DivisionTable) -> None:
    county = table.get("445221")
    assert county.name == "揭东县" and county.valid_to is not None
    district = table.get("445203")
    assert district.valid_to is None
    assert county.valid_to < district.valid_from
    assert not district.valid_on(date(2005, 1, 1))
    in_2005 = {d.code for d in table.children("445200", on=date(2005, 1, 1))}
    assert "445221" in in_2005 and "445203" not in in_2005
    with pytest.raises(UnknownDivision):
        table.get("445221", on=date(2020, 1, 1))


def test_municipalities_have_resolving_pseudo_cities(table: DivisionTable) -> None:
    for province in ("110000", "120000", "310000", "500000"):
        city = province[:2] + "0100"
        assert table.get(city).parent_code == province
        assert table.children(city)
    assert table.get("110101").parent_code == "110100"
    assert {d.code for d in table.children("500000")} == {"500100", "500200"}


def test_every_parent_resolves_on_every_day(table: DivisionTable) -> None:
    for d in table.divisions:
        if d.parent_code is None:
            continue
        for day in {d.valid_from, d.valid_to or SNAPSHOT}:
            parent = table.get(d.parent_code, on=day)
            assert parent.level < d.level, d


def test_codes_never_overlap(table: DivisionTable) -> None:
    by_code: dict[str, list[Division]] = {}
    for d in table.divisions:
        by_code.setdefault(d.code, []).append(d)
    for rows in by_code.values():
        for earlier, later in pairwise(rows):
            assert earlier.valid_to is not None and earlier.valid_to < later.valid_from


def test_subtree(table: DivisionTable) -> None:
    tree = table.subtree("445200")
    assert tree[0].code == "445200"
    assert {d.code for d in tree[1:]} == {d.code for d in table.children("445200")}
    guangdong = table.subtree("440000")
    assert guangdong[0].code == "440000"
    assert {d.level for d in guangdong} == {1, 2, 3}
    assert all(d.code.startswith("44") for d in guangdong)


def test_unknown_code_names_the_code(table: DivisionTable) -> None:
    with pytest.raises(UnknownDivision, match="445299") as info:
        table.get("445299")
    assert isinstance(info.value, LookupError)
    assert str(info.value).startswith("未知的行政区划代码 445299")
    assert "unknown division code" in str(info.value)
    with pytest.raises(UnknownDivision, match="2020-01-01"):
        table.get("445221", on=date(2020, 1, 1))
    with pytest.raises(UnknownDivision):
        table.children("999900")


def test_a_small_valid_file_loads(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "440000,广东省,1,,1980-12-01,\n"
        "445200,揭阳市,2,440000,1991-12-01,\n"
        "445221,揭东县,3,445200,1991-12-01,2011-11-30\n"
        "445203,揭东区,3,445200,2011-12-01,\n",
    )
    small = load_divisions(path)
    assert small.id == "divisions"
    assert [d.code for d in small.divisions] == ["440000", "445200", "445203", "445221"]
    assert [d.name for d in small.children("445200", on=date(2000, 1, 1))] == ["揭东县"]
    assert [d.name for d in small.children("445200")] == ["揭东区"]


@pytest.mark.parametrize(
    ("body", "row", "problem"),
    [
        ("440000,广东省,1,,1980-12-01,\n4452,揭阳市,2,440000,1991-12-01,\n", 3, "six digits"),
        ("440000,广东省,4,,1980-12-01,\n", 2, "level"),
        ("440000,广东省,1,,1980-12-01,\n445200,揭阳市,2,440000,1991/12/01,\n", 3, "YYYY-MM-DD"),
        ("440000,广东省,1,,1980-12-01,\n445200,揭阳市,2,440000,1991-12-01\n", 3, "values to unpack"),
        ("440000,广东省,1,,1980-12-01,\n445200,揭阳市,2,450000,1991-12-01,\n", 3, "parent 450000"),
        ("440000,广东省,1,,1990-01-01,\n445200,揭阳市,2,440000,1980-12-01,\n", 3, "parent 440000"),
        ("440000,广东省,1,,1980-12-01,\n440000,广东省,1,,2000-01-01,\n", 3, "overlaps"),
        ("440000,广东省,1,,1980-12-01,1979-01-01\n", 2, "valid_to"),
    ],
)
def test_malformed_file_names_file_and_row(tmp_path: Path, body: str, row: int, problem: str) -> None:
    path = write(tmp_path, body)
    with pytest.raises(ValueError, match=problem) as info:
        load_divisions(path)
    message = str(info.value)
    assert str(path) in message
    assert f"row {row}:" in message


def test_wrong_header_is_row_1(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("code,name\n440000,广东省\n", encoding="utf-8")
    with pytest.raises(ValueError, match="row 1: the header"):
        load_divisions(path)
