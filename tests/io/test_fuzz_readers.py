"""Fuzzing the readers: random cells, random bytes and truncated workbooks give problems, never an
exception, and a contained read stays within its memory limit (bounded examples, to stay fast)."""

from __future__ import annotations

import csv
import io
import tempfile
from collections.abc import Sequence
from pathlib import Path

import xlsxwriter
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jieneng.core.problems import Problem
from jieneng.io.contained import read_form_contained
from jieneng.io.formfile import FormFile, read_form_file
from jieneng.io.sniff import ReadLimits
from jieneng.reference import load_forms, load_units

FORM = load_forms()["pi-energy"]
UNITS = load_units()
HEADER: list[str | None] = ["统一社会信用代码", "单位名称", "统计期", "电力消费量（千瓦时）", "电费（元）"]
LIMITS = ReadLimits(
    rows=5_000,
    columns=100,
    cells=100_000,
    text_chars=500,
    unpacked_bytes=5_000_000,
    memory_bytes=768 << 20,
    seconds=60,
)
FAST = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])

cell = st.one_of(
    st.none(),
    st.text(max_size=30),
    st.integers(-(10**20), 10**20).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
    st.sampled_from(["2025-03", "2025年3月", "1,234.5", "１２３", "\u200b11445202100000016B", "=SUM(A1)"]),
)
grid = st.lists(st.lists(cell, min_size=1, max_size=8), min_size=0, max_size=12)


def read_ok(path: Path) -> FormFile:
    read = read_form_file(path, FORM, UNITS, None, LIMITS)
    assert isinstance(read, FormFile)
    assert all(isinstance(p, Problem) for p in read.problems)
    assert read.problems or read.frame.height == read.rows_read
    return read


def xlsx_bytes(rows: Sequence[Sequence[str | None]]) -> bytes:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False})
    sheet = book.add_worksheet()
    for i, row in enumerate(rows):
        for j, value in enumerate(row):
            if value is not None:
                sheet.write_string(i, j, value)
    book.close()
    return buffer.getvalue()


@FAST
@given(rows=grid, header=st.booleans(), suffix=st.sampled_from([".csv", ".xlsx", ".xls"]))
def test_random_cells(rows: list[list[str | None]], header: bool, suffix: str) -> None:
    table: list[list[str | None]] = [HEADER, *rows] if header else rows
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"cells{suffix}"
        if suffix == ".csv":
            text = io.StringIO()
            csv.writer(text).writerows([[c or "" for c in row] for row in table])
            path.write_text(text.getvalue(), encoding="utf-8")
        else:
            path.write_bytes(xlsx_bytes(table))
        read_ok(path)


@FAST
@given(
    data=st.binary(max_size=2_000),
    prefix=st.sampled_from(
        [b"", b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", b"\xff\xfe", b"<table>"]
    ),
    suffix=st.sampled_from([".csv", ".xlsx", ".xls", ".ods", ".txt"]),
)
def test_random_bytes(data: bytes, prefix: bytes, suffix: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"random{suffix}"
        path.write_bytes(prefix + data)
        read_ok(path)


ROW: list[str | None] = ["11445202100000016B", "机关", "2025-03", "1200", "980"]
WHOLE = xlsx_bytes([HEADER, *[ROW] * 30])


@settings(max_examples=25, deadline=None)
@given(cut=st.integers(0, len(WHOLE) - 1), flip=st.integers(0, 255))
def test_truncated_and_damaged_workbooks(cut: int, flip: int) -> None:
    damaged = bytearray(WHOLE)
    damaged[cut // 2] ^= flip
    with tempfile.TemporaryDirectory() as folder:
        for name, data in (("cut.xlsx", WHOLE[:cut]), ("flipped.xlsx", bytes(damaged))):
            path = Path(folder) / name
            path.write_bytes(data)
            read_ok(path)


@settings(max_examples=6, deadline=None)
@given(cut=st.integers(len(WHOLE) // 2, len(WHOLE)), flip=st.integers(1, 255))
def test_contained_reads_stay_within_their_memory_limit(cut: int, flip: int) -> None:
    damaged = bytearray(WHOLE)
    damaged[cut - 1] ^= flip  # the end of the archive: its directory
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "damaged.xlsx"
        path.write_bytes(bytes(damaged[:cut]) + WHOLE[cut:])
        read = read_form_contained(path, "pi-energy", None, LIMITS)
        assert isinstance(read, FormFile)
        assert not any(p.code in ("read_out_of_memory", "read_out_of_time") for p in read.problems)
