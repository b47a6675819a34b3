"""Conversion to standard coal (标准煤) after GB/T 2589.

One kilogram of coal equivalent [kgce] has a lower heating value of 29 307 kJ (GB/T 2589 §3.4).
A :class:`CoefficientSet` holds kgce per unit for each energy type, with the clause of the standard
each row comes from, and densities for fuels reported by volume. Sets are reference data files;
this module only computes. :func:`convert` adds a ``kgce`` column to a long frame of quantities and
returns it with the :class:`Provenance` of the coefficients used.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar

import polars as pl

from jieneng.core.errors import (
    ConversionFailed,
    IncompatibleUnit,
    JienengError,
    MissingCoefficient,
    MissingColumn,
    MissingDensity,
    ReferenceDataError,
    UnknownEnergyType,
)
from jieneng.core.units import ParsedUnit, UnitTable, normalise

#: every kind of energy type; those in COUNTED_KINDS count in 综合能耗 (comprehensive energy consumption)
KINDS = ("energy", "coal_equivalent", "medium", "renewable")
COUNTED_KINDS = ("energy", "coal_equivalent")
_L_PER_M3 = 1000.0  # litres in a cubic metre, by definition of the litre


@dataclass(frozen=True, slots=True)
class EnergyType:
    code: str
    zh: str
    en: str
    kind: str
    default_unit: str
    vehicle_fuel: bool = False


@dataclass(frozen=True)
class EnergyTypeTable:
    id: str
    version: str
    types: Mapping[str, EnergyType]
    _by_alias: Mapping[str, str] = field(repr=False)

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> EnergyTypeTable:
        types: dict[str, EnergyType] = {}
        by_alias: dict[str, str] = {}
        for row in data.get("type", []):
            kind = row["kind"]
            if kind not in KINDS:
                raise ReferenceDataError(table="energy-types", problem=f"{row['code']}: unknown kind {kind}")
            et = EnergyType(
                row["code"], row["zh"], row["en"], kind, row["default_unit"], bool(row.get("vehicle_fuel"))
            )
            types[et.code] = et
            for alias in [et.code, et.zh, et.en, *row.get("aliases", [])]:
                key = normalise(alias)
                if by_alias.get(key, et.code) != et.code:
                    raise ReferenceDataError(table="energy-types", problem=f"alias {alias} names two types")
                by_alias[key] = et.code
        return cls(str(data["id"]), str(data["version"]), types, by_alias)

    def resolve(self, name: str) -> EnergyType:
        """The energy type for a code or any of its names (``"电"``, ``"电力"``, ``"electricity"``)."""
        code = self._by_alias.get(normalise(name))
        if code is None:
            raise UnknownEnergyType(name=name)
        return self.types[code]

    def vehicle_fuels(self) -> tuple[str, ...]:
        return tuple(code for code, et in self.types.items() if et.vehicle_fuel)


@dataclass(frozen=True, slots=True)
class Coefficient:
    """kgce per one ``unit`` of ``energy``; ``low``/``high`` when the standard prints a range."""

    energy: str
    unit: str
    kgce: float
    clause: str
    status: str = "published"
    low: float | None = None
    high: float | None = None
    lhv: str = ""
    note: str = ""


@dataclass(frozen=True, slots=True)
class Density:
    energy: str
    kg_per_l: float
    clause: str
    status: str = "published"


@dataclass(frozen=True, slots=True)
class Provenance:
    """How a figure was made: the coefficient set (``id@version``) and the tables it used."""

    coefficient_set: str
    lineage: tuple[str, ...]
    units: str
    energy_types: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "coefficient_set": self.coefficient_set,
            "lineage": list(self.lineage),
            "units": self.units,
            "energy_types": self.energy_types,
        }


@dataclass(frozen=True)
class CoefficientSet:
    id: str
    version: str
    title: str
    source: str
    kj_per_kgce: float
    coefficients: Mapping[str, Coefficient]
    densities: Mapping[str, Density]
    lineage: tuple[str, ...] = ()  # the sets this one extends, nearest first, as id@version
    title_en: str = ""  # the English title; the Chinese one where the file gives none

    @property
    def ref(self) -> str:
        return f"{self.id}@{self.version}"

    def shown_title(self, lang: str = "zh-hans") -> str:
        """The title in ``lang`` (a Django language code): Chinese, or English where the set has one."""
        return self.title if lang.lower().startswith("zh") or not self.title_en else self.title_en

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any], base: CoefficientSet | None = None) -> CoefficientSet:
        """Build from a parsed set file; rows override those of ``base`` for the same energy."""
        coefficients = dict(base.coefficients) if base else {}
        densities = dict(base.densities) if base else {}
        for row in data.get("coefficients", []):
            coefficients[row["energy"]] = Coefficient(
                energy=row["energy"],
                unit=row["unit"],
                kgce=float(row["kgce"]),
                clause=row.get("clause", ""),
                status=row.get("status", "published"),
                low=row.get("low"),
                high=row.get("high"),
                lhv=row.get("lhv", ""),
                note=row.get("note", ""),
            )
        for row in data.get("densities", []):
            densities[row["energy"]] = Density(
                row["energy"], float(row["kg_per_l"]), row.get("clause", ""), row.get("status", "published")
            )
        kj = data.get("kj_per_kgce", base.kj_per_kgce if base else None)
        if kj is None:
            raise ReferenceDataError(table=str(data.get("id")), problem="kj_per_kgce is missing")
        return cls(
            id=str(data["id"]),
            version=str(data["version"]),
            title=str(data.get("title", "")),
            source=str(data.get("source", "")),
            kj_per_kgce=float(kj),
            coefficients=coefficients,
            densities=densities,
            lineage=((base.ref, *base.lineage) if base else ()),
            title_en=str(data.get("title_en", "")),
        )

    def unit_ratio(self, energy: str, unit: ParsedUnit, units: UnitTable) -> float:
        """How many of the coefficient's own unit one ``unit`` of ``energy`` is (density where needed)."""
        coef = self.coefficients.get(energy)
        if coef is None:
            raise MissingCoefficient(set=self.ref, energy=energy)
        return unit_ratio(energy, unit, coef.unit, units, densities=self.densities, densities_from=self.ref)

    def factor(self, energy: str, unit: ParsedUnit, units: UnitTable) -> float:
        """kgce per one ``unit`` of ``energy`` [kgce/unit]. A unit of standard coal passes through."""
        if unit.dimension == "coal_equivalent":
            return unit.size
        coef = self.coefficients.get(energy)
        if coef is None:
            raise MissingCoefficient(set=self.ref, energy=energy)
        return coef.kgce * self.unit_ratio(energy, unit, units)


