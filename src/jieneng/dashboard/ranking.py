"""Rankings of what lies below a region: its regions (with the units registered directly in it, 本级),
or the units of a region without regions below it, each against peers of the same type
(:mod:`jieneng.dashboard.peers`).

Reads the roll-ups only (:mod:`jieneng.statistics.figures`), one query per ranking: the whole-year
rows of the region and its children by type, or the unit rows of the region (index ``region, year``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import polars as pl

from jieneng.core import rollups
from jieneng.core.indicators import with_ratios, year_on_year
from jieneng.dashboard import peers, services
from jieneng.dashboard.services import SUMS, RegionRef
from jieneng.directory.models import Organisation
from jieneng.directory.services import region_tree
from jieneng.statistics import figures

REGIONS, UNITS = "regions", "units"
OWN = "own"  # key of the units registered directly in the region (本级)
#: the ranking on a region's page shows this many units at each end; the rest are on the full list
ENDS = 10
_RATIOS = ("tce", "kgce_per_person", "kgce_per_m2", "water_per_person")


@dataclass(frozen=True)
class Ranked:
    """One region or unit: sums and indicators for the year, and its peer benchmark.

    ``tce`` [tce], ``kgce_per_person`` [kgce/人], ``kgce_per_m2`` and ``benchmark`` [kgce/m²],
    ``water_per_person`` [m³/人], ``kgce_per_m2_yoy`` and ``vs_peers`` [%].
    """

    rank: int | None  # 1 = highest energy per m²; None without a figure
    name: str
    region: str | None = None  # a region's code (its dashboard); None for a unit and for 本级
    organisation: int | None = None  # a unit's id (its page)
    own: bool = False
    type_code: str = ""
    units: int = 0
    months: int | None = None  # months reported (units only)
    partial: bool = False  # fewer months than the others: listed unranked after them (units only)
    tce: float | None = None
    kgce_per_person: float | None = None
    kgce_per_m2: float | None = None
    kgce_per_m2_yoy: float | None = None
    water_per_person: float | None = None
    benchmark: float | None = None
    vs_peers: float | None = None


@dataclass(frozen=True)
class Ranking:
    kind: str  # REGIONS or UNITS
    place: RegionRef
    year: int
    type_code: str  # "" for all types
    rows: tuple[Ranked, ...]  # shown: every region, or the units at both ends
    total: int  # entries in the full list
    cut: int  # rows[:cut] are the top, rows[cut:] the bottom; 0 when nothing is left out
    omitted: int  # entries of the full list not shown between the two ends
    coefficient_set: str
    below: bool = False  # units: those of every region below the place too, not only its own


def regions(place: RegionRef, children: Sequence[RegionRef], year: int, type_code: str = "") -> Ranking:
    """The regions below ``place`` and its 本级, by energy per m² in ``year`` (``type_code``: one type)."""
    codes = [c.code for c in children]
    frame, used = figures.region_types([place.code, *codes], [year, year - 1])
    frame = pl.concat([frame.filter(pl.col("region") != place.code), _own(frame, place.code, codes)])
    frame = with_ratios(frame.filter(pl.col("units") > 0))

    medians = peers.type_medians(frame.filter(pl.col("year") == year, pl.col("type_code") != rollups.ALL))
    type_rows = frame.filter(pl.col("year") == year, pl.col("type_code") != rollups.ALL)
    if type_code:
        type_rows = type_rows.filter(pl.col("type_code") == type_code)
    marks = peers.benchmark(type_rows, medians, key="region")

    chosen = year_on_year(
        frame.filter(pl.col("type_code") == type_code), keys=["region"], values=["kgce_per_m2"]
    ).filter(pl.col("year") == year)
    names = {c.code: c for c in children}
    entities = [*codes, OWN] if chosen.filter(pl.col("region") == OWN).height else codes
    listed = (
        pl.DataFrame(
            {"region": entities, "order": range(len(entities))},
            schema={"region": pl.String, "order": pl.Int64},
        )
        .join(chosen, on="region", how="left", maintain_order="left")
        .join(marks, on="region", how="left", maintain_order="left")
        .with_columns(peers.versus().alias("vs_peers"))
    )
    out = []
    for row in peers.ranked(listed, then=("order",)).iter_rows(named=True):
        own = row["region"] == OWN
        out.append(
            Ranked(
                rank=row["rank"],
                name=place.name if own else names[row["region"]].name,
                region=None if own else row["region"],
                own=own,
                type_code=type_code,
                units=int(row["units"] or 0),
                **_figures(row),
            )
        )
    return Ranking(REGIONS, place, year, type_code, tuple(out), len(out), 0, 0, used)


def units(
    place: RegionRef,
    year: int,
    type_code: str = "",
    *,
    ends: int | None = ENDS,
    below: bool = False,
) -> Ranking:
    """The units registered in ``place`` (``below``: in it and every region below it) by energy per m²
    in ``year``, each against the median of the units of its type there; with ``ends``, only that
    many at the top and at the bottom.

    A unit that reported fewer months than are due (:func:`short_of_months`) is listed after the
    ranked ones, without a rank and outside the medians: part of a year is not comparable with a
    whole one. Equal values rank by the unit's id, so a unit holds the same rank in the short and the
    full list. The short list reads its units' names after choosing them: a county holds thousands of
    units, and joining every figure to its name costs more than the rest of the ranking."""
    full = ends is None
    codes = region_tree(place.code)["code"].to_list() if below else [place.code]
    found, used = figures.unit_figures(regions=codes, years=[year, year - 1], names=full)
    frame = with_ratios(found)
    frame = year_on_year(frame, keys=["org"], values=["kgce_per_m2"]).filter(pl.col("year") == year)
    frame = frame.with_columns(short_of_months(year).alias("partial"))
    medians = peers.type_medians(frame.filter(~pl.col("partial")))
    frame = frame.join(
        medians.rename({"median": "benchmark"}), on="type_code", how="left", maintain_order="left"
    ).with_columns(peers.versus().alias("vs_peers"))
    if type_code:
        frame = frame.filter(pl.col("type_code") == type_code)
    listed = pl.concat(
        [
            peers.ranked(frame.filter(~pl.col("partial")), then=("org",)),
            peers.ranked(frame.filter(pl.col("partial")), then=("org",)).with_columns(
                pl.lit(None, dtype=pl.Int64).alias("rank")
            ),
        ]
    )
    total = listed.height
    valued = listed.filter(pl.col("rank").is_not_null())
    cut = omitted = 0
    if ends is not None:
        if total > 2 * ends:
            listed = pl.concat([valued.head(ends), valued.tail(ends)]) if valued.height > ends else valued
            cut, omitted = min(ends, listed.height), total - listed.height
        names = Organisation.objects.filter(pk__in=listed["org"].to_list()).values_list("pk", "name")
        listed = listed.with_columns(name=pl.col("org").replace_strict(dict(names), default=""))
    out = tuple(
        Ranked(
            rank=row["rank"],
            name=row["name"],
            organisation=row["org"],
            type_code=row["type_code"],
            units=1,
            months=row["months"],
            partial=row["partial"],
            **_figures(row),
        )
        for row in listed.iter_rows(named=True)
    )
    return Ranking(UNITS, place, year, type_code, out, total, cut, omitted, used, below)


def short_of_months(year: int) -> pl.Expr:
    """Whether a unit reported some months of ``year``, but fewer than are due: 12 for a past year,
    the months whose reports are due for the current one (:func:`services.compared_months`). A unit
    without monthly records (a year reported by quarter or whole) counts as complete."""
    due = services.compared_months(year, 12, services.today())
    return (pl.col("months") > 0) & (pl.col("months") < due)


def _own(frame: pl.DataFrame, code: str, children: list[str]) -> pl.DataFrame:
    """The units registered directly in ``code`` (本级), per year and type: its sums less its children's."""
    keys = ["year", "type_code"]
    mine = frame.filter(pl.col("region") == code).drop("region")
    below = frame.filter(pl.col("region").is_in(children)).group_by(keys).agg(pl.col(SUMS).sum())
    joined = mine.join(below, on=keys, how="left", suffix="_below", maintain_order="left")
    return joined.select(
        pl.lit(OWN).alias("region"),
        *keys,
        *((pl.col(n) - pl.col(f"{n}_below").fill_null(0)).alias(n) for n in SUMS),
    )


def _figures(row: dict[str, Any]) -> dict[str, Any]:
    names = (*_RATIOS, "kgce_per_m2_yoy", "benchmark", "vs_peers")
    return {name: row.get(name) for name in names}
