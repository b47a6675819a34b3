"""Every reader of a user's file runs in the bounded child process: the long form, facts, meter days and
assessment readers as much as the statistics forms. A workbook whose only cell is at XFD1048576 (its
declared range removed, so that only reading finds it) and a shared-string bomb end as one problem
naming the limit, through the reader and through each command line path, and the process reads on.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable, Sequence
from functools import partial
from pathlib import Path

import pytest
import xlsxwriter
from django.utils import translation

from jieneng.cli import main
from jieneng.i18n import render
from jieneng.io.assessment import PARTY, header, read_assessment
from jieneng.io.contained import read_contained
from jieneng.io.facts import read_facts
from jieneng.io.longform import read_longform
from jieneng.io.problems import ReadResult
from jieneng.io.savings import read_meter_days
from jieneng.io.sniff import ReadLimits
from jieneng.reference.schemes import load_scheme

LIMITS = ReadLimits(
    rows=10_000,
    columns=200,
    cells=200_000,
    text_chars=1_000,
    unpacked_bytes=2_000_000,
    memory_bytes=1 << 30,
    seconds=60,
)
SCHEME = "gf2007-36-province"
READERS: dict[str, tuple[Callable[..., ReadResult], list[str]]] = {
    "longform": (read_longform, ["单位", "期间", "能源品种", "数量", "计量单位", "金额"]),
    "facts": (read_facts, ["单位", "年份", "建筑面积", "用能人数"]),
    "meter days": (read_meter_days, ["日期", "日均气温", "用量"]),
    "assessment": (
        partial(read_assessment, scheme=load_scheme(SCHEME)),
        [PARTY.label, *(header(item.title, kind) for _c, kind, item in load_scheme(SCHEME).inputs())],
    ),
}
GOOD_ROWS: dict[str, list[object]] = {
    "longform": ["区财政局", "2024-03", "电力", 12345, "kWh", 9876],
    "facts": ["区财政局", 2024, 5000, 120],
    "meter days": ["2024-01-01", 12.5, 300],
    "assessment": ["甲省"],  # a party without figures: a problem of its cells, not of the reading
}


def far_cell(folder: Path) -> Path:
    """A cell at XFD1048576 with the sheet's declared range removed: only reading would find it."""
    made = folder / "far-declared.xlsx"
    book = xlsxwriter.Workbook(str(made))
    book.add_worksheet().write(1_048_575, 16_383, 1)
    book.close()
    path = folder / "far.xlsx"
    with zipfile.ZipFile(made) as old, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            data = old.read(info)
            if info.filename.startswith("xl/worksheets/"):
                data = re.sub(rb"<dimension[^>]*/>", b"", data)
            new.writestr(info.filename, data)
    return path


def bomb(folder: Path, header: list[str]) -> Path:
    """A small workbook whose shared strings unpack a thousandfold."""
    good = workbook(folder / "good-for-bomb.xlsx", [header])
    path = folder / "bomb.xlsx"
    strings = b'<?xml version="1.0"?><sst><si><t>' + b"A" * 3_000_000 + b"</t></si></sst>"
    with zipfile.ZipFile(good) as old, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            new.writestr(
                info.filename, strings if info.filename == "xl/sharedStrings.xml" else old.read(info)
            )
    return path


def workbook(path: Path, rows: Sequence[Sequence[object]]) -> Path:
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("数据")
    for i, row in enumerate(rows):
        sheet.write_row(i, 0, row)
    book.close()
    return path


@pytest.mark.parametrize("name", list(READERS))
def test_a_hostile_workbook_is_one_problem_naming_the_limit_and_reading_goes_on(name, tmp_path):
    reader, header = READERS[name]
    far = read_contained(reader, far_cell(tmp_path), None, LIMITS)
    assert [p.code for p in far.problems] in (["read_out_of_memory"], ["too_many_columns"])
    assert not far.ok and far.frame.is_empty()
    with translation.override("zh-hans"):
        text = render(far.problems[0])
    assert re.search(r"[\u4e00-\u9fff]", text) and "JIENENG_IMPORT_" in text
    bombed = read_contained(reader, bomb(tmp_path, header), None, LIMITS)
    assert [p.code for p in bombed.problems] == ["unpacks_too_large"]
    good = workbook(tmp_path / "good.xlsx", [header, GOOD_ROWS[name]])
    again = read_contained(reader, good, None, LIMITS)  # the same process reads the next file
    assert not any(p.code.startswith("read_out_of") for p in again.problems)
    assert again.sheet == "数据" and again.header_row == 1, again.problems


def test_the_command_line_readers_end_with_a_clear_error_and_status_2(tmp_path, capsys):
    far = far_cell(tmp_path)
    commands = [
        ["convert", far],
        ["compute", far],
        ["savings", far, "--baseline", "2023-01-01..2023-12-31", "--reporting", "2024-01-01..2024-12-31"],
        ["assess", far, "--scheme", SCHEME],
    ]
    for command in commands:
        assert main([str(word) for word in command]) == 2, command
        err = capsys.readouterr().err
        assert "far.xlsx" in err and "JIENENG_IMPORT_" in err, (command, err)
        assert "Traceback" not in err and "calamine" not in err.lower()


def test_the_annotated_copy_of_a_hostile_workbook_is_the_list_alone(tmp_path):
    import io as bytes_io

    import python_calamine

    from jieneng.io.annotate import write_annotated
    from jieneng.io.problems import Problem

    problem = Problem.make(
        "read_out_of_memory", file="far.xlsx", limit=1 << 30, setting="JIENENG_IMPORT_MEMORY_BYTES"
    )
    out = bytes_io.BytesIO()
    write_annotated(far_cell(tmp_path), [problem], out, sheet=None, header_row=None, describe=render)
    book = python_calamine.CalamineWorkbook.from_filelike(bytes_io.BytesIO(out.getvalue()))
    assert len(book.sheet_names) == 1  # the problems listed; the data sheet is not read in this process
