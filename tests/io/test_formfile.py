"""Reading filled statistics forms: header row, unit conversion, vectorised cell parsing, every problem code.

Expected values come from ``tests/web/conftest.py`` (the fixtures are made from it): per month of 2025,
org 1 uses 10,000 kWh, org 2 0.5 万kWh = 5,000 kWh, each record costs 1,000 元.
"""

from __future__ import annotations

import csv
import math
from pathlib import Path

import polars as pl
import pytest
import xlsxwriter
from hypothesis import given, settings
from hypothesis import strategies as st

from jieneng.core.forms import Form
from jieneng.core.units import UnitTable
from jieneng.i18n import describe
from jieneng.io import cells, formfile
from jieneng.io.cells import number_expr
from jieneng.io.formfile import FormFile, classify, read_form_file
from jieneng.io.problems import ADVISORY, BLOCKING
from jieneng.reference import load_forms, load_units

FIXTURES = Path(__file__).parent.parent / "fixtures" / "forms"
ORG1, ORG2, ORG3 = "11445202100000016B", "124452021000000243", "12445202100000032X"
IDENTITY = ["统一社会信用代码", "单位名称", "统计期"]


@pytest.fixture(scope="module")
def energy() -> Form:
    return load_forms()["pi-energy"]


@pytest.fixture(scope="module")
def basic() -> Form:
    return load_forms()["pi-basic"]


@pytest.fixture(scope="module")
def units() -> UnitTable:
    return load_units()


def write_csv(path: Path, *rows: list[str]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)
    return path


def codes(result: FormFile) -> list[tuple[str, int | None, str | None, str | None]]:
    return [(p.code, p.row, p.column, p.value) for p in result.problems]


# --- the good fixtures --------------------------------------------------------------------------------


def test_good_monthly_xlsx(energy: Form, units: UnitTable) -> None:
    result = read_form_file(FIXTURES / "good-monthly.xlsx", energy, units)

    assert result.problems == []
    assert result.ok
    assert result.sheet == "能源资源消费"
    assert result.header_row == 4  # two title rows and the legal marks above it
    assert result.rows_read == 21
    # 21 rows, the blank row 8 skipped: Excel row numbers as the user sees them
    assert result.frame["row"].to_list() == [5, 6, 7, *range(9, 27)]
    assert result.factors["electricity"] == 10_000
    assert result.factors["water"] == 1.0
    assert result.columns["org"] == "统一社会信用代码"
    assert result.columns["org_name"] == "单位名称"
    assert result.columns["period"] == "统计期"
    assert result.columns["electricity"] == "用电量（万千瓦时）"
    assert "序号" not in result.columns.values()
    frame = result.frame
    assert frame.columns == [
        *formfile.IDENTITY_SCHEMA,
        "electricity",
        "electricity_cost",
        "water",
        "water_cost",
        "natural_gas",
        "natural_gas_cost",
        "gasoline",
        "gasoline_cost",
        "solar_pv",
    ]
    assert dict(frame.schema) | {} == {
        **formfile.IDENTITY_SCHEMA,
        **dict.fromkeys(frame.columns[8:], pl.Float64()),
    }
    first = frame.row(0, named=True)
    assert first["org"] == ORG1
    assert first["org_name"] == "榕城区机关事务服务中心"
    assert (first["period"], first["frequency"], first["year"], first["quarter"], first["month"]) == (
        "2025-01",
        "month",
        2025,
        1,
        1,
    )
    assert first["electricity"] == 10_000.0  # 1 万千瓦时
    assert first["water"] == 500.0  # 立方米 read as tonnes
    assert first["gasoline"] == 100.0
    assert first["natural_gas"] is None  # not used by org 1: empty, not a problem
    # a date cell, 2025年2月, ２０２５年３月
    assert frame["period"].to_list()[:3] == ["2025-01", "2025-02", "2025-03"]
    org2 = frame.filter(pl.col("org") == ORG2)
    assert org2["electricity"].to_list() == [5_000.0] * 3
    assert org2["electricity_cost"].to_list() == [4_000.0] * 3  # 5,000 kWh × 0.8; one a formula =2000+2000
    assert org2["water_cost"].to_list() == [1_000.0] * 3  # "1,000" as text
    assert frame["electricity_cost"].to_list() == pytest.approx((frame["electricity"] * 0.8).to_list())


