"""A unit's page: its figures by year against the median of the units of its type in its region, the
figures of the units it supervises (a department), and its submissions.

Figures come from the unit roll-ups only (:func:`jieneng.statistics.figures.unit_figures`: one row per
unit and year, kept current on approval).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import polars as pl
from django.db.models import QuerySet
from django.utils.translation import get_language

from jieneng.core.indicators import with_ratios, year_on_year
from jieneng.dashboard import peers
from jieneng.dashboard.ranking import Ranked
from jieneng.dashboard.services import RegionRef
from jieneng.directory.models import Organisation
from jieneng.reference import load_forms
from jieneng.statistics import figures

#: a department's page lists at most this many of the units it supervises
SUPERVISED_LIMIT = 200
_PEER_VALUES = ("kgce_per_m2", "kgce_per_person", "water_per_person")


@dataclass(frozen=True)
class UnitYear:
    """One year of a unit: ``tce`` [tce], ``kgce_per_person`` [kgce/人], ``kgce_per_m2`` [kgce/m²],
    ``water_per_person`` [m³/人], ``cost`` [元]; ``peer_*``: the median of the units of the same type in
    the same region that year (``peers`` of them, the unit included); ``vs_peers`` [%] on kgce/m²."""

    year: int
    months: int
    persons: float
    area_m2: float
    tce: float
    kgce_per_person: float | None
    kgce_per_m2: float | None
    kgce_per_m2_yoy: float | None
    water_per_person: float | None
    cost: float
    peer_kgce_per_m2: float | None
    peer_kgce_per_person: float | None
    peer_water_per_person: float | None
    peers: int
    vs_peers: float | None
    tco2: float | None = None  # [tCO₂]; None when a factor is missing (``co2_problem`` says which)
    kgco2_per_person: float | None = None  # [kgCO₂/人]
    kgco2_per_m2: float | None = None  # [kgCO₂/m²]
    kgco2_per_m2_yoy: float | None = None  # [%]
    co2_problem: str = ""  # JSON of the problem's code and parameters, empty when there is CO₂
    emission_factors: str = ""  # the set and convention (``id@version basis rule``)


@dataclass(frozen=True)
class Unit:
    pk: int
    name: str
    credit_code: str
    type_code: str
    type_label: str
    region: RegionRef
    supervisor: tuple[int, str] | None
    subordinates: bool  # whether it supervises other units (a department)
    years: tuple[UnitYear, ...]  # ascending
    coefficient_set: str


@dataclass(frozen=True)
class Supervised:
    """The units a department supervises that the user may see, with their figures in ``year``."""

    year: int | None
    rows: tuple[Ranked, ...]
    more: int  # visible units beyond :data:`SUPERVISED_LIMIT`


@dataclass(frozen=True)
class SubmissionRow:
    pk: int
    form: str
    period: str
    status: str
    status_label: str
    updated_at: Any


def unit(pk: int) -> Unit:
    """The unit ``pk`` with its figures by year; raises ``Organisation.DoesNotExist``."""
    org = Organisation.objects.select_related("region", "supervisor").get(pk=pk)
    found, used = figures.unit_figures(organisations=[pk])
    own = with_ratios(found.drop("org"))
    own = year_on_year(own, keys=[], values=["kgce_per_m2", "kgco2_per_m2"]).sort("year")
    medians = _peer_medians(own)
    own = own.join(
        medians, on=["year", "region", "type_code"], how="left", maintain_order="left"
    ).with_columns(peers.versus(against="peer_kgce_per_m2").alias("vs_peers"))
    years = tuple(
        UnitYear(
            year=r["year"],
            months=r["months"],
            persons=r["persons"],
            area_m2=r["area_m2"],
            tce=r["tce"],
            kgce_per_person=r["kgce_per_person"],
            kgce_per_m2=r["kgce_per_m2"],
            kgce_per_m2_yoy=r["kgce_per_m2_yoy"],
            water_per_person=r["water_per_person"],
            cost=r["cost"],
            peer_kgce_per_m2=r["peer_kgce_per_m2"],
            peer_kgce_per_person=r["peer_kgce_per_person"],
            peer_water_per_person=r["peer_water_per_person"],
            peers=int(r["peers"] or 0),
            vs_peers=r["vs_peers"],
            tco2=r["tco2"],
            kgco2_per_person=r["kgco2_per_person"],
            kgco2_per_m2=r["kgco2_per_m2"],
            kgco2_per_m2_yoy=r["kgco2_per_m2_yoy"],
            co2_problem=r["co2_problem"] or "",
            emission_factors=r["emission_factors"] or "",
        )
        for r in own.iter_rows(named=True)
    )
    region = org.region
    return Unit(
        pk=org.pk,
        name=org.name,
        credit_code=org.credit_code,
        type_code=org.type_code,
        type_label=str(org.get_type_code_display()),
        region=RegionRef(region.code, region.name, region.level),
        supervisor=(org.supervisor.pk, org.supervisor.name) if org.supervisor else None,
        subordinates=Organisation.objects.filter(supervisor_id=pk).exists(),
        years=years,
        coefficient_set=used,
    )


def default_year(years: tuple[UnitYear, ...]) -> UnitYear | None:
    """The latest year with 12 months approved, else the latest year."""
    whole = [y for y in years if y.months >= 12]
    chosen = whole or list(years)
    return chosen[-1] if chosen else None


def _peer_medians(own: pl.DataFrame) -> pl.DataFrame:
    """Per (year, region, type) of the unit's rows: the medians of the units of that type there."""
    keys = ["year", "region", "type_code"]
    if own.is_empty():
        schema = {"year": pl.Int32, "region": pl.String, "type_code": pl.String, "peers": pl.UInt32}
        return pl.DataFrame(schema={**schema, **{f"peer_{v}": pl.Float64 for v in _PEER_VALUES}})
    found, _used = figures.unit_figures(
        regions=own["region"].unique().to_list(),
        years=own["year"].unique().to_list(),
        type_codes=own["type_code"].unique().to_list(),
    )
    frame = with_ratios(found)
    return frame.group_by(keys).agg(
        pl.len().alias("peers"), *(pl.col(v).median().alias(f"peer_{v}") for v in _PEER_VALUES)
    )


