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
CO₂. Each energy code, and each (reporting year, province) of electricity, is resolved once in Python;
the factors reach the rows as column expressions (an integer key ``year × 100 + province``), so CO₂ on a
converted frame costs a few expressions, not another join. :func:`co2` returns the frame with its
:class:`CarbonProvenance`; a problem never falls back silently to another factor: every missing factor,
year or province is reported (:class:`CarbonFailed`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

import polars as pl

from jieneng.core.coal import COUNTED_KINDS, CoefficientSet, EnergyTypeTable, unit_ratio
from jieneng.core.emission_factors import LEVELS, ElectricityFactor, EmissionFactorSet
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
from jieneng.core.units import ParsedUnit, UnitTable

F = TypeVar("F", pl.DataFrame, pl.LazyFrame)

#: the electricity factor each basis reads (the ``variant`` of the set's rows)
BASES = {"location": "average", "market": "market", "fossil": "fossil"}
YEAR_RULES = ("latest", "lag", "fixed")
#: a year rule as written on the command line and in the settings: ``latest``, ``lag2``, ``2021``
RULE_TEXT = re.compile(r"^(latest|lag(\d+)|(\d{4}))$")
GREEN, PASSED_ON = "green", "passed_on"  # values of the optional ``purpose`` column
#: where a row's factor comes from (the ``co2_level`` column)
LEVEL_DTYPE = pl.Enum(["province", "grid", "national", "fuel", "green", "not_counted", "electricity"])
#: indicator columns of CO₂ (from :func:`jieneng.core.indicators.with_ratios` on summed ``kgco2``)
CO2_VALUES = ("tco2", "kgco2_per_person", "kgco2_per_m2")


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

    @classmethod
    def parse(cls, basis: str, rule: str) -> Convention:
        """A convention from a basis and a year rule as written (``latest``, ``lag2``, ``2021``);
        raises ``ValueError`` for anything else."""
        match = RULE_TEXT.match(rule.strip().lower())
        if match is None:
            raise ValueError(f"not a data-year rule: {rule!r} (latest, lagN or a year)")
        if match.group(2) is not None:
            return cls(basis=basis, year_rule="lag", lag=int(match.group(2)))
        if match.group(3) is not None:
            return cls(basis=basis, year_rule="fixed", data_year=int(match.group(3)))
        return cls(basis=basis)

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
    #: with ``strict=False``: the problems met, in the order of the ``co2_problem`` column's numbers
    problems: tuple[JienengError, ...] = ()

    @property
    def label(self) -> str:
        """The set and the convention in one line, as the roll-ups record it:
        ``mee-nbs-electricity@2026.1 location latest``."""
        return label(self.factor_set, self.convention)

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
            "problems": [problem.as_dict() for problem in self.problems],
        }


def label(factor_set: str, convention: Convention) -> str:
    """A factor set (``id@version``) and a convention in one line: ``mee-nbs-electricity@2026.1 location
    latest`` (``lag2``, ``fixed2021``)."""
    return f"{factor_set} {convention.basis} {convention.rule.replace(' ', '')}"


