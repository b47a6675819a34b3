"""Approved energy records: written on approval, read back as Polars frames for :mod:`jieneng.core`.

Reporting calls :func:`replace` when a reviewer approves submissions (inside
:func:`jieneng.statistics.rollups.tracking`, so the roll-ups follow in the same transaction); every
domain reads the records through :func:`records_frame`, :func:`facts_frame` and
:func:`months_reported` — summed in SQL, converted and divided in the core. Numbers cross the
boundary here: ``Decimal`` in the database, ``float`` in the frames.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import polars as pl
from django.db.models import Count, Max, Min, Sum

from jieneng.directory.models import OrganisationYear
from jieneng.directory.services import region_tree
from jieneng.statistics import bulk
from jieneng.statistics.models import EnergyRecord

#: the fields of a row given to :func:`replace`, in order
RECORD_FIELDS = (
    *("organisation", "year", "quarter", "month", "energy_type", "quantity", "unit", "cost"),
    *("submission_id", "revision"),
)
RECORDS_SCHEMA = {
    "org": pl.Int64,
    "region": pl.String,
    "year": pl.Int32,
    "energy_type": pl.String,
    "unit": pl.String,
    "quantity": pl.Float64,
    "cost": pl.Float64,
}
RECORDS_COLUMNS = ("org", "region", "year", "energy_type", "quantity", "unit", "cost")
FACTS_SCHEMA = {
    "org": pl.Int64,
    "year": pl.Int32,
    "area_m2": pl.Float64,
    "persons": pl.Int64,
    "vehicles": pl.Int64,
}


def replace(submission_ids: Sequence[int], rows: Iterable[Sequence[Any]]) -> int:
    """Replace what the submissions ``submission_ids`` contributed by ``rows`` (tuples in the order of
    :data:`RECORD_FIELDS`); the number of records written. The caller holds the transaction and the
    :func:`~jieneng.statistics.rollups.tracking` of the units concerned."""
    for chunk in bulk.chunks(list(submission_ids)):
        EnergyRecord.objects.filter(submission_id__in=chunk).delete()
    return bulk.insert(EnergyRecord, RECORD_FIELDS, rows)


def _subtree(region_code: str, codes: Sequence[str] | None) -> list[str]:
    """The region codes of the subtree: ``codes`` when the caller already has them, else looked up."""
    return list(codes) if codes is not None else region_tree(region_code)["code"].to_list()


def records_frame(
    region_code: str, years: Iterable[int], *, codes: Sequence[str] | None = None
) -> pl.DataFrame:
    """Quantities and costs summed per organisation, year, energy type and unit, for the organisations
    of ``region_code``'s subtree: ``org, region, year, energy_type, unit, quantity, cost`` (one SQL query;
    conversion to standard coal is linear, so summing before converting is exact). ``codes``: the
    subtree's region codes, when the caller has already looked them up.
    """
    rows = (
        EnergyRecord.objects.filter(
            organisation__region__code__in=_subtree(region_code, codes), year__in=list(years)
        )
        .values_list("organisation_id", "organisation__region__code", "year", "energy_type", "unit")
        .annotate(total_quantity=Sum("quantity"), total_cost=Sum("cost"))
        .order_by()
    )
    data = [(*keys, float(q), None if c is None else float(c)) for *keys, q, c in rows]
    return pl.DataFrame(data, schema=RECORDS_SCHEMA, orient="row").select(RECORDS_COLUMNS)


def facts_frame(
    region_code: str, years: Iterable[int], *, codes: Sequence[str] | None = None
) -> pl.DataFrame:
    """Yearly facts of the organisations of the subtree: ``org, year, area_m2 [m²], persons, vehicles``."""
    rows = OrganisationYear.objects.filter(
        organisation__region__code__in=_subtree(region_code, codes), year__in=list(years)
    ).values_list("organisation_id", "year", "building_area_m2", "persons", "vehicles")
    data = [(org, year, float(area), persons, vehicles) for org, year, area, persons, vehicles in rows]
    return pl.DataFrame(data, schema=FACTS_SCHEMA, orient="row")


def months_reported(
    region_code: str, *, codes: Sequence[str] | None = None
) -> dict[int, tuple[int, int, int]]:
    """For each year with records in the subtree: (number of distinct months, first month, last month)."""
    rows = (
        EnergyRecord.objects.filter(organisation__region__code__in=_subtree(region_code, codes))
        .values_list("year")
        .annotate(months=Count("month", distinct=True), first=Min("month"), last=Max("month"))
        .order_by("year")
    )
    return {year: (months, first, last) for year, months, first, last in rows}


def clear() -> None:
    """Delete every record and roll-up (the store emptied before the directory is: ``demo --reset``)."""
    from jieneng.statistics import freshness
    from jieneng.statistics.models import RegionFigure, UnitFigure

    freshness.renew_all()
    RegionFigure.objects.all().delete()
    UnitFigure.objects.all().delete()
    EnergyRecord.objects.all().delete()
