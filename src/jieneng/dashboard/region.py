"""Everything a region's dashboard shows, gathered from the services: the overview, the months, the
types of unit, the ranking of what lies below (regions, or the units of a region without regions
below it) and whether a boundary file allows a map."""

from __future__ import annotations

from dataclasses import dataclass, replace

from jieneng.dashboard import boundaries, breakdown, ranking
from jieneng.dashboard.services import (
    NoData,
    Overview,
    RegionRef,
    YearNotAvailable,
    months_reported,
    overview,
)
from jieneng.directory.models import Region
from jieneng.reference.divisions import UnknownDivision
from jieneng.statistics import freshness


@dataclass(frozen=True)
class RegionPage:
    overview: Overview
    trend: tuple[breakdown.Month, ...]
    types: tuple[breakdown.TypeFigures, ...]
    ranking: ranking.Ranking
    children: tuple[RegionRef, ...]  # the regions directly below
    boundary: bool  # a boundary file of the regions below exists

    @property
    def has_map(self) -> bool:
        return self.boundary and bool(self.children)


def region_page(
    code: str, year: int | None = None, type_code: str = "", *, ends: int | None = ranking.ENDS
) -> RegionPage:
    """The dashboard of ``code`` for ``year`` (None: the latest whole year); ``type_code`` narrows the
    ranking to one type of unit; ``ends``: how many units to show at each end of a units ranking
    (None: all). Raises what :func:`~jieneng.dashboard.services.overview` raises.

    Computed once per state of the province's data (:mod:`jieneng.statistics.freshness`)."""
    page = freshness.cached(
        code, ("region", year, type_code, ends), lambda: _region_page(code, year, type_code, ends)
    )
    return replace(page, boundary=boundaries.path_of(code) is not None)  # a file may come at any time


def _region_page(code: str, year: int | None, type_code: str, ends: int | None) -> RegionPage:
    o = overview(code, year)
    children = tuple(c.region for c in o.children if not c.own)
    if children:
        ranked = ranking.regions(o.region, children, o.year, type_code)
    else:
        ranked = ranking.units(o.region, o.year, type_code, ends=ends)
    return RegionPage(
        overview=o,
        trend=breakdown.trend(code, o.year),
        types=breakdown.by_type(code, o.year),
        ranking=ranked,
        children=children,
        boundary=False,
    )


def units_page(
    code: str, year: int | None = None, type_code: str = "", *, below: bool = True
) -> tuple[ranking.Ranking, tuple[int, ...]]:
    """The units of ``code`` (``below``: of every region below it too; else those registered directly
    in it) for ``year`` (None: the latest whole year), ranked, and the years with records. Raises
    ``UnknownDivision``, :class:`YearNotAvailable`, :class:`NoData`."""
    key = ("units", year, type_code, below)
    return freshness.cached(code, key, lambda: _units_page(code, year, type_code, below))


def _units_page(
    code: str, year: int | None, type_code: str, below: bool
) -> tuple[ranking.Ranking, tuple[int, ...]]:
    region = Region.objects.current().filter(code=code).first()
    if region is None:
        raise UnknownDivision(code)
    months = months_reported(code)
    years = tuple(months)
    if not years:
        raise NoData(region.name)
    if year is None:
        year = max([y for y, (count, _, _) in months.items() if count == 12] or years)
    elif year not in months:
        raise YearNotAvailable(year, years)
    place = RegionRef(region.code, region.name, region.level)
    return ranking.units(place, year, type_code, ends=None, below=below), years
