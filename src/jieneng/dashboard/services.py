"""The overview of a region for one year: totals, the four public-institution indicators with their
change on last year and on the base year, the composition by energy type, and the same figures for
each region below it.

It reads the roll-ups only (:mod:`jieneng.statistics.figures`, kept current on approval), never
the reported rows: the whole-year sums of the region and its children → ``with_ratios`` →
``year_on_year`` / ``versus_base`` (:mod:`jieneng.core.indicators`). CO₂ (total, per m², per person)
follows the same path from the kept ``kgco2``; a year whose units are not all covered by the
emission-factor set shows no CO₂ figure (``co2_missing`` says how many units lack it), never a total
of part of them. The CO₂ per m² of the years of the 十四五 plan is set against its path
(:mod:`jieneng.core.plans`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Any

import polars as pl
from django.utils import timezone
from django.utils.translation import get_language

from jieneng.core import plans
from jieneng.core.carbon import CO2_VALUES
from jieneng.core.coal import EnergyTypeTable
from jieneng.core.errors import ReferenceDataError
from jieneng.core.indicators import versus_base, with_ratios, year_on_year
from jieneng.directory.models import Region
from jieneng.directory.services import region_with_children, top_region_code
from jieneng.reference import load_coefficient_set, load_energy_types
from jieneng.reference.deadlines import load_deadlines, period_end
from jieneng.reference.emissions import load_emission_factor_set
from jieneng.reference.plans import load_plan
from jieneng.reporting.forms import default_form
from jieneng.statistics import figures

SUMS = figures.SUMS
VALUES = ("tce", "kgce_per_person", "kgce_per_m2", "kgce_per_m2_excl_vehicle", "water_per_person", "cost")
_OWN = "own"  # key of the row of units registered directly in the region (本级)


class NoData(LookupError):
    """Nothing is stored for the region (or at all, when ``region`` is None)."""

    def __init__(self, region: str | None = None) -> None:
        self.region = region
        super().__init__(region or "")


class YearNotAvailable(ValueError):
    """The year asked for has no records in the region; ``years`` are those that have."""

    def __init__(self, year: int, years: tuple[int, ...]) -> None:
        self.year, self.years = year, years
        super().__init__(f"no records for {year}; years with records: {years}")


@dataclass(frozen=True)
class Figure:
    """One quantity in the selected year, the year before and the base year, with changes [%]."""

    value: float | None = None
    previous: float | None = None
    base: float | None = None
    yoy: float | None = None
    vs_base: float | None = None


@dataclass(frozen=True)
class RegionRef:
    code: str
    name: str
    level: int


@dataclass(frozen=True)
class Figures:
    """All figures of one region (or of the units directly under it, ``own``) for the year.

    ``tce`` [tce], ``kgce_per_person`` [kgce/人], ``kgce_per_m2`` and ``kgce_per_m2_excl_vehicle``
    [kgce/m²], ``water_per_person`` [m³/人], ``cost`` [元]; ``persons`` [人], ``area_m2`` [m²].
    """

    region: RegionRef
    own: bool
    units: int
    persons: float | None
    area_m2: float | None
    tce: Figure
    kgce_per_person: Figure
    kgce_per_m2: Figure
    kgce_per_m2_excl_vehicle: Figure
    water_per_person: Figure
    cost: Figure
    tco2: Figure = Figure()  # [tCO₂]
    kgco2_per_person: Figure = Figure()  # [kgCO₂/人]
    kgco2_per_m2: Figure = Figure()  # [kgCO₂/m²]
    co2_missing: int = 0  # units of the year without a CO₂ figure (then the CO₂ figures are empty)


@dataclass(frozen=True)
class Share:
    """One energy type's part of the comprehensive energy consumption [tce] and its share [%]."""

    code: str
    zh: str
    en: str
    tce: float
    share: float | None


@dataclass(frozen=True)
class Co2Share:
    """One energy type's CO₂ [tCO₂] and its share [%] of the total; ``missing``: its units without CO₂."""

    code: str
    zh: str
    en: str
    tco2: float | None
    share: float | None
    missing: int


