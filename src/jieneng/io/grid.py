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

ENCODINGS = ("utf-8-sig", "gb18030")
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods")
_BOM = b"\xef\xbb\xbf"


class UnreadableFile(Exception):
    """The file cannot be read as a grid; ``problem`` says why (file_not_found, bad_encoding, …)."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.code)
        self.problem = problem


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
    """The worksheet names of a workbook in their order; [] for a CSV file."""
    _check_exists(path)
    if path.suffix.lower() == ".csv":
        return []
    return list(_open_workbook(path).sheet_names)


def read_grid(path: Path, sheet: str | None = None) -> Grid:
    """Every cell of ``sheet`` (default: the first) of ``path`` as text; raises :class:`UnreadableFile`."""
    _check_exists(path)
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return Grid(_csv_frame(path), None)
    if suffix in WORKBOOK_SUFFIXES:
        return _read_workbook(path, sheet)
    raise UnreadableFile(Problem.make("unknown_format", file=path.name))


def _check_exists(path: Path) -> None:
    if not path.is_file():
        raise UnreadableFile(Problem.make("file_not_found", file=path.name))


def _unreadable(path: Path, exc: Exception) -> UnreadableFile:
    """The problem for a library error: its first line is the reason (the rest is a Rust backtrace)."""
    reason = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
    return UnreadableFile(Problem.make("unreadable_file", file=path.name, reason=reason))


def _open_workbook(path: Path) -> fastexcel.ExcelReader:
    try:
        return fastexcel.read_excel(path)
    except (fastexcel.FastExcelError, OSError, ValueError) as exc:
        raise _unreadable(path, exc) from exc


def _read_workbook(path: Path, sheet: str | None) -> Grid:
    reader = _open_workbook(path)
    names = list(reader.sheet_names)
    if sheet is not None and sheet not in names:
        raise UnreadableFile(Problem.make("no_such_sheet", sheet=sheet, sheets=", ".join(names)))
    chosen = sheet if sheet is not None else names[0]
    try:
        # skip_rows=0 keeps leading empty rows (None would drop them); header_row=None reads row 1 as data
        loaded = reader.load_sheet(chosen, header_row=None, skip_rows=0, dtypes="string")
        frame = loaded.to_polars()
    except (fastexcel.FastExcelError, OSError, ValueError) as exc:
        raise _unreadable(path, exc) from exc
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
        raise _unreadable(path, exc) from exc
    text, encoding = _decode(data)
    utf8 = data.removeprefix(_BOM) if encoding == "utf-8-sig" else text.encode("utf-8")
    if not utf8.strip():
        return pl.DataFrame()
    try:
        frame = pl.read_csv(io.BytesIO(utf8), has_header=False, infer_schema=False)
    except pl.exceptions.PolarsError:
        # Polars takes the width from the first row and refuses longer rows (a one-cell title row)
        return _csv_module_frame(path, text)
    return frame.rename({old: column_name(j) for j, old in enumerate(frame.columns)})


def _csv_module_frame(path: Path, text: str) -> pl.DataFrame:
    """The slow but forgiving path: rows of any length, padded with nulls to the widest."""
    try:
        rows = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as exc:
        raise _unreadable(path, exc) from exc
    width = max((len(row) for row in rows), default=0)
    columns = {
        column_name(j): pl.Series(
            [row[j] if j < len(row) and row[j] != "" else None for row in rows], dtype=pl.String
        )
        for j in range(width)
    }
    return pl.DataFrame(columns, height=len(rows))