def unit_ratio(
    energy: str,
    unit: ParsedUnit,
    own_unit: str,
    units: UnitTable,
    *,
    densities: Mapping[str, Density],
    densities_from: str,
) -> float:
    """How many of ``own_unit`` (the unit a factor is per) one ``unit`` of ``energy`` is.

    Within a dimension this is the ratio of sizes (万kWh → kWh is 10 000); between mass and volume it
    goes through the energy's density, and a fuel without one raises :class:`MissingDensity` naming
    ``densities_from`` (the set that should hold it). Any other pair raises :class:`IncompatibleUnit`.
    """
    own = units.parse(own_unit)
    if unit.dimension == own.dimension:
        return unit.size / own.size
    if {unit.dimension, own.dimension} == {"mass", "volume"}:
        density = densities.get(energy)
        if density is None:
            raise MissingDensity(energy=energy, unit=unit.text, set=densities_from)
        kg_per_m3 = density.kg_per_l * _L_PER_M3
        if unit.dimension == "volume":
            return unit.size * kg_per_m3 / own.size
        return unit.size / kg_per_m3 / own.size
    raise IncompatibleUnit(energy=energy, unit=unit.text, expected=own_unit)


def conversion_table(
    pairs: pl.DataFrame,
    coefficients: CoefficientSet,
    units: UnitTable,
    energy_types: EnergyTypeTable,
) -> tuple[pl.DataFrame, list[JienengError]]:
    """For each distinct (energy_type, unit) text pair: its energy code, kind and factors.

    Returns the table (columns ``energy_type, unit, energy_code, kind, factor, to_default, per_own``)
    and every problem found; a pair with a problem is left out of the table.
    """
    rows: list[dict[str, Any]] = []
    problems: list[JienengError] = []
    for energy_text, unit_text in pairs.select("energy_type", "unit").iter_rows():
        try:
            et = energy_types.resolve(str(energy_text))
            parsed = units.parse(str(unit_text))
            factor = coefficients.factor(et.code, parsed, units)
            to_default = _to_default(coefficients, et, parsed, units.parse(et.default_unit))
            in_coal = parsed.dimension == "coal_equivalent"
            per_own = None if in_coal else coefficients.unit_ratio(et.code, parsed, units)
        except JienengError as problem:
            problems.append(problem)
            continue
        rows.append(
            {
                "energy_type": energy_text,
                "unit": unit_text,
                "energy_code": et.code,
                "kind": et.kind,
                "factor": factor,
                "to_default": to_default,
                "per_own": per_own,
            }
        )
    schema: dict[str, pl.DataType | type[pl.DataType]] = {
        "energy_type": pairs.schema["energy_type"],
        "unit": pairs.schema["unit"],
        "energy_code": pl.Enum(list(energy_types.types)),  # categorical: cheap on millions of rows
        "kind": pl.Enum(KINDS),
        "factor": pl.Float64,
        "to_default": pl.Float64,
        "per_own": pl.Float64,
    }
    return pl.DataFrame(rows, schema=schema), problems


