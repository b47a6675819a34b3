"""A two-level merged header, as real forms have it: 电力 merged over 数量 | 金额, 水 over 数量 | 金额, the
identity columns merged down over both rows. Written here as .xlsx (xlsxwriter) and .xls (xlwt)."""

from __future__ import annotations

from pathlib import Path

import pytest
import xlsxwriter
import xlwt

from jieneng.io.formfile import read_form_file
from jieneng.io.header import two_level
from jieneng.reference import load_forms, load_units

CODE, NAME = "11445202100000016B", "榕城区机关事务服务中心"
ROWS = [[CODE, NAME, "2025-03", 1.2, 9876, 500, 1500], [CODE, NAME, "2025-04", 1.5, 10_000, None, 1600]]
# (first row, first col, last row, last col, text) of each merged header cell
MERGED = [
    (1, 0, 2, 0, "统一社会信用代码"),
    (1, 1, 2, 1, "单位名称"),
    (1, 2, 2, 2, "统计期"),
    (1, 3, 1, 4, "电力"),
    (1, 5, 1, 6, "水"),
]
LOWER = {3: "数量（万千瓦时）", 4: "金额（元）", 5: "数量（吨）", 6: "金额"}


def xlsx(path: Path) -> Path:
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("能源")
    sheet.write(0, 0, "公共机构能源资源消费统计表  统计期：2025年")
    for first_row, first_col, last_row, last_col, text in MERGED:
        sheet.merge_range(first_row, first_col, last_row, last_col, text)
    for col, text in LOWER.items():
        sheet.write(2, col, text)
    for i, row in enumerate(ROWS, start=3):
        for j, value in enumerate(row):
            if value is not None:
                sheet.write(i, j, value)
    book.close()
    return path


def xls(path: Path) -> Path:
    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("能源")
    sheet.write(0, 0, "公共机构能源资源消费统计表  统计期：2025年")
    for first_row, first_col, last_row, last_col, text in MERGED:
        sheet.write_merge(first_row, last_row, first_col, last_col, text)
    for col, text in LOWER.items():
        sheet.write(2, col, text)
    for i, row in enumerate(ROWS, start=3):
        for j, value in enumerate(row):
            if value is not None:
                sheet.write(i, j, value)
    book.save(str(path))
    return path


@pytest.mark.parametrize("write", [xlsx, xls], ids=["xlsx", "xls"])
def test_a_two_level_merged_header_is_read(tmp_path, write):
    path = write(tmp_path / f"two-level.{write.__name__}")
    read = read_form_file(path, load_forms()["pi-energy"], load_units())
    assert read.problems == [], read.problems
    assert read.header_row == 3 and read.rows_read == 2
    frame = read.frame
    assert frame["row"].to_list() == [4, 5]
    assert frame["electricity"].to_list() == [12_000.0, 15_000.0]  # 万千瓦时 → kWh
    assert frame["electricity_cost"].to_list() == [9876.0, 10_000.0]
    assert frame["water"].to_list() == [500.0, None]
    assert frame["water_cost"].to_list() == [1500.0, 1600.0]
    assert read.columns["electricity"] == "电力·数量（万千瓦时）" and read.columns["water_cost"] == "水·金额"


def test_a_blank_upper_cell_belongs_to_the_group_on_its_left_until_a_blank_column():
    upper = ["单位", "电力", None, None, "水", None]
    lower = [None, "数量", "金额", None, "数量", "金额"]
    found = two_level(upper, lower, lambda text: text in ("数量", "金额"))
    assert found == {1: ("电力", "数量"), 2: ("电力", "金额"), 4: ("水", "数量"), 5: ("水", "金额")}
    assert two_level(["电力", None, None], [None, None, "金额"], lambda _t: True) == {}


def test_a_one_level_header_is_read_as_before(tmp_path):
    path = tmp_path / "one.csv"
    path.write_text(
        "统一社会信用代码,单位名称,统计期,电力,电费\n" + f"{CODE},{NAME},2025-03,100,80\n", encoding="utf-8"
    )
    read = read_form_file(path, load_forms()["pi-energy"], load_units())
    assert read.problems == [] and read.header_row == 1 and read.frame["electricity"].to_list() == [100.0]
