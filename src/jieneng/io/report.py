"""Explaining results and failures to the user: which rows a conversion or CO₂ problem is on, where each
row of a coefficient set or emission-factor set comes from, which units have no facts.
"""

from __future__ import annotations

from typing import Any

import polars as pl

from jieneng.core.coal import CoefficientSet
from jieneng.core.emission_factors import EmissionFactorSet
from jieneng.core.errors import CarbonFailed, ConversionFailed, JienengError, gettext_noop
from jieneng.i18n import get_language, gettext, message
from jieneng.reference import builtin_coefficient_sets, load_coefficient_set, load_energy_types
from jieneng.reference.emissions import builtin_emission_factor_sets, load_emission_factor_set

MAX_ROWS_LISTED = 20
_FAILED = gettext_noop("%(file)s: %(message)s")
_ON_ROWS = gettext_noop("Rows %(rows)s: %(message)s")


def conversion_lines(error: ConversionFailed | CarbonFailed, frame: pl.DataFrame, file: str) -> list[str]:
    """A heading and one line per distinct problem, with the rows (as the spreadsheet shows) it is on.

    An unknown energy type or unit is listed once however many units or energy types it comes with.
    ``error`` is a failed conversion to standard coal or a failed CO₂ calculation.
    """
    distinct: dict[tuple[str, str], JienengError] = {}
    for problem in error.problems:
        distinct.setdefault((problem.code, repr(sorted(problem.params.items()))), problem)
    problems = list(distinct.values())
    heading = gettext(_FAILED) % {"file": file, "message": message(type(error)(problems))}
    with_codes = frame.with_columns(_codes(frame))
    lines = [heading]
    for problem in problems:
        rows = with_codes.filter(_where(problem))["row"].to_list()
        lines.append("  " + gettext(_ON_ROWS) % {"rows": _listed(rows), "message": message(problem)})
    return lines


def _codes(frame: pl.DataFrame) -> pl.Expr:
    """The energy code each row's energy-type text resolves to (null when unknown)."""
    types = load_energy_types()
    mapping: dict[str, str | None] = {}
    for text in frame["energy_type"].unique().to_list():
        try:
            mapping[text] = types.resolve(text).code
        except JienengError:
            mapping[text] = None
    return pl.col("energy_type").replace_strict(mapping, default=None, return_dtype=pl.String).alias("_code")


_ELECTRICITY = pl.col("_code").eq("electricity")
#: the rows a problem is on, by its code, from its parameters
_ROWS: dict[str, Any] = {
    "unknown_energy_type": lambda p: pl.col("energy_type").eq(p["name"]),
    "unknown_unit": lambda p: pl.col("unit").eq(p["unit"]),
    "incompatible_unit": lambda p: pl.col("unit").eq(p["unit"]) & pl.col("_code").eq(p["energy"]),
    "missing_density": lambda p: pl.col("unit").eq(p["unit"]) & pl.col("_code").eq(p["energy"]),
    "missing_coefficient": lambda p: pl.col("_code").eq(p["energy"]),
    "missing_emission_factor": lambda p: pl.col("_code").eq(p["energy"]),
    "green_not_electricity": lambda p: pl.col("_code").eq(p["energy"]),
    "emission_year_not_covered": lambda p: _ELECTRICITY & pl.col("year").eq(p["year"]),
    "missing_region": lambda p: _ELECTRICITY & pl.col("year").eq(p["year"]) & pl.col("region").is_null(),
    "province_not_listed": lambda p: _ELECTRICITY & pl.col("region").str.starts_with(p["province"]),
    "missing_electricity_factor": lambda p: _ELECTRICITY,
}


def _where(problem: JienengError) -> pl.Expr:
    rows = _ROWS.get(problem.code)
    return rows(problem.params) if rows else pl.lit(value=False)


def _listed(rows: list[int]) -> str:
    comma = "、" if (get_language() or "").startswith("zh") else ", "
    shown = comma.join(str(r) for r in rows[:MAX_ROWS_LISTED])
    return shown + (comma + "…" if len(rows) > MAX_ROWS_LISTED else "")


def defined_in(cs: CoefficientSet) -> dict[str, str]:
    """For each coefficient (by energy code) and density (``density:<code>``): the ``id@version`` of the
    set whose file gives it — the set itself for an override, a built-in base for an inherited row.
    """
    chain = [cs]
    for ref in cs.lineage:
        set_id = ref.split("@")[0]
        if set_id not in builtin_coefficient_sets():
            break
        base = load_coefficient_set(set_id)
        if base.ref != ref:
            break
        chain.append(base)
    origins: dict[str, str] = {}
    for kind, rows in (("", "coefficients"), ("density:", "densities")):
        for code, row in getattr(cs, rows).items():
            origin = cs.ref
            for base in chain[1:]:
                if getattr(base, rows).get(code) != row:
                    break
                origin = base.ref
            origins[kind + code] = origin
    return origins


