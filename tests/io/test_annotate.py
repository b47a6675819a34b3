"""The annotated copy: the list of problems first, the user's cells where they were, problem cells filled."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from pathlib import Path
from xml.etree import ElementTree

import pytest
from django.utils import translation

from jieneng.i18n import describe
from jieneng.io import annotate
from jieneng.io.annotate import write_annotated
from jieneng.io.formfile import FormFile, read_form_file
from jieneng.io.grid import read_grid, sheet_names
from jieneng.io.problems import ADVISORY, Problem
from jieneng.reference import load_forms, load_units

FIXTURES = Path(__file__).parent.parent / "fixtures" / "forms"
RED, YELLOW = "FFFFC7CE", "FFFFEB9C"
NS = {"x": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    with translation.override("en"):
        yield


def read(name: str) -> FormFile:
    form = load_forms()["pi-basic" if "basic" in name else "pi-energy"]
    return read_form_file(FIXTURES / name, form, load_units())


def annotated(tmp_path: Path, name: str, problems: list[Problem] | None = None) -> Path:
    result = read(name)
    out = tmp_path / "annotated.xlsx"
    write_annotated(
        FIXTURES / name,
        result.problems if problems is None else problems,
        out,
        sheet=result.sheet,
        header_row=result.header_row,
        describe=describe,
    )
    return out


def part(path: Path, name: str) -> str:
    with zipfile.ZipFile(path) as archive:
        return archive.read(name).decode("utf-8")


def fills(path: Path, sheet: int = 2) -> dict[str, str]:
    """Cell reference → fill colour of every filled cell of a sheet (1-based sheet number)."""
    styles = ElementTree.fromstring(part(path, "xl/styles.xml"))
    colours = []
    for fill in styles.iterfind("x:fills/x:fill", NS):
        colour = fill.find("x:patternFill/x:fgColor", NS)
        colours.append(colour.get("rgb", "") if colour is not None else "")
    xfs = [int(xf.get("fillId", "0")) for xf in styles.iterfind("x:cellXfs/x:xf", NS)]
    sheet_xml = ElementTree.fromstring(part(path, f"xl/worksheets/sheet{sheet}.xml"))
    found = {}
    for cell in sheet_xml.iterfind(".//x:c", NS):
        style = cell.get("s")
        if style is not None and colours[xfs[int(style)]]:
            found[cell.get("r", "")] = colours[xfs[int(style)]]
    return found


def test_list_first_then_the_cells(tmp_path: Path) -> None:
    out = annotated(tmp_path, "unparseable-number.xlsx")
    assert sheet_names(out) == ["Problems", "能源资源消费"]
    listing = read_grid(out, "Problems")
    assert listing.cells(1) == ["Severity", "Sheet", "Row", "Column", "Value", "Message"]
    assert listing.cells(2)[:5] == ["Blocking", "能源资源消费", "5", "用电量（万千瓦时）", "约1"]
    assert listing.cells(2)[5].startswith("Row 5, column “用电量（万千瓦时）”: “约1” is not a number.")
    assert listing.frame.height == 6
    assert '<autoFilter ref="A1:F6"/>' in part(out, "xl/worksheets/sheet1.xml")
    assert '<hyperlink ref="C2" location="\'能源资源消费\'!D5"' in part(out, "xl/worksheets/sheet1.xml")


def test_cells_stay_where_they_were(tmp_path: Path) -> None:
    out = annotated(tmp_path, "good-monthly.xlsx", [])
    source = read_grid(FIXTURES / "good-monthly.xlsx").frame
    copy = read_grid(out, "能源资源消费").frame
    assert copy.shape == source.shape
    # codes stay text, numbers written as numbers read back the same
    assert copy.row(4) == source.row(4)
    assert copy.row(3) == source.row(3)
    xml = part(out, "xl/worksheets/sheet2.xml")
    assert '<c r="B5" t="inlineStr"><is><t>11445202100000016B</t></is></c>' in xml
    assert '<c r="E5"><v>1</v></c>' in xml  # 1 万千瓦时, a number again
    assert '<c r="F6" t="inlineStr"><is><t xml:space="preserve"> 8000 </t></is></c>' in xml  # as typed
    assert '<row r="8">' not in xml  # the blank row stays blank
    assert '<dimension ref="A1:M26"/>' in xml
    ElementTree.fromstring(xml)  # well-formed


def test_problem_cells_are_filled(tmp_path: Path) -> None:
    out = annotated(tmp_path, "unparseable-number.xlsx")
    assert fills(out) == {"D5": RED, "E6": RED, "F7": RED, "G8": RED, "D9": RED}
    listed = {ref: colour for ref, colour in fills(out, 1).items() if colour == RED}
    assert listed == {f"A{row}": RED for row in range(2, 7)}  # the severity column of the list


def test_header_problem_and_advisory(tmp_path: Path) -> None:
    result = read("header-unit-wrong.xlsx")
    advisory = Problem.make("unknown_column", row=4, column="电费（元）", severity=ADVISORY, form="f")
    out = annotated(tmp_path, "header-unit-wrong.xlsx", [*result.problems, advisory])
    assert fills(out) == {"D4": RED, "E4": YELLOW}


def test_whole_row_problem(tmp_path: Path) -> None:
    duplicate = Problem.make("duplicate_facts", row=6, value="x", year=2025, first=5)
    out = annotated(tmp_path, "good-monthly.xlsx", [duplicate])
    assert set(fills(out)) == {f"{letter}6" for letter in "ABCDEFGHIJKLM"}  # empty cells too
    assert '<row r="6" s="' in part(out, "xl/worksheets/sheet2.xml")


def test_comments(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = annotated(tmp_path, "unparseable-number.xlsx")
    comments = part(out, "xl/comments1.xml")
    assert comments.count("<comment ") == 5
    assert 'ref="D5"' in comments and "is not a number" in comments

    monkeypatch.setattr(annotate, "MAX_COMMENTS", 2)
    out = annotated(tmp_path, "unparseable-number.xlsx")
    assert part(out, "xl/comments1.xml").count("<comment ") == 2
    assert len(fills(out)) == 5  # every problem cell is still filled


def test_csv_source(tmp_path: Path) -> None:
    problem = Problem.make("bad_number", row=3, column="电费（元）", value="x")
    out = annotated(tmp_path, "good-utf8-bom.csv", [problem])
    assert sheet_names(out) == ["Problems", "Data"]
    assert fills(out) == {"E3": RED}
    assert read_grid(out, "Data").cells(2)[:3] == ["11445202100000016B", "榕城区机关事务服务中心", "2025-01"]


def test_unreadable_source_gives_the_list_only(tmp_path: Path) -> None:
    out = annotated(tmp_path, "bad-encoding.csv")
    assert sheet_names(out) == ["Problems"]
    assert read_grid(out).cells(2)[:3] == ["Blocking", "Data", "4"]


def test_text_is_escaped(tmp_path: Path) -> None:
    source = tmp_path / "odd.csv"
    source.write_text('a,b\n"<x> & y","_x0041_"\n"\x01bell",0012\n', encoding="utf-8")
    out = tmp_path / "out.xlsx"
    write_annotated(source, [], out, sheet=None, header_row=None, describe=describe)
    xml = part(out, "xl/worksheets/sheet2.xml")
    ElementTree.fromstring(xml)
    assert "&lt;x&gt; &amp; y" in xml
    assert "_x005F_x0041_" in xml
    assert "_x0001_bell" in xml
    copy = read_grid(out, "Data")
    assert copy.cells(2) == ["<x> & y", "_x0041_"]
    assert copy.cells(3)[1] == "0012"  # leading zeros: text, not a number


def test_numbers_and_codes(tmp_path: Path) -> None:
    xml = part(annotated(tmp_path, "good-basic-2025.xlsx", []), "xl/worksheets/sheet2.xml")
    assert '<c r="A4" t="inlineStr"><is><t>11445202100000016B</t></is></c>' in xml
    assert '<c r="C4" t="inlineStr"><is><t>2025</t></is></c>' in xml  # the period column stays text
    assert '<c r="D5" t="inlineStr"><is><t>021</t></is></c>' in xml
    assert '<c r="E4"><v>5000</v></c>' in xml


def test_writes_to_a_stream() -> None:
    buffer = io.BytesIO()
    result = read("unparseable-number.xlsx")
    write_annotated(
        FIXTURES / "unparseable-number.xlsx",
        result.problems,
        buffer,
        sheet=result.sheet,
        header_row=result.header_row,
        describe=describe,
    )
    with zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as archive:
        assert "xl/worksheets/sheet2.xml" in archive.namelist()


def test_empty_sheet(tmp_path: Path) -> None:
    source = tmp_path / "empty.csv"
    source.write_bytes(b"")
    out = tmp_path / "out.xlsx"
    write_annotated(source, [], out, sheet=None, header_row=None, describe=describe)
    assert sheet_names(out) == ["Problems"]  # an empty file has no data to copy
