"""A user's table from a .csv, .xlsx or .xls file: its cells, its header row and named columns.

The format is the one of the file's bytes (:mod:`jieneng.io.sniff`), within the import limits: a
workbook named as what it is is read with python-calamine (typed cells); text (CSV, tab-separated,
UTF-16), HTML tables and renamed workbooks are read as text cells by
:func:`jieneng.io.grid.read_grid`. The header row is the first row that names every required column;
title rows above it are skipped, and row numbers stay those the spreadsheet shows. Columns are
matched by any of their accepted names, in Chinese or English.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import python_calamine

from jieneng.io.cells import is_empty, text
from jieneng.io.grid import read_grid
from jieneng.io.header import HEADER_SCAN_ROWS, find_header_row, header_key
from jieneng.io.problems import Problem
from jieneng.io.sniff import FORMAT_NAMES, ODS, XLS, XLSX, ReadLimits, UnreadableFile, check_size, inspect

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods")


@dataclass(frozen=True, slots=True)
class ColumnSpec:
    """A column by its accepted header names, most specific first; the first is shown to users.

    ``borrow`` is a name this column may take from another column's spare match when nothing else
    matches it: a bare ``单位`` means the organisation, unless the table has a 单位名称 column and no
    计量单位 column, in which case it is the unit of measure.
    """

    name: str
    aliases: tuple[str, ...]
    required: bool = True
    borrow: str | None = None

    @property
    def label(self) -> str:
        return self.aliases[0]


@dataclass(frozen=True)
class Table:
    rows: list[tuple[int, dict[str, Any]]]  # (row number as shown, {column name: raw cell value})
    headers: dict[str, str]  # column name → the header text as written
    sheet: str | None
    header_row: int


class _Unreadable(Exception):  # internal control flow: carries the Problem to report
    def __init__(self, problem: Problem) -> None:
        self.problem = problem


def read_table(
    path: Path, columns: Sequence[ColumnSpec], sheet: str | None = None, limits: ReadLimits | None = None
) -> tuple[Table | None, list[Problem]]:
    """The rows of the first table in ``path`` that has ``columns``; ``None`` and the problems if none.

    ``limits``: the bounds of the reading (default: the settings'); run it bounded with
    :func:`jieneng.io.contained.read_contained`."""
    try:
        grid, sheet_name = _read_grid(path, sheet, limits or ReadLimits.of())
    except _Unreadable as exc:
        return None, [exc.problem]
    found = _find_header(grid, columns)
    if isinstance(found, list):
        return None, found
    header_row, positions = found
    headers = {name: str(grid[header_row - 1][index]).strip() for name, index in positions.items()}
    rows: list[tuple[int, dict[str, Any]]] = []
    for number, cells in enumerate(grid[header_row:], start=header_row + 1):
        if all(is_empty(cell) for cell in cells):
            continue
        rows.append((number, {name: cells[i] if i < len(cells) else None for name, i in positions.items()}))
    return Table(rows, headers, sheet_name, header_row), []


def _read_grid(path: Path, sheet: str | None, limits: ReadLimits) -> tuple[list[list[Any]], str | None]:
    """The cells of ``path`` by its content (:func:`jieneng.io.sniff.inspect`), within the limits: a
    workbook named as such through python-calamine (typed cells), anything else as text cells."""
    try:
        kind = inspect(path, limits)
        named = {".xlsx": XLSX, ".xlsm": XLSX, ".xls": XLS, ".ods": ODS}.get(path.suffix.lower())
        if kind in (XLSX, XLS, ODS) and kind == named:
            return _read_workbook(path, sheet, kind, limits)
        found = read_grid(path, sheet, limits)
    except UnreadableFile as exc:
        raise _Unreadable(exc.problem) from exc
    return [list(row) for row in found.frame.iter_rows()], found.sheet


def _read_workbook(
    path: Path, sheet: str | None, kind: str, limits: ReadLimits
) -> tuple[list[list[Any]], str | None]:
    try:
        with python_calamine.CalamineWorkbook.from_path(str(path)) as book:
            names = list(book.sheet_names)
            if sheet is not None and sheet not in names:
                raise _Unreadable(Problem.make("no_such_sheet", sheet=sheet, sheets=", ".join(names)))
            chosen = sheet if sheet is not None else names[0]
            grid = book.get_sheet_by_name(chosen).to_python(skip_empty_area=False)
    except (python_calamine.CalamineError, OSError, ValueError, IndexError) as exc:
        words = str(exc).lower()
        if "password" in words or "encrypt" in words:
            raise _Unreadable(Problem.make("encrypted_workbook", file=path.name)) from exc
        damaged = Problem.make("damaged_file", file=path.name, format=FORMAT_NAMES[kind])
        raise _Unreadable(damaged) from exc
    rows = [list(row) for row in grid]
    try:
        check_size(path, len(rows), max((len(row) for row in rows), default=0), limits)
    except UnreadableFile as exc:
        raise _Unreadable(exc.problem) from exc
    return rows, chosen


def _without_note(key: str) -> str:
    """``金额(元)`` → ``金额``: a bracketed note at the end of a header."""
    return re.sub(r"\([^()]*\)$", "", key)


def _candidates(cells: Sequence[Any], columns: Sequence[ColumnSpec]) -> dict[str, list[tuple[int, int]]]:
    """For each column name, the (alias rank, cell index) pairs of the cells that match it, best first."""
    ranks = {
        spec.name: {header_key(alias): rank for rank, alias in enumerate(spec.aliases)} for spec in columns
    }
    found: dict[str, list[tuple[int, int]]] = {spec.name: [] for spec in columns}
    for index, cell in enumerate(cells):
        if is_empty(cell):
            continue
        key = header_key(cell)
        matches = [(name, aliases[key]) for name, aliases in ranks.items() if key in aliases]
        if not matches:  # only when no name matches as written: "单位(计量)" must not read as "单位"
            key = _without_note(key)
            matches = [(name, aliases[key]) for name, aliases in ranks.items() if key in aliases]
        for name, rank in matches:
            found[name].append((rank, index))
    return {name: sorted(pairs) for name, pairs in found.items()}


def _assign(cells: Sequence[Any], columns: Sequence[ColumnSpec]) -> dict[str, int]:
    candidates = _candidates(cells, columns)
    chosen = {name: pairs[0][1] for name, pairs in candidates.items() if pairs}
    for spec in columns:
        if spec.name in chosen or spec.borrow is None:
            continue
        for owner, index in list(chosen.items()):
            spare = [i for _, i in candidates[owner] if i != index]
            if header_key(cells[index]) == header_key(spec.borrow) and spare:
                chosen[spec.name], chosen[owner] = index, spare[0]
                break
    return chosen


def _find_header(
    grid: list[list[Any]], columns: Sequence[ColumnSpec]
) -> tuple[int, dict[str, int]] | list[Problem]:
    required = [spec for spec in columns if spec.required]

    def matches(positions: dict[str, int]) -> int:
        return sum(spec.name in positions for spec in required)

    found = find_header_row((_assign(cells, columns) for cells in grid), matches, len(required))
    if found is None:
        labels = ", ".join(spec.label for spec in required)
        return [Problem.make("no_header_row", rows=HEADER_SCAN_ROWS, columns=labels)]
    number, positions, complete = found
    if complete:
        return number, positions
    shown = ", ".join(str(c).strip() for c in grid[number - 1] if not is_empty(c))
    return [
        Problem.make(
            "missing_column", row=number, column=spec.label, names=", ".join(spec.aliases), found=shown
        )
        for spec in required
        if spec.name not in positions
    ]


class RowReader:
    """Parses the cells of one data row, recording a problem for each cell it cannot read."""

    def __init__(self, number: int, raw: dict[str, Any], headers: dict[str, str], problems: list[Problem]):
        self.number = number
        self.raw = raw
        self.headers = headers
        self.problems = problems
        self.failed = False

    def get(self, name: str, parse: Callable[[Any], Any], code: str = "", *, required: bool = True) -> Any:
        """The parsed cell ``name``; ``None`` if the column is absent, the cell empty or unreadable."""
        if name not in self.headers:
            return None
        value = self.raw.get(name)
        column = self.headers[name]
        try:
            parsed = parse(value)
        except ValueError:
            self._problem(code, column, value)
            return None
        if parsed is None and required:
            self._problem("empty_cell", column, None)
        return parsed

    def _problem(self, code: str, column: str, value: Any) -> None:
        self.failed = True
        self.problems.append(Problem.make(code, row=self.number, column=column, value=_shown(value)))


def _shown(value: Any) -> str | None:
    """A cell value as the user sees it: ``12.0`` → ``12``."""
    if value is None:
        return None
    return text(value) or str(value)
