"""The .xlsx template: its layout, its legal marks, and that a filled template reads back without problems."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import polars as pl
import pytest
import xlsxwriter

from jieneng.core.forms import Form
from jieneng.core.units import UnitTable
from jieneng.io.formfile import read_form_file
from jieneng.io.grid import Grid, read_grid, sheet_names
from jieneng.io.template import HEADER_ROW, item_header, mark_values, write_template
from jieneng.reference import load_forms, load_units

ROWS = [
    ("11445202100000016B", "榕城区机关事务服务中心", "2025-03"),
    ("124452021000000243", "榕城区第一中学", "2025-03"),
    ("12445202100000032X", "榕城区人民医院", "2025-03"),
]


@pytest.fixture(scope="module")
def forms() -> dict[str, Form]:
    return load_forms()


@pytest.fixture(scope="module")
def units() -> UnitTable:
    return load_units()


def template(
    path: Path, form: Form, year: int, rows: list[tuple[str, str, str]], lang: str = "zh-hans"
) -> Path:
    edition = form.edition_for(year)
    assert edition is not None
    write_template(path, form, edition, rows, period_label="2025年3月", lang=lang)
    return path


def sheet_xml(path: Path, number: int = 1) -> str:
    with zipfile.ZipFile(path) as archive:
        return archive.read(f"xl/worksheets/sheet{number}.xml").decode("utf-8")


def filled(grid: Grid, values: dict[tuple[int, int], float | str], path: Path) -> Path:
    """The grid as a user's Excel saves it, with ``values`` typed at (Excel row, 0-based column)."""
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet(grid.sheet or "Sheet1")
    for index, cells in enumerate(grid.frame.iter_rows()):
        for column, text in enumerate(cells):
            if text is not None:
                sheet.write_string(index, column, text)
    for (row, column), value in values.items():
        if isinstance(value, str):
            sheet.write_string(row - 1, column, value)
        else:
            sheet.write_number(row - 1, column, value)
    book.close()
    return path


@pytest.mark.parametrize("lang", ["zh-hans", "en"])
@pytest.mark.parametrize(("form_id", "year"), [("pi-energy", 2025), ("pi-energy", 2020), ("pi-basic", 2025)])
def test_empty_template_reads_back_without_problems(
    tmp_path: Path, forms: dict[str, Form], units: UnitTable, form_id: str, year: int, lang: str
) -> None:
    form = forms[form_id]
    path = template(tmp_path / "t.xlsx", form, year, ROWS, lang)
    result = read_form_file(path, form, units)
    assert result.problems == []
    assert result.header_row == HEADER_ROW + 1
    assert result.rows_read == 3
    assert result.frame["row"].to_list() == [9, 10, 11]
    assert result.frame["org"].to_list() == [code for code, _, _ in ROWS]
    assert result.frame["org_name"].to_list() == [name for _, name, _ in ROWS]
    edition = form.edition_for(year)
    assert edition is not None
    explanation = ["explanation"] if form.kind == "consumption" else []
    assert result.frame.columns[8:] == [*edition.items, *explanation]
    assert set(result.factors.values()) == {1.0}


def test_filled_template_reads_back_the_values(
    tmp_path: Path, forms: dict[str, Form], units: UnitTable
) -> None:
    form = forms["pi-energy"]
    path = template(tmp_path / "t.xlsx", form, 2025, ROWS)
    grid = read_grid(path)
    header = grid.cells(HEADER_ROW + 1)
    electricity, water = header.index("电力消费量（千瓦时）"), header.index("水消费量（吨）")
    values: dict[tuple[int, int], float | str] = {
        (9, electricity): 10_000,
        (9, water): 500,
        (10, electricity): "5,000",
    }
    result = read_form_file(filled(grid, values, tmp_path / "filled.xlsx"), form, units)
    assert result.problems == []
    assert result.frame["electricity"].to_list() == [10_000.0, 5_000.0, None]
    assert result.frame["water"].to_list() == [500.0, None, None]


def test_filled_basic_template(tmp_path: Path, forms: dict[str, Form], units: UnitTable) -> None:
    form = forms["pi-basic"]
    path = template(tmp_path / "t.xlsx", form, 2025, [(code, name, "2025") for code, name, _ in ROWS])
    grid = read_grid(path)
    header = grid.cells(HEADER_ROW + 1)
    persons, kind = header.index("用能人数（人）"), header.index("单位性质")
    values: dict[tuple[int, int], float | str] = {(9, persons): 100, (9, kind): "01", (10, persons): 50}
    result = read_form_file(filled(grid, values, tmp_path / "filled.xlsx"), form, units)
    assert result.problems == []
    assert result.frame["energy_users"].to_list() == [100.0, 50.0, None]
    assert result.frame["type_code"].to_list() == ["01", None, None]
    assert result.frame["period"].to_list() == ["2025"] * 3


