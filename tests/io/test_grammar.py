"""The one number grammar and the one header-scan rule of the readers (``jieneng.io.cells``,
``jieneng.io.header``): what a cell reads as, whichever reader reads it."""

from __future__ import annotations

import polars as pl
import pytest

from jieneng.io import cells
from jieneng.io.header import HEADER_SCAN_ROWS, find_header_row, header_key

GRAMMAR = [
    ("1234.5", 1234.5),
    ("1,234.5", 1234.5),
    ("1,234,567", 1_234_567.0),
    ("1 234", 1234.0),  # spaces between digits are dropped, as all whitespace is
    ("1\u00a0234", 1234.0),  # a no-break space
    ("1\u3000234", 1234.0),  # an ideographic space
    ("1\x1c234", 1234.0),  # an information separator: whitespace to Python
    ("１，２３４．５", 1234.5),  # full-width
    ("١٢٣٤", 1234.0),  # Arabic-Indic digits: any script's decimal digits
    ("१२.५", 12.5),  # Devanagari
    ("+.5", 0.5),
    ("5.", 5.0),
    ("-1E3", -1000.0),
    ("1 234,5", None),  # a decimal comma is not read (1234.5 or 12345?)
    ("1,00", None),  # groups of three only
    ("12,34.5", None),
    ("1.2.3", None),
    ("1_000", None),
    ("1e999", None),  # infinite
    ("inf", None),
    ("NaN", None),
    ("0x10", None),
    ("约100", None),
    ("100元", None),
    ("—", None),
]


@pytest.mark.parametrize(("text", "value"), GRAMMAR)
def test_one_grammar_read_one_cell_at_a_time(text: str, value: float | None) -> None:
    if value is None:
        with pytest.raises(ValueError) as caught:
            cells.number(text)
        assert caught.value.args == (text,)
    else:
        assert cells.number(text) == value


@pytest.mark.parametrize(("text", "value"), GRAMMAR)
def test_one_grammar_read_over_a_column(text: str, value: float | None) -> None:
    assert pl.select(cells.number_expr(pl.lit(text, pl.String))).item() == value


def test_parse_numbers_reads_a_column_as_number_expr_does() -> None:
    texts = pl.Series([text for text, _ in GRAMMAR])
    assert cells.parse_numbers(texts).to_list() == [value for _, value in GRAMMAR]


def test_header_keys_fold_width_case_spaces_and_marks() -> None:
    assert header_key(" 统一社会 信用代码* ") == header_key("统一社会信用代码")
    assert header_key("Credit_Code") == header_key("credit-code") == "creditcode"
    assert header_key(2025) == "2025"


def test_the_first_row_with_every_needed_column_is_the_header() -> None:
    rows = [0, 2, 3, 3]
    assert find_header_row(rows, lambda n: n, 3) == (3, 3, True)


def test_else_the_first_row_with_the_most_and_at_least_two() -> None:
    assert find_header_row([1, 2, 0, 2], lambda n: n, 3) == (2, 2, False)
    assert find_header_row([1, 1, 0], lambda n: n, 3) is None


def test_only_the_first_rows_are_scanned() -> None:
    rows = [0] * HEADER_SCAN_ROWS + [3]
    assert find_header_row(rows, lambda n: n, 3) is None
    assert find_header_row([0] * (HEADER_SCAN_ROWS - 1) + [3], lambda n: n, 3) == (HEADER_SCAN_ROWS, 3, True)
