"""CO₂ from the same long frame of quantities that :func:`jieneng.core.coal.convert` reads.

CO₂ [kgCO₂] = quantity × factor, where the factor comes from an
:class:`~jieneng.core.emission_factors.EmissionFactorSet` under a :class:`Convention`:

- **fuels** burnt on site (natural gas, diesel, …): their set row, computed from NCV × CC × OF × 44/12
  (GB/T 32150-2015), whatever the year and place;
- **purchased heat**: its set row (0.11 tCO₂/GJ where the supplier gives no value);
- **electricity** (indirect emissions): the factor of one data year — by default the latest data year
  not after the reporting year, or a fixed lag, or one fixed data year — and, location-based, the
  province's factor, else its regional grid's, else the national one; market-based, the national
  factor excluding market-traded non-fossil electricity; rows whose ``purpose`` is ``green``
  (certified green electricity) at the set's green factor (zero), rows whose ``purpose`` is
  ``passed_on`` (electricity bought by the unit and passed on to another) subtracted;
- energy-working media (water …) and on-site renewable generation: no CO₂.

Energy types and units are resolved by the tables :mod:`jieneng.core.coal` uses, and a fuel reported
by volume is weighed with the densities of the coefficient set, so litres weigh the same in tce and in
CO₂. As in ``convert``, each distinct combination is resolved once and the factors are joined onto the
frame. :func:`co2` returns the frame with its :class:`CarbonProvenance`; a problem never falls back
silently to another factor: every missing factor, year or province is reported (:class:`CarbonFailed`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

import polars as pl

from jieneng.core.coal import COUNTED_KINDS, CoefficientSet, EnergyTypeTable, unit_ratio
from jieneng.core.emission_factors import LEVELS, EmissionFactorSet
from jieneng.core.errors import (
    CarbonFailed,
    EmissionYearNotCovered,
    GreenNotElectricity,
    JienengError,
    MissingColumn,
    MissingElectricityFactor,
    MissingEmissionFactor,
    MissingRegion,
    ProvinceNotListed,
)
from jieneng.core.indicators import versus_base, year_on_year
from jieneng.core.units import UnitTable

F = TypeVar("F", pl.DataFrame, pl.LazyFrame)

#: the electricity factor each basis reads (the ``variant`` of the set's rows)
BASES = {"location": "average", "market": "market", "fossil": "fossil"}
YEAR_RULES = ("latest", "lag", "fixed")
GREEN, PASSED_ON = "green", "passed_on"  # values of the optional ``purpose`` column
#: indicator columns of CO₂ (from :func:`jieneng.core.indicators.with_ratios` on summed ``kgco2``)
CO2_VALUES = ("tco2", "kgco2_per_person", "kgco2_per_m2")
_KEYS = ("energy_type", "unit", "year", "_province", "_purpose")


@dataclass(frozen=True)
class Convention:
    """How electricity is counted; recorded on every result.

    ``basis``: ``location`` (the place's average), ``market`` (national, excluding market-traded
    non-fossil electricity) or ``fossil`` (fossil electricity only, e.g. for avoided emissions).
    ``finest``: the first level a look-up tries (``province``, ``grid`` or ``national``).
    ``year_rule``: ``latest`` — the latest data year not after the reporting year; ``lag`` — the
    reporting year minus ``lag``; ``fixed`` — ``data_year`` for every reporting year.
    """

    basis: str = "location"
    finest: str = "province"
    year_rule: str = "latest"
    lag: int = 0
    data_year: int | None = None
    green_at_zero: bool = True
    subtract_passed_on: bool = True

    def __post_init__(self) -> None:
        if self.basis not in BASES:
            raise ValueError(f"basis must be one of {', '.join(BASES)}")
        if self.finest not in LEVELS:
            raise ValueError(f"finest must be one of {', '.join(LEVELS)}")
        if self.year_rule not in YEAR_RULES:
            raise ValueError(f"year_rule must be one of {', '.join(YEAR_RULES)}")
        if self.year_rule == "fixed" and self.data_year is None:
            raise ValueError("the fixed rule needs a data_year")
        if self.lag < 0:
            raise ValueError("lag cannot be negative")

    @property
    def variant(self) -> str:
        return BASES[self.basis]

    @property
    def rule(self) -> str:
        """The year rule as text: ``latest``, ``lag 2``, ``fixed 2022``."""
        if self.year_rule == "lag":
            return f"lag {self.lag}"
        if self.year_rule == "fixed":
            return f"fixed {self.data_year}"
        return "latest"

    def pick(self, year: int, available: Sequence[int]) -> int | None:
        """The data year whose factors apply to reporting year ``year``; None when there is none."""
        if self.year_rule == "latest":
            earlier = [y for y in available if y <= year]
            return max(earlier) if earlier else None
        wanted = year - self.lag if self.year_rule == "lag" else self.data_year
        return wanted if wanted in available else None

    def as_dict(self) -> dict[str, Any]:
        return {
            "basis": self.basis,
            "finest": self.finest,
            "year_rule": self.rule,
            "green_at_zero": self.green_at_zero,
            "subtract_passed_on": self.subtract_passed_on,
        }


@dataclass(frozen=True)
class CarbonProvenance:
    """How a CO₂ figure was made: the factor set, the convention, the data year of each reporting year,
    the factors used (and those of them still ``to_confirm``), and the tables behind units and densities."""

    factor_set: str
    lineage: tuple[str, ...]
    convention: Convention
    data_years: tuple[tuple[int, int], ...]  # (reporting year, data year) of electricity
    factors: tuple[str, ...]
    unconfirmed: tuple[str, ...]
    densities: str
    units: str
    energy_types: str
    extra: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {
            "factor_set": self.factor_set,
            "lineage": list(self.lineage),
            "convention": self.convention.as_dict(),
            "data_years": {str(reporting): data for reporting, data in self.data_years},
            "factors": list(self.factors),
            "unconfirmed": list(self.unconfirmed),
            "densities": self.densities,
            "units": self.units,
            "energy_types": self.energy_types,
        }


def co2(
    frame: F,
    factors: EmissionFactorSet,
    *,
    coefficients: CoefficientSet,
    units: UnitTable,
    energy_types: EnergyTypeTable,
    convention: Convention | None = None,
) -> tuple[F, CarbonProvenance]:
    """Add CO₂ to a long frame of reported quantities.

    ``frame`` needs ``energy_type``, ``unit``, ``quantity`` and ``year`` (the reporting year); optional
    ``region`` (GB/T 2260 code; its first two digits name the province) and ``purpose`` (``green``,
    ``passed_on``; anything else is ordinary use). ``coefficients`` lends its densities.

    Adds ``kgco2`` [kgCO₂], ``co2_factor`` [kgCO₂ per the row's unit], ``co2_level`` (``province``,
    ``grid``, ``national``, ``fuel``, ``green`` or ``not_counted``) and ``co2_data_year`` (the data year
    of an electricity factor). Raises :class:`CarbonFailed` listing every problem once.
    """
    convention = convention or Convention()
    lazy = frame.lazy()
    names = lazy.collect_schema().names()
    for column in ("energy_type", "unit", "quantity", "year"):
        if column not in names:
            raise MissingColumn(column=column, found=", ".join(names))
    region = pl.col("region").cast(pl.String).str.slice(0, 2) if "region" in names else pl.lit(None)
    purpose = pl.col("purpose").cast(pl.String) if "purpose" in names else pl.lit(None)
    keyed = lazy.with_columns(
        region.cast(pl.String).alias("_province"), purpose.cast(pl.String).alias("_purpose")
    )
    combos = keyed.select(_KEYS).unique().collect()
    resolver = _Resolver(factors, coefficients, units, energy_types, convention)
    table = resolver.table(combos)
    if resolver.problems:
        raise CarbonFailed(list(resolver.problems.values()))
    out = (
        keyed.join(table.lazy(), on=list(_KEYS), how="left", nulls_equal=True, maintain_order="left")
        .with_columns((pl.col("quantity") * pl.col("co2_factor")).alias("kgco2"))
        .drop("_province", "_purpose")
    )
    provenance = CarbonProvenance(
        factor_set=factors.ref,
        lineage=factors.lineage,
        convention=convention,
        data_years=tuple(sorted(resolver.data_years.items())),
        factors=tuple(sorted(resolver.used)),
        unconfirmed=tuple(sorted(k for k, status in resolver.used.items() if status == "to_confirm")),
        densities=coefficients.ref,
        units=f"{units.id}@{units.version}",
        energy_types=f"{energy_types.id}@{energy_types.version}",
    )
    if isinstance(frame, pl.LazyFrame):
        return out, provenance
    return out.collect(), provenance


class _Resolver:
    """Resolves each distinct (energy type, unit, year, province, purpose) once, collecting problems."""

    def __init__(
        self,
        factors: EmissionFactorSet,
        coefficients: CoefficientSet,
        units: UnitTable,
        energy_types: EnergyTypeTable,
        convention: Convention,
    ) -> None:
        self.factors, self.coefficients, self.units = factors, coefficients, units
        self.energy_types, self.convention = energy_types, convention
        self.problems: dict[tuple[str, str], JienengError] = {}
        self.used: dict[str, str] = {}  # factor key → status
        self.data_years: dict[int, int] = {}

    def table(self, combos: pl.DataFrame) -> pl.DataFrame:
        rows = []
        for energy_text, unit_text, year, province, purpose in combos.iter_rows():
            try:
                factor, level, data_year = self._factor(
                    str(energy_text), str(unit_text), int(year), province, purpose
                )
            except JienengError as problem:
                self.problems.setdefault((problem.code, repr(sorted(problem.params.items()))), problem)
                continue
            rows.append((energy_text, unit_text, year, province, purpose, factor, level, data_year))
        schema: dict[str, pl.DataType | type[pl.DataType]] = {
            "energy_type": combos.schema["energy_type"],
            "unit": combos.schema["unit"],
            "year": combos.schema["year"],
            "_province": pl.String,
            "_purpose": pl.String,
            "co2_factor": pl.Float64,
            "co2_level": pl.String,
            "co2_data_year": pl.Int16,
        }
        return pl.DataFrame(rows, schema=schema, orient="row")

    def _factor(
        self, energy_text: str, unit_text: str, year: int, province: str | None, purpose: str | None
    ) -> tuple[float, str, int | None]:
        """kgCO₂ per one ``unit_text`` of the energy, the level the factor comes from, its data year."""
        et = self.energy_types.resolve(energy_text)
        unit = self.units.parse(unit_text)
        if et.kind not in COUNTED_KINDS:
            return 0.0, "not_counted", None
        sign = 1.0
        if purpose == PASSED_ON:
            if not self.convention.subtract_passed_on:
                return 0.0, "not_counted", None  # kept by the buyer: its own rows already count it
            sign = -1.0
        if purpose == GREEN:
            if et.code != "electricity":
                raise GreenNotElectricity(energy=et.code)
            if self.convention.green_at_zero:
                green = self.factors.green
                if green is None:
                    raise MissingEmissionFactor(set=self.factors.ref, energy="green electricity")
                self.used["green_electricity"] = green.status
                ratio = self._ratio(et.code, unit, green.unit)
                return sign * green.kgco2 * ratio, "green", None
        if et.code == "electricity":
            return self._electricity(unit, year, province, sign)
        fuel = self.factors.fuels.get(et.code)
        if fuel is None:
            raise MissingEmissionFactor(set=self.factors.ref, energy=et.code)
        self.used[f"fuel:{et.code}"] = fuel.status
        return sign * fuel.kgco2 * self._ratio(et.code, unit, fuel.unit), "fuel", None

    def _electricity(
        self, unit: Any, year: int, province: str | None, sign: float
    ) -> tuple[float, str, int | None]:
        convention, factors = self.convention, self.factors
        variant = convention.variant
        available = factors.data_years(variant)
        data_year = convention.pick(year, available)
        if data_year is None:
            raise EmissionYearNotCovered(
                set=factors.ref,
                variant=variant,
                year=year,
                rule=convention.rule,
                years=", ".join(str(y) for y in available) or "—",
            )
        place = None
        finest = convention.finest
        if finest != "national" and factors.has_finer_than_national(data_year, variant):
            if province is None:
                raise MissingRegion(year=year)
            if province not in factors.provinces:
                raise ProvinceNotListed(set=factors.ref, province=province)
            place = province
        factor = factors.electricity_factor(data_year, variant, place, finest if place else "national")
        if factor is None:
            area = factors.provinces[place].zh if place else "—"
            raise MissingElectricityFactor(set=factors.ref, variant=variant, year=data_year, area=area)
        self.used[factor.key] = factor.status
        self.data_years[year] = data_year
        return sign * factor.kgco2 * self._ratio("electricity", unit, factor.unit), factor.level, data_year

    def _ratio(self, energy: str, unit: Any, own: str) -> float:
        cs = self.coefficients
        return unit_ratio(energy, unit, own, self.units, densities=cs.densities, densities_from=cs.ref)


def co2_changes(frame: F, *, keys: Sequence[str], base_year: int | None = None) -> F:
    """Change on last year (``<v>_yoy`` [%]) and, given ``base_year``, on it (``<v>_vs_base`` [%]) of
    each CO₂ indicator present (:data:`CO2_VALUES`), per ``keys`` (without ``year``).

    The indicators come from summed numerators and denominators (:func:`~jieneng.core.indicators.with_ratios`
    on summed ``kgco2``, ``persons`` and ``area_m2``), never from an average of ratios.
    """
    lazy = frame.lazy()
    values = [v for v in CO2_VALUES if v in lazy.collect_schema().names()]
    lazy = year_on_year(lazy, keys=keys, values=values).drop(f"{v}_prev" for v in values)
    if base_year is not None:
        lazy = versus_base(lazy, keys=keys, values=values, base=base_year).drop(f"{v}_base" for v in values)
    if isinstance(frame, pl.LazyFrame):
        return lazy
    return lazy.collect()