def _to_default(cs: CoefficientSet, et: EnergyType, unit: ParsedUnit, default: ParsedUnit) -> float | None:
    """One ``unit`` in the energy type's default unit; None for a quantity already in standard coal."""
    if unit.dimension == default.dimension:
        return unit.size / default.size
    if unit.dimension == "coal_equivalent":
        return None
    density = cs.densities.get(et.code)
    if density is None or {unit.dimension, default.dimension} != {"mass", "volume"}:
        raise IncompatibleUnit(energy=et.code, unit=unit.text, expected=et.default_unit)
    kg_per_m3 = density.kg_per_l * _L_PER_M3
    if unit.dimension == "volume":
        return unit.size * kg_per_m3 / default.size
    return unit.size / kg_per_m3 / default.size


F = TypeVar("F", pl.DataFrame, pl.LazyFrame)


def convert(
    frame: F,
    coefficients: CoefficientSet,
    units: UnitTable,
    energy_types: EnergyTypeTable,
) -> tuple[F, Provenance]:
    """Add standard coal to a long frame of reported quantities.

    ``frame`` needs ``energy_type`` (code or any name), ``unit`` (text, scale words allowed) and
    ``quantity``; an optional ``heating_value`` column is a measured lower heating value in kJ per
    the coefficient's own unit, used instead of the set's coefficient where present (GB/T 2589 §6:
    measured values take precedence over reference values).

    Adds ``energy_code``, ``kind``, ``kgce`` [kgce] and ``natural`` (the quantity in the energy
    type's default unit, e.g. water in t ≡ m³). Raises :class:`ConversionFailed` listing every
    unknown energy type, unit or missing coefficient, each once.
    """
    lazy = frame.lazy()
    names = lazy.collect_schema().names()
    for column in ("energy_type", "unit", "quantity"):
        if column not in names:
            raise MissingColumn(column=column, found=", ".join(names))
    pairs = lazy.select("energy_type", "unit").unique().collect()
    table, problems = conversion_table(pairs, coefficients, units, energy_types)
    if problems:
        raise ConversionFailed(problems)
    kgce = pl.col("quantity") * pl.col("factor")
    if "heating_value" in names:
        measured = pl.col("quantity") * pl.col("per_own") * pl.col("heating_value") / coefficients.kj_per_kgce
        kgce = pl.when(pl.col("heating_value").is_not_null()).then(measured).otherwise(kgce)
    out = (
        lazy.join(table.lazy(), on=["energy_type", "unit"], how="left", maintain_order="left")
        .with_columns(kgce.alias("kgce"), (pl.col("quantity") * pl.col("to_default")).alias("natural"))
        .drop("factor", "to_default", "per_own")
    )
    provenance = Provenance(
        coefficients.ref,
        coefficients.lineage,
        f"{units.id}@{units.version}",
        f"{energy_types.id}@{energy_types.version}",
    )
    if isinstance(frame, pl.LazyFrame):
        return out, provenance
    return out.collect(), provenance
