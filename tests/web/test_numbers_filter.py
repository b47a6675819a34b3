"""Numbers are written one way on every page: thousands separators, fixed decimals, a dash for none."""

from __future__ import annotations

import pytest

from jieneng.directory.templatetags.numbers import grouped


@pytest.mark.parametrize(
    ("value", "decimals", "shown"),
    [
        (91788.1, 2, "91,788.10"),
        (6895, 0, "6,895"),
        ("6895", 0, "6,895"),
        (0, 0, "0"),
        (None, 0, "—"),
        ("", 2, "—"),
        (float("inf"), 2, "—"),
        ("n/a", 0, "n/a"),
    ],
)
def test_grouped(value, decimals, shown) -> None:
    assert grouped(value, decimals) == shown