@pytest.mark.parametrize("name", ["good-monthly.xls", "good-utf8-bom.csv", "good-gbk.csv"])
def test_good_monthly_in_other_formats_reads_the_same(name: str, energy: Form, units: UnitTable) -> None:
    expected = read_form_file(FIXTURES / "good-monthly.xlsx", energy, units).frame.drop("row")
    result = read_form_file(FIXTURES / name, energy, units)
    assert result.problems == []
    assert result.frame.drop("row").equals(expected)


@pytest.mark.parametrize(
    ("name", "header_row", "first_rows"),
    [
        ("good-monthly.xls", 4, [5, 6, 7, 9]),
        ("good-utf8-bom.csv", 1, [2, 3, 4, 6]),
        ("good-gbk.csv", 2, [3, 4, 5, 7]),
    ],
)
def test_row_numbers_per_format(
    name: str, header_row: int, first_rows: list[int], energy: Form, units: UnitTable
) -> None:
    result = read_form_file(FIXTURES / name, energy, units)
    assert result.header_row == header_row
    assert result.frame["row"].to_list()[:4] == first_rows


def test_good_quarterly(energy: Form, units: UnitTable) -> None:
    result = read_form_file(FIXTURES / "good-quarterly.xlsx", energy, units)
    assert result.problems == []
    frame = result.frame
    assert set(frame["period"]) == {"2025Q1"}  # 2025Q1, 2025年第1季度, 2025年一季度
    assert set(frame["frequency"]) == {"quarter"}
    assert frame["quarter"].to_list() == [1] * 7
    assert frame["month"].null_count() == 7
    assert frame.filter(pl.col("org") == ORG2)["electricity"].item() == 15_000.0
    assert result.columns["water"] == "水消费量（吨）"
    assert result.factors["electricity"] == 1.0


def test_good_basic(basic: Form, units: UnitTable) -> None:
    result = read_form_file(FIXTURES / "good-basic-2025.xlsx", basic, units)
    assert result.problems == []
    frame = result.frame
    assert frame.columns[8:] == ["type_code", "building_area", "energy_users", "vehicles"]
    assert frame.schema["type_code"] == pl.String
    assert frame["type_code"].to_list() == ["01", "021", "024", "01", "021", "023", "01"]
    assert frame["period"].to_list() == ["2025"] * 7
    assert frame["frequency"].to_list() == ["year"] * 7
    assert frame["quarter"].null_count() == frame["month"].null_count() == 7
    assert frame["energy_users"].to_list() == [100.0, 50.0, 50.0, 200.0, 40.0, 10.0, 400.0]
    assert frame["building_area"][0] == 5_000.0
    assert result.columns["period"] == "年度"


def test_period_from_the_title(energy: Form, units: UnitTable) -> None:
    result = read_form_file(FIXTURES / "good-period-in-title.xlsx", energy, units)
    assert result.problems == []
    assert result.frame["period"].to_list() == ["2025-03"] * 7
    assert result.columns["period"].startswith("统计期：2025年3月")


# --- the broken fixtures --------------------------------------------------------------------------------


def test_unparseable_numbers(energy: Form, units: UnitTable) -> None:
    result = read_form_file(FIXTURES / "unparseable-number.xlsx", energy, units)
    assert codes(result) == [
        ("bad_number", 5, "用电量（万千瓦时）", "约1"),
        ("bad_number", 6, "电费（元）", "—"),
        ("bad_number", 7, "用水量（立方米）", "1.2.3"),
        ("bad_number", 8, "水费（元）", "1,00"),
        ("bad_number", 9, "用电量（万千瓦时）", "true"),  # a TRUE cell
    ]
    assert all(p.severity == BLOCKING for p in result.problems)
    assert result.rows_read == 7
    assert result.frame["row"].to_list() == [10, 11]  # rows with a blocking problem are left out
    assert not result.ok


