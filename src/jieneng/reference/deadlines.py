"""Reporting deadlines as data: by when the report of a period is due, per form and frequency.

The table is ``reference/data/deadlines/deadlines.toml``; each row gives either ``days`` after the
last day of the period or ``month_day`` (``"03-31"``: the first 31 March after the period ends),
with its source. :meth:`Deadline.due` is plain date arithmetic; :func:`load_deadlines` reads and
checks the file, naming the table and the key on any problem.
"""

from __future__ import annotations

import calendar
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from typing import Any

from jieneng.core.errors import ReferenceDataError
from jieneng.core.forms import FREQUENCIES
from jieneng.reference import DATA, _read_toml

TABLE = "deadlines"


@dataclass(frozen=True)
class Deadline:
    """The deadline of one form reported at one frequency."""

    form: str
    frequency: str
    days: int | None
    month_day: tuple[int, int] | None
    source: str
    to_confirm: bool

    def due(self, year: int, quarter: int | None = None, month: int | None = None) -> date:
        """The last day to report the period (a month, a quarter or a year) without being late."""
        end = period_end(year, quarter, month)
        if self.days is not None:
            return end + timedelta(days=self.days)
        if self.month_day is None:
            raise ReferenceDataError(
                table=TABLE, problem=f"{self.form} {self.frequency}: no days, no month_day"
            )
        candidate = _on(end.year, *self.month_day)
        return candidate if candidate > end else _on(end.year + 1, *self.month_day)


def _on(year: int, month: int, day: int) -> date:
    """``year-month-day``; 29 February falls back to the 28th in a common year."""
    return date(year, month, min(day, calendar.monthrange(year, month)[1]))


def period_end(year: int, quarter: int | None = None, month: int | None = None) -> date:
    """The last day of a month, a quarter or a year."""
    last_month = month or (quarter * 3 if quarter else 12)
    return date(year, last_month, calendar.monthrange(year, last_month)[1])


@dataclass(frozen=True)
class Deadlines:
    id: str
    version: str
    source: str
    rows: Mapping[tuple[str, str], Deadline]

    def of(self, form: str, frequency: str) -> Deadline:
        """The deadline of ``form`` at ``frequency``; a missing row names the table and the key."""
        try:
            return self.rows[(form, frequency)]
        except KeyError:
            raise ReferenceDataError(
                table=self.id, problem=f"no deadline for form {form} reported by {frequency}"
            ) from None

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> Deadlines:
        table = str(data.get("id") or TABLE)
        for key in ("id", "version", "source"):
            if not data.get(key):
                raise ReferenceDataError(table=table, problem=f"the key “{key}” is missing")
        rows: dict[tuple[str, str], Deadline] = {}
        for index, row in enumerate(data.get("deadline", []), start=1):
            deadline = _row(table, index, row)
            pair = (deadline.form, deadline.frequency)
            if pair in rows:
                raise ReferenceDataError(table=table, problem=f"deadline row {index}: {pair} is given twice")
            rows[pair] = deadline
        return cls(table, str(data["version"]), str(data["source"]), rows)


def _row(table: str, index: int, row: Mapping[str, Any]) -> Deadline:
    where = f"deadline row {index}"
    for key in ("form", "frequency", "source"):
        if not row.get(key):
            raise ReferenceDataError(table=table, problem=f"{where}: the key “{key}” is missing")
    if row["frequency"] not in FREQUENCIES:
        raise ReferenceDataError(table=table, problem=f"{where}: frequency must be one of {FREQUENCIES}")
    days, month_day = row.get("days"), row.get("month_day")
    if (days is None) == (month_day is None):
        raise ReferenceDataError(table=table, problem=f"{where}: give either “days” or “month_day”")
    parsed: tuple[int, int] | None = None
    if days is not None and (not isinstance(days, int) or isinstance(days, bool) or days < 0):
        raise ReferenceDataError(table=table, problem=f"{where}: “days” must be a whole number ≥ 0")
    if month_day is not None:
        try:
            month_text, day_text = str(month_day).split("-")
            parsed = (int(month_text), int(day_text))
            date(2000, *parsed)  # a leap year: 02-29 is accepted (and falls back to 02-28)
        except ValueError:
            raise ReferenceDataError(
                table=table, problem=f"{where}: “month_day” must be MM-DD, e.g. 03-31"
            ) from None
    return Deadline(
        str(row["form"]),
        str(row["frequency"]),
        days,
        parsed,
        str(row["source"]),
        bool(row.get("to_confirm", False)),
    )


@cache
def load_deadlines() -> Deadlines:
    """The reporting deadlines (``reference/data/deadlines/deadlines.toml``)."""
    return Deadlines.from_mapping(_read_toml(DATA / "deadlines" / "deadlines.toml", TABLE))
