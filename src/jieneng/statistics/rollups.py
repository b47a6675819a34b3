"""Keeping the roll-up tables current.

``with tracking(orgs_years):`` around any change to approved records, yearly facts or an
organisation's region or type: the units' contributions are computed before and after (from their own
rows only) and the difference is added to every region above them, in the caller's transaction,
which also renews the stamps of their provinces (:mod:`jieneng.statistics.freshness`).
:func:`rebuild` recomputes everything from the approved records (after a bulk load, or when the
coefficient set changes: ``jieneng manage rebuild_rollups``).

CO₂ is computed beside the energy with the configured emission-factor set and convention
(``JIENENG_EMISSION_FACTOR_SET``, ``JIENENG_CO2_BASIS``, ``JIENENG_CO2_FACTOR_YEAR``); every row
records them (``emission_factors``). A unit-year the set does not cover (a reporting year before its
first data year, a province it does not list, an energy type without a factor) is approved all the
same: its CO₂ is null, with the problem recorded on the unit's row (``co2_problem``), and the regions
above count it in ``co2_missing`` instead of adding a wrong figure.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any

import polars as pl
from django.db import transaction
from django.db.models import Q, Sum

from jieneng import config
from jieneng.core import rollups as core
from jieneng.core.carbon import CarbonProvenance, Convention, co2
from jieneng.core.carbon import label as carbon_label
from jieneng.core.coal import convert
from jieneng.core.errors import RollupRefused
from jieneng.core.regions import ancestry
from jieneng.directory.models import Organisation, OrganisationYear, Region
from jieneng.reference import load_coefficient_set, load_energy_types, load_units
from jieneng.reference.emissions import load_emission_factor_set
from jieneng.statistics import bulk, freshness
from jieneng.statistics.models import EnergyRecord, RegionFigure, UnitFigure

REGION_FIELDS = (*core.KEYS, *core.SUMS, "coefficient_set", "emission_factors")
UNIT_FIELDS = ("organisation", *core.UNIT_COLUMNS[1:], "coefficient_set", "emission_factors")
_RECORD_SCHEMA = {
    "org": pl.Int64,
    "year": pl.Int32,
    "month": pl.Int32,
    "energy_type": pl.String,
    "unit": pl.String,
    "quantity": pl.Float64,
    "cost": pl.Float64,
}


def coefficient_set_id() -> str:
    return config.current().coefficient_set


def co2_convention() -> Convention:
    """The convention of the roll-ups' CO₂ (``JIENENG_CO2_BASIS``, ``JIENENG_CO2_FACTOR_YEAR``)."""
    settings = config.current()
    return Convention.parse(settings.co2_basis, settings.co2_factor_year)


def emission_label() -> str:
    """What the rows computed now record as ``emission_factors`` (``id@version basis rule``)."""
    factors = load_emission_factor_set(config.current().emission_factor_set)
    return carbon_label(factors.ref, co2_convention())


def stale() -> bool:
    """Whether some region rows were kept with other emission factors or a convention than the settings'
    (or before CO₂ was added to the roll-ups): then :func:`rebuild` brings them in line."""
    return RegionFigure.objects.exclude(emission_factors=emission_label()).exists()


class Used:
    """What a computation of contributions used: the coefficient set, and the CO₂ provenance with the
    label the rows record (``emission_factors``)."""

    def __init__(self, coefficient_set: str, carbon: CarbonProvenance) -> None:
        self.coefficient_set, self.carbon = coefficient_set, carbon
        self.emission_factors = carbon.label

    def problem(self, number: int | None) -> str:
        """The JSON of problem ``number`` (code and parameters) for a unit row; empty for none."""
        if number is None:
            return ""
        found = self.carbon.problems[number]
        return json.dumps({"code": found.code, "params": found.params}, ensure_ascii=False, default=str)


