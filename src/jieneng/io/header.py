"""Finding the header row of a user's table, and matching header texts: one rule for every reader.

A sheet often has title rows, the legal marks and blank rows above its header. The header row is
the first of the first :data:`HEADER_SCAN_ROWS` rows that has every column the reader needs; failing
that, the row with the most of them (at least two) is taken, so that the reader can say which one is
missing instead of "no header". :mod:`jieneng.io.table` (long form, facts) and
:mod:`jieneng.io.formfile` (filled statistics forms) both scan with :func:`find_header_row`, each
with its own way of counting what a row has.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from typing import TypeVar

from jieneng.io.cells import fold

HEADER_SCAN_ROWS = 30
FEWEST_MATCHES = 2  # a row naming fewer of the needed columns is not taken for a header
Found = TypeVar("Found")


def header_key(text: object) -> str:
    """Header text folded for matching: NFKC, no spaces, ``_``, ``-``, ``*`` or ``※``, lower-case."""
    return re.sub(r"[_\-*※]", "", fold(str(text)).lower())


def find_header_row(
    rows: Iterable[Found], matches: Callable[[Found], int], needed: int
) -> tuple[int, Found, bool] | None:
    """The header among the first :data:`HEADER_SCAN_ROWS` of ``rows``: (its 1-based row number, the
    row, whether it has all ``needed`` matches); None when no row has :data:`FEWEST_MATCHES`.

    ``matches`` counts the needed columns a row names. The first row with all of them wins; else the
    first row with the most (at least :data:`FEWEST_MATCHES`).
    """
    best: tuple[int, int, Found] | None = None  # (matches, row number, row)
    for number, row in enumerate(rows, start=1):
        if number > HEADER_SCAN_ROWS:
            break
        count = matches(row)
        if count == needed:
            return number, row, True
        if count >= FEWEST_MATCHES and (best is None or count > best[0]):
            best = (count, number, row)
    if best is None:
        return None
    return best[1], best[2], False


def two_level(
    upper: Sequence[object], lower: Sequence[object], is_sub: Callable[[str], bool]
) -> dict[int, tuple[str, str]]:
    """The columns of a two-level header: 0-based column → (the group above, the sub-header below).

    Real forms put an energy over its quantity and cost (``电力`` merged over ``数量 | 金额``). A
    reader gives a merged cell's text in its first column only, so a blank upper cell belongs to the
    group on its left, until a column blank in both rows. Only lower cells ``is_sub`` accepts count.
    """
    found: dict[int, tuple[str, str]] = {}
    group = ""
    for index in range(max(len(upper), len(lower))):
        top = _cell(upper, index)
        sub = _cell(lower, index)
        if top:
            group = top
        elif not sub:
            group = ""
        if sub and group and is_sub(sub):
            found[index] = (group, sub)
    return found


def _cell(cells: Sequence[object], index: int) -> str:
    value = cells[index] if index < len(cells) else None
    return str(value).strip() if value is not None else ""
