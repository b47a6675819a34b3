"""CO₂ emission factors as reference data: fuels from their parameters, electricity by data year and place.

An :class:`EmissionFactorSet` is built from a data file (``reference/data/emissions/*.toml``) and may
extend another, overriding rows with the same key. It holds:

- **fuels** — kgCO₂ per unit of a fuel burnt, computed from its default parameters after
  GB/T 32150-2015 (formula (2)): EF = NCV [GJ/unit] × CC [tC/TJ] × OF × 44/12, where CC in tC/TJ is
  kgC/GJ; or a factor given directly (purchased heat: 0.11 tCO₂/GJ);
- **electricity** — kgCO₂/kWh by data year, level (``national``, ``grid``, ``province``), area (a
  regional grid code or a two-digit GB/T 2260 province code) and variant (``average``, ``market`` —
  excluding market-traded non-fossil electricity — or ``fossil``);
- the **regional grids** and the **provinces** with the grid each belongs to;
- **green electricity** — certified green electricity, at zero by default.

This module only holds and looks up; :mod:`jieneng.core.carbon` computes.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from jieneng.core.errors import ReferenceDataError
from jieneng.core.units import UnitTable

#: kg of CO₂ per kg of carbon burnt: the molar masses 44/12 (GB/T 32150-2015 formula (2))
CO2_PER_C = 44 / 12
LEVELS = ("province", "grid", "national")  # finest first: the order a location-based look-up tries
VARIANTS = ("average", "market", "fossil")
STATUSES = ("confirmed", "to_confirm", "policy_default")


@dataclass(frozen=True, slots=True)
class FuelFactor:
    """kgCO₂ per one ``unit`` of ``energy`` burnt, with the parameters it is computed from (if any)."""

    energy: str
    unit: str
    kgco2: float
    clause: str
    status: str
    ncv: float | None = None  # net calorific value [GJ per ``ncv_per``]
    ncv_per: str = ""
    carbon: float | None = None  # carbon content per unit of heat [tC/TJ]
    oxidation: float | None = None  # carbon oxidation rate [fraction]
    note: str = ""

    @property
    def parameters(self) -> str:
        """The product written out, ``389.31 GJ/万m3 × 15.3 tC/TJ × 99% × 44/12``; empty if given."""
        if self.ncv is None or self.carbon is None or self.oxidation is None:
            return ""
        return f"{self.ncv:g} GJ/{self.ncv_per} × {self.carbon:g} tC/TJ × {self.oxidation * 100:g}% × 44/12"


@dataclass(frozen=True, slots=True)
class ElectricityFactor:
    """kgCO₂ per one ``unit`` of electricity of data year ``year`` at ``level`` and ``area``."""

    year: int
    level: str
    area: str  # "" at national level
    variant: str
    kgco2: float
    unit: str
    clause: str
    status: str
    checked: str = ""
    note: str = ""

    @property
    def key(self) -> str:
        """A stable name for the row: ``electricity:2022:province:13:average``."""
        return f"electricity:{self.year}:{self.level}:{self.area or '-'}:{self.variant}"


@dataclass(frozen=True, slots=True)
class Grid:
    code: str
    zh: str
    en: str


@dataclass(frozen=True, slots=True)
class Province:
    code: str  # two-digit GB/T 2260 prefix
    zh: str
    grid: str
    status: str = "to_confirm"


@dataclass(frozen=True)
class EmissionFactorSet:
    id: str
    version: str
    title: str
    source: str
    fuels: Mapping[str, FuelFactor]
    electricity: Mapping[tuple[int, str, str, str], ElectricityFactor]
    grids: Mapping[str, Grid]
    provinces: Mapping[str, Province]
    green: FuelFactor | None = None
    lineage: tuple[str, ...] = ()  # the sets this one extends, nearest first, as id@version

    @property
    def ref(self) -> str:
        return f"{self.id}@{self.version}"

    @classmethod
    def from_mapping(
        cls, data: Mapping[str, Any], units: UnitTable, base: EmissionFactorSet | None = None
    ) -> EmissionFactorSet:
        """Build from a parsed set file; rows override those of ``base`` with the same key.

        Raises :class:`ReferenceDataError` naming the set and the row for a missing key, an unknown
        level, variant, grid or status, or parameters whose units do not match.
        """
        table = str(data.get("id", "?"))
        fuels = dict(base.fuels) if base else {}
        electricity = dict(base.electricity) if base else {}
        grids = dict(base.grids) if base else {}
        provinces = dict(base.provinces) if base else {}
        for index, row in enumerate(data.get("fuels", []), start=1):
            fuel = _fuel(row, f"fuel row {index}", table, units)
            fuels[fuel.energy] = fuel
        for index, row in enumerate(data.get("grids", []), start=1):
            _require(row, ("code", "zh", "en"), f"grid row {index}", table)
            grids[row["code"]] = Grid(row["code"], row["zh"], row["en"])
        for index, row in enumerate(data.get("provinces", []), start=1):
            where = f"province row {index}"
            _require(row, ("code", "zh", "grid"), where, table)
            if row["grid"] not in grids:
                raise ReferenceDataError(table=table, problem=f"{where}: unknown grid {row['grid']}")
            provinces[row["code"]] = Province(
                row["code"], row["zh"], row["grid"], _status(row, where, table, "to_confirm")
            )
        for index, row in enumerate(data.get("electricity", []), start=1):
            factor = _electricity(
                row, f"electricity row {index}", table, units, grids=grids, provinces=provinces
            )
            electricity[(factor.year, factor.level, factor.area, factor.variant)] = factor
        green = base.green if base else None
        if "green_electricity" in data:
            row = {"energy": "electricity", **data["green_electricity"]}
            green = _fuel(row, "green_electricity", table, units)
        return cls(
            id=str(data["id"]),
            version=str(data["version"]),
            title=str(data.get("title", "")),
            source=str(data.get("source", "")),
            fuels=fuels,
            electricity=electricity,
            grids=grids,
            provinces=provinces,
            green=green,
            lineage=((base.ref, *base.lineage) if base else ()),
        )

    def data_years(self, variant: str) -> tuple[int, ...]:
        """The data years with at least one electricity factor of ``variant``, oldest first."""
        return tuple(sorted({year for year, _, _, v in self.electricity if v == variant}))

    def has_finer_than_national(self, year: int, variant: str) -> bool:
        """Whether data year ``year`` has grid or province factors of ``variant``."""
        return any(y == year and v == variant and lvl != "national" for y, lvl, _, v in self.electricity)

    def electricity_factor(
        self, year: int, variant: str, province: str | None, finest: str = "province"
    ) -> ElectricityFactor | None:
        """The factor of data year ``year``: the province's, else its grid's, else the national one.

        ``finest`` is the first level tried (``province``, ``grid`` or ``national``); ``province`` is a
        code the set lists, or None for the national factor only.
        """
        grid = self.provinces[province].grid if province is not None else None
        for level in LEVELS[LEVELS.index(finest) :]:
            area = {"province": province, "grid": grid, "national": ""}[level]
            if area is None:
                continue
            factor = self.electricity.get((year, level, area, variant))
            if factor is not None:
                return factor
        return None


def _require(row: Mapping[str, Any], keys: tuple[str, ...], where: str, table: str) -> None:
    for key in keys:
        if key not in row:
            raise ReferenceDataError(table=table, problem=f"{where}: “{key}” is missing")


def _status(row: Mapping[str, Any], where: str, table: str, default: str | None = None) -> str:
    status = row.get("status", default)
    if status not in STATUSES:
        raise ReferenceDataError(table=table, problem=f"{where}: status must be one of {', '.join(STATUSES)}")
    return str(status)


def _fuel(row: Mapping[str, Any], where: str, table: str, units: UnitTable) -> FuelFactor:
    _require(row, ("energy", "unit", "clause", "status"), where, table)
    per = units.parse(row["unit"])
    params = [row.get(k) for k in ("ncv", "ncv_per", "carbon", "oxidation")]
    if all(p is not None for p in params):
        ncv_per = units.parse(row["ncv_per"])
        if ncv_per.dimension != per.dimension:
            raise ReferenceDataError(
                table=table,
                problem=f"{where}: ncv_per {row['ncv_per']} and unit {row['unit']} differ in kind",
            )
        if not 0 < float(row["oxidation"]) <= 1:
            raise ReferenceDataError(table=table, problem=f"{where}: oxidation must be a fraction in (0, 1]")
        gj_per_unit = float(row["ncv"]) * per.size / ncv_per.size
        kgco2 = gj_per_unit * float(row["carbon"]) * float(row["oxidation"]) * CO2_PER_C
        if "kgco2" in row:
            raise ReferenceDataError(table=table, problem=f"{where}: give the parameters or kgco2, not both")
    elif any(p is not None for p in params):
        raise ReferenceDataError(
            table=table, problem=f"{where}: ncv, ncv_per, carbon and oxidation go together"
        )
    elif "kgco2" in row:
        kgco2 = float(row["kgco2"])
    else:
        raise ReferenceDataError(table=table, problem=f"{where}: “kgco2” or its parameters are missing")
    if kgco2 < 0:
        raise ReferenceDataError(table=table, problem=f"{where}: a CO₂ factor cannot be negative")
    return FuelFactor(
        energy=row["energy"],
        unit=row["unit"],
        kgco2=kgco2,
        clause=row["clause"],
        status=_status(row, where, table),
        ncv=_float_or_none(row.get("ncv")),
        ncv_per=str(row.get("ncv_per", "")),
        carbon=_float_or_none(row.get("carbon")),
        oxidation=_float_or_none(row.get("oxidation")),
        note=str(row.get("note", "")),
    )


def _float_or_none(value: Any) -> float | None:
    return None if value is None else float(value)


def _electricity(
    row: Mapping[str, Any],
    where: str,
    table: str,
    units: UnitTable,
    *,
    grids: Mapping[str, Grid],
    provinces: Mapping[str, Province],
) -> ElectricityFactor:
    _require(row, ("year", "level", "variant", "kgco2", "unit", "clause", "status"), where, table)
    level, variant, area = row["level"], row["variant"], str(row.get("area", ""))
    if level not in LEVELS:
        raise ReferenceDataError(table=table, problem=f"{where}: level must be one of {', '.join(LEVELS)}")
    if variant not in VARIANTS:
        raise ReferenceDataError(
            table=table, problem=f"{where}: variant must be one of {', '.join(VARIANTS)}"
        )
    known = {"national": {""}, "grid": grids, "province": provinces}[level]
    if area not in known:
        raise ReferenceDataError(table=table, problem=f"{where}: unknown {level} “{area}”")
    if units.parse(row["unit"]).dimension != "energy":
        raise ReferenceDataError(table=table, problem=f"{where}: unit {row['unit']} is not a unit of energy")
    if float(row["kgco2"]) < 0:
        raise ReferenceDataError(table=table, problem=f"{where}: a CO₂ factor cannot be negative")
    return ElectricityFactor(
        year=int(row["year"]),
        level=level,
        area=area,
        variant=variant,
        kgco2=float(row["kgco2"]),
        unit=row["unit"],
        clause=row["clause"],
        status=_status(row, where, table),
        checked=str(row.get("checked", "")),
        note=str(row.get("note", "")),
    )
