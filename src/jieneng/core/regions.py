"""The region tree (GB/T 2260 codes) and roll-ups that sum children into their ancestors.

Roll-ups sum quantities; ratios are computed afterwards from the sums (never an average of ratios).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar

import polars as pl

F = TypeVar("F", pl.DataFrame, pl.LazyFrame)


def ancestry(regions: pl.DataFrame) -> pl.DataFrame:
    """Every region paired with itself and each of its ancestors.

    ``regions`` has ``code`` and ``parent_code`` (null at a root). Returns ``code, ancestor, depth``
    where depth 0 is the region itself. A parent that is not in the frame ends the chain.
    """
    parents = dict(zip(regions["code"].to_list(), regions["parent_code"].to_list(), strict=True))
    codes: list[str] = []
    ancestors: list[str] = []
    depths: list[int] = []
    for code in parents:
        current: str | None = code
        depth = 0
        seen: set[str] = set()
        while current is not None and current in parents and current not in seen:
            seen.add(current)
            codes.append(code)
            ancestors.append(current)
            depths.append(depth)
            current = parents[current]
            depth += 1
    return pl.DataFrame(
        {"code": codes, "ancestor": ancestors, "depth": depths},
        schema={"code": regions.schema["code"], "ancestor": regions.schema["code"], "depth": pl.Int16},
    )


def rollup(
    frame: F, tree: pl.DataFrame, *, sums: Sequence[str], by: Sequence[str] = (), region: str = "region"
) -> F:
    """Sum ``sums`` into every region and all its ancestors, grouped by ``region`` and ``by``.

    ``tree`` is the result of :func:`ancestry`. Rows whose region is not in the tree are dropped,
    so call it with the tree of the place being reported on.
    """
    lazy = frame.lazy()
    dtype = lazy.collect_schema()[region]
    # Cast the small tree to the frame's type (a large frame may hold codes as an Enum), not the reverse.
    link = (
        tree.lazy()
        .select(pl.col("code").cast(dtype, strict=False).alias(region), "ancestor")
        .drop_nulls(region)
    )
    out = (
        lazy.join(link, on=region, how="inner")
        .group_by("ancestor", *by)
        .agg(pl.col(c).sum() for c in sums)
        .rename({"ancestor": region})
    )
    if isinstance(frame, pl.LazyFrame):
        return out
    return out.collect()
