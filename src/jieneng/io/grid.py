"""A sheet as a grid of text cells, read at the speed of the spreadsheet library: no Python per cell.

:func:`read_grid` returns every cell of one sheet as text (or null) in a Polars frame whose columns are
``c0, c1, …`` (column A, B, …) and whose row ``i`` is the spreadsheet's row ``i + 1``: leading empty
rows and columns are kept, so row and column numbers stay those the user sees. Workbooks (.xlsx,
.xlsm, .xls, .ods) are read with fastexcel, which gives numbers as their shortest text (``"0.3"``),
booleans as ``"true"`` and dates as ``"2025-03-01 00:00:00"``; parsing those texts is the job of the
reader on top (:mod:`jieneng.io.formfile`). CSV bytes are decoded strictly as UTF-8 (with or without
BOM), then as GB18030 (which includes GBK, what Excel writes on a Chinese Windows).

A file that cannot be read raises :class:`UnreadableFile`, which carries the :class:`Problem` to show.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

import fastexcel
import polars as pl

from jieneng.io.problems import Problem
from jieneng.io.sniff import (
    FORMAT_NAMES,
    HTML,
    ODS,
    TEXT,
    XLS,
    XLSX,
    ReadLimits,
    UnreadableFile,
    check_size,
    decode_utf16,
    delimiter,
    html_rows,
    inspect,
    over,
)

__all__ = ["Grid", "ReadLimits", "UnreadableFile", "column_letter", "column_name", "read_grid"]

ENCODINGS = ("utf-8-sig", "gb18030")
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods")  # what the templates and pages offer
_BOM = b"\xef\xbb\xbf"
_HEAD_CHARS = 8192


@dataclass(frozen=True)
class Grid:
    """One sheet's cells as text: column ``c{j}`` is sheet column ``j + 1``, row ``i`` is row ``i + 1``."""

    frame: pl.DataFrame
    sheet: str | None  # the worksheet name; None for CSV

    @property
    def height(self) -> int:
        return self.frame.height

    def cells(self, number: int) -> list[str | None]:
        """The cells of spreadsheet row ``number`` (1-based), as text or None; [] past the end."""
        if not 1 <= number <= self.frame.height:
            return []
        return list(self.frame.row(number - 1))


def column_name(index: int) -> str:
    """The grid column of the 0-based spreadsheet column ``index``: ``c0`` for column A."""
    return f"c{index}"


