"""What a file's blank cells do to the values already stored: kept unless the uploader confirms clearing.

A row of a file becomes a new revision of its submission; a revision holds every item of the form.
Without a rule, a cell left blank (or a column the file does not have) would make the new revision
hold nothing for that item and silently clear a value stored before. The rule (docs/reporting.md):

* an item whose **column the file does not have** keeps its stored value, always: the file says
  nothing about it;
* an item whose **cell is blank** in a row that has other values keeps its stored value unless the
  uploader confirmed clearing (``clear=True``); every such cell is listed, kept or cleared;
* a row without any value is left out whole (``empty_row``), whatever the confirmation.

Pure: the stored values come as a frame (``org_id``, ``period`` and one column per item of the form,
from the current revisions), and the rows come back with the kept values filled in.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from jieneng.core.forms import Form

_S = "~stored:"  # prefix of the stored values' columns inside this module
KEYS = ("org_id", "period")


@dataclass(frozen=True, eq=False)  # frames do not compare to a bool
class Blanks:
    """The rows with kept values filled in, and every blank cell over a stored value.

    ``cells``: ``row``, ``org_id``, ``period``, ``item`` (the item's code) and ``stored`` (Float64 for a
    numeric item, else null, with ``stored_text``), one row per blank cell whose stored value the file
    would clear; kept (``clear`` False) or cleared (``clear`` True).
    """

    rows: pl.DataFrame
    cells: pl.DataFrame
    cleared: bool


CELL_SCHEMA: dict[str, pl.DataType] = {
    "row": pl.Int32(),
    "org_id": pl.Int64(),
    "period": pl.String(),
    "item": pl.String(),
    "stored": pl.Float64(),
    "stored_text": pl.String(),
}


def stored_schema(form: Form) -> dict[str, pl.DataType]:
    """The schema of the stored values' frame: the keys and one column per item of ``form``."""
    items = {code: pl.Float64() if item.numeric else pl.String() for code, item in form.items.items()}
    return {"org_id": pl.Int64(), "period": pl.String(), **items}


def needing_stored(rows: pl.DataFrame, form: Form) -> pl.Expr:
    """True for the rows whose stored values matter: with a value, and a blank cell or a column missing."""
    present = [code for code in form.items if code in rows.columns]
    if not present:
        return pl.lit(False)
    some = pl.any_horizontal(pl.col(code).is_not_null() for code in present)
    if len(present) < len(form.items):
        return some
    return some & pl.any_horizontal(pl.col(code).is_null() for code in present)


def keep_stored(rows: pl.DataFrame, stored: pl.DataFrame, form: Form, *, clear: bool = False) -> Blanks:
    """``rows`` with every missing column, and unless ``clear`` every blank cell, filled from ``stored``.

    Rows without any value are left as they are (the store leaves them out). The result has a column
    for every item of the form when ``stored`` has rows; else ``rows`` unchanged.
    """
    present = [code for code in form.items if code in rows.columns]
    if stored.is_empty() or rows.is_empty() or not present:
        return Blanks(rows, pl.DataFrame(schema=CELL_SCHEMA), clear)
    order = rows.columns
    renamed = stored.select(
        pl.col("org_id").cast(pl.Int64),
        pl.col("period").cast(pl.String),
        *(pl.col(code).alias(_S + code) for code in form.items if code in stored.columns),
    ).unique(subset=list(KEYS), keep="last")
    joined = rows.with_columns(pl.col("org_id").cast(pl.Int64)).join(
        renamed, on=list(KEYS), how="left", maintain_order="left"
    )
    some = pl.any_horizontal(pl.col(code).is_not_null() for code in present)
    cells = _blank_cells(joined.filter(some), present, form)
    filled: list[pl.Expr] = []
    for code, item in form.items.items():
        dtype = pl.Float64() if item.numeric else pl.String()
        kept = pl.col(_S + code).cast(dtype) if _S + code in joined.columns else pl.lit(None, dtype)
        if code not in present:
            filled.append(pl.when(some).then(kept).otherwise(pl.lit(None, dtype)).alias(code))
        elif not clear:
            filled.append(
                pl.when(some).then(pl.coalesce(pl.col(code), kept)).otherwise(pl.col(code)).alias(code)
            )
    out = joined.with_columns(filled)
    columns = [*order, *(code for code in form.items if code not in order)]
    return Blanks(out.select(columns), cells, clear)


def _blank_cells(joined: pl.DataFrame, present: list[str], form: Form) -> pl.DataFrame:
    parts = []
    for code in present:
        if _S + code not in joined.columns:
            continue
        numeric = form.items[code].numeric
        stored = pl.col(_S + code)
        hit = joined.filter(pl.col(code).is_null() & stored.is_not_null())
        if hit.is_empty():
            continue
        parts.append(
            hit.select(
                pl.col("row").cast(pl.Int32),
                pl.col("org_id").cast(pl.Int64),
                pl.col("period").cast(pl.String),
                pl.lit(code).alias("item"),
                (stored.cast(pl.Float64) if numeric else pl.lit(None, pl.Float64)).alias("stored"),
                (pl.lit(None, pl.String) if numeric else stored.cast(pl.String)).alias("stored_text"),
            )
        )
    if not parts:
        return pl.DataFrame(schema=CELL_SCHEMA)
    return pl.concat(parts).sort("row", maintain_order=True)  # items in form order within a row