@dataclass(frozen=True)
class PathYear:
    year: int
    value: float | None  # CO₂ per m² [kgCO₂/m²]; None without a figure
    allowed: float  # where the plan's straight line has it [kgCO₂/m²]

    @property
    def against(self) -> float | None:
        """[%] above (+) or below (−) the path."""
        return None if self.value is None or not self.allowed else (self.value / self.allowed - 1) * 100


@dataclass(frozen=True)
class Co2Path:
    """The region's CO₂ per m² in the plan's years against its target (十四五: −7 % on 2020 by 2025)."""

    plan: str  # id@version
    title: str
    base_year: int
    end_year: int
    change: float  # [%]
    clause: str
    base_value: float | None  # None: the base year has no CO₂ figure (then ``years`` is empty)
    years: tuple[PathYear, ...]

    @property
    def latest(self) -> PathYear | None:
        shown = [y for y in self.years if y.value is not None]
        return shown[-1] if shown else None

    @property
    def target(self) -> float | None:
        return None if self.base_value is None else self.base_value * (1 + self.change / 100)


@dataclass(frozen=True)
class Overview:
    region: RegionRef
    ancestors: tuple[RegionRef, ...]  # from the root down to the region's parent
    year: int
    base_year: int
    years: tuple[int, ...]  # years with records, ascending
    months: int  # distinct months with records in ``year``
    first_month: int
    last_month: int
    totals: Figures
    composition: tuple[Share, ...]  # largest first
    children: tuple[Figures, ...]  # each region below, then the units directly under the region (本级)
    coefficient_set: str  # id@version of the coefficient set used
    coefficient_title: str
    co2_composition: tuple[Co2Share, ...] = ()  # largest first
    emission_factors: str = ""  # the set and convention of the CO₂ (``id@version basis rule``)
    emission_title: str = ""  # the set's title
    co2_path: Co2Path | None = None
    period: int = 12  # the figures and comparisons cover months 1 to ``period`` (12: the whole year)
    comparable: bool = True  # False: an earlier year is not reported by month, so no same period

    @property
    def previous_year(self) -> int:
        return self.year - 1


def overview(
    region_code: str | None = None,
    year: int | None = None,
    *,
    base_year: int = 2020,
) -> Overview:
    """The overview of ``region_code`` (None: the region holding all organisations) for ``year``
    (None: the latest year with 12 months of records, else the latest year with any).

    Raises :class:`~jieneng.reference.divisions.UnknownDivision` for an unknown region,
    :class:`YearNotAvailable` for a year without records, :class:`NoData` when there is nothing to show.
    """
    code = region_code or top_region_code()
    if code is None:
        raise NoData()
    tree = region_with_children(code)
    region = RegionRef(code, tree["name"][0], int(tree["level"][0]))
    codes = tree["code"].to_list()  # the region and those directly below: all the page shows
    months = months_reported(code)
    years = tuple(months)
    if not years:
        raise NoData(region.name)
    if year is None:
        year = max([y for y, (count, _, _) in months.items() if count == 12] or years)
    elif year not in months:
        raise YearNotAvailable(year, years)
    plan = load_plan()
    in_plan = set(range(plan.base_year, plan.end_year + 1))
    wanted = sorted(({year, year - 1, base_year} | in_plan) & set(years))

    frame, used, emissions = figures.region_sums_and_sets(codes, wanted)
    path = co2_path(frame.filter(pl.col("region") == code), years)
    count, first, last = months[year]
    period = compared_months(year, last, today())
    comparable = True
    if period == 0:  # no month closed yet: the months reported so far, compared with nothing
        frame, comparable = frame.filter(pl.col("year") == year), False
    elif period < 12:  # a year to date: every year of the page over the same months
        frame = figures.region_period_sums(codes, wanted, period)
        comparable = all(frame.filter(pl.col("year") != year)["monthly"])
        frame = frame.drop("monthly")
        if not comparable:  # an earlier year partly reported by quarter or whole: no same period
            frame = frame.filter(pl.col("year") == year)
    child_codes = [c for c, _n, _lv, p in tree.iter_rows() if p == code]
    own = _own(frame, code, child_codes)
    frame = pl.concat([frame, own], how="vertical_relaxed")
    frame = co2_where_complete(with_ratios(frame))
    frame = year_on_year(frame, keys=["region"], values=(*VALUES, *CO2_VALUES))
    frame = versus_base(frame, keys=["region"], values=(*VALUES, *CO2_VALUES), base=base_year)
    rows = {row["region"]: row for row in frame.filter(pl.col("year") == year).iter_rows(named=True)}

    children = [
        _figures(RegionRef(c, n, int(lv)), rows.get(c)) for c, n, lv, p in tree.iter_rows() if p == code
    ]
    if children and _OWN in rows and rows[_OWN]["units"]:
        children.append(_figures(region, rows[_OWN], own=True))
    energy_types = load_energy_types()
    composition = _composition(code, year)
    return Overview(
        region=region,
        ancestors=ancestors(code),
        year=year,
        base_year=base_year,
        years=years,
        months=count,
        first_month=first,
        last_month=last,
        totals=_figures(region, rows.get(code)),
        composition=tuple(_share(row, energy_types) for row in composition.iter_rows(named=True)),
        children=tuple(children),
        coefficient_set=used,
        coefficient_title=coefficient_title(used),
        co2_composition=tuple(_co2_share(row, energy_types) for row in composition.iter_rows(named=True)),
        emission_factors=emissions,
        emission_title=emission_title(emissions),
        co2_path=path,
        period=period,
        comparable=comparable,
    )