def co2(
    frame: F,
    factors: EmissionFactorSet,
    *,
    coefficients: CoefficientSet,
    units: UnitTable,
    energy_types: EnergyTypeTable,
    convention: Convention | None = None,
    strict: bool = True,
) -> tuple[F, CarbonProvenance]:
    """Add CO₂ to a long frame of reported quantities.

    ``frame`` needs ``energy_type``, ``unit``, ``quantity`` and ``year`` (the reporting year); optional
    ``region`` (GB/T 2260 code; its first two digits name the province) and ``purpose`` (``green``,
    ``passed_on``; anything else is ordinary use). ``coefficients`` lends its densities. A frame that
    :func:`~jieneng.core.coal.convert` returned (with ``energy_code`` and ``natural``, converted with
    the same coefficient set) is not resolved again: its quantities in each energy type's default unit
    are used, so CO₂ costs a few column expressions on top of the conversion. A lazy frame is read
    once more for its distinct energy codes, places and purposes (the three in one run).

    Adds ``kgco2`` [kgCO₂], ``co2_factor`` [kgCO₂ per the energy type's default unit], ``co2_level``
    (``province``, ``grid``, ``national``, ``fuel``, ``green`` or ``not_counted``) and ``co2_data_year``
    (the data year of an electricity factor). Raises :class:`CarbonFailed` listing every problem once.

    ``strict=False`` (the roll-ups: an approval must not fail for want of a factor) raises only for an
    energy type or unit that cannot be read; a row whose factor is missing (an energy type the set has
    no factor for, a reporting year or province it does not cover) gets a null ``kgco2`` and
    ``co2_factor`` — never another factor — and ``co2_problem``, the number of its problem in the
    provenance's ``problems``.
    """
    convention = convention or Convention()
    lazy = frame.lazy()
    names = lazy.collect_schema().names()
    for column in ("energy_type", "unit", "quantity", "year"):
        if column not in names:
            raise MissingColumn(column=column, found=", ".join(names))
    resolver = _Resolver(factors, coefficients, units, energy_types, convention)
    added: list[str] = []
    if "energy_code" not in names or "natural" not in names:
        pairs = lazy.select("energy_type", "unit").unique().collect()
        lazy = lazy.join(
            resolver.natural_table(pairs).lazy(),
            on=["energy_type", "unit"],
            how="left",
            maintain_order="left",
        )
        lazy = lazy.with_columns((pl.col("quantity") * pl.col("_to_default")).alias("natural"))
        added = ["energy_code", "natural", "_to_default"]
    schema = lazy.collect_schema()
    purpose = pl.col("purpose").cast(pl.String) if "purpose" in names else pl.lit(None, pl.String)
    prefix = (
        pl.col("region").cast(pl.String).str.slice(0, 2) if "region" in names else pl.lit(None, pl.String)
    )
    region_dtype = schema.get("region")
    if isinstance(region_dtype, pl.Enum):  # the province of each category, gathered: no string per row
        provinces = pl.Series([_province(c) for c in region_dtype.categories.to_list()], dtype=pl.Int32)
        province = pl.lit(provinces).gather(pl.col("region").to_physical()).fill_null(0)
    else:
        province = prefix.cast(pl.Int32, strict=False).fill_null(0)
    lazy = lazy.with_columns(
        pl.col("energy_code").alias("_code"),
        purpose.alias("_purpose"),
        # year × 100 + the province code (0 when the region is missing or not a number)
        (pl.col("year").cast(pl.Int32) * 100 + province).alias("_key"),
    )
    elec = lazy.filter(pl.col("_code") == "electricity")
    queries = [lazy.select(pl.col("_code").unique()), elec.select("year", "_key").unique()]
    if "purpose" in names:
        marked = lazy.filter(pl.col("_purpose").is_in([GREEN, PASSED_ON])).select("_code", "_purpose")
        queries.append(marked.unique())
    # one run over a lazy upstream for all (its common part is computed once)
    found, keys, *marks = pl.collect_all(queries)
    purposes = marks[0] if marks else pl.DataFrame(schema={"_code": pl.String, "_purpose": pl.String})
    codes = resolver.codes(found["_code"].cast(pl.String).to_list())
    places = [(y, k, f"{k % 100:02d}") for y, k in keys.rows() if k % 100]
    if any(k % 100 == 0 for k in keys["_key"]):  # no province number: what the region says, for the message
        unnamed = elec.filter(pl.col("_key") % 100 == 0).select("year", "_key", prefix.alias("_prefix"))
        places += unnamed.unique().collect().rows()
    electricity = resolver.electricity(places)
    resolver.check_purposes(purposes.rows())
    if resolver.problems and (strict or resolver.unreadable):
        raise CarbonFailed(list(resolver.problems.values()))
    code_dtype = schema.get("energy_code") if not added else pl.Enum(list(energy_types.types))
    categories = code_dtype.categories.to_list() if isinstance(code_dtype, pl.Enum) else None
    lookups = resolver.expressions(
        codes, electricity, strict=strict, categories=categories, purposes="purpose" in names
    )
    out = lazy.with_columns(lookups).with_columns((pl.col("natural") * pl.col("co2_factor")).alias("kgco2"))
    out = out.drop("_code", "_purpose", "_key", *added)
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
        problems=tuple(resolver.problems.values()),
    )
    if isinstance(frame, pl.LazyFrame):
        return out, provenance
    return out.collect(), provenance


def _province(code: str | None) -> int:
    """The province number of a GB/T 2260 code (its first two digits); 0 when it has none."""
    head = (code or "")[:2]
    return int(head) if len(head) == 2 and head.isdigit() else 0


def _by_category(column: str, categories: list[str] | None, mapping: dict[str, Any], dtype: Any) -> pl.Expr:
    """``mapping`` of an Enum column's values, gathered by its physical codes (no string per row); a
    plain lookup when the column is not an Enum."""
    if categories is None:
        return pl.col(column).replace_strict(mapping, default=None, return_dtype=dtype)
    values = pl.Series([mapping.get(c) for c in categories], dtype=dtype)
    return pl.lit(values).gather(pl.col(column).to_physical())