def test_header_unit_wrong(energy: Form, units: UnitTable) -> None:
    result = read_form_file(FIXTURES / "header-unit-wrong.xlsx", energy, units)
    assert codes(result) == [("bad_header_unit", 4, "用电量（吨）", "用电量（吨）")]
    problem = result.problems[0]
    assert problem.params["item"] == "电力消费量"
    assert problem.params["unit"] == "吨"
    assert problem.params["expected"] == "千瓦时"
    assert "electricity" not in result.frame.columns
    assert "electricity_cost" in result.frame.columns
    assert not result.ok


def test_missing_period_column(energy: Form, units: UnitTable) -> None:
    result = read_form_file(FIXTURES / "missing-period-column.xlsx", energy, units)
    assert [(p.code, p.row, p.column) for p in result.problems] == [("missing_column", 3, "统计期")]
    assert "年月" in result.problems[0].params["names"]
    assert result.frame.is_empty()
    assert result.frame.columns[:8] == list(formfile.IDENTITY_SCHEMA)


def test_bad_encoding(energy: Form, units: UnitTable) -> None:
    result = read_form_file(FIXTURES / "bad-encoding.csv", energy, units)
    assert codes(result) == [("bad_encoding", 4, None, "ff")]
    assert result.header_row is None


def test_ten_thousand_off_reads_as_written(energy: Form, units: UnitTable) -> None:
    """The file says 千瓦时 but holds 万千瓦时: the reader cannot know, validation compares with history."""
    result = read_form_file(FIXTURES / "ten-thousand-off.xlsx", energy, units)
    assert result.problems == []
    assert result.frame.filter(pl.col("org") == ORG1)["electricity"].item() == 1.0  # not 10,000


@pytest.mark.parametrize(
    ("name", "rows", "check"),
    [
        ("negative-quantity.csv", 7, lambda f: f["electricity"][0] == -10_000.0),
        ("period-outside-form.csv", 7, lambda f: set(f["year"]) == {2016}),
        (
            "same-row-twice-different-values.csv",
            8,
            lambda f: f["electricity"].to_list()[:2] == [10_000.0, 15_000.0],
        ),
        ("unknown-organisation.xlsx", 8, lambda f: f["org"][-1].startswith("12445202100000099")),
    ],
)
def test_files_that_break_only_at_validation(
    name: str, rows: int, check: object, energy: Form, units: UnitTable
) -> None:
    result = read_form_file(FIXTURES / name, energy, units)
    assert result.problems == []
    assert result.frame.height == rows
    assert callable(check) and check(result.frame)


# --- the header row -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "item", "factor"),
    [
        ("用电量（万千瓦时）", "electricity", 10_000),
        ("用电量(万kWh)", "electricity", 10_000),
        ("用电量 （ 万 千瓦时 ）", "electricity", 10_000),
        ("用电量/万千瓦时", "electricity", 10_000),
        ("用电量（兆瓦时）", "electricity", 1_000),
        ("*电力消费量（千瓦时）", "electricity", 1),
        ("Electricity (kWh)", "electricity", 1),
        ("电费（万元）", "electricity_cost", 10_000),
        ("电费（万）", "electricity_cost", 10_000),  # a bare scale word
        ("用水量（立方米）", "water", 1),  # m³ of water reported as t
        ("用水量（万立方米）", "water", 10_000),
        ("用水量（万吨）", "water", 10_000),
        ("用水量（含自备井）", "water", 1),  # a note, not a unit
        ("其他能源消费量（折标准煤）", "other_energy", 1),
        ("其他能源消费量（折标准煤）（万吨标准煤）", "other_energy", 10_000),
        ("汽油（立方米）", "gasoline", 1_000),  # L
        ("热力（百万千焦）", "heat", 1),  # GJ
    ],
)
def test_header_units(header: str, item: str, factor: float, energy: Form, units: UnitTable) -> None:
    found = classify(3, header, energy, units)
    assert (found.role, found.item, found.bad_unit) == ("item", item, None)
    assert found.factor == pytest.approx(factor)


