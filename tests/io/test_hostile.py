"""Files made to break the readers: each is refused (or read) with a message, never a crash or an overrun.

Every file is built here at test time: a workbook whose only cell is at XFD1048576 (with and without
its declared range), shared strings that unpack a thousandfold, renamed, truncated and encrypted
workbooks, HTML tables and UTF-16 text saved as ".xls", empty and header-only files.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Sequence
from pathlib import Path

import pytest
import xlsxwriter
import xlwt

from jieneng.core.forms import Form
from jieneng.core.units import UnitTable
from jieneng.i18n import render
from jieneng.io.contained import read_form_contained
from jieneng.io.formfile import read_form_file
from jieneng.io.sniff import ReadLimits
from jieneng.reference import load_forms, load_units

FORM = "pi-energy"
HEADER = ["统一社会信用代码", "单位名称", "统计期", "电力消费量（千瓦时）", "电费（元）"]
ROW = ["11445202100000016B", "揭阳市机关事务管理局", "2025-03", "1200", "980"]
#: small limits so that the files stay small; memory well above what a normal read needs
LIMITS = ReadLimits(
    rows=10_000,
    columns=200,
    cells=200_000,
    text_chars=1_000,
    unpacked_bytes=2_000_000,
    memory_bytes=1 << 30,
    seconds=60,
)


@pytest.fixture(scope="module")
def form() -> Form:
    return load_forms()[FORM]


@pytest.fixture(scope="module")
def units() -> UnitTable:
    return load_units()


def codes(path: Path, form: Form, units: UnitTable, limits: ReadLimits = LIMITS) -> list[str]:
    return [p.code for p in read_form_file(path, form, units, None, limits).problems]


def workbook(path: Path, rows: Sequence[Sequence[object]]) -> Path:
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("能源")
    for i, row in enumerate(rows):
        for j, value in enumerate(row):
            sheet.write(i, j, value)
    book.close()
    return path


def rewritten(source: Path, target: Path, change: dict[str, bytes] | None = None, drop: str = "") -> Path:
    """``source`` re-zipped with some parts replaced, and a regular expression removed from sheets."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            data = (change or {}).get(info.filename, old.read(info))
            if drop and info.filename.startswith("xl/worksheets/"):
                data = re.sub(drop.encode(), b"", data)
            new.writestr(info.filename, data)
    return target


def far_cell(tmp_path: Path) -> Path:
    path = tmp_path / "far.xlsx"
    book = xlsxwriter.Workbook(str(path))
    book.add_worksheet().write(1_048_575, 16_383, 1)
    book.close()
    return path


def test_a_declared_range_beyond_the_limits_is_refused_before_reading(tmp_path, form, units):
    found = read_form_file(far_cell(tmp_path), form, units, None, LIMITS).problems
    assert [p.code for p in found] == ["too_many_columns"]
    assert "JIENENG_IMPORT_MAX_COLUMNS" in render(found[0]) and "200" in render(found[0])


def test_a_far_cell_without_a_declared_range_is_contained(tmp_path, form, units):
    path = rewritten(far_cell(tmp_path), tmp_path / "far-undeclared.xlsx", drop=r"<dimension[^>]*/>")
    found = read_form_contained(path, FORM, None, LIMITS).problems
    assert len(found) == 1 and found[0].code in ("too_many_columns", "read_out_of_memory")


def test_shared_strings_that_unpack_a_thousandfold_are_refused_unread(tmp_path, form, units):
    good = workbook(tmp_path / "good.xlsx", [HEADER, ROW])
    strings = b'<?xml version="1.0"?><sst>' + b"<si><t>" + b"A" * 3_000_000 + b"</t></si></sst>"
    path = rewritten(good, tmp_path / "bomb.xlsx", {"xl/sharedStrings.xml": strings})
    assert path.stat().st_size < 20_000
    assert codes(path, form, units) == ["unpacks_too_large"]


def test_a_long_text_cell_is_refused(tmp_path, form, units):
    path = workbook(tmp_path / "long.xlsx", [HEADER, [*ROW[:1], "长" * 2_000, *ROW[2:]]])
    assert codes(path, form, units) == ["text_too_long"]


def test_too_many_rows_are_refused(tmp_path, form, units):
    path = tmp_path / "rows.csv"
    path.write_text(",".join(HEADER) + "\n" + (",".join(ROW) + "\n") * 10_001, encoding="utf-8")
    assert codes(path, form, units) == ["too_many_rows"]


def test_a_workbook_renamed_xls_is_read_by_its_content(tmp_path, form, units):
    path = tmp_path / "renamed.xls"
    path.write_bytes(workbook(tmp_path / "real.xlsx", [HEADER, ROW]).read_bytes())
    read = read_form_file(path, form, units, None, LIMITS)
    assert read.problems == [] and read.frame["org"].to_list() == [ROW[0]]


def test_an_html_table_saved_as_xls_is_read(tmp_path, form, units):
    cells = "".join(f"<td>{c}</td>" for c in ROW)
    head = "".join(f"<th>{c}</th>" for c in HEADER)
    title = '<tr><td colspan="5">2025年3月 能源消费</td></tr>'
    page = (
        '<html><head><meta charset="utf-8"></head><body><table>'
        f"{title}<tr>{head}</tr><tr>{cells}</tr></table></body></html>"
    )
    path = tmp_path / "export.xls"
    path.write_text(page, encoding="utf-8")
    read = read_form_file(path, form, units, None, LIMITS)
    assert read.problems == [] and read.frame["electricity"].to_list() == [1200.0]


