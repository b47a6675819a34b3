"""Problems of one cell of a file (the readers of :mod:`jieneng.io`)."""

from __future__ import annotations

from jieneng.core.problems.base import Family, ProblemType, gettext_noop


class CellProblem(ProblemType, abstract=True):
    family = Family.CELL


class EmptyCell(CellProblem):
    code = "empty_cell"
    template = gettext_noop("This cell is empty, but “%(column)s” is required.")
    params = ("column",)
    description = "A cell of a required column is empty."


class BadNumber(CellProblem):
    code = "bad_number"
    template = gettext_noop(
        "“%(value)s” is not a number. Write digits with an optional decimal point, e.g. 1234.5 or 1,234.5."
    )
    params = ("value",)
    description = "A cell that should hold a number holds something else."


class BadPeriod(CellProblem):
    code = "bad_period"
    template = gettext_noop(
        "“%(value)s” is not a period. Write a year (2024), a month (2024-03, 2024年3月) "
        "or a quarter (2024Q1, 2024年第1季度)."
    )
    params = ("value",)
    description = "A period cell is neither a year, a month nor a quarter."


class NotAYear(CellProblem):
    code = "not_a_year"
    template = gettext_noop("“%(value)s” is not a year; write the year alone, e.g. 2024.")
    params = ("value",)
    description = "A year cell holds something other than a year."


class NotWholeNumber(CellProblem):
    code = "not_whole_number"
    template = gettext_noop(
        "“%(value)s” is not a whole number, but “%(column)s” counts whole units. Write a whole number."
    )
    params = ("value", "column")
    description = "A count (persons, vehicles, charging points) has a fraction."


class BadDate(CellProblem):
    code = "bad_date"
    template = gettext_noop(
        "“%(value)s” is not a date. Write the day as 2024-03-05, 2024/3/5 or 2024年3月5日."
    )
    params = ("value",)
    description = "A cell that should hold a day (a meter's daily use) holds something else."
