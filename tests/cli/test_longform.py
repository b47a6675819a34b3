"""Reading long-form files: every good file gives the same frame; every broken one the right problem."""

import datetime as dt
import zipfile
from pathlib import Path

import polars as pl
import pytest

from jieneng.io import cells, read_facts, read_longform
from jieneng.io.longform import SCHEMA

FIXTURES = Path(__file__).parents[1] / "fixtures" / "longform"
GOOD = ["good.csv", "good-bom.csv", "good-gbk.csv", "good.xlsx", "good.xls"]
A, B = "区机关事务管理局", "区第一中学"


def test_good_csv_reads_as_written():
    result = read_longform(FIXTURES / "good.csv")
    assert result.ok and result.problems == []
    assert result.header_row == 1 and result.sheet is None
    frame = result.frame
    assert frame.schema == pl.Schema(SCHEMA)
    assert frame.height == 14
    # the blank row 10 is skipped; row numbers stay those the spreadsheet shows
    assert frame["row"].to_list() == [2, 3, 4, 5, 6, 7, 8, 9, 11, 12, 13, 14, 15, 16]
    first = frame.row(0, named=True)
    assert first == {
        "row": 2,
        "org": A,
        "year": 2023,
        "month": None,
        "quarter": None,
        "energy_type": "电力",
        "quantity": 1_200_000.0,
        "unit": "kWh",
        "cost": 960_000.0,
        "region": "500103",
    }
    periods = frame.filter(pl.col("org") == B).select("year", "month", "quarter").rows()
    assert periods == [
        (2024, None, 1),
        (2024, None, 2),
        (2024, 3, 1),
        (2024, 4, 2),
        (2024, 5, 2),
        (2024, 6, 2),
    ]
    assert frame["cost"].null_count() == 2


@pytest.mark.parametrize("name", GOOD[1:])
def test_every_good_file_reads_to_the_same_frame(name):
    expected = read_longform(FIXTURES / "good.csv").frame.drop("row")
    result = read_longform(FIXTURES / name)
    assert result.problems == []
    assert result.frame.drop("row").equals(expected), name


@pytest.mark.parametrize(
    ("name", "header_row", "first_row", "sheet"),
    [("good-gbk.csv", 2, 3, None), ("good.xlsx", 3, 4, "能源消费"), ("good.xls", 3, 4, "能源消费")],
)
def test_title_rows_are_skipped_and_counted(name, header_row, first_row, sheet):
    result = read_longform(FIXTURES / name)
    assert (result.header_row, result.frame["row"][0], result.sheet) == (header_row, first_row, sheet)


def test_a_sheet_by_name():
    result = read_longform(FIXTURES / "good.xlsx", sheet="说明")
    assert [p.code for p in result.problems] == ["no_header_row"]
    missing = read_longform(FIXTURES / "good.xlsx", sheet="没有这张表")
    assert [(p.code, p.params["sheets"]) for p in missing.problems] == [("no_such_sheet", "能源消费, 说明")]


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("bad-number.csv", [("bad_number", 3, "数量", "12,3a4"), ("bad_number", 4, "金额", "1,2,3")]),
        (
            "bad-period.csv",
            [
                ("bad_period", 2, "期间", "2024年13月"),
                ("bad_period", 3, "期间", "去年"),
                ("empty_cell", 4, "期间", None),
            ],
        ),
        ("missing-column.csv", [("missing_column", 1, "计量单位", None)]),
        ("bad-encoding.csv", [("bad_encoding", 3, None, "ff")]),
        ("no-such-file.csv", [("file_not_found", None, None, None)]),
    ],
)
def test_each_broken_file_gives_its_problem(name, expected):
    result = read_longform(FIXTURES / name)
    assert not result.ok
    assert [(p.code, p.row, p.column, p.value) for p in result.problems] == expected


def test_rows_with_problems_are_left_out_and_the_rest_kept():
    result = read_longform(FIXTURES / "bad-number.csv")
    assert result.frame["row"].to_list() == [5]
    assert result.header_row == 2  # a title row above the header


@pytest.mark.parametrize("name", ["bad-unknown-energy.csv", "bad-unknown-unit.csv"])
def test_unknown_names_are_read_as_written(name):
    # the reader keeps names as written; the conversion reports them (see test_cli)
    result = read_longform(FIXTURES / name)
    assert result.ok and result.frame.height == 4


def test_an_unknown_file_type(tmp_path):
    path = tmp_path / "data.xlsx"  # a zip archive that is no workbook
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("readme.txt", "单位,期间\n")
    assert [p.code for p in read_longform(path).problems] == ["unknown_format"]


