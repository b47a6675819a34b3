"""What a reader found: the rows it could read and every problem, as records, never exceptions.

The problems are :class:`~jieneng.core.problems.Problem` records built from the declarations of
:mod:`jieneng.core.problems` (the row number as the spreadsheet shows it, the column header as the
user wrote it, the offending value, the code's English template and its parameters);
:func:`jieneng.i18n.render` and :func:`jieneng.i18n.describe` give their messages in the user's language.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from jieneng.core.problems import ADVISORY, BLOCKING, Problem, Severity

__all__ = ["ADVISORY", "BLOCKING", "Problem", "ReadResult", "Severity"]


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
