"""Comparison with peers of the same type of unit (单位性质): pure Polars arithmetic, no database.

A unit is compared with the median 单位建筑面积能耗 [kgce/m²] of the units of its type in the same
place. A region holds units of several types, so its benchmark is the median of each type across the
regions listed, weighted by the region's own building area of that type:

    benchmark(r) = Σ_t area(r, t) × median_t / Σ_t area(r, t)      over the types t that have a median

and ``vs_peers`` = (value / benchmark − 1) × 100 [%]: above zero, the place uses more energy per m² than
its peers would with the same mix of units. Medians are taken over ratios of rows with a building
area; ratios themselves are computed from sums (:func:`jieneng.core.indicators.with_ratios`).
"""

from __future__ import annotations

import polars as pl


def per_m2(kgce: str = "kgce", area: str = "area_m2") -> pl.Expr:
    """``kgce / area`` [kgce/m²], null without a positive area."""
    return pl.when(pl.col(area) > 0).then(pl.col(kgce) / pl.col(area)).otherwise(None)


def type_medians(rows: pl.DataFrame, value: str = "kgce_per_m2") -> pl.DataFrame:
    """``type_code, median, peers``: the median of ``value`` over the rows of each type that have one."""
    return (
        rows.filter(pl.col(value).is_not_null())
        .group_by("type_code")
        .agg(pl.col(value).median().alias("median"), pl.len().alias("peers"))
    )


def benchmark(type_rows: pl.DataFrame, medians: pl.DataFrame, key: str) -> pl.DataFrame:
    """``key, benchmark`` [kgce/m²]: each ``key``'s area-weighted median of its types.

    ``type_rows`` has ``key, type_code, area_m2`` (one row per key and type); ``medians`` comes from
    :func:`type_medians`. A key none of whose types has a median gets a null benchmark.
    """
    joined = type_rows.filter(pl.col("area_m2") > 0).join(medians, on="type_code", how="inner")
    return joined.group_by(key).agg(
        ((pl.col("area_m2") * pl.col("median")).sum() / pl.col("area_m2").sum()).alias("benchmark")
    )


def versus(value: str = "kgce_per_m2", against: str = "benchmark") -> pl.Expr:
    """(value / against − 1) × 100 [%]; null when either is missing or the benchmark is zero."""
    return pl.when(pl.col(against) > 0).then((pl.col(value) / pl.col(against) - 1) * 100).otherwise(None)


def ranked(frame: pl.DataFrame, value: str = "kgce_per_m2", then: tuple[str, ...] = ()) -> pl.DataFrame:
    """Sorted by ``value``, highest first (rows without a value last; ties by ``then``), with ``rank``
    (1 = highest)."""
    order = [value, *then]
    out = frame.sort(order, descending=[True] + [False] * len(then), nulls_last=True, maintain_order=True)
    rank = pl.when(pl.col(value).is_not_null()).then(pl.int_range(1, pl.len() + 1)).otherwise(None)
    return out.with_columns(rank.cast(pl.Int64).alias("rank"))