@pytest.mark.parametrize(
    ("header", "role"),
    [
        ("统一社会信用代码", "code"),
        ("组织机构代码", "code"),
        ("单位名称", "name"),
        ("单位", "name"),
        ("统计期", "period"),
        ("报告期（年月）", "period"),
        ("年份", "period"),
        ("序号", "ignored"),
        ("备注", "unknown"),
        ("用电量/度数", "unknown"),  # a/b where b is not a unit
    ],
)
def test_header_roles(header: str, role: str, energy: Form, units: UnitTable) -> None:
    assert classify(0, header, energy, units).role == role


def test_header_unit_of_another_kind(energy: Form, units: UnitTable) -> None:
    found = classify(3, "电费（千瓦时）", energy, units)
    assert (found.item, found.bad_unit) == ("electricity_cost", "千瓦时")


def test_header_found_below_thirty_rows_is_not_searched(
    tmp_path: Path, energy: Form, units: UnitTable
) -> None:
    rows = [["说明"]] * 30 + [[*IDENTITY, "电费"], [ORG1, "甲", "2025-01", "1"]]
    result = read_form_file(write_csv(tmp_path / "deep.csv", *rows), energy, units)
    assert [p.code for p in result.problems] == ["no_header_row"]


def test_no_header_row(tmp_path: Path, energy: Form, units: UnitTable) -> None:
    result = read_form_file(write_csv(tmp_path / "x.csv", ["a", "b"], ["1", "2"]), energy, units)
    assert [p.code for p in result.problems] == ["no_header_row"]
    assert "统一社会信用代码" in result.problems[0].params["columns"]


def test_unknown_column_is_advisory_once(tmp_path: Path, energy: Form, units: UnitTable) -> None:
    path = write_csv(
        tmp_path / "x.csv",
        ["序号", *IDENTITY, "电费", "备注"],
        ["1", ORG1, "甲", "2025-01", "1", "说明"],
        ["2", ORG2, "乙", "2025-01", "2", ""],
    )
    result = read_form_file(path, energy, units)
    assert codes(result) == [("unknown_column", 1, "备注", None)]
    assert result.problems[0].severity == ADVISORY
    assert result.problems[0].params["form"] == "公共机构能源资源消费状况"
    assert result.ok
    assert result.frame.height == 2


def test_no_items(tmp_path: Path, energy: Form, units: UnitTable) -> None:
    path = write_csv(tmp_path / "x.csv", [*IDENTITY, "备注"], [ORG1, "甲", "2025-01", "x"])
    result = read_form_file(path, energy, units)
    assert [p.code for p in result.problems] == ["unknown_column", "no_items"]
    no_items = result.problems[1]
    assert no_items.row == 1
    assert "电力消费量" in no_items.params["expected"]
    assert no_items.params["found"] == "统一社会信用代码, 单位名称, 统计期, 备注"
    assert result.frame.is_empty()


def test_missing_organisation_column(tmp_path: Path, energy: Form, units: UnitTable) -> None:
    result = read_form_file(
        write_csv(tmp_path / "x.csv", ["统计期", "电费"], ["2025-01", "1"]), energy, units
    )
    assert [(p.code, p.column) for p in result.problems] == [("missing_column", "统一社会信用代码")]
    assert result.frame.is_empty()