def set_rows(cs: CoefficientSet) -> pl.DataFrame:
    """Every coefficient and density of ``cs`` with its energy name, range, clause and origin set."""
    types = load_energy_types().types
    zh = (get_language() or "zh-hans").startswith("zh")
    origins = defined_in(cs)
    rows = []
    for code, c in sorted(cs.coefficients.items()):
        span = f"{c.low:g}–{c.high:g}" if c.low is not None and c.high is not None else None
        name = (types[code].zh if zh else types[code].en) if code in types else code
        rows.append([code, name, c.kgce, f"kgce/{c.unit}", span, c.clause, c.status, origins.get(code)])
    for code, d in sorted(cs.densities.items()):
        name = (types[code].zh if zh else types[code].en) if code in types else code
        rows.append(
            [code, name, d.kg_per_l, "kg/L", None, d.clause, d.status, origins.get(f"density:{code}")]
        )
    columns = ["energy", "name", "value", "per", "range", "clause", "status", "defined_in"]
    schema = {c: (pl.Float64 if c == "value" else pl.String) for c in columns}
    return pl.DataFrame(rows, schema=schema, orient="row")


def missing_facts(totals: pl.DataFrame) -> list[tuple[str, int]]:
    """(org, year) of the unit totals that have neither a building area nor a number of energy users."""
    if "persons" not in totals.columns:
        return []
    lacking = totals.filter(pl.col("persons").is_null() & pl.col("area_m2").is_null())
    return sorted(set(lacking.select("org", "year").iter_rows()))


def emission_rows(es: EmissionFactorSet) -> pl.DataFrame:
    """Every factor of an emission-factor set: fuels with their parameters, green electricity, then
    electricity by data year, level and area, each with its clause, status and the set that gives it."""
    types = load_energy_types().types
    zh = (get_language() or "zh-hans").startswith("zh")
    origins = _emission_origins(es)
    rows: list[list[Any]] = []
    for code, f in sorted(es.fuels.items()):
        name = (types[code].zh if zh else types[code].en) if code in types else code
        per = f"kgCO₂/{f.unit}"
        rows.append(
            [
                code,
                name,
                None,
                None,
                None,
                None,
                f.kgco2,
                per,
                f.parameters,
                f.clause,
                f.status,
                origins[code],
            ]
        )
    if es.green is not None:
        g = es.green
        name = types["electricity"].zh if zh else types["electricity"].en
        per = f"kgCO₂/{g.unit}"
        rows.append(
            [
                "electricity",
                name,
                None,
                None,
                None,
                "green",
                g.kgco2,
                per,
                "",
                g.clause,
                g.status,
                origins["green"],
            ]
        )
    for key, e in sorted(es.electricity.items()):
        area = _area_name(es, e.level, e.area, zh)
        name = types["electricity"].zh if zh else types["electricity"].en
        per = f"kgCO₂/{e.unit}"
        rows.append(
            [
                "electricity",
                name,
                e.year,
                e.level,
                area,
                e.variant,
                e.kgco2,
                per,
                "",
                e.clause,
                e.status,
                origins[key],
            ]
        )
    columns = ["energy", "name", "year", "level", "area", "variant", "value", "per", "parameters"]
    columns += ["clause", "status", "defined_in"]
    schema: dict[str, Any] = dict.fromkeys(columns, pl.String) | {"value": pl.Float64, "year": pl.Int32}
    return pl.DataFrame(rows, schema=schema, orient="row")


def _area_name(es: EmissionFactorSet, level: str, area: str, zh: bool) -> str:
    if level == "province" and area in es.provinces:
        return f"{area} {es.provinces[area].zh}"
    if level == "grid" and area in es.grids:
        return es.grids[area].zh if zh else es.grids[area].en
    return area or ("全国" if zh else "national")


def _emission_origins(es: EmissionFactorSet) -> dict[Any, str]:
    """For each fuel (by code), ``green`` and each electricity key: the set whose file gives the row."""
    chain = [es]
    for ref in es.lineage:
        set_id = ref.split("@")[0]
        if set_id not in builtin_emission_factor_sets():
            break
        base = load_emission_factor_set(set_id)
        if base.ref != ref:
            break
        chain.append(base)

    def origin(get: Any) -> str:
        found = es.ref
        for base in chain[1:]:
            if get(base) != get(es):
                break
            found = base.ref
        return found

    origins: dict[Any, str] = {code: origin(lambda s, c=code: s.fuels.get(c)) for code in es.fuels}
    origins["green"] = origin(lambda s: s.green)
    for key in es.electricity:
        origins[key] = origin(lambda s, k=key: s.electricity.get(k))
    return origins