def region_ancestry() -> pl.DataFrame:
    """:func:`~jieneng.core.regions.ancestry` of every code, through its latest row's parent."""
    latest: dict[str, str | None] = {}
    for code, parent in Region.objects.order_by("valid_from").values_list("code", "parent__code"):
        latest[code] = parent
    frame = pl.DataFrame(
        {"code": list(latest), "parent_code": list(latest.values())},
        schema={"code": pl.String, "parent_code": pl.String},
    )
    return ancestry(frame)


def contributions(
    org_ids: Iterable[int] | None, years: Iterable[int] | None
) -> tuple[pl.DataFrame, pl.DataFrame, Used]:
    """The units' figures and region slices from their approved records (``None``: all), and what
    was used: the coefficient set (id@version), the emission-factor set and convention."""
    records = EnergyRecord.objects.all()
    facts = OrganisationYear.objects.all()
    orgs = Organisation.objects.all()
    if org_ids is not None:
        ids = list(set(org_ids))
        records, facts, orgs = (
            records.filter(organisation_id__in=ids),
            facts.filter(organisation_id__in=ids),
            orgs.filter(pk__in=ids),
        )
    if years is not None:
        wanted = list(set(years))
        records, facts = records.filter(year__in=wanted), facts.filter(year__in=wanted)
    rows = (
        records.values_list("organisation_id", "year", "month", "energy_type", "unit")
        .annotate(q=Sum("quantity"), c=Sum("cost"))
        .order_by()
    )
    data = [(*keys, float(q), None if c is None else float(c)) for *keys, q, c in rows]
    frame = pl.DataFrame(data, schema=_RECORD_SCHEMA, orient="row")
    who = pl.DataFrame(
        list(orgs.values_list("pk", "region__code", "type_code")),
        schema={"org": pl.Int64, "region": pl.String, "type_code": pl.String},
        orient="row",
    )
    frame = frame.join(who, on="org", how="inner")
    fact_frame = pl.DataFrame(
        [
            (o, y, float(a), float(p))
            for o, y, a, p in facts.values_list("organisation_id", "year", "building_area_m2", "persons")
        ],
        schema={"org": pl.Int64, "year": pl.Int32, "area_m2": pl.Float64, "persons": pl.Float64},
        orient="row",
    )
    return compute(frame, fact_frame, region_ancestry)


def compute(
    frame: pl.DataFrame, facts: pl.DataFrame, tree: Callable[[], pl.DataFrame]
) -> tuple[pl.DataFrame, pl.DataFrame, Used]:
    """The units' figures and region slices of reported rows (``org, region, type_code, year, month,
    energy_type, unit, quantity, cost``) and yearly ``facts`` (``org, year, area_m2, persons``), with
    the configured coefficient set, emission-factor set and convention; ``tree`` gives the
    :func:`~jieneng.core.regions.ancestry` of the regions (read only when there are units)."""
    coefficients, energy_types = load_coefficient_set(coefficient_set_id()), load_energy_types()
    converted, provenance = convert(frame, coefficients, load_units(), energy_types)
    converted, carbon = co2(
        converted,
        load_emission_factor_set(config.current().emission_factor_set),
        coefficients=coefficients,
        units=load_units(),
        energy_types=energy_types,
        convention=co2_convention(),
        strict=False,
    )
    fuels = energy_types.vehicle_fuels()
    units = core.unit_figures(converted, facts, vehicle_fuels=fuels)
    parts = core.slices(units, converted, tree(), vehicle_fuels=fuels) if len(units) else core.empty()
    return units, parts, Used(provenance.coefficient_set, carbon)


