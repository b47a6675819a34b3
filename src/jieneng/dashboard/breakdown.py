"""A region's year broken down: by month against the year before, and by type of unit (单位性质).

Reads the roll-up tables only (``RegionFigure`` month rows and type rows of the one region), one
query each.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from jieneng.core import rollups
from jieneng.core.indicators import with_ratios, year_on_year
from jieneng.dashboard.models import RegionFigure
from jieneng.dashboard.services import SUMS
from jieneng.directory.models import Organisation

MONTHS = range(1, 13)


@dataclass(frozen=True)
class Month:
    """Comprehensive energy consumption [tce] and water [m³] of one month, this year and last year."""

    month: int
    tce: float | None
    previous: float | None
    change: float | None  # [%]
    water_m3: float | None
    previous_water_m3: float | None


@dataclass(frozen=True)
class TypeFigures:
    """The units of one type in the region: ``tce`` [tce] and its ``share`` [%] of the region's,
    ``kgce_per_person`` [kgce/人], ``kgce_per_m2`` [kgce/m²] with ``kgce_per_m2_yoy`` [%],
    ``water_per_person`` [m³/人]."""

    code: str
    label: str
    units: int
    tce: float | None
    share: float | None
    kgce_per_person: float | None
    kgce_per_m2: float | None
    kgce_per_m2_yoy: float | None
    water_per_person: float | None


def trend(code: str, year: int) -> tuple[Month, ...]:
    """Months 1–12 of ``year`` and of the year before (None for a month without records)."""
    rows = RegionFigure.objects.filter(
        region=code,
        year__in=[year, year - 1],
        month__gt=rollups.YEAR,
        type_code=rollups.ALL,
        energy=rollups.ALL,
    ).values_list("year", "month", "kgce", "water_m3")
    found = {(y, m): (kgce / 1000, water) for y, m, kgce, water in rows}
    out = []
    for month in MONTHS:
        tce, water = found.get((year, month), (None, None))
        previous, previous_water = found.get((year - 1, month), (None, None))
        change = (tce / previous - 1) * 100 if tce is not None and previous else None
        out.append(Month(month, tce, previous, change, water, previous_water))
    return tuple(out)


def by_type(code: str, year: int) -> tuple[TypeFigures, ...]:
    """Each type of unit present in the region in ``year``, in the order of the 单位性质 codes."""
    rows = RegionFigure.objects.filter(
        region=code,
        year__in=[year, year - 1],
        month=rollups.YEAR,
        energy=rollups.ALL,
    ).values_list("year", "type_code", *SUMS)
    schema = {"year": pl.Int32, "type_code": pl.String, **dict.fromkeys(SUMS, pl.Float64)}
    frame = with_ratios(pl.DataFrame(list(rows), schema=schema, orient="row"))
    frame = year_on_year(frame, keys=["type_code"], values=["kgce_per_m2"]).filter(pl.col("year") == year)
    total = frame.filter(pl.col("type_code") == rollups.ALL)["kgce"].sum()
    labels = dict(Organisation.Type.choices)
    out = []
    for row in frame.filter(pl.col("type_code") != rollups.ALL).sort("type_code").iter_rows(named=True):
        out.append(
            TypeFigures(
                code=row["type_code"],
                label=str(labels.get(row["type_code"], row["type_code"])),
                units=int(row["units"]),
                tce=row["tce"],
                share=row["kgce"] / total * 100 if total else None,
                kgce_per_person=row["kgce_per_person"],
                kgce_per_m2=row["kgce_per_m2"],
                kgce_per_m2_yoy=row["kgce_per_m2_yoy"],
                water_per_person=row["water_per_person"],
            )
        )
    return tuple(out)
