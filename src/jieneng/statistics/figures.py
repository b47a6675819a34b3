"""Read services over the roll-ups: the figures every domain asks for, as Polars frames of sums.

"The figures of this region and year" (:func:`region_sums`), "by type of unit" (:func:`region_types`),
"by energy type" (:func:`composition`), "the monthly series" (:func:`monthly_series`), "the units
below with their figures" (:func:`unit_figures`). Each reads the tables kept by
:mod:`jieneng.statistics.rollups` — a few dozen rows, whatever the size of the country — and never the
reported rows. Frames hold sums only (:data:`SUMS`); ratios are computed from them by
:func:`jieneng.core.indicators.with_ratios`, never summed. Where a caller shows the figures, it also
shows the coefficient sets (``id@version``) they were computed with: :func:`region_sums` and
:func:`unit_figures` return them; and, beside CO₂, the emission-factor sets and conventions
(:func:`emission_factor_sets`). CO₂ [kgCO₂] is summed over the units that have it; ``co2_missing``
counts those without (a total over part of the units is not the region's).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import polars as pl

from jieneng.core import rollups
from jieneng.statistics.models import RegionFigure, UnitFigure

#: the sums of a region row [kgce, kgce, m³, 元, persons, m², kgCO₂, units without CO₂, units]
SUMS = rollups.SUMS
#: the sums of a unit row (a unit is one unit; kgCO₂ empty when a factor is missing) and its months
UNIT_SUMS = (*rollups.UNIT_SUMS, "months")
_REGION_SCHEMA = {"region": pl.String, "year": pl.Int32, **dict.fromkeys(SUMS, pl.Float64)}


def _used(values: Iterable[str]) -> str:
    """The coefficient sets of some rows, comma separated."""
    return ", ".join(sorted(set(values)))


def region_sums(codes: Sequence[str], years: Iterable[int]) -> tuple[pl.DataFrame, str]:
    """Whole-year sums of the regions ``codes`` (each its whole subtree) in ``years``:
    ``region, year`` + :data:`SUMS`, and the coefficient sets used."""
    frame, used, _emissions = region_sums_and_sets(codes, years)
    return frame, used


def region_sums_and_sets(codes: Sequence[str], years: Iterable[int]) -> tuple[pl.DataFrame, str, str]:
    """:func:`region_sums`, and the emission-factor sets and conventions of their CO₂, in one query."""
    rows = RegionFigure.objects.filter(
        region__in=list(codes),
        year__in=list(years),
        month=rollups.YEAR,
        type_code=rollups.ALL,
        energy=rollups.ALL,
    ).values_list("region", "year", *SUMS, "coefficient_set", "emission_factors")
    data = list(rows)
    frame = pl.DataFrame([row[:-2] for row in data], schema=_REGION_SCHEMA, orient="row")
    return frame, _used(row[-2] for row in data), _used(row[-1] for row in data if row[-1])


#: the sums that a month row holds; persons, building area and the count of units are the year's
PERIOD_SUMS = ("kgce", "kgce_excl_vehicle", "water_m3", "cost", "kgco2", "co2_missing")
#: tolerance of the check that a year's month rows add up to its whole-year row
_COVERED = 1e-6


def region_period_sums(codes: Sequence[str], years: Iterable[int], last_month: int) -> pl.DataFrame:
    """The sums of months 1 to ``last_month`` of the regions ``codes`` in ``years`` — a year to date
    and the same period of other years: ``region, year`` + :data:`SUMS` + ``monthly``.

    Energy, water, cost and CO₂ are the month rows' sums; persons, building area and units are the
    year's. ``monthly`` says whether the year's month rows add up to its whole year: a year in which
    some units reported by quarter or for the whole year has no figures for a part of the year, and
    is not comparable month by month (its sums here are then those of the monthly reporters only)."""
    years = list(years)
    rows = RegionFigure.objects.filter(
        region__in=list(codes), year__in=years, type_code=rollups.ALL, energy=rollups.ALL
    ).values_list("region", "year", "month", *SUMS)
    schema = {"region": pl.String, "year": pl.Int32, "month": pl.Int32, **dict.fromkeys(SUMS, pl.Float64)}
    frame = pl.DataFrame(list(rows), schema=schema, orient="row")
    whole = frame.filter(pl.col("month") == rollups.YEAR).drop("month")
    months = frame.filter(pl.col("month") != rollups.YEAR)
    period = (
        months.filter(pl.col("month") <= last_month).group_by("region", "year").agg(pl.col(PERIOD_SUMS).sum())
    )
    all_months = months.group_by("region", "year").agg(pl.col("kgce").sum().alias("_months_kgce"))
    facts = [name for name in SUMS if name not in PERIOD_SUMS]
    out = (
        whole.select("region", "year", *facts, pl.col("kgce").alias("_year_kgce"))
        .join(period, on=["region", "year"], how="left")
        .join(all_months, on=["region", "year"], how="left")
        .with_columns(
            pl.col(PERIOD_SUMS).fill_null(0.0),
            (
                (pl.col("_months_kgce").fill_null(0.0) - pl.col("_year_kgce")).abs()
                <= _COVERED * pl.col("_year_kgce").abs().clip(lower_bound=1.0)
            ).alias("monthly"),
        )
    )
    return out.select("region", "year", *SUMS, "monthly").sort("region", "year")


def region_types(codes: Sequence[str], years: Iterable[int]) -> tuple[pl.DataFrame, str]:
    """Whole-year sums of the regions ``codes`` in ``years`` by type of unit (单位性质), the row of all
    types (``type_code`` :data:`~jieneng.core.rollups.ALL`) included: ``region, year, type_code`` +
    :data:`SUMS`, and the coefficient sets used."""
    rows = RegionFigure.objects.filter(
        region__in=list(codes), year__in=list(years), month=rollups.YEAR, energy=rollups.ALL
    ).values_list("region", "year", "type_code", *SUMS, "coefficient_set")
    data = list(rows)
    schema = {
        "region": pl.String,
        "year": pl.Int32,
        "type_code": pl.String,
        **dict.fromkeys(SUMS, pl.Float64),
    }
    return pl.DataFrame([row[:-1] for row in data], schema=schema, orient="row"), _used(r[-1] for r in data)


def monthly_series(code: str, years: Iterable[int]) -> pl.DataFrame:
    """The months with approved records of region ``code`` in ``years``: ``year, month`` +
    :data:`SUMS`, in order."""
    rows = RegionFigure.objects.filter(
        region=code,
        year__in=list(years),
        month__gt=rollups.YEAR,
        type_code=rollups.ALL,
        energy=rollups.ALL,
    ).values_list("year", "month", *SUMS)
    schema = {"year": pl.Int32, "month": pl.Int32, **dict.fromkeys(SUMS, pl.Float64)}
    return pl.DataFrame(list(rows), schema=schema, orient="row").sort("year", "month")


def composition(code: str, year: int) -> pl.DataFrame:
    """Region ``code``'s energy [kgce] and CO₂ [kgCO₂] in ``year`` by energy type: ``energy_code, kgce,
    kgco2, co2_missing`` (units of that energy type without CO₂)."""
    rows = RegionFigure.objects.filter(
        region=code, year=year, month=rollups.YEAR, type_code=rollups.ALL
    ).exclude(energy=rollups.ALL)
    data = list(rows.values_list("energy", "kgce", "kgco2", "co2_missing"))
    schema = {"energy_code": pl.String, "kgce": pl.Float64, "kgco2": pl.Float64, "co2_missing": pl.Int64}
    return pl.DataFrame(data, schema=schema, orient="row")


def months_with_figures(code: str) -> dict[int, tuple[int, int, int]]:
    """For each year with figures in region ``code``: (number of months with records, first month,
    last month); a year reported only whole or by quarters counts no month."""
    rows = RegionFigure.objects.filter(region=code, type_code=rollups.ALL, energy=rollups.ALL)
    found: dict[int, list[int]] = {}
    for year, month in rows.values_list("year", "month"):
        found.setdefault(year, [])
        if month != rollups.YEAR:
            found[year].append(month)
    return {y: (len(m), min(m, default=0), max(m, default=0)) for y, m in sorted(found.items())}


def unit_figures(
    *,
    regions: Sequence[str] | None = None,
    organisations: Sequence[int] | None = None,
    years: Iterable[int] | None = None,
    type_codes: Sequence[str] | None = None,
    names: bool = False,
) -> tuple[pl.DataFrame, str]:
    """The yearly sums of the units registered directly in ``regions`` (or of the ``organisations``),
    optionally of some ``years`` and types: ``org, region, type_code, year`` + :data:`UNIT_SUMS` +
    ``co2_problem`` (JSON, empty when there is CO₂) + ``emission_factors`` (+ ``name`` when ``names``),
    and the coefficient sets used."""
    rows = UnitFigure.objects.all()
    if regions is not None:
        rows = rows.filter(region__in=list(regions))
    if organisations is not None:
        rows = rows.filter(organisation_id__in=list(organisations))
    if years is not None:
        rows = rows.filter(year__in=list(years))
    if type_codes is not None:
        rows = rows.filter(type_code__in=list(type_codes))
    named = ("organisation__name",) if names else ()
    data = list(
        rows.values_list(
            "organisation_id",
            "region",
            "type_code",
            "year",
            *UNIT_SUMS,
            "co2_problem",
            "emission_factors",
            *named,
            "coefficient_set",
        )
    )
    schema = {
        **{"org": pl.Int64, "region": pl.String, "type_code": pl.String, "year": pl.Int32},
        **dict.fromkeys(UNIT_SUMS[:-1], pl.Float64),
        "months": pl.Int64,
        "co2_problem": pl.String,
        "emission_factors": pl.String,
        **dict.fromkeys(("name",) if names else (), pl.String),
    }
    frame = pl.DataFrame([row[:-1] for row in data], schema=schema, orient="row")
    return frame, _used(row[-1] for row in data)


def unit_years(organisations: Iterable[int]) -> set[tuple[int, int]]:
    """(organisation, year) for each year the ``organisations`` have figures."""
    ids = list(set(organisations))
    return set(UnitFigure.objects.filter(organisation_id__in=ids).values_list("organisation_id", "year"))