def test_a_text_file_is_read_as_text_whatever_its_name(tmp_path):
    for name in ("data.txt", "renamed.xlsx"):
        path = tmp_path / name
        path.write_text("单位,期间\n", encoding="utf-8")  # read by its content: its columns are missing
        assert {p.code for p in read_longform(path).problems} == {"missing_column"}


@pytest.mark.parametrize(
    ("header", "org", "unit"),
    [
        ("单位,期间,能源品种,数量,计量单位", "甲", "kWh"),  # 单位 is the organisation
        ("单位名称,期间,能源品种,数量,单位", "甲", "kWh"),  # …unless 单位名称 is there and 计量单位 is not
        ("机构名称,报告期,能源种类,消费量,单位（计量）", "甲", "kWh"),
        ("org,period,energy_type,quantity,unit", "甲", "kWh"),
        ("*单位名称 ,Period,Energy Type, 实物量 ,计量单位", "甲", "kWh"),
        ("统一社会信用代码,年月,品种,用量,计量单位", "甲", "kWh"),
    ],
)
def test_column_names_in_chinese_or_english(tmp_path, header, org, unit):
    path = tmp_path / "t.csv"
    path.write_text(f"{header}\n甲,2024-01,电力,10,kWh\n", encoding="utf-8")
    result = read_longform(path)
    assert result.problems == []
    assert result.frame.select("org", "unit").row(0) == (org, unit)


def test_optional_columns_with_a_note_in_brackets(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text(
        "单位,期间,能源品种,数量,计量单位,金额（元）,区划\n甲,2024,电力,10,kWh,8,500103\n", encoding="utf-8"
    )
    assert read_longform(path).frame.select("cost", "region").row(0) == (8.0, "500103")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("1,234.5", 1234.5),
        ("1，234.5", 1234.5),
        ("１２３４．５", 1234.5),
        (" 12 ", 12.0),
        ("1 234", 1234.0),  # a space as thousands separator: stray spaces are dropped
        ("-3", -3.0),
        (12, 12.0),
        (12.5, 12.5),
        ("", None),
        (None, None),
    ],
)
def test_numbers_as_people_type_them(value, expected):
    assert cells.number(value) == expected


@pytest.mark.parametrize("value", ["12,3a4", "1,2,3", "12,34", "nan", "inf", "—", True])
def test_numbers_that_are_not(value):
    with pytest.raises(ValueError):
        cells.number(value)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2024", (2024, None, None)),
        ("2024年", (2024, None, None)),
        ("2024年度", (2024, None, None)),
        ("2024-03", (2024, 3, 1)),
        ("2024/3", (2024, 3, 1)),
        ("202403", (2024, 3, 1)),
        ("2024年3月", (2024, 3, 1)),
        ("２０２４年１２月", (2024, 12, 4)),
        ("2024Q1", (2024, None, 1)),
        ("2024-q4", (2024, None, 4)),
        ("2024年第1季度", (2024, None, 1)),
        ("2024年二季度", (2024, None, 2)),
        (dt.date(2024, 7, 1), (2024, 7, 3)),
        (dt.datetime(2024, 11, 30, 0, 0), (2024, 11, 4)),
        (2024.0, (2024, None, None)),
        (202410, (2024, 10, 4)),
    ],
)
def test_periods_in_every_form(value, expected):
    period = cells.period(value)
    assert period is not None
    assert tuple(period) == expected


@pytest.mark.parametrize("value", ["2024年13月", "2024Q5", "去年", "24", "2024-1-", "45352", 2024.5])
def test_periods_that_are_not(value):
    with pytest.raises(ValueError):
        cells.period(value)


def test_facts():
    result = read_facts(FIXTURES / "facts.csv")
    assert result.problems == []
    assert result.frame.select("org", "year", "area_m2", "persons").rows() == [
        (A, 2023, 12_000.0, 300.0),
        (A, 2024, 12_000.0, 310.0),
        (B, 2024, 30_000.0, 1_500.0),
    ]


def test_facts_given_twice_or_for_a_month(tmp_path):
    path = tmp_path / "facts.csv"
    path.write_text(
        "单位,年度,建筑面积,用能人数\n甲,2024,100,5\n甲,2024,120,5\n乙,2024-03,1,1\n", encoding="utf-8"
    )
    problems = [(p.code, p.row, p.column) for p in read_facts(path).problems]
    assert problems == [("duplicate_facts", 3, None), ("not_a_year", 4, "年度")]
