"""Explaining results and failures to the user: which rows a conversion problem is on, where each
row of a coefficient set comes from, which units have no facts.
"""

from __future__ import annotations

from typing import Any

import polars as pl

from jieneng.core.coal import CoefficientSet
from jieneng.core.errors import ConversionFailed, JienengError, gettext_noop
from jieneng.i18n import get_language, gettext, message
from jieneng.reference import builtin_coefficient_sets, load_coefficient_set, load_energy_types

MAX_ROWS_LISTED = 20
_FAILED = gettext_noop("%(file)s: %(message)s")
_ON_ROWS = gettext_noop("Rows %(rows)s: %(message)s")


def conversion_lines(error: ConversionFailed, frame: pl.DataFrame, file: str) -> list[str]:
    """A heading and one line per distinct problem, with the rows (as the spreadsheet shows) it is on.

    An unknown energy type or unit is listed once however many units or energy types it comes with.
    """
    distinct: dict[tuple[str, str], JienengError] = {}
    for problem in error.problems:
        distinct.setdefault((problem.code, repr(sorted(problem.params.items()))), problem)
    problems = list(distinct.values())
    heading = gettext(_FAILED) % {"file": file, "message": message(ConversionFailed(problems))}
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


def _where(problem: JienengError) -> pl.Expr:
    params: dict[str, Any] = problem.params
    if problem.code == "unknown_energy_type":
        return pl.col("energy_type").eq(params["name"])
    if problem.code == "unknown_unit":
        return pl.col("unit").eq(params["unit"])
    if problem.code in ("incompatible_unit", "missing_density"):
        return pl.col("unit").eq(params["unit"]) & pl.col("_code").eq(params["energy"])
    if problem.code == "missing_coefficient":
        return pl.col("_code").eq(params["energy"])
    return pl.lit(value=False)


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