@contextmanager
def tracking(orgs_years: Iterable[tuple[int, int]]) -> Iterator[None]:
    """Recompute the roll-ups of these (organisation, year) pairs around a change to them."""
    pairs = set(orgs_years)
    if not pairs:
        yield
        return
    orgs, years = {o for o, _ in pairs}, {y for _, y in pairs}
    with transaction.atomic():
        # two approvals of one unit (two months, two reviewers) must not both read the same "before":
        # the second waits here for the first to commit, then reads what it wrote. NO KEY UPDATE does
        # not block the rows that merely reference these units (imports), and one order avoids cycles
        list(
            Organisation.objects.select_for_update(no_key=True)
            .filter(pk__in=sorted(orgs))
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        units_before, before, _set = contributions(orgs, years)
        yield
        units, after, used = contributions(orgs, years)
        add(core.difference(before, after), used)
        _replace_units(orgs, years, units, used)
        freshness.renew([*units_before["region"], *units["region"]])


def add(delta: pl.DataFrame, used: Used) -> None:
    """Add ``delta`` (:data:`~jieneng.core.rollups.KEYS` + sums) to the stored rows; rows left with no
    units are removed."""
    if delta.is_empty():
        return
    keys = list(core.KEYS)
    q = Q()
    for region, year in delta.select("region", "year").unique().iter_rows():
        q |= Q(region=region, year=year)
    stored = {
        tuple(getattr(row, k) for k in keys): row
        # one order for every writer, so that two approvals in a province lock its rows without a cycle
        for row in RegionFigure.objects.select_for_update().filter(q).order_by(*keys)
    }
    new: list[RegionFigure] = []
    changed: list[RegionFigure] = []
    gone: list[RegionFigure] = []
    for values in delta.iter_rows(named=True):
        key = tuple(values[k] for k in keys)
        row = stored.get(key)
        _refuse_unsound(values, row)
        if row is None:
            new.append(
                RegionFigure(
                    **values, coefficient_set=used.coefficient_set, emission_factors=used.emission_factors
                )
            )
            continue
        for name in core.SUMS:
            setattr(row, name, getattr(row, name) + values[name])
        row.coefficient_set, row.emission_factors = used.coefficient_set, used.emission_factors
        (gone if row.units <= 0 else changed).append(row)
    RegionFigure.objects.bulk_create(new, batch_size=2000)
    RegionFigure.objects.bulk_update(
        changed, [*core.SUMS, "coefficient_set", "emission_factors"], batch_size=2000
    )
    RegionFigure.objects.filter(pk__in=[row.pk for row in gone]).delete()


def _refuse_unsound(values: dict[str, Any], row: RegionFigure | None) -> None:
    """Raise :class:`RollupRefused` when adding ``values`` to ``row`` would keep a non-finite or
    negative sum (the caller's transaction then saves nothing)."""
    for name in core.SUMS:
        delta = values[name]
        if delta is None:
            continue
        bad = core.unsound(0.0 if row is None else float(getattr(row, name)), float(delta))
        if bad is not None:
            raise RollupRefused(region=values["region"], year=values["year"], sum=name, value=repr(bad))


def _replace_units(orgs: set[int], years: set[int], units: pl.DataFrame, used: Used) -> None:
    UnitFigure.objects.filter(organisation_id__in=orgs, year__in=years).delete()
    store_units(units, used)


def store_units(units: pl.DataFrame, used: Used) -> int:
    sets = (used.coefficient_set, used.emission_factors)
    rows = ((*row[:-1], used.problem(row[-1]), *sets) for row in units.select(core.UNIT_COLUMNS).iter_rows())
    return bulk.insert(UnitFigure, UNIT_FIELDS, rows)


def store_slices(parts: pl.DataFrame, used: Used) -> int:
    sets = (used.coefficient_set, used.emission_factors)
    rows = ((*row, *sets) for row in parts.select(*core.KEYS, *core.SUMS).iter_rows())
    return bulk.insert(RegionFigure, REGION_FIELDS, rows)


def rebuild() -> tuple[int, int]:
    """Recompute every roll-up from the approved records; the numbers of unit and region rows."""
    with transaction.atomic():
        UnitFigure.objects.all().delete()
        RegionFigure.objects.all().delete()
        units, parts, used = contributions(None, None)
        freshness.renew_all()
        return store_units(units, used), store_slices(parts, used)