def today() -> date:
    """Today in Asia/Shanghai (a function, so that tests can fix the day)."""
    return timezone.localdate()


def compared_months(year: int, last: int, day: date) -> int:
    """How many months of ``year`` the page compares (1 to the result; 12: the whole year): the months
    up to the last one with records whose monthly report was due by ``day`` — a month whose reports
    are still coming in would make any comparison fall. 0 when no month is closed yet."""
    if year < day.year:
        return 12 if last == 12 else last
    form = default_form()  # the monthly consumption form, whose records the dashboards show
    deadline = load_deadlines().rows.get((form, "month")) if form else None
    closed = 0
    for month in range(1, 13):
        due = deadline.due(year, None, month) if deadline else period_end(year, None, month)
        if due <= day:
            closed = month
    return min(closed, last)


def co2_where_complete(frame: pl.DataFrame) -> pl.DataFrame:
    """The CO₂ figures of :func:`~jieneng.core.indicators.with_ratios` emptied in the rows where some
    units have no CO₂ (``co2_missing``): a total over part of the units is not the region's."""
    complete = pl.col("co2_missing") == 0
    return frame.with_columns(
        pl.when(complete).then(pl.col(name)).otherwise(None).alias(name) for name in ("kgco2", *CO2_VALUES)
    )


def co2_path(frame: pl.DataFrame, years: tuple[int, ...]) -> Co2Path | None:
    """CO₂ per m² of a region (``frame``: its whole-year sums, as
    :func:`~jieneng.statistics.figures.region_sums` gives them) in the years of the 十四五 plan
    against its path; None when no year of the plan has figures."""
    plan = load_plan()
    target = plan.targets["kgco2_per_m2"]
    if not any(plan.base_year <= y <= plan.end_year for y in years):
        return None
    values = {
        row["year"]: row["kgco2_per_m2"]
        for row in co2_where_complete(with_ratios(frame)).iter_rows(named=True)
        if plan.base_year <= row["year"] <= plan.end_year
    }
    base = values.get(plan.base_year)
    rows: tuple[PathYear, ...] = ()
    if base is not None:
        allowed = plans.path(plan, "kgco2_per_m2", base)
        rows = tuple(PathYear(y, values.get(y), allowed[y]) for y in sorted(allowed) if y in values)
    return Co2Path(
        plan=plan.ref,
        title=plan.title,
        base_year=plan.base_year,
        end_year=plan.end_year,
        change=target.change,
        clause=target.clause,
        base_value=base,
        years=rows,
    )


def _own(frame: pl.DataFrame, code: str, children: list[str]) -> pl.DataFrame:
    """The units registered directly in ``code`` (本级): the region's sums less its children's."""
    mine = frame.filter(pl.col("region") == code).drop("region")
    below = frame.filter(pl.col("region").is_in(children)).group_by("year").agg(pl.col(SUMS).sum())
    joined = mine.join(below, on="year", how="left", suffix="_below", maintain_order="left")
    return joined.select(
        pl.lit(_OWN).alias("region"),
        "year",
        *((pl.col(n) - pl.col(f"{n}_below").fill_null(0)).alias(n) for n in SUMS),
    )


