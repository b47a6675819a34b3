"""The rule of blank cells over stored values (:mod:`jieneng.core.blanks`), without Django."""

from __future__ import annotations

import polars as pl

from jieneng.core.blanks import keep_stored, needing_stored, stored_schema
from jieneng.reference import load_forms

FORM = load_forms()["pi-energy"]


def _rows(**items: list[float | None]) -> pl.DataFrame:
    base = {"row": [4, 5, 6], "org_id": [1, 2, 3], "period": ["2026-09"] * 3}
    return pl.DataFrame({**base, **items}, schema_overrides=dict.fromkeys(items, pl.Float64))


def _stored() -> pl.DataFrame:
    records = [
        {"org_id": org, "period": "2026-09", "electricity": 100.0 * org, "water": 5.0 * org} for org in (1, 2)
    ]
    return pl.DataFrame(records, schema=stored_schema(FORM))


def test_a_blank_cell_keeps_its_stored_value_and_is_listed():
    rows = _rows(electricity=[150.0, None, 7.0], water=[None, 12.0, None])
    kept = keep_stored(rows, _stored(), FORM)
    assert kept.rows["water"].to_list() == [5.0, 12.0, None]  # org 3 has nothing stored
    assert kept.rows["electricity"].to_list() == [150.0, 200.0, 7.0]
    assert kept.cells.select("row", "item", "stored").rows() == [(4, "water", 5.0), (5, "electricity", 200.0)]
    assert set(FORM.items) <= set(kept.rows.columns)


def test_confirmed_clearing_clears_blank_cells_but_not_missing_columns():
    rows = _rows(electricity=[None, 1.0, 2.0])  # no water column at all
    cleared = keep_stored(rows, _stored(), FORM, clear=True)
    assert cleared.rows["electricity"].to_list()[0] is None and cleared.cleared
    assert cleared.rows["water"].to_list() == [None, 10.0, None]  # org 1's row has no value: left as it is
    assert cleared.cells.select("row", "item").rows() == []  # row 4 has no value at all: not a clearing


def test_a_row_without_any_value_is_left_alone_and_nothing_stored_changes_nothing():
    rows = _rows(electricity=[None, None, None], water=[None, None, None])
    assert keep_stored(rows, _stored(), FORM).rows["water"].to_list() == [None, None, None]
    empty = keep_stored(rows, pl.DataFrame(schema=stored_schema(FORM)), FORM)
    assert empty.rows.equals(rows) and empty.cells.is_empty()
    full = pl.DataFrame({code: [1.0] for code in FORM.items})
    assert not full.select(needing_stored(full, FORM)).item()
