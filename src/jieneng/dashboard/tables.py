"""The numbers behind a chart as a table: shown under the chart (“view as table”), printed, and written
to .xlsx (:mod:`jieneng.dashboard.export`) from the same object, so the three always agree."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

TEXT, NUMBER, CHANGE = "text", "number", "change"


@dataclass(frozen=True)
class Column:
    """A column: its label, its unit (shown under the label, and in brackets in a spreadsheet) and how
    its values read: ``text``, ``number`` with ``decimals``, or ``change`` [%] shown with an arrow."""

    label: str
    unit: str = ""
    kind: str = NUMBER
    decimals: int = 2


@dataclass(frozen=True)
class Row:
    """Values in the order of the columns; ``href`` links the row's first text cell; ``css`` marks the
    row. A row with a ``gap`` text stands for rows left out (its values are ignored)."""

    values: tuple[Any, ...] = ()
    href: str = ""
    css: str = ""
    gap: str = ""


@dataclass(frozen=True)
class Cell:
    column: Column
    value: Any
    href: str  # the row's link, on its first text cell only
    header: bool  # the row's first cell


@dataclass(frozen=True)
class Table:
    title: str
    columns: tuple[Column, ...]
    rows: tuple[Row, ...]
    foot: tuple[Row, ...] = ()
    notes: tuple[str, ...] = ()  # printed under the table and in the spreadsheet

    def cells(self, row: Row) -> list[Cell]:
        if row.gap:
            return []
        link = next((i for i, c in enumerate(self.columns) if c.kind == TEXT), -1)
        return [
            Cell(column, value, row.href if i == link else "", i == 0)
            for i, (column, value) in enumerate(zip(self.columns, row.values, strict=True))
        ]

    @property
    def body(self) -> list[tuple[Row, list[Cell]]]:
        """Each row with its cells, for the template."""
        return [(row, self.cells(row)) for row in self.rows]

    @property
    def footer(self) -> list[tuple[Row, list[Cell]]]:
        return [(row, self.cells(row)) for row in self.foot]
