"""Indicators of the energy-saving target responsibility system, as vectorised Polars functions.

Public institutions (公共机构能源资源消费统计):
    综合能耗 [tce]; 人均综合能耗 [kgce/人]; 单位建筑面积能耗 [kgce/m²] (also without official-vehicle
    fuel); 人均用水量 [m³/人].
Regions:
    单位GDP能耗 [tce/万元] at constant prices, its rate of change, cumulative rate over a plan,
    elasticity of energy consumption.
Comparisons: year on year, against a base year, year to date against the same months last year.

The pipeline is: :func:`jieneng.core.coal.convert` → :func:`unit_totals` (one row per unit and
period, quantities only) → optional :func:`jieneng.core.regions.rollup` or :func:`aggregate` (sums) →
:func:`with_ratios` (divides). Ratios are never averaged.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar

import polars as pl

from jieneng.core.coal import COUNTED_KINDS

F = TypeVar("F", pl.DataFrame, pl.LazyFrame)

#: quantity columns that can be summed across units and regions
SUMS = ("kgce", "kgce_excl_vehicle", "water_m3", "cost", "kgco2", "persons", "area_m2", "units")
#: intensities are kept to 4 decimals before their rate is taken (official rule for 单位GDP能耗)
INTENSITY_DECIMALS = 4


def _finish(frame: F, out: pl.LazyFrame) -> F:
    if isinstance(frame, pl.LazyFrame):
        return out
    return out.collect()


def unit_totals(
    converted: F,
    facts: pl.DataFrame | pl.LazyFrame | None = None,
    *,
    keys: Sequence[str] = ("org", "region", "year"),
    vehicle_fuels: Sequence[str] = (),
    water: str = "water",
) -> F:
    """Per unit and period: energy [kgce], energy without vehicle fuel [kgce], water [m³], cost [元],
    and CO₂ [kgCO₂] when ``converted`` has a ``kgco2`` column.

    ``converted`` is the output of :func:`~jieneng.core.coal.convert`. ``keys`` must include ``org``
    and ``year`` when ``facts`` (``org, year, persons, area_m2``) are given; the facts are joined
    after summing, so each unit's area and people are counted once per period. A row whose
    ``purpose`` column (if present) is ``"vehicle"`` is vehicle fuel; without that column, the
    ``vehicle_fuels`` energy codes are.
    """
    lazy = converted.lazy()
    names = lazy.collect_schema().names()
    counted = pl.col("kind").is_in(COUNTED_KINDS)
    if "purpose" in names:
        vehicle = pl.col("purpose") == "vehicle"
    else:
        vehicle = pl.col("energy_code").is_in(list(vehicle_fuels))

    def masked(column: str, keep: pl.Expr) -> pl.Expr:
        # summed plainly: much faster on millions of rows than a filter inside the aggregation
        return pl.when(keep).then(pl.col(column)).otherwise(0.0).sum()

    aggs = [
        masked("kgce", counted).alias("kgce"),
        masked("kgce", counted & ~vehicle).alias("kgce_excl_vehicle"),
        masked("natural", pl.col("energy_code") == water).alias("water_m3"),
    ]
    if "cost" in names:
        aggs.append(pl.col("cost").sum().alias("cost"))
    if "kgco2" in names:  # CO₂ added by jieneng.core.carbon.co2
        aggs.append(pl.col("kgco2").sum().alias("kgco2"))
    out = lazy.group_by(*keys).agg(aggs).with_columns(pl.lit(1, dtype=pl.Int32).alias("units"))
    if facts is not None:
        fact_cols = facts.lazy().select("org", "year", "persons", "area_m2")
        out = out.join(fact_cols, on=["org", "year"], how="left", maintain_order="left")
    return _finish(converted, out)


def aggregate(frame: F, by: Sequence[str]) -> F:
    """Sum every quantity column of :data:`SUMS` present, grouped by ``by``."""
    lazy = frame.lazy()
    present = [c for c in SUMS if c in lazy.collect_schema().names()]
    return _finish(frame, lazy.group_by(*by).agg(pl.col(c).sum() for c in present))


def _ratio(numerator: str, denominator: str) -> pl.Expr:
    den = pl.col(denominator)
    return pl.when(den > 0).then(pl.col(numerator) / den).otherwise(None)


def with_ratios(frame: F) -> F:
    """Add ``tce`` [tce], ``kgce_per_person`` [kgce/人], ``kgce_per_m2`` [kgce/m²],
    ``kgce_per_m2_excl_vehicle`` [kgce/m²] and ``water_per_person`` [m³/人] from summed quantities;
    with a ``kgco2`` column also ``tco2`` [tCO₂], ``kgco2_per_person`` [kgCO₂/人] and ``kgco2_per_m2``
    [kgCO₂/m²].

    A ratio whose denominator is missing or zero is null, not zero.
    """
    lazy = frame.lazy()
    names = lazy.collect_schema().names()
    exprs = [(pl.col("kgce") / 1000).alias("tce")]
    carbon = "kgco2" in names
    if carbon:
        exprs.append((pl.col("kgco2") / 1000).alias("tco2"))
    if "persons" in names:
        exprs.append(_ratio("kgce", "persons").alias("kgce_per_person"))
        exprs.append(_ratio("water_m3", "persons").alias("water_per_person"))
        if carbon:
            exprs.append(_ratio("kgco2", "persons").alias("kgco2_per_person"))
    if "area_m2" in names:
        exprs.append(_ratio("kgce", "area_m2").alias("kgce_per_m2"))
        exprs.append(_ratio("kgce_excl_vehicle", "area_m2").alias("kgce_per_m2_excl_vehicle"))
        if carbon:
            exprs.append(_ratio("kgco2", "area_m2").alias("kgco2_per_m2"))
    return _finish(frame, lazy.with_columns(exprs))


def by_energy_type(converted: F, by: Sequence[str] = ()) -> F:
    """Composition of comprehensive energy by energy type: ``kgce``, ``tce`` and ``share`` [%]."""
    lazy = converted.lazy().filter(pl.col("kind").is_in(COUNTED_KINDS))
    total = pl.col("kgce").sum().over(list(by)) if by else pl.col("kgce").sum()
    out = (
        lazy.group_by(*by, "energy_code")
        .agg(pl.col("kgce").sum())
        .with_columns((pl.col("kgce") / 1000).alias("tce"), (pl.col("kgce") / total * 100).alias("share"))
    )
    return _finish(converted, out.sort(*by, "kgce", descending=[False] * len(by) + [True]))


def _pct_change(current: pl.Expr, previous: pl.Expr) -> pl.Expr:
    return pl.when(previous != 0).then((current / previous - 1) * 100).otherwise(None)


def year_on_year(frame: F, *, keys: Sequence[str], values: Sequence[str], period: str = "year") -> F:
    """Add ``<v>_prev`` and ``<v>_yoy`` [%] for each value: the same keys one ``period`` earlier."""
    lazy = frame.lazy()
    previous = lazy.select(
        *keys, (pl.col(period) + 1).alias(period), *(pl.col(v).alias(f"{v}_prev") for v in values)
    )
    out = lazy.join(previous, on=[*keys, period], how="left", maintain_order="left").with_columns(
        _pct_change(pl.col(v), pl.col(f"{v}_prev")).alias(f"{v}_yoy") for v in values
    )
    return _finish(frame, out)


def versus_base(
    frame: F, *, keys: Sequence[str], values: Sequence[str], base: int, period: str = "year"
) -> F:
    """Add ``<v>_base`` (the value in the base period) and ``<v>_vs_base`` [%] for each value."""
    lazy = frame.lazy()
    base_rows = lazy.filter(pl.col(period) == base).select(
        *keys, *(pl.col(v).alias(f"{v}_base") for v in values)
    )
    joined = (
        lazy.join(base_rows, on=list(keys), how="left", maintain_order="left")
        if keys
        else lazy.join(base_rows, how="cross")
    )
    out = joined.with_columns(
        _pct_change(pl.col(v), pl.col(f"{v}_base")).alias(f"{v}_vs_base") for v in values
    )
    return _finish(frame, out)


def year_to_date(monthly: F, *, keys: Sequence[str], values: Sequence[str], year: int, month: int) -> F:
    """Months 1..``month`` of ``year`` against the same months of the year before.

    ``monthly`` has ``year`` and ``month`` columns and summable ``values``. Returns one row per
    ``keys`` with ``<v>`` (this year to date), ``<v>_prev`` and ``<v>_yoy`` [%].
    """
    lazy = monthly.lazy().filter(pl.col("month") <= month)

    def ytd(y: int) -> pl.LazyFrame:
        return lazy.filter(pl.col("year") == y).group_by(*keys).agg(pl.col(v).sum() for v in values)

    prev = ytd(year - 1).rename({v: f"{v}_prev" for v in values})
    current = ytd(year)
    joined = (
        current.join(prev, on=list(keys), how="full", coalesce=True)
        if keys
        else pl.concat([current, prev], how="horizontal")
    )
    out = joined.with_columns(pl.lit(year).alias("year"), pl.lit(month).alias("through_month")).with_columns(
        _pct_change(pl.col(v), pl.col(f"{v}_prev")).alias(f"{v}_yoy") for v in values
    )
    return _finish(monthly, out)


# --- regions: energy intensity of GDP -------------------------------------------------------------


def intensity(energy_tce: pl.Expr, gdp_10k_yuan: pl.Expr) -> pl.Expr:
    """单位GDP能耗 [tce/万元] kept to 4 decimals; GDP at constant prices of the plan's base year."""
    return (energy_tce / gdp_10k_yuan).round(INTENSITY_DECIMALS)


