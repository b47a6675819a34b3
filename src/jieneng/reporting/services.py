"""Use cases of the statistics store: loading the demo, and reading approved records back as Polars
frames for :mod:`jieneng.core` — summed in SQL, converted and divided in the core.

Numbers cross the boundary here: ``Decimal`` in the database, ``float`` in the frames.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

import polars as pl
from django.db import transaction
from django.db.models import Count, Max, Min, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from jieneng.directory.models import Organisation, OrganisationYear, Region
from jieneng.directory.services import load_facts, load_organisations, load_regions, region_tree
from jieneng.reporting import demo
from jieneng.reporting.models import EnergyRecord, ImportJob, ReviewEvent, Revision, Submission

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


def load_demo(data: Any, progress: Callable[[str], object] = print) -> dict[str, int]:
    """Load a generated city (``regions, organisations, facts, records`` frames) in one transaction.

    Idempotent: what is already stored is kept. Returns the number of rows of each frame.
    """
    from jieneng.dashboard import freshness  # the dashboards build on reporting, not the reverse

    with transaction.atomic():
        load_regions(data.regions)
        progress(_("Regions: %(count)s") % {"count": f"{data.regions.height:,}"})
        org_ids = load_organisations(data.organisations)
        progress(_("Organisations: %(count)s") % {"count": f"{data.organisations.height:,}"})
        load_facts(data.facts, org_ids)
        progress(_("Yearly facts: %(count)s") % {"count": f"{data.facts.height:,}"})
        demo.load_records(data.records, org_ids, progress, timezone.localdate())
        freshness.renew_all()  # the directory was loaded in bulk, without signals
    return {name: getattr(data, name).height for name in ("regions", "organisations", "facts", "records")}


def clear_store() -> None:
    """Delete every record, yearly fact, organisation and region (``jieneng demo --reset``)."""
    from jieneng.dashboard import freshness
    from jieneng.dashboard.models import RegionFigure, UnitFigure

    with transaction.atomic():
        freshness.renew_all()
        RegionFigure.objects.all().delete()
        UnitFigure.objects.all().delete()
        EnergyRecord.objects.all().delete()
        ReviewEvent.objects.all().delete()
        Revision.objects.all().delete()
        Submission.objects.all().delete()
        ImportJob.objects.all().delete()
        OrganisationYear.objects.all().delete()
        Organisation.objects.update(supervisor=None)
        Organisation.objects.all().delete()
        Region.objects.update(parent=None)
        Region.objects.all().delete()


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
