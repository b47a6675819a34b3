"""A region's year broken down: by month against the year before, and by type of unit (单位性质).

Reads the roll-ups only (:mod:`jieneng.statistics.figures`: month rows and type rows of the one region), one
query each.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from jieneng.core import rollups
from jieneng.core.indicators import with_ratios, year_on_year
from jieneng.directory.models import Organisation
from jieneng.statistics import figures

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
    rows = (
        figures.monthly_series(code, [year, year - 1]).select("year", "month", "kgce", "water_m3").iter_rows()
    )
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
    types, _used = figures.region_types([code], [year, year - 1])
    frame = with_ratios(types.drop("region"))
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