def test_utf16_tab_separated_unicode_text_is_read(tmp_path, form, units):
    path = tmp_path / "unicode.txt"
    path.write_bytes(("\t".join(HEADER) + "\r\n" + "\t".join(ROW) + "\r\n").encode("utf-16"))
    read = read_form_file(path, form, units, None, LIMITS)
    assert read.problems == [] and read.frame["electricity"].to_list() == [1200.0]


@pytest.mark.parametrize("cut", [100, 1_000, 3_000])
def test_a_truncated_xlsx_says_damaged(tmp_path, form, units, cut):
    whole = workbook(tmp_path / "whole.xlsx", [HEADER, ROW]).read_bytes()
    path = tmp_path / "cut.xlsx"
    path.write_bytes(whole[:cut])
    assert codes(path, form, units) == ["damaged_file"]


def test_a_truncated_xls_says_damaged(tmp_path, form, units):
    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("能源")
    for i, row in enumerate([HEADER, ROW]):
        for j, value in enumerate(row):
            sheet.write(i, j, value)
    whole = tmp_path / "whole.xls"
    book.save(str(whole))
    path = tmp_path / "cut.xls"
    path.write_bytes(whole.read_bytes()[:1_500])
    assert codes(path, form, units) == ["damaged_file"]


def test_an_encrypted_workbook_asks_to_remove_the_password(tmp_path, form, units):
    # An encrypted OOXML workbook is an OLE compound file holding the stream "EncryptedPackage"
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)
    entry = "EncryptedPackage".encode("utf-16-le").ljust(64, b"\0") + bytes(64)
    path = tmp_path / "locked.xlsx"
    path.write_bytes(header + entry + bytes(4096))
    found = read_form_file(path, form, units, None, LIMITS).problems
    assert [p.code for p in found] == ["encrypted_workbook"]


def test_an_empty_file_and_a_header_only_file_are_errors(tmp_path, form, units):
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"\r\n")
    assert codes(empty, form, units) == ["empty_file"]
    blank_sheet = workbook(tmp_path / "blank.xlsx", [[None]])
    assert codes(blank_sheet, form, units) == ["empty_file"]
    header_only = workbook(tmp_path / "header.xlsx", [["2025年3月"], HEADER])
    assert codes(header_only, form, units) == ["no_data_rows"]


def test_messages_name_no_library_and_speak_chinese(tmp_path, form, units):
    from django.utils import translation

    path = tmp_path / "cut.xlsx"
    path.write_bytes(workbook(tmp_path / "w.xlsx", [HEADER, ROW]).read_bytes()[:500])
    (problem,) = read_form_file(path, form, units, None, LIMITS).problems
    with translation.override("zh-hans"):
        text = render(problem)
    assert re.search(r"[\u4e00-\u9fff]", text) and "Excel" in text
    assert not re.search(r"zip|OLE|signature|calamine", text, re.IGNORECASE)


@pytest.mark.parametrize(
    "written",
    [
        "\u200b11445202100000016B",
        "114452 0210000 0016B",
        "11445202100000016b\u3000",
        "\ufeff114452021000\u200d00016B",
    ],
)
def test_invisible_characters_and_inner_spaces_are_removed_from_codes(tmp_path, form, units, written):
    path = workbook(tmp_path / "codes.xlsx", [HEADER, [written, *ROW[1:]]])
    read = read_form_file(path, form, units, None, LIMITS)
    assert read.frame["org"].to_list() == [ROW[0]]


def test_a_period_in_the_title_that_disagrees_with_the_period_column_is_a_warning(tmp_path, form, units):
    april = [*ROW[:2], "2025-04", *ROW[3:]]
    path = workbook(tmp_path / "title.xlsx", [["统计期：2025年3月"], HEADER, ROW, april, april])
    found = read_form_file(path, form, units, None, LIMITS).problems
    assert [(p.code, p.severity, p.row, p.value, p.params["count"]) for p in found] == [
        ("period_not_in_title", "advisory", 4, "2025-04", 2)
    ]
    agreeing = workbook(tmp_path / "agree.xlsx", [["统计期：2025年3月"], HEADER, ROW])
    assert read_form_file(agreeing, form, units, None, LIMITS).problems == []


def test_formulas_without_computed_results_are_named_and_block(tmp_path, form, units):
    book = xlsxwriter.Workbook(str(tmp_path / "computed.xlsx"))
    sheet = book.add_worksheet("能源")
    sheet.write_row(0, 0, HEADER)
    sheet.write_row(1, 0, ROW[:3])
    sheet.write_formula(1, 3, "=1000+200", None, 1200)
    sheet.write_formula(1, 4, "=D2*0.8", None, 960)
    book.close()
    computed = read_form_file(tmp_path / "computed.xlsx", form, units, None, LIMITS)
    assert computed.problems == [] and computed.frame["electricity"].to_list() == [1200.0]
    # the same workbook as a program that writes formulas without computing them saves it
    path = rewritten(tmp_path / "computed.xlsx", tmp_path / "uncomputed.xlsx", drop=r"(?<=</f>)<v>[^<]*</v>")
    with zipfile.ZipFile(path) as archive:
        assert b"<f>" in archive.read("xl/worksheets/sheet1.xml")
    found = read_form_file(path, form, units, None, LIMITS).problems
    assert found[0].code == "formula_without_value" and found[0].severity == "blocking"
    assert found[0].params["cells"] == "D2, E2" and "WPS" in render(found[0])