def test_duplicate_item_column(tmp_path: Path, energy: Form, units: UnitTable) -> None:
    path = write_csv(
        tmp_path / "x.csv", [*IDENTITY, "用电量", "电量（万千瓦时）"], [ORG1, "甲", "2025-01", "1", "2"]
    )
    result = read_form_file(path, energy, units)
    assert codes(result) == [("duplicate_column", 1, "电量（万千瓦时）", "电量（万千瓦时）")]
    assert result.problems[0].params["first"] == "用电量"
    assert result.frame["electricity"].to_list() == [1.0]  # the first column is read


# --- the cells ------------------------------------------------------------------------------------------


def test_identity_cells(tmp_path: Path, energy: Form, units: UnitTable) -> None:
    path = write_csv(
        tmp_path / "x.csv",
        [*IDENTITY, "电费"],
        [" 12445202100000032x ", " 榕城区人民医院 ", "2025-01", "1"],  # lower-case check character
        ["１２４４５２０２１００００００２４３", "榕城区第一中学", "2025-01", "1"],  # full-width
        ["", "没有代码的单位", "2025-01", "1"],  # no code: the name identifies it
        ["12345678-9", "旧代码单位", "2025-01", "1"],
    )
    frame = read_form_file(path, energy, units).frame
    assert frame["org"].to_list() == [ORG3, ORG2, "没有代码的单位", "12345678-9"]
    assert frame["org_name"].to_list() == ["榕城区人民医院", "榕城区第一中学", "没有代码的单位", "旧代码单位"]


def test_name_column_only(tmp_path: Path, energy: Form, units: UnitTable) -> None:
    path = write_csv(tmp_path / "x.csv", ["单位名称", "统计期", "电费"], ["榕城区人民医院", "2025年3月", "1"])
    result = read_form_file(path, energy, units)
    assert result.problems == []
    assert result.frame["org"].to_list() == ["榕城区人民医院"]
    assert result.frame["org_name"].to_list() == [None]
    assert result.columns == {"org": "单位名称", "period": "统计期", "electricity_cost": "电费"}


def test_empty_identity_cells(tmp_path: Path, energy: Form, units: UnitTable) -> None:
    path = write_csv(
        tmp_path / "x.csv",
        [*IDENTITY, "电费"],
        ["", " ", "2025-01", "1"],
        [ORG1, "甲", "", "2"],
        ["", "", "", ""],  # blank: skipped, not counted
        [ORG2, "乙", "2025-02", "3"],
    )
    result = read_form_file(path, energy, units)
    assert codes(result) == [("empty_cell", 2, "统一社会信用代码", None), ("empty_cell", 3, "统计期", None)]
    assert result.rows_read == 3
    assert result.frame["row"].to_list() == [5]


@pytest.mark.parametrize(
    ("text", "canonical", "frequency"),
    [
        ("2024", "2024", "year"),
        ("2024年", "2024", "year"),
        ("2024年度", "2024", "year"),
        ("2024-03", "2024-03", "month"),
        ("2024/3", "2024-03", "month"),
        ("2024.03", "2024-03", "month"),
        ("202403", "2024-03", "month"),
        ("2024年3月", "2024-03", "month"),
        ("2024年3月份", "2024-03", "month"),
        ("２０２４年１２月", "2024-12", "month"),
        ("2024-03-01 00:00:00", "2024-03", "month"),
        ("2024-03-15", "2024-03", "month"),
        ("2024Q1", "2024Q1", "quarter"),
        ("2024q4", "2024Q4", "quarter"),
        ("2024-Q2", "2024Q2", "quarter"),
        ("2024年第1季度", "2024Q1", "quarter"),
        ("2024年一季度", "2024Q1", "quarter"),
        ("2024年四季度", "2024Q4", "quarter"),
    ],
)
def test_periods(text: str, canonical: str, frequency: str) -> None:
    parsed = formfile._parse_periods([text]).row(0, named=True)
    assert (parsed["period"], parsed["frequency"], parsed["~bad"]) == (canonical, frequency, False)
    expected = cells.period(text) if not text.endswith("00:00:00") else cells.Period(2024, 3, 1)
    assert expected is not None
    assert (parsed["year"], parsed["month"], parsed["quarter"]) == tuple(expected)


