"""Problems found while reading a user's file: records, never exceptions.

A :class:`Problem` has a stable ``code``, the row number as the spreadsheet shows it (1-based, title
and header rows counted), the column header as the user wrote it, the offending value, and an
English message template (the gettext msgid) with its parameters. :func:`render` gives the message
in the active language; :func:`describe` adds where it is.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import polars as pl
from django.utils.translation import gettext

from jieneng.core.errors import gettext_noop

BLOCKING = "blocking"
ADVISORY = "advisory"

#: the message template of each problem code (gettext msgids, English)
TEMPLATES: dict[str, str] = {
    "file_not_found": gettext_noop("File “%(file)s” does not exist."),
    "unreadable_file": gettext_noop("File “%(file)s” cannot be read as a spreadsheet (%(reason)s)."),
    "unknown_format": gettext_noop("File “%(file)s” has an unknown type; give a .csv, .xlsx or .xls file."),
    "bad_encoding": gettext_noop(
        "The file is neither UTF-8 nor GBK/GB18030 text: the bytes %(value)s cannot be read. "
        "Save it again from Excel as “CSV UTF-8”."
    ),
    "no_such_sheet": gettext_noop("There is no sheet “%(sheet)s”; the sheets are: %(sheets)s."),
    "no_header_row": gettext_noop(
        "No header row found: no row in the first %(rows)s names the columns %(columns)s."
    ),
    "missing_column": gettext_noop(
        "Required column “%(column)s” is missing; accepted names are %(names)s. "
        "The header row has: %(found)s."
    ),
    "empty_cell": gettext_noop("This cell is empty, but “%(column)s” is required."),
    "bad_number": gettext_noop(
        "“%(value)s” is not a number. Write digits with an optional decimal point, e.g. 1234.5 or 1,234.5."
    ),
    "bad_period": gettext_noop(
        "“%(value)s” is not a period. Write a year (2024), a month (2024-03, 2024年3月) "
        "or a quarter (2024Q1, 2024年第1季度)."
    ),
    "not_a_year": gettext_noop("“%(value)s” is not a year; write the year alone, e.g. 2024."),
    "duplicate_facts": gettext_noop(
        "The facts of “%(value)s” for %(year)s are given twice; the first is in row %(first)s."
    ),
    "bad_header_unit": gettext_noop(
        "The unit “%(unit)s” in header “%(value)s” cannot measure %(item)s, which is reported in "
        "%(expected)s. Give the header a unit of the same kind, e.g. “%(item)s（%(expected)s）”, "
        "or remove the unit."
    ),
    "unknown_column": gettext_noop(
        "Column “%(column)s” is not on form %(form)s and was ignored. "
        "If it holds an item of the form, name it as the template does."
    ),
    "no_items": gettext_noop(
        "The header row names no item of form %(form)s, so there is nothing to read. "
        "Name the item columns as the template does, e.g. %(expected)s. The header row has: %(found)s."
    ),
    "duplicate_column": gettext_noop(
        "Column “%(column)s” is %(item)s again, already read from column “%(first)s”. "
        "Delete or rename one of the two columns."
    ),
    "not_whole_number": gettext_noop(
        "“%(value)s” is not a whole number, but “%(column)s” counts whole units. Write a whole number."
    ),
    "outside_your_place": gettext_noop(
        "“%(value)s” is not one of the units you report for, so this row cannot be imported. "
        "Remove the row; if you must report for this unit, ask the energy-saving office of its region "
        "(or the person who manages accounts there) to give you the reporter role for it."
    ),
    "bad_date": gettext_noop(
        "“%(value)s” is not a date. Write the day as 2024-03-05, 2024/3/5 or 2024年3月5日."
    ),
    "duplicate_date": gettext_noop("The day %(value)s is given twice; the first is in row %(first)s."),
    "too_many_problems": gettext_noop(
        "%(count)s cells have problems; only the first %(shown)s are listed. "
        "Check that the file is the right form and its columns are in the right order."
    ),
}

_WHERE = {
    (True, True): gettext_noop("Row %(row)s, column “%(column)s”"),
    (True, False): gettext_noop("Row %(row)s"),
    (False, True): gettext_noop("Column “%(column)s”"),
}
_LOCATED = gettext_noop("%(where)s: %(message)s")


@dataclass(frozen=True, slots=True)
class Problem:
    """One problem in a file: where it is, what is there, and what is wrong with it."""

    code: str
    row: int | None
    column: str | None
    value: str | None
    template: str
    params: dict[str, Any] = field(default_factory=dict)
    severity: str = BLOCKING

    @classmethod
    def make(
        cls,
        code: str,
        *,
        row: int | None = None,
        column: str | None = None,
        value: Any = None,
        severity: str = BLOCKING,
        **params: Any,
    ) -> Problem:
        """A problem of a known ``code``; ``value`` and ``column`` are also template parameters."""
        text = None if value is None else str(value)
        return cls(
            code, row, column, text, TEMPLATES[code], {"value": text, "column": column, **params}, severity
        )

    def as_dict(self) -> dict[str, Any]:
        """English rendering with the location, for JSON and logs."""
        return {
            "code": self.code,
            "severity": self.severity,
            "row": self.row,
            "column": self.column,
            "value": self.value,
            "message": self.template % self.params,
        }


@dataclass(frozen=True)
class ReadResult:
    """What a reader found: the rows it could read, every problem, and where the table was."""

    frame: pl.DataFrame
    problems: list[Problem]
    sheet: str | None
    header_row: int | None

    @property
    def ok(self) -> bool:
        """True when no problem blocks the use of ``frame``."""
        return not any(p.severity == BLOCKING for p in self.problems)


def render(problem: Problem) -> str:
    """The problem's message in the active language (Django gettext)."""
    return str(gettext(problem.template)) % problem.params


def describe(problem: Problem) -> str:
    """``Row 7, column “数量”: <message>`` in the active language."""
    where = _WHERE.get((problem.row is not None, problem.column is not None))
    if where is None:
        return render(problem)
    place = gettext(where) % {"row": problem.row, "column": problem.column}
    return str(gettext(_LOCATED)) % {"where": place, "message": render(problem)}