def constant_price_gdp(
    frame: F,
    *,
    keys: Sequence[str],
    base_year: int,
    nominal: str = "gdp",
    real_growth: str = "gdp_real_growth",
) -> F:
    """GDP at constant ``base_year`` prices [万元]: the base year's GDP chained by the real growth rates.

    ``real_growth`` is the published growth at comparable prices [%] (可比价增速) for each year.
    Years before the base year are left null.
    """
    lazy = frame.lazy().sort(*keys, "year")
    factor = (1 + pl.col(real_growth) / 100).fill_null(1.0)
    after = pl.when(pl.col("year") > base_year).then(factor).otherwise(1.0)
    chained = after.cum_prod().over(list(keys) or None) if keys else after.cum_prod()
    base_gdp = pl.col(nominal).filter(pl.col("year") == base_year).first()
    base_gdp = base_gdp.over(list(keys)) if keys else base_gdp
    out = lazy.with_columns(
        pl.when(pl.col("year") >= base_year).then(base_gdp * chained).otherwise(None).alias("gdp_constant")
    )
    return _finish(frame, out)


def gdp_indicators(
    frame: F, *, keys: Sequence[str], base_year: int, energy: str = "energy_tce", gdp: str = "gdp_constant"
) -> F:
    """Intensity, its rate of change and the elasticity, per ``keys`` and year.

    Adds ``intensity`` [tce/万元, 4 d.p.], ``intensity_rate`` [%] = (I_t/I_{t−1} − 1)×100 computed from
    the rounded intensities, ``intensity_vs_base`` [%] against ``base_year``, ``energy_growth`` and
    ``gdp_growth`` [%], and ``elasticity`` = energy growth / GDP growth (null when GDP did not grow).
    """
    lazy = frame.lazy().with_columns(intensity(pl.col(energy), pl.col(gdp)).alias("intensity"))
    lazy = year_on_year(lazy, keys=keys, values=["intensity", energy, gdp])
    lazy = versus_base(lazy, keys=keys, values=["intensity"], base=base_year)
    out = lazy.rename(
        {"intensity_yoy": "intensity_rate", f"{energy}_yoy": "energy_growth", f"{gdp}_yoy": "gdp_growth"}
    ).with_columns(
        pl.when(pl.col("gdp_growth") != 0)
        .then(pl.col("energy_growth") / pl.col("gdp_growth"))
        .otherwise(None)
        .alias("elasticity")
    )
    return _finish(frame, out.drop("intensity_prev", f"{energy}_prev", f"{gdp}_prev", "intensity_base"))


def cumulative_rate(rates: Sequence[float]) -> float:
    """Cumulative rate of change over a plan [%] from yearly rates [%]: (Π(1 + r_i/100) − 1)×100.

    With reductions written as positive k_i this is the official K = 1 − Π(1 − k_i), negated.
    """
    product = 1.0
    for rate in rates:
        product *= 1 + rate / 100
    return (product - 1) * 100


def elasticity(energy_growth: float, gdp_growth: float) -> float | None:
    """Elasticity of energy consumption: energy growth [%] / GDP growth [%]; None if GDP did not grow."""
    if gdp_growth == 0:
        return None
    return energy_growth / gdp_growth