def months_reported(code: str) -> dict[int, tuple[int, int, int]]:
    """For each year with figures: (number of months with records, first month, last month)."""
    return figures.months_with_figures(code)


def _composition(code: str, year: int) -> pl.DataFrame:
    frame = figures.composition(code, year)
    total = frame["kgce"].sum()
    complete = frame["co2_missing"].sum() == 0
    co2_total = frame["kgco2"].sum() if complete else 0.0
    return frame.with_columns(
        (pl.col("kgce") / 1000).alias("tce"),
        (pl.col("kgce") / total * 100 if total else pl.lit(None, dtype=pl.Float64)).alias("share"),
        pl.when(pl.col("co2_missing") == 0).then(pl.col("kgco2") / 1000).otherwise(None).alias("tco2"),
        (pl.col("kgco2") / co2_total * 100 if co2_total else pl.lit(None, dtype=pl.Float64)).alias(
            "co2_share"
        ),
    ).sort("kgce", descending=True)


def _figures(region: RegionRef, row: dict[str, Any] | None, *, own: bool = False) -> Figures:
    def figure(name: str) -> Figure:
        if row is None:
            return Figure()
        keys = (name, f"{name}_prev", f"{name}_base", f"{name}_yoy", f"{name}_vs_base")
        return Figure(*(row[key] for key in keys))

    return Figures(
        region=region,
        own=own,
        units=int(row["units"] or 0) if row else 0,
        persons=row["persons"] if row else None,
        area_m2=row["area_m2"] if row else None,
        **{name: figure(name) for name in (*VALUES, *CO2_VALUES)},
        co2_missing=int(row["co2_missing"] or 0) if row else 0,
    )


def _share(row: dict[str, Any], energy_types: EnergyTypeTable) -> Share:
    energy = energy_types.types[row["energy_code"]]
    share = None if row["share"] is None or math.isnan(row["share"]) else row["share"]  # NaN: a total of 0
    return Share(energy.code, energy.zh, energy.en, row["tce"], share)


def _co2_share(row: dict[str, Any], energy_types: EnergyTypeTable) -> Co2Share:
    energy = energy_types.types[row["energy_code"]]
    share = row["co2_share"]
    share = None if share is None or math.isnan(share) else share
    return Co2Share(energy.code, energy.zh, energy.en, row["tco2"], share, int(row["co2_missing"]))


def ancestors(code: str) -> tuple[RegionRef, ...]:
    """The regions above ``code`` (rows in force today), root first; one query (GB/T 2260 has three
    levels, so a county's parent and grandparent are all there is)."""
    chain: list[RegionRef] = []
    region = Region.objects.current().filter(code=code).select_related("parent__parent").first()
    parent = region.parent if region else None
    while parent is not None and len(chain) < len(Region.Level):
        chain.append(RegionRef(parent.code, parent.name, parent.level))
        parent = parent.parent
    return tuple(reversed(chain))


def coefficient_title(used: str) -> str:
    """The title of the coefficient set(s) ``used`` (``id@version``, comma separated), in the language
    of the request."""
    return _coefficient_title(used, get_language() or "zh-hans")


@lru_cache(maxsize=32)
def _coefficient_title(used: str, lang: str) -> str:
    titles = []
    for ref in filter(None, (part.strip() for part in used.split(","))):
        titles.append(load_coefficient_set(ref.split("@")[0]).shown_title(lang))
    return "; ".join(dict.fromkeys(titles))


@lru_cache(maxsize=32)
def emission_title(used: str) -> str:
    """The title of the emission-factor set(s) of ``used`` (``id@version basis rule``, comma separated)."""
    titles = []
    for label in filter(None, (part.strip() for part in used.split(","))):
        ref = label.split("@")[0]
        try:
            titles.append(load_emission_factor_set(ref).title)
        except ReferenceDataError:  # a local set, configured by its path: its id is what we have
            titles.append(ref)
    return "; ".join(dict.fromkeys(titles))