def column_letter(index: int) -> str:
    """``A`` for the 0-based column 0, ``AB`` for 27: how users name columns."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def sheet_names(path: Path) -> list[str]:
    """The worksheet names of a workbook in their order; [] for a text or HTML file."""
    kind = inspect(path, ReadLimits.of())
    if kind in (TEXT, HTML):
        return []
    return list(_open_workbook(path, kind).sheet_names)


def read_grid(path: Path, sheet: str | None = None, limits: ReadLimits | None = None) -> Grid:
    """Every cell of ``sheet`` (default: the first) of ``path`` as text; raises :class:`UnreadableFile`.

    The format is the one of the file's bytes (:func:`jieneng.io.sniff.inspect`), whatever its name;
    the grid read is checked against ``limits`` (default: the settings') before it is returned."""
    limits = limits or ReadLimits.of()
    kind = inspect(path, limits)
    if kind == TEXT:
        grid = Grid(_csv_frame(path), None)
    elif kind == HTML:
        grid = Grid(_html_frame(path), None)
    else:
        grid = _read_workbook(path, sheet, kind)
    _check_grid(path, grid.frame, limits)
    return grid


def _check_grid(path: Path, frame: pl.DataFrame, limits: ReadLimits) -> None:
    """Refuse a grid beyond the limits: its size, and the longest text of any cell."""
    check_size(path, frame.height, frame.width, limits)
    if not frame.width or not frame.height:
        return
    longest = frame.select(pl.max_horizontal(pl.all().str.len_chars().max())).item()
    if longest is not None and longest > limits.text_chars:
        raise over("text_too_long", path, longest, limits.text_chars, "JIENENG_IMPORT_MAX_TEXT_CHARS")


def _unreadable(path: Path, exc: Exception, kind: str = XLS) -> UnreadableFile:
    """The problem for a library error: the format found and what to do, never the library's words."""
    words = str(exc).lower()
    if "password" in words or "encrypt" in words:
        return UnreadableFile(Problem.make("encrypted_workbook", file=path.name))
    return UnreadableFile(Problem.make("damaged_file", file=path.name, format=FORMAT_NAMES[kind]))


def _open_workbook(path: Path, kind: str) -> fastexcel.ExcelReader:
    """The workbook by its content: a file whose name says another format is read from its bytes."""
    named = {".xlsx": XLSX, ".xlsm": XLSX, ".xls": XLS, ".ods": ODS}.get(path.suffix.lower())
    try:
        return fastexcel.read_excel(path if named == kind else path.read_bytes())
    except (fastexcel.FastExcelError, OSError, ValueError) as exc:
        raise _unreadable(path, exc, kind) from exc


def _read_workbook(path: Path, sheet: str | None, kind: str) -> Grid:
    reader = _open_workbook(path, kind)
    names = list(reader.sheet_names)
    if sheet is not None and sheet not in names:
        raise UnreadableFile(Problem.make("no_such_sheet", sheet=sheet, sheets=", ".join(names)))
    if not names:  # a workbook without a sheet: damaged
        raise UnreadableFile(Problem.make("damaged_file", file=path.name, format=FORMAT_NAMES[kind]))
    chosen = sheet if sheet is not None else names[0]
    try:
        # skip_rows=0 keeps leading empty rows (None would drop them); header_row=None reads row 1 as data
        loaded = reader.load_sheet(chosen, header_row=None, skip_rows=0, dtypes="string")
        frame = loaded.to_polars()
    except (fastexcel.FastExcelError, OSError, ValueError) as exc:
        raise _unreadable(path, exc, kind) from exc
    # fastexcel drops leading empty columns: name each column by its absolute index and put them back
    absolute = {info.name: info.absolute_index for info in loaded.available_columns()}
    return Grid(_padded(frame, [absolute[name] for name in frame.columns]), chosen)


def _padded(frame: pl.DataFrame, indexes: list[int]) -> pl.DataFrame:
    """``frame`` with columns renamed ``c{index}`` and the missing ones (empty columns) added as nulls."""
    if not indexes:
        return pl.DataFrame()
    renamed = {old: column_name(index) for old, index in zip(frame.columns, indexes, strict=True)}
    present = set(renamed.values())
    width = max(indexes) + 1
    return frame.rename(renamed).select(
        pl.col(name) if name in present else pl.lit(None, pl.String).alias(name)
        for name in (column_name(j) for j in range(width))
    )


def _decode(data: bytes) -> tuple[str, str]:
    """The text of CSV bytes and its encoding, UTF-8 first; bad_encoding where the likeliest one stopped."""
    failed_at: list[tuple[int, int]] = []
    for encoding in ENCODINGS:
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError as exc:
            failed_at.append((exc.start, exc.end))
    # Report the bytes where the encoding that read furthest stopped: most likely the intended one.
    start, end = max(failed_at)
    line = data.count(b"\n", 0, start) + 1
    raise UnreadableFile(Problem.make("bad_encoding", row=line, value=data[start:end].hex(" ")))


def _csv_frame(path: Path) -> pl.DataFrame:
    """The CSV cells as text columns: Polars' reader, or the csv module for rows Polars refuses."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise UnreadableFile(Problem.make("unreadable_file", file=path.name, reason=str(exc))) from exc
    utf16 = decode_utf16(data)
    text, encoding = (utf16, "utf-16") if utf16 is not None else _decode(data)
    utf8 = data.removeprefix(_BOM) if encoding == "utf-8-sig" else text.encode("utf-8")
    if not utf8.strip():
        return pl.DataFrame()
    separator = delimiter(text[:_HEAD_CHARS])
    try:
        frame = pl.read_csv(io.BytesIO(utf8), has_header=False, infer_schema=False, separator=separator)
    except pl.exceptions.PolarsError:
        # Polars takes the width from the first row and refuses longer rows (a one-cell title row)
        return _csv_module_frame(path, text, separator)
    return frame.rename({old: column_name(j) for j, old in enumerate(frame.columns)})


def _html_frame(path: Path) -> pl.DataFrame:
    """The cells of the first table of an HTML page (a “.xls” many systems export), as text columns."""
    data = path.read_bytes()
    utf16 = decode_utf16(data)
    text = utf16 if utf16 is not None else _decode(data)[0]
    return _rows_frame(html_rows(text))


def _csv_module_frame(path: Path, text: str, separator: str = ",") -> pl.DataFrame:
    """The slow but forgiving path: rows of any length, padded with nulls to the widest."""
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=separator))
    except csv.Error as exc:  # a field beyond the csv module's own bound (131,072 characters)
        limit = csv.field_size_limit()
        raise over("text_too_long", path, limit, limit, "JIENENG_IMPORT_MAX_TEXT_CHARS") from exc
    return _rows_frame([[cell if cell != "" else None for cell in row] for row in rows])


def _rows_frame(rows: list[list[str | None]]) -> pl.DataFrame:
    """Rows of any length as a frame of text columns, padded with nulls to the widest."""
    width = max((len(row) for row in rows), default=0)
    columns = {
        column_name(j): pl.Series([row[j] if j < len(row) else None for row in rows], dtype=pl.String)
        for j in range(width)
    }
    return pl.DataFrame(columns, height=len(rows))
