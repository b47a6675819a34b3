"""Cell values as statisticians type them: numbers stored as text, full-width digits, periods in many forms.

Each parser takes the raw value of a cell (``str`` from a CSV; ``str``, ``float``, ``int``, ``bool``
or ``datetime.date`` from Excel) and returns a clean value, ``None`` for an empty cell, or raises
:class:`ValueError` for a value it cannot read. Text is folded with NFKC first, so ``"１２，３４５．６"``
reads as 12345.6.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from typing import Any, NamedTuple

_PLAIN = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:e[+-]?\d+)?")
_GROUPED = re.compile(r"[+-]?\d{1,3}(?:,\d{3})+(?:\.\d+)?")
_QUARTER_WORDS = {"一": 1, "二": 2, "三": 3, "四": 4}
FIRST_YEAR, LAST_YEAR = 1900, 2100


class Period(NamedTuple):
    year: int
    month: int | None = None
    quarter: int | None = None


def fold(text: str) -> str:
    """NFKC (full-width to ASCII), without any whitespace, upper-case."""
    return "".join(unicodedata.normalize("NFKC", text).split()).upper()


def is_empty(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def text(value: Any) -> str | None:
    """A text cell as written (surrounding spaces removed); whole numbers lose their ``.0``."""
    if is_empty(value):
        return None
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def number(value: Any) -> float | None:
    """A quantity or an amount: ``1234.5``, ``"1,234.5"``, ``"１，２３４．５"``, ``" 12 "``."""
    if is_empty(value):
        return None
    if isinstance(value, bool):
        raise ValueError(value)
    if isinstance(value, int | float):
        if not math.isfinite(value):
            raise ValueError(value)
        return float(value)
    folded = fold(str(value)).lower()
    if _GROUPED.fullmatch(folded):
        folded = folded.replace(",", "")
    if not _PLAIN.fullmatch(folded):
        raise ValueError(value)
    return float(folded)


_PERIOD_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"(\d{4})(?:年度?)?"), "year"),
    (re.compile(r"(\d{4})[-/.](\d{1,2})(?:[-/.]\d{1,2})?"), "month"),
    (re.compile(r"(\d{4})(\d{2})"), "month"),
    (re.compile(r"(\d{4})年(\d{1,2})月(?:份|\d{1,2}日)?"), "month"),
    (re.compile(r"(\d{4})[-/]?Q([1-4])"), "quarter"),
    (re.compile(r"(\d{4})年?第?([1-4一二三四])季度?"), "quarter"),
)


def period(value: Any) -> Period | None:
    """A reporting period: a year, a month or a quarter.

    Accepts ``2024``, ``"2024年"``, ``"2024-03"``, ``"2024/3"``, ``"202403"``, ``"2024年3月"``,
    ``"2024Q1"``, ``"2024年第1季度"``, ``"2024年一季度"`` and Excel date cells (their month).
    A month also gets its quarter, so monthly and quarterly rows can be summed by quarter.
    """
    if is_empty(value):
        return None
    if isinstance(value, dt.date):
        return _checked(value.year, value.month, None)
    if isinstance(value, bool):
        raise ValueError(value)
    if isinstance(value, int | float):
        if not (math.isfinite(value) and float(value).is_integer()):
            raise ValueError(value)
        value = str(int(value))
    folded = fold(str(value))
    for pattern, kind in _PERIOD_PATTERNS:
        match = pattern.fullmatch(folded)
        if match is None:
            continue
        year = int(match.group(1))
        if kind == "year":
            return _checked(year, None, None)
        if kind == "month":
            return _checked(year, int(match.group(2)), None)
        word = match.group(2)
        return _checked(year, None, _QUARTER_WORDS.get(word) or int(word))
    raise ValueError(value)


def _checked(year: int, month: int | None, quarter: int | None) -> Period:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise ValueError(year)
    if month is not None:
        if not 1 <= month <= 12:
            raise ValueError(month)
        quarter = (month - 1) // 3 + 1
    if quarter is not None and not 1 <= quarter <= 4:
        raise ValueError(quarter)
    return Period(year, month, quarter)