def test_layout_and_legal_marks(tmp_path: Path, forms: dict[str, Form]) -> None:
    form = forms["pi-basic"]
    path = template(tmp_path / "t.xlsx", form, 2024, ROWS)  # edition 2022: valid until 2025年11月
    grid = read_grid(path)
    assert sheet_names(path) == ["公共机构基本信息", "填表说明"]
    assert grid.cells(1)[0] == "公共机构基本信息"
    marks = [cell for row in range(2, 7) for cell in grid.cells(row) if cell]
    assert marks == [  # 表号 and 批准文号 are not yet checked against the printed 制度: left out
        "制表机关：国家机关事务管理局",
        "批准机关：国家统计局",
        "有效期至：2025年11月",
    ]
    assert grid.cells(7)[0] == "统计期：2025年3月"
    assert "填报单位（盖章）：" in grid.cells(7)
    assert grid.cells(8) == [
        "统一社会信用代码",
        "单位名称",
        "统计期",
        "单位性质",
        "建筑面积（平方米）",
        "用地面积（平方米）",
        "用能人数（人）",
        "车辆数量（辆）",
        "新能源汽车数量（辆）",
        "充电桩数量（个）",
    ]
    xml = sheet_xml(path)
    assert 'ySplit="8"' in xml and 'xSplit="2"' in xml  # frozen below the header and right of the name
    assert 'mergeCell ref="A1:J1"' in xml


def test_marks_to_confirm(forms: dict[str, Form]) -> None:
    edition = forms["pi-energy"].edition("2017")
    marks = mark_values(edition)
    assert "valid_until" not in marks  # listed in to_confirm, though the file has a value
    assert "approval_no" not in marks  # empty in the file
    assert marks["issuer"] == "国家机关事务管理局"


def test_item_headers(forms: dict[str, Form]) -> None:
    items = forms["pi-energy"].items
    assert item_header(items["electricity"]) == "电力消费量（千瓦时）"
    assert item_header(items["water"]) == "水消费量（吨）"
    assert item_header(items["natural_gas"]) == "天然气消费量（立方米）"
    assert item_header(items["heat"]) == "热力消费量（吉焦）"
    assert item_header(items["other_energy"]) == "其他能源消费量（折标准煤）（吨标准煤）"
    assert item_header(items["gasoline_cost"]) == "汽油费用（元）"
    assert item_header(items["water"], "en") == "Water (t)"
    assert item_header(items["natural_gas"], "en") == "Natural gas (m³)"
    assert item_header(forms["pi-basic"].items["type_code"]) == "单位性质"
    assert item_header(forms["pi-basic"].items["vehicles"], "en") == "Vehicles (vehicles)"


def test_number_validation(tmp_path: Path, forms: dict[str, Form]) -> None:
    path = template(tmp_path / "t.xlsx", forms["pi-basic"], 2025, ROWS)
    xml = sheet_xml(path)
    validations = re.findall(
        r'<dataValidation type="(\w+)" operator="(\w+)"[^>]*sqref="([A-Z]+)9:[A-Z]+(\d+)"', xml
    )
    # 单位性质 (text) has none; 建筑面积/用地面积 decimals; persons, vehicles, charging points whole
    assert [(kind, column) for kind, _, column, _ in validations] == [
        ("decimal", "E"),
        ("decimal", "F"),
        ("whole", "G"),
        ("whole", "H"),
        ("whole", "I"),
        ("whole", "J"),
    ]
    assert {operator for _, operator, _, _ in validations} == {"greaterThanOrEqual"}
    assert {int(last) for *_, last in validations} == {508}  # 500 rows below the header


def test_english_template(tmp_path: Path, forms: dict[str, Form]) -> None:
    path = template(tmp_path / "t.xlsx", forms["pi-energy"], 2025, ROWS, "en")
    grid = read_grid(path)
    assert sheet_names(path) == ["pi-energy", "Instructions"]
    assert grid.cells(8)[:4] == [
        "Unified social credit code",
        "Organisation name",
        "Period",
        "Electricity (kWh)",
    ]
    assert grid.cells(7)[0] == "Period: 2025年3月"
    marks = [cell for row in range(2, 7) for cell in grid.cells(row) if cell]
    assert any(cell.startswith("Issued by: ") for cell in marks)
    assert not any("confirm" in cell or "Approval No." in cell for cell in marks)  # unchecked: left out


def test_instructions_sheet(tmp_path: Path, forms: dict[str, Form]) -> None:
    path = template(tmp_path / "t.xlsx", forms["pi-basic"], 2025, ROWS)
    frame = read_grid(path, "填表说明").frame
    text = "\n".join(cell for cell in frame.to_series(0).to_list() if cell)
    assert "万千瓦时" in text and "阻止导入" in text
    units = dict(zip(frame.to_series(0).to_list(), frame.to_series(1).to_list(), strict=True))
    assert units["用能人数"] == "人"
    assert units["建筑面积"] == "平方米"
    notes = dict(zip(frame.to_series(0).to_list(), frame.to_series(2).to_list(), strict=True))
    assert notes["用能人数"] == "只填整数"


def test_writes_to_a_stream(forms: dict[str, Form]) -> None:
    form = forms["pi-energy"]
    edition = form.edition("2022")
    buffer = io.BytesIO()
    write_template(buffer, form, edition, ROWS, period_label="2025年3月")
    assert zipfile.is_zipfile(io.BytesIO(buffer.getvalue()))


def test_no_rows(tmp_path: Path, forms: dict[str, Form], units: UnitTable) -> None:
    form = forms["pi-energy"]
    result = read_form_file(template(tmp_path / "t.xlsx", form, 2025, []), form, units)
    assert [p.code for p in result.problems] == ["no_data_rows"]  # an unfilled template imports nothing
    assert result.frame.height == 0
    assert isinstance(result.frame, pl.DataFrame)
