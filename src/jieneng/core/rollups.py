"""Roll-up slices for the dashboards: what each unit contributes to every region above it.

The store keeps one row per region × year × slice, where a slice is the whole year (``month`` 0),
one month, one type of unit (单位性质) or one energy type; an empty ``type_code`` or ``energy`` means
“all”. Each row holds the sums of :data:`SUMS`, from which the indicators are computed (ratios are
never summed). CO₂ [kgCO₂] is summed over the units that have it; ``co2_missing`` counts the units of the
slice without it (a factor the emission-factor set lacks), so that a total over part of the units is
never shown as the whole. A reviewer's approval changes a few units; :func:`difference` of their contributions
before and after is what the store adds, so the dashboards never rescan the reported rows.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import polars as pl

from jieneng.core.coal import COUNTED_KINDS
from jieneng.core.indicators import unit_totals
from jieneng.core.regions import rollup

#: the sums of a unit row [kgce, kgce, m³, 元, persons, m², kgCO₂ (null: a factor is missing)]
UNIT_SUMS = ("kgce", "kgce_excl_vehicle", "water_m3", "cost", "persons", "area_m2", "kgco2")
#: the sums of a region row: the units' sums, the units without CO₂ and the units
SUMS = (*UNIT_SUMS, "co2_missing", "units")
KEYS = ("region", "year", "month", "type_code", "energy")
#: ``co2_problem``: the number of the CO₂ problem of a unit-year without CO₂ (null when it has CO₂)
UNIT_COLUMNS = ("org", "region", "type_code", "year", *UNIT_SUMS, "months", "co2_problem")
ALL = ""  # the value of ``type_code`` or ``energy`` in a row over all of them
YEAR = 0  # the value of ``month`` in a row over the whole year

SCHEMA = {
    "region": pl.String,
    "year": pl.Int32,
    "month": pl.Int32,
    "type_code": pl.String,
    "energy": pl.String,
    **dict.fromkeys(UNIT_SUMS, pl.Float64),
    "co2_missing": pl.Int64,
    "units": pl.Int64,
}


def unit_figures(
    converted: pl.DataFrame, facts: pl.DataFrame, *, vehicle_fuels: Sequence[str]
) -> pl.DataFrame:
    """One row per unit and year with records: :data:`UNIT_COLUMNS`.

    ``converted``: the output of :func:`~jieneng.core.coal.convert` with ``org, region, type_code,
    year, month`` (``month`` empty for a quarter or a year reported whole), and the ``kgco2`` and
    ``co2_problem`` of :func:`~jieneng.core.carbon.co2` (``strict=False``); ``facts``: ``org, year,
    persons, area_m2``. A unit-year with a row without CO₂ has no CO₂ (null), not the sum of the others.
    """
    converted = with_co2_columns(converted)
    totals = unit_totals(
        converted, facts, keys=("org", "region", "type_code", "year"), vehicle_fuels=vehicle_fuels
    )
    months = converted.group_by("org", "year").agg(
        pl.col("month").drop_nulls().n_unique().alias("months"),
        pl.col("kgco2").is_null().any().alias("_no_co2"),
        pl.col("co2_problem").drop_nulls().first().alias("co2_problem"),
    )
    return (
        totals.join(months, on=["org", "year"], how="left", maintain_order="left")
        .with_columns(
            pl.col("persons", "area_m2", "cost").cast(pl.Float64).fill_null(0.0),
            pl.when(pl.col("_no_co2")).then(None).otherwise(pl.col("kgco2")).alias("kgco2"),
        )
        .select(UNIT_COLUMNS)
    )


def with_co2_columns(converted: pl.DataFrame) -> pl.DataFrame:
    """``converted`` with ``kgco2`` and ``co2_problem`` (null when absent: a frame without CO₂ has
    no CO₂ figures, never zero)."""
    names = converted.columns
    return converted.with_columns(
        *(() if "kgco2" in names else (pl.lit(None, dtype=pl.Float64).alias("kgco2"),)),
        *(() if "co2_problem" in names else (pl.lit(None, dtype=pl.Int32).alias("co2_problem"),)),
    )


def _co2_parts(frame: pl.DataFrame) -> pl.DataFrame:
    """Per-unit sums with ``kgco2`` null where missing → ``kgco2`` 0 there and ``co2_missing`` 1."""
    return frame.with_columns(
        pl.col("kgco2").is_null().cast(pl.Int64).alias("co2_missing"), pl.col("kgco2").fill_null(0.0)
    )


def slices(
    units: pl.DataFrame, converted: pl.DataFrame, tree: pl.DataFrame, *, vehicle_fuels: Sequence[str]
) -> pl.DataFrame:
    """Every region × year × slice the units contribute to: :data:`KEYS` + :data:`SUMS`.

    ``units``: from :func:`unit_figures`; ``tree``: :func:`~jieneng.core.regions.ancestry` of a tree
    holding the units' regions.
    """
    sums = list(SUMS)
    converted = with_co2_columns(converted)
    counted = _co2_parts(units).with_columns(pl.lit(1, dtype=pl.Int64).alias("units"))
    whole = rollup(counted, tree, sums=sums, by=["year"]).with_columns(
        month=pl.lit(YEAR), type_code=pl.lit(ALL), energy=pl.lit(ALL)
    )
    by_type = rollup(counted, tree, sums=sums, by=["year", "type_code"]).with_columns(
        month=pl.lit(YEAR), energy=pl.lit(ALL)
    )
    in_months = converted.filter(pl.col("month").is_not_null())
    monthly = unit_totals(
        in_months, keys=("org", "region", "year", "month"), vehicle_fuels=vehicle_fuels
    ).with_columns(pl.col("cost").cast(pl.Float64).fill_null(0.0), persons=0.0, area_m2=0.0)
    monthly = _co2_parts(_null_where_missing(monthly, in_months, ("org", "year", "month")))
    by_month = rollup(
        monthly.with_columns(pl.col("units").cast(pl.Int64)), tree, sums=sums, by=["year", "month"]
    ).with_columns(type_code=pl.lit(ALL), energy=pl.lit(ALL))
    energy = (
        converted.filter(pl.col("kind").is_in(COUNTED_KINDS))
        .group_by("org", "region", "year", "energy_code")
        .agg(
            pl.col("kgce").sum(),
            pl.col("cost").cast(pl.Float64).fill_null(0.0).sum(),
            pl.when(pl.col("kgco2").is_null().any())
            .then(None)
            .otherwise(pl.col("kgco2").sum())
            .alias("kgco2"),
        )
        .with_columns(
            kgce_excl_vehicle=0.0, water_m3=0.0, persons=0.0, area_m2=0.0, units=pl.lit(1, dtype=pl.Int64)
        )
    )
    energy = _co2_parts(energy)
    by_energy = (
        rollup(energy, tree, sums=sums, by=["year", "energy_code"])
        .rename({"energy_code": "energy"})
        .with_columns(month=pl.lit(YEAR), type_code=pl.lit(ALL))
    )
    parts = [whole, by_type, by_month, by_energy]
    return pl.concat([_shaped(part) for part in parts], how="vertical")


def _null_where_missing(sums: pl.DataFrame, rows: pl.DataFrame, keys: Sequence[str]) -> pl.DataFrame:
    """``sums`` with ``kgco2`` null for the ``keys`` whose ``rows`` lack CO₂ in one row or more."""
    missing = rows.group_by(*keys).agg(pl.col("kgco2").is_null().any().alias("_no_co2"))
    joined = sums.join(missing, on=list(keys), how="left", maintain_order="left")
    return joined.with_columns(
        pl.when(pl.col("_no_co2")).then(None).otherwise(pl.col("kgco2")).alias("kgco2")
    ).drop("_no_co2")


def _shaped(frame: pl.DataFrame) -> pl.DataFrame:
    return frame.select(pl.col(name).cast(dtype).fill_null(0) for name, dtype in SCHEMA.items())


def empty() -> pl.DataFrame:
    return pl.DataFrame(schema=SCHEMA)


def difference(before: pl.DataFrame, after: pl.DataFrame) -> pl.DataFrame:
    """``after - before`` per key (a key on one side only counts the other as zero); rows whose every
    sum is unchanged are dropped."""
    keys = list(KEYS)
    joined = after.join(before, on=keys, how="full", coalesce=True, suffix="_before")
    out = joined.select(
        *keys,
        *((pl.col(n).fill_null(0) - pl.col(f"{n}_before").fill_null(0)).alias(n) for n in SUMS),
    )
    changed = pl.any_horizontal(pl.col(n) != 0 for n in SUMS)
    return out.filter(changed)


def unsound(before: float, delta: float) -> float | None:
    """The sum ``before + delta`` when keeping it would be unsound, else None: a non-finite sum, or a
    negative one beyond rounding (every sum of approved records is ≥ 0, so it drifted)."""
    after = before + delta
    if not math.isfinite(after):
        return after
    tolerance = 1e-9 * max(abs(before), abs(delta)) + 1e-6
    return after if after < -tolerance else None