@pytest.mark.parametrize(
    "text", ["2024-13", "202400", "1899", "2101年", "2024Q5", "2024年第5季度", "三月", "2024-3月", "true"]
)
def test_bad_periods(text: str, tmp_path: Path, energy: Form, units: UnitTable) -> None:
    path = write_csv(tmp_path / "x.csv", [*IDENTITY, "电费"], [ORG1, "甲", text, "1"])
    result = read_form_file(path, energy, units)
    assert codes(result) == [("bad_period", 2, "统计期", text)]
    assert result.frame.is_empty()


NUMBERS = [
    ("1234.5", 1234.5),
    (" 12 ", 12.0),
    ("1,234.5", 1234.5),
    ("1,234,567", 1234567.0),
    ("１，２３４．５", 1234.5),
    ("1 234", 1234.0),
    ("12\u300034", 1234.0),
    ("-5", -5.0),
    ("+.5", 0.5),
    ("5.", 5.0),
    ("1e3", 1000.0),
    ("1E3", 1000.0),
    ("0", 0.0),
    ("1,00", None),
    ("12,34.5", None),
    ("1.2.3", None),
    ("inf", None),
    ("NaN", None),
    ("true", None),
    ("约100", None),
    ("—", None),
    ("100元", None),
    ("1_000", None),
]


@pytest.mark.parametrize(("text", "value"), NUMBERS)
def test_numbers_match_cells_number(text: str, value: float | None) -> None:
    parsed = pl.select(number_expr(pl.lit(text))).item()
    assert parsed == value
    try:
        expected: float | None = cells.number(text)
    except ValueError:
        expected = None
    if text.lower() not in ("inf", "nan"):  # cells.number lets float() read these; the form reader refuses
        assert parsed == expected


def test_bad_and_fractional_numbers(tmp_path: Path, basic: Form, units: UnitTable) -> None:
    path = write_csv(
        tmp_path / "x.csv",
        ["统一社会信用代码", "年度", "用能人数（人）", "车辆数量", "建筑面积", "用能人数（万人）"],
        [ORG1, "2025", "10.5", "1", "100.5", ""],
        [ORG2, "2025", "10", "1.0", "abc", ""],
        [ORG3, "2025", "1,000", "2", "3", ""],
    )
    result = read_form_file(path, basic, units)
    assert codes(result) == [
        ("duplicate_column", 1, "用能人数（万人）", "用能人数（万人）"),
        ("not_whole_number", 2, "用能人数（人）", "10.5"),
        ("bad_number", 3, "建筑面积", "abc"),
    ]
    assert result.frame["energy_users"].to_list() == [1000.0]
    assert result.frame["vehicles"].to_list() == [2.0]


def test_whole_number_after_conversion(tmp_path: Path, basic: Form, units: UnitTable) -> None:
    path = write_csv(
        tmp_path / "x.csv", ["统一社会信用代码", "年度", "用能人数（万人）"], [ORG1, "2025", "0.0003"]
    )
    result = read_form_file(path, basic, units)
    assert result.problems == []
    assert result.frame["energy_users"].to_list() == [3.0]


def test_conversion_keeps_decimal_values(tmp_path: Path, energy: Form, units: UnitTable) -> None:
    path = write_csv(tmp_path / "x.csv", [*IDENTITY, "用电量（万千瓦时）"], [ORG1, "甲", "2025-01", "1.1"])
    assert read_form_file(path, energy, units).frame["electricity"].to_list() == [11_000.0]


