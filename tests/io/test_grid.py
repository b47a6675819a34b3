"""Reading a sheet as a grid of text cells: positions as the user sees them, encodings, formats, failures."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
import xlsxwriter

from jieneng.io.grid import UnreadableFile, column_letter, read_grid, sheet_names

FIXTURES = Path(__file__).parent.parent / "fixtures" / "forms"


def problem_of(path: Path, sheet: str | None = None) -> tuple[str, dict[str, object]]:
    with pytest.raises(UnreadableFile) as caught:
        read_grid(path, sheet)
    return caught.value.problem.code, caught.value.problem.params


def test_xlsx_keeps_leading_empty_rows_and_columns(tmp_path: Path) -> None:
    path = tmp_path / "offset.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("表")
    sheet.write_string(2, 2, "C3")  # nothing in rows 1–2 nor in columns A–B
    sheet.write_number(3, 3, 0.3)
    sheet.write_boolean(4, 2, True)
    sheet.write_formula(5, 2, "=1+1", None, 2)
    sheet.write_number(6, 2, 12345678901)
    book.close()

    grid = read_grid(path)

    assert grid.sheet == "表"
    assert grid.frame.columns == ["c0", "c1", "c2", "c3"]
    assert grid.cells(1) == [None, None, None, None]
    assert grid.cells(3) == [None, None, "C3", None]
    assert grid.cells(4)[3] == "0.3"
    assert grid.cells(5)[2] == "true"
    assert grid.cells(6)[2] == "2"  # the cached value of the formula
    assert grid.cells(7)[2] == "12345678901"
    assert grid.cells(8) == []


def test_fixture_rows_keep_their_numbers() -> None:
    grid = read_grid(FIXTURES / "good-monthly.xlsx")
    assert grid.cells(1)[0] == "公共机构能源资源消费状况"
    assert grid.cells(4)[:4] == ["序号", "统一社会信用代码", "单位名称", "统计期"]
    assert grid.cells(5)[3] == "2025-01-01 00:00:00"  # a date cell
    assert all(cell is None for cell in grid.cells(8))  # the blank row stays a row


def test_xls_reads_like_xlsx() -> None:
    xls = read_grid(FIXTURES / "good-monthly.xls")
    assert xls.cells(4)[:3] == ["统一社会信用代码", "单位名称", "统计期"]
    assert xls.cells(5)[:3] == ["11445202100000016B", "榕城区机关事务服务中心", "2025-01-01 00:00:00"]


def test_sheet_by_name_and_sheet_names() -> None:
    path = FIXTURES / "good-monthly.xlsx"
    assert sheet_names(path) == ["能源资源消费", "说明"]
    assert read_grid(path, "说明").cells(1) == ["本表为测试数据。"]
    assert sheet_names(FIXTURES / "good-gbk.csv") == []


@pytest.mark.parametrize(
    ("name", "header_line"),
    [("good-utf8-bom.csv", 1), ("good-gbk.csv", 2)],
)
def test_csv_encodings(name: str, header_line: int) -> None:
    grid = read_grid(FIXTURES / name)
    assert grid.sheet is None
    assert grid.cells(header_line)[:3] == ["统一社会信用代码", "单位名称", "统计期"]
    assert grid.cells(header_line + 1)[1] == "榕城区机关事务服务中心"


def test_csv_ragged_rows_quoted_newlines_and_blank_lines(tmp_path: Path) -> None:
    path = tmp_path / "ragged.csv"
    path.write_text('标题\na,b,c\n\n"第一行\n第二行",x\nd,e,f,g\n', encoding="utf-8")
    grid = read_grid(path)
    assert grid.frame.width == 4
    assert grid.cells(1) == ["标题", None, None, None]
    assert grid.cells(3) == [None, None, None, None]
    assert grid.cells(4) == ["第一行\n第二行", "x", None, None]  # one record, one row
    assert grid.cells(5) == ["d", "e", "f", "g"]


def test_csv_rectangular_goes_through_polars(tmp_path: Path) -> None:
    path = tmp_path / "plain.csv"
    path.write_text("a,b\n,\n1,2\n", encoding="utf-8")
    grid = read_grid(path)
    assert grid.cells(2) == [None, None]
    assert grid.cells(3) == ["1", "2"]


def test_empty_csv(tmp_path: Path) -> None:
    path = tmp_path / "empty.csv"
    path.write_bytes(b"")
    assert problem_of(path)[0] == "empty_file"


def test_bad_encoding_names_the_line_and_bytes() -> None:
    code, params = problem_of(FIXTURES / "bad-encoding.csv")
    assert code == "bad_encoding"
    assert params["value"] == "ff"
    with pytest.raises(UnreadableFile) as caught:
        read_grid(FIXTURES / "bad-encoding.csv")
    assert caught.value.problem.row == 4


def test_missing_file(tmp_path: Path) -> None:
    assert problem_of(tmp_path / "nothing.xlsx")[0] == "file_not_found"


def test_unknown_format(tmp_path: Path) -> None:
    path = tmp_path / "data.xlsx"  # a zip archive that is no workbook
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("readme.txt", "a,b\n")
    assert problem_of(path)[0] == "unknown_format"


def test_text_is_read_whatever_its_name(tmp_path: Path) -> None:
    path = tmp_path / "data.txt"
    path.write_text("a,b\n", encoding="utf-8")
    assert read_grid(path).cells(1) == ["a", "b"]


def test_unreadable_workbook(tmp_path: Path) -> None:
    path = tmp_path / "broken.xlsx"
    path.write_bytes((FIXTURES / "good-monthly.xlsx").read_bytes()[:3000])  # cut short
    code, params = problem_of(path)
    assert code == "damaged_file"
    assert params["file"] == "broken.xlsx"


def test_no_such_sheet() -> None:
    code, params = problem_of(FIXTURES / "good-monthly.xlsx", "能源")
    assert code == "no_such_sheet"
    assert params["sheets"] == "能源资源消费, 说明"


@pytest.mark.parametrize(
    ("index", "letters"), [(0, "A"), (25, "Z"), (26, "AA"), (27, "AB"), (701, "ZZ"), (702, "AAA")]
)
def test_column_letter(index: int, letters: str) -> None:
    assert column_letter(index) == letters