def _by_key(keys: dict[int, Any], dtype: Any, span: set[int]) -> pl.Expr:
    """``keys`` (``year × 100 + province``) looked up in a dense table by position, no hashing per row.
    ``span``: every key of the electricity rows, so that each of them reads its own position (a key
    without a value reads null); other rows read a clipped position whose value is never used."""
    if not span:
        return pl.lit(None, dtype=dtype)
    first = min(span) // 100 * 100
    size = max(span) - first + 1
    table = [None] * size
    for key, value in keys.items():
        table[key - first] = value
    position = (pl.col("_key") - first).clip(0, size - 1)
    return pl.lit(pl.Series(table, dtype=dtype)).gather(position)


class _Resolver:
    """Resolves each energy code, and each (reporting year, province) of electricity, once; collects
    every problem (each once) instead of stopping at the first."""

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
        self.unreadable = False  # an energy type or unit that cannot be read (never lenient)
        # the number (in ``problems``) of the problem of each energy code, electricity key, green row
        self.code_problem: dict[str, int] = {}
        self.key_problem: dict[int, int] = {}
        self.green_problem: dict[str, int] = {}  # energy code (or "electricity") → problem

    def _problem(self, problem: JienengError) -> int:
        key = (problem.code, repr(sorted(problem.params.items())))
        self.problems.setdefault(key, problem)
        return list(self.problems).index(key)

    def _ratio(self, energy: str, unit: ParsedUnit, own: str) -> float:
        cs = self.coefficients
        return unit_ratio(energy, unit, own, self.units, densities=cs.densities, densities_from=cs.ref)

    def natural_table(self, pairs: pl.DataFrame) -> pl.DataFrame:
        """For each (energy_type, unit) text pair: the energy code and one unit in its default unit."""
        rows = []
        for energy_text, unit_text in pairs.iter_rows():
            try:
                et = self.energy_types.resolve(str(energy_text))
                parsed = self.units.parse(str(unit_text))
                rows.append((energy_text, unit_text, et.code, self._ratio(et.code, parsed, et.default_unit)))
            except JienengError as problem:
                self._problem(problem)
                self.unreadable = True
        schema: dict[str, pl.DataType | type[pl.DataType]] = {
            "energy_type": pairs.schema["energy_type"],
            "unit": pairs.schema["unit"],
            "energy_code": pl.Enum(list(self.energy_types.types)),
            "_to_default": pl.Float64,
        }
        return pl.DataFrame(rows, schema=schema, orient="row")

    def codes(self, present: Sequence[str | None]) -> dict[str, tuple[float | None, str]]:
        """kgCO₂ per default unit and level of each energy code; None for electricity (by place)."""
        found: dict[str, tuple[float | None, str]] = {}
        for code in present:
            if code is None:
                continue
            et = self.energy_types.types[code]
            if et.kind not in COUNTED_KINDS:
                found[code] = (0.0, "not_counted")
            elif code == "electricity":
                found[code] = (None, "electricity")
            elif (fuel := self.factors.fuels.get(code)) is None:
                self.code_problem[code] = self._problem(
                    MissingEmissionFactor(set=self.factors.ref, energy=code)
                )
            else:
                try:
                    per_default = fuel.kgco2 * self._ratio(code, self.units.parse(et.default_unit), fuel.unit)
                except JienengError as problem:
                    self.code_problem[code] = self._problem(problem)
                    continue
                self.used[f"fuel:{code}"] = fuel.status
                found[code] = (per_default, "fuel")
        return found

    def electricity(self, places: Sequence[tuple[Any, ...]]) -> dict[int, tuple[float, str, int]]:
        """kgCO₂ per kWh, level and data year of each ``year × 100 + province`` key of electricity."""
        found: dict[int, tuple[float, str, int]] = {}
        per_kwh = self.units.parse(self.energy_types.types["electricity"].default_unit)
        for year, key, prefix in places:
            try:
                factor = self._electricity_factor(int(year), key, prefix)
            except JienengError as problem:
                self.key_problem[key] = self._problem(problem)
                continue
            ratio = self._ratio("electricity", per_kwh, factor.unit)
            found[key] = (factor.kgco2 * ratio, factor.level, factor.year)
        return found

    def _electricity_factor(self, year: int, key: int, prefix: str | None) -> ElectricityFactor:
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
        if convention.finest != "national" and factors.has_finer_than_national(data_year, variant):
            if prefix is None:
                raise MissingRegion(year=year)
            place = f"{key % 100:02d}" if key % 100 else prefix
            if place not in factors.provinces:
                raise ProvinceNotListed(set=factors.ref, province=prefix)
        factor = factors.electricity_factor(
            data_year, variant, place, convention.finest if place else "national"
        )
        if factor is None:
            area = factors.provinces[place].zh if place else "—"
            raise MissingElectricityFactor(set=factors.ref, variant=variant, year=data_year, area=area)
        self.used[factor.key] = factor.status
        self.data_years[year] = data_year
        return factor

    def check_purposes(self, marked: Sequence[tuple[Any, ...]]) -> None:
        """Green electricity must be electricity, and needs the set's green factor when counted at zero."""
        for code, purpose in marked:
            if purpose == GREEN and code is not None and code != "electricity":
                self.green_problem[code] = self._problem(GreenNotElectricity(energy=code))
            elif purpose == GREEN and self.convention.green_at_zero:
                if self.factors.green is None:
                    self.green_problem["electricity"] = self._problem(
                        MissingEmissionFactor(set=self.factors.ref, energy="green electricity")
                    )
                else:
                    self.used["green_electricity"] = self.factors.green.status

    def expressions(
        self,
        codes: dict[str, tuple[float | None, str]],
        electricity: dict[int, tuple[float, str, int]],
        *,
        strict: bool = True,
        categories: list[str] | None = None,
        purposes: bool = True,
    ) -> list[pl.Expr]:
        """``co2_factor``, ``co2_level`` and ``co2_data_year`` as column expressions of the lookups
        (and ``co2_problem`` unless ``strict``: a missing factor stays null). ``categories``: those of
        the ``energy_code`` Enum, whose lookups then go by position. ``purposes``: whether the frame
        has a ``purpose`` column; without one no row is green or passed on, and the expressions skip
        those branches (fewer passes over every row)."""
        is_elec = pl.col("_code") == "electricity"
        code_factor = _by_category("_code", categories, {c: f for c, (f, _) in codes.items()}, pl.Float64)
        code_level = _by_category("_code", categories, {c: lvl for c, (_, lvl) in codes.items()}, LEVEL_DTYPE)
        span = set(electricity) | set(self.key_problem)  # every key of the electricity rows
        elec_factor = _by_key({k: f for k, (f, _, _) in electricity.items()}, pl.Float64, span)
        elec_level = _by_key({k: lvl for k, (_, lvl, _) in electricity.items()}, LEVEL_DTYPE, span)
        elec_year = _by_key({k: y for k, (_, _, y) in electricity.items()}, pl.Int16, span)
        green = self.factors.green
        green_per_kwh: float | None = None if "electricity" in self.green_problem else 0.0
        if green is not None:
            per_kwh = self.units.parse(self.energy_types.types["electricity"].default_unit)
            green_per_kwh = green.kgco2 * self._ratio("electricity", per_kwh, green.unit)
        number = pl.Int32
        if not purposes:  # no row is green, passed on or wrongly green
            out = [
                pl.when(is_elec).then(elec_factor).otherwise(code_factor).alias("co2_factor"),
                pl.when(is_elec).then(elec_level).otherwise(code_level).alias("co2_level"),
                pl.when(is_elec).then(elec_year).otherwise(pl.lit(None, pl.Int16)).alias("co2_data_year"),
            ]
            if not strict:
                code_problem = _by_category("_code", categories, self.code_problem, number)
                elec_problem = _by_key(self.key_problem, number, span)
                out.append(pl.when(is_elec).then(elec_problem).otherwise(code_problem).alias("co2_problem"))
            return out
        is_green = (
            is_elec & pl.col("_purpose").eq_missing(GREEN) if self.convention.green_at_zero else pl.lit(False)
        )
        passed_on = pl.col("_purpose").eq_missing(PASSED_ON)
        sign = pl.when(passed_on).then(-1.0 if self.convention.subtract_passed_on else 0.0).otherwise(1.0)
        wrong_green = ~is_elec & pl.col("_purpose").eq_missing(GREEN)  # refused (strict) or left null
        factor = (
            pl.when(is_green)
            .then(pl.lit(green_per_kwh, dtype=pl.Float64))
            .when(is_elec)
            .then(elec_factor)
            .when(wrong_green)
            .then(pl.lit(None, dtype=pl.Float64))
            .otherwise(code_factor)
        )
        green_level = pl.lit("green", dtype=LEVEL_DTYPE)
        level = pl.when(is_green).then(green_level).when(is_elec).then(elec_level).otherwise(code_level)
        data_year = pl.when(is_elec & ~is_green).then(elec_year).otherwise(pl.lit(None, pl.Int16))
        out = [
            (factor * sign).alias("co2_factor"),
            level.alias("co2_level"),
            data_year.alias("co2_data_year"),
        ]
        if not strict:
            problem = (
                pl.when(is_green)
                .then(pl.lit(self.green_problem.get("electricity"), dtype=number))
                .when(is_elec)
                .then(_by_key(self.key_problem, number, span))
                .when(wrong_green)
                .then(_by_category("_code", categories, self.green_problem, number))
                .otherwise(_by_category("_code", categories, self.code_problem, number))
            )
            out.append(problem.alias("co2_problem"))
        return out


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