def supervised(pk: int, visible: QuerySet[Organisation], year: int | None = None) -> Supervised:
    """The units under department ``pk`` among ``visible``, with their figures in ``year`` (default: the
    latest year any of them has)."""
    found = list(
        visible.filter(supervisor_id=pk)
        .order_by("name")
        .values_list("pk", "name", "type_code")[: SUPERVISED_LIMIT + 1]
    )
    more = max(len(found) - SUPERVISED_LIMIT, 0)
    found = found[:SUPERVISED_LIMIT]
    stored, _used = figures.unit_figures(organisations=[f[0] for f in found])
    rows_of = stored.select("org", "year", "kgce", "water_m3", "persons", "area_m2", "months").rows()
    if year is None:
        year = max((f[1] for f in rows_of), default=None)
    by_org = {f[0]: f for f in rows_of if f[1] == year}
    rows = []
    for org, name, type_code in found:
        figure = by_org.get(org)
        if figure is None:
            rows.append(Ranked(rank=None, name=name, organisation=org, type_code=type_code))
            continue
        _, _, kgce, water, persons, area, months = figure
        rows.append(
            Ranked(
                rank=None,
                name=name,
                organisation=org,
                type_code=type_code,
                units=1,
                months=months,
                tce=kgce / 1000,
                kgce_per_person=kgce / persons if persons > 0 else None,
                kgce_per_m2=kgce / area if area > 0 else None,
                water_per_person=water / persons if persons > 0 else None,
            )
        )
    return Supervised(year, tuple(rows), more)


def submissions(visible: QuerySet[Any], pk: int) -> QuerySet[Any]:
    """The unit's submissions among ``visible`` (the user's), latest period first."""
    return visible.filter(organisation_id=pk).order_by("-year", "-period", "form")


def submission_rows(page: Any) -> list[SubmissionRow]:
    forms = load_forms()
    out = []
    for s in page:
        form = forms.get(s.form)
        out.append(
            SubmissionRow(
                s.pk,
                _form_name(form) if form else s.form,
                s.period,
                s.status,
                str(s.get_status_display()),
                s.updated_at,
            )
        )
    return out


def _form_name(form: Any) -> str:
    return str(form.en if (get_language() or "").startswith("en") else form.zh)
