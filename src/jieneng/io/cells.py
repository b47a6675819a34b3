"""Cell values as statisticians type them: numbers stored as text, full-width digits, periods in many forms.

Each parser takes the raw value of a cell (``str`` from a CSV; ``str``, ``float``, ``int``, ``bool``
or ``datetime.date`` from Excel) and returns a clean value, ``None`` for an empty cell, or raises
:class:`ValueError` for a value it cannot read. Text is folded with NFKC first, so ``"１２，３４５．６"``
reads as 12345.6.

**The number grammar** is written once, here, and read two ways: :func:`number` for one cell (the
long-form and facts readers, row by row) and :func:`number_expr` / :func:`parse_numbers` over whole
columns (the form reader). Both fold the text the same way — NFKC, no whitespace at all, lower-case,
the decimal digits of every script as ASCII digits — and then accept :data:`PLAIN` or :data:`GROUPED`
(thousands separators in proper groups of three: ``1,234.5``; ``1,00`` is refused), if the value is
finite (``1e999``, ``inf`` and ``nan`` are refused). So ``" 12 "``, ``"1 234"`` and ``"１，２３４．５"``
are numbers; ``"1 234,5"`` (a decimal comma), ``"1_000"``, ``"约100"`` and ``"100元"`` are not.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from functools import cache
from typing import Any, NamedTuple

import polars as pl

#: a number as written once folded (see the module's text): digits, a point, an exponent
PLAIN = r"^[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:e[+-]?[0-9]+)?$"
#: a number with thousands separators in groups of three
GROUPED = r"^[+-]?[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?$"
#: what :func:`fold` removes: Python's whitespace (Unicode White_Space and the separators U+001C–1F)
WHITESPACE = r"[\s\x1c-\x1f]+"
_PLAIN_RE, _GROUPED_RE = re.compile(PLAIN), re.compile(GROUPED)
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
    if not folded.isascii():
        folded = folded.translate(_digit_table())
    if _GROUPED_RE.fullmatch(folded):
        folded = folded.replace(",", "")
    if not _PLAIN_RE.fullmatch(folded):
        raise ValueError(value)
    parsed = float(folded)
    if not math.isfinite(parsed):  # 1e999
        raise ValueError(value)
    return parsed


def fold_expr(expr: pl.Expr) -> pl.Expr:
    """:func:`fold` as an expression, without the upper-casing: NFKC, no whitespace at all."""
    return expr.str.normalize("NFKC").str.replace_all(WHITESPACE, "")


def number_expr(raw: pl.Expr) -> pl.Expr:
    """:func:`number` as an expression over text cells → Float64, null when empty or unreadable.

    Accepts ``1234.5``, ``" 12 "``, ``"1,234.5"`` (proper 3-digit groups only), ``"１，２３４．５"``.
    """
    digits = _other_digits()
    folded = fold_expr(raw).str.to_lowercase().str.replace_many(list(digits), list(digits.values()))
    grouped = folded.str.contains(GROUPED)
    cleaned = pl.when(grouped).then(folded.str.replace_all(",", "", literal=True)).otherwise(folded)
    value = pl.when(cleaned.str.contains(PLAIN)).then(cleaned.cast(pl.Float64, strict=False))
    return pl.when(value.is_finite()).then(value)


def parse_numbers(texts: pl.Series) -> pl.Series:
    """:func:`number_expr` over a Series, each intermediate computed once (lazy, common subexpressions)."""
    return texts.to_frame("~text").lazy().select(number_expr(pl.col("~text"))).collect().to_series()


@cache
def _other_digits() -> dict[str, str]:
    """Every decimal digit (Unicode category Nd) beyond ASCII → its ASCII digit: ``٣`` → ``3``.

    Python's ``float`` reads these, and :func:`number` always has; built once, when first needed.
    """
    every = "".join(map(chr, range(0x80, 0x110000)))
    return {digit: str(unicodedata.decimal(digit)) for digit in re.findall(r"\d", every)}


@cache
def _digit_table() -> dict[int, int]:
    return {ord(digit): ord(plain) for digit, plain in _other_digits().items()}


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
