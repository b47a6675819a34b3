"""GB/T 2260 divisions (province, prefecture, county) with validity dates, from ``data/divisions/``.

A code may have several rows (renamed, re-parented, reused) that never overlap; ``valid_to`` is inclusive.
"""

from __future__ import annotations

import csv
import io
import re
import tomllib
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache, cached_property
from importlib import resources
from pathlib import Path

HEADER = ["code", "name", "level", "parent_code", "valid_from", "valid_to"]
_CODE = re.compile(r"\d{6}")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


class UnknownDivision(LookupError):
    """No division with this code (valid on the given date, or at all when no date is given)."""

    def __init__(self, code: str, on: date | None = None) -> None:
        self.code, self.on = code, on
        zh, en = (f"（{on.isoformat()}）", f" on {on.isoformat()}") if on else ("", "")
        super().__init__(f"未知的行政区划代码 {code}{zh} (unknown division code {code}{en})")


@dataclass(frozen=True, slots=True)
class Division:
    """One row: a division under one name and parent for a span of days."""

    code: str
    name: str
    level: int  # 1 province-level, 2 prefecture-level, 3 county-level
    parent_code: str | None
    valid_from: date
    valid_to: date | None  # inclusive; None while in force

    def valid_on(self, day: date) -> bool:
        """Whether the row is valid on ``day``."""
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)


@dataclass(frozen=True)
class DivisionTable:
    """The rows of one versioned table, sorted by code and date."""

    id: str
    version: str
    source: str
    license: str
    divisions: tuple[Division, ...]

    @cached_property
    def _index(self) -> tuple[dict[str, list[Division]], dict[str, list[Division]]]:
        index: tuple[dict[str, list[Division]], dict[str, list[Division]]] = ({}, {})
        for division in self.divisions:
            index[0].setdefault(division.code, []).append(division)
            index[1].setdefault(division.parent_code or "", []).append(division)
        return index

    def get(self, code: str, on: date | None = None) -> Division:
        """The row of ``code`` valid on ``on``; without a date, its latest row (the one in force if any)."""
        rows = self._index[0].get(code, [])
        found = [row for row in rows if row.valid_on(on)] if on else rows[-1:]
        if not found:
            raise UnknownDivision(code, on)
        return found[0]

    def children(self, code: str, on: date | None = None) -> list[Division]:
        """The direct children of ``code`` valid on ``on`` (without a date: those in force), by code."""
        self.get(code, on)
        return [row for row in self._index[1].get(code, []) if (row.valid_on(on) if on else not row.valid_to)]

    def subtree(self, code: str, on: date | None = None) -> list[Division]:
        """The division ``code`` and all its descendants valid on ``on``, each parent before its children."""
        result = [self.get(code, on)]
        for division in result:
            result.extend(self.children(division.code, on))
        return result


def _row(cells: list[str]) -> Division:
    """One CSV record as a Division; raises ValueError naming the problem (also for a wrong field count)."""
    code, name, level, parent, start, end = (cell.strip() for cell in cells)
    if not _CODE.fullmatch(code) or (parent and not _CODE.fullmatch(parent)):
        raise ValueError(f"codes must be six digits: code {code!r}, parent_code {parent!r}")
    if level not in {"1", "2", "3"} or not name or (level == "1") != (not parent):
        raise ValueError(f"need level 1-3, a name, a parent unless level 1: {level!r}, {name!r}, {parent!r}")
    if not _DATE.fullmatch(start) or (end and (not _DATE.fullmatch(end) or end < start)):
        raise ValueError(f"need YYYY-MM-DD dates, valid_to not before valid_from: {start!r}, {end!r}")
    valid_to = date.fromisoformat(end) if end else None
    return Division(code, name, int(level), parent or None, date.fromisoformat(start), valid_to)


def _covered(parents: list[Division], child: Division) -> bool:
    """Whether the (sorted, non-overlapping) parent rows cover every day of the child row."""
    last = child.valid_to or date.max
    ends = [p.valid_to for p in parents if p.valid_to and child.valid_from <= p.valid_to < last]
    days = (child.valid_from, *(end + timedelta(days=1) for end in ends))
    return all(any(p.valid_on(day) for p in parents) for day in days)


def _parse(text: str, name: str, meta: dict[str, object]) -> DivisionTable:
    """Validate a CSV text; errors name the file, the row (the header is row 1) and the problem."""
    reader = csv.reader(io.StringIO(text))
    if next(reader, None) != HEADER:
        raise ValueError(f"{name}: row 1: the header must be {','.join(HEADER)}")
    rows: list[tuple[int, Division]] = []
    for number, cells in enumerate(reader, start=2):
        try:
            rows.append((number, _row(cells)))
        except ValueError as exc:
            raise ValueError(f"{name}: row {number}: {exc}") from None
    rows.sort(key=lambda item: (item[1].code, item[1].valid_from))
    by_code: dict[str, list[Division]] = {}
    for number, row in rows:
        same = by_code.setdefault(row.code, [])
        if same and (same[-1].valid_to is None or same[-1].valid_to >= row.valid_from):
            raise ValueError(f"{name}: row {number}: {row.code} overlaps an earlier row of this code")
        same.append(row)
    for number, row in rows:
        if row.parent_code and not _covered(by_code.get(row.parent_code, []), row):
            raise ValueError(f"{name}: row {number}: parent {row.parent_code} absent on some day of the row")
    info = {key: str(meta.get(key) or "") for key in ("id", "version", "source", "license")}
    info["id"], info["source"] = info["id"] or Path(name).stem, info["source"] or name
    return DivisionTable(**info, divisions=tuple(row for _, row in rows))


@cache
def _default() -> DivisionTable:
    folder = resources.files("jieneng.reference") / "data" / "divisions"
    meta = tomllib.loads((folder / "SOURCE.toml").read_text(encoding="utf-8"))
    return _parse((folder / "gb2260.csv").read_text(encoding="utf-8"), "gb2260.csv", meta)


def load_divisions(path: Path | None = None) -> DivisionTable:
    """Load and validate a divisions CSV (default: the packaged table, cached); a ``SOURCE.toml`` beside it
    gives id, version, source and license. A malformed file raises ValueError naming file, row and problem.
    """
    if path is None:
        return _default()
    source = path.with_name("SOURCE.toml")
    meta = tomllib.loads(source.read_text(encoding="utf-8")) if source.is_file() else {}
    return _parse(path.read_text(encoding="utf-8-sig"), str(path), meta)