def test_too_many_problems(
    tmp_path: Path, energy: Form, units: UnitTable, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(formfile, "MAX_CELL_PROBLEMS", 3)
    rows = [[ORG1, "甲", "2025-01", "x"] for _ in range(5)]
    result = read_form_file(write_csv(tmp_path / "x.csv", [*IDENTITY, "电费"], *rows), energy, units)
    assert [p.code for p in result.problems] == ["bad_number"] * 3 + ["too_many_problems"]
    assert result.problems[-1].params == {"value": None, "column": None, "count": 5, "shown": 3}
    assert result.frame.is_empty()  # every failing row is left out, listed or not


def test_xlsx_with_offset_table(tmp_path: Path, energy: Form, units: UnitTable) -> None:
    """Rows and columns before the table are kept, so problems name the cells the user sees."""
    path = tmp_path / "offset.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet()
    sheet.write_row(4, 2, [*IDENTITY, "电费（元）"])
    sheet.write_row(5, 2, [ORG1, "甲", "2025-01"])
    sheet.write_string(5, 5, "x")
    book.close()
    result = read_form_file(path, energy, units)
    assert result.header_row == 5
    assert codes(result) == [("bad_number", 6, "电费（元）", "x")]


def test_other_sheet_and_unreadable_sheet(energy: Form, units: UnitTable) -> None:
    result = read_form_file(FIXTURES / "good-monthly.xlsx", energy, units, sheet="无此表")
    assert [p.code for p in result.problems] == ["no_such_sheet"]
    assert result.sheet == "无此表"


def test_every_problem_renders(tmp_path: Path, energy: Form, units: UnitTable) -> None:
    """Each new template has its parameters: rendering fails loudly on a missing one."""
    from django.utils import translation

    problems = [
        *read_form_file(FIXTURES / "header-unit-wrong.xlsx", energy, units).problems,
        *read_form_file(FIXTURES / "unparseable-number.xlsx", energy, units).problems,
        *read_form_file(
            write_csv(tmp_path / "a.csv", [*IDENTITY, "备注"], [ORG1, "甲", "2025", "x"]), energy, units
        ).problems,
        *read_form_file(
            write_csv(tmp_path / "b.csv", [*IDENTITY, "电费", "电费"], [ORG1, "", "2025", "1", "1"]),
            energy,
            units,
        ).problems,
    ]
    with translation.override("en"):
        messages = [describe(problem) for problem in problems]
    assert {p.code for p in problems} == {
        "bad_header_unit",
        "bad_number",
        "unknown_column",
        "no_items",
        "duplicate_column",
    }
    assert all("%(" not in message for message in messages)
    assert "cannot measure 电力消费量, which is reported in 千瓦时" in messages[0]


def test_only_item_has_a_wrong_unit(tmp_path: Path, energy: Form, units: UnitTable) -> None:
    path = write_csv(
        tmp_path / "x.csv", [*IDENTITY, "用电量（吨）"], [ORG1, "甲", "2025-01", "1"], ["", "", "", ""]
    )
    result = read_form_file(path, energy, units)
    assert [p.code for p in result.problems] == ["bad_header_unit"]
    assert result.rows_read == 1
    assert result.frame.columns == list(formfile.IDENTITY_SCHEMA)
    assert result.frame["org"].to_list() == [ORG1]


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="0123456789年月季度第份日Qq-/. 一二三四", min_size=1, max_size=12))
def test_periods_agree_with_cells_period(text: str) -> None:
    """The vectorised parser accepts exactly what the row-by-row ``cells.period`` accepts."""
    parsed = formfile._parse_periods([text]).row(0, named=True)
    try:
        expected = cells.period(text)
    except ValueError:
        expected = None
    if expected is None:
        assert parsed["period"] is None
    else:
        assert (parsed["year"], parsed["month"], parsed["quarter"]) == tuple(expected)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="0123456789０１９,，.．+-e \u3000", min_size=1, max_size=12))
def test_numbers_agree_with_cells_number(text: str) -> None:
    parsed = pl.select(number_expr(pl.lit(text, pl.String))).item()
    try:
        expected: float | None = cells.number(text)
    except ValueError:
        expected = None
    if expected is not None and not math.isfinite(expected):
        expected = None  # "1e999": cells.number lets float() overflow; the form reader refuses it
    assert parsed == expected
