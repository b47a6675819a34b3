"""What each command of the command line does: read a file, call the core, write the result.

Problems go to ``err`` in the active language and end the command with :class:`Stop` (status 2).
The arithmetic is the core's: :func:`jieneng.core.coal.convert` (and, with ``--co2``,
:func:`jieneng.core.carbon.co2`), then :func:`unit_totals` (keys
org and year, so each unit's facts count once), :func:`aggregate` to the requested grouping,
:func:`with_ratios` and :func:`year_on_year`.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from importlib import metadata
from pathlib import Path
from typing import Any, TextIO

import polars as pl

from jieneng.core import indicators
from jieneng.core.carbon import CO2_VALUES, CarbonProvenance
from jieneng.core.coal import CoefficientSet, Provenance
from jieneng.core.coal import convert as to_coal
from jieneng.core.errors import CarbonFailed, ConversionFailed, JienengError, gettext_noop
from jieneng.core.problems import BLOCKING
from jieneng.core.problems import commands as declared
from jieneng.i18n import describe, get_language, message
from jieneng.i18n import gettext as _
from jieneng.io import co2, output
from jieneng.io.contained import read_contained
from jieneng.io.facts import read_facts
from jieneng.io.longform import SCHEMA, read_longform
from jieneng.io.problems import ReadResult
from jieneng.io.report import conversion_lines, emission_rows, missing_facts, set_rows
from jieneng.reference import (
    DEFAULT_COEFFICIENT_SET,
    builtin_coefficient_sets,
    load_coefficient_set,
    load_energy_types,
    load_units,
)
from jieneng.reference.emissions import builtin_emission_factor_sets, load_emission_factor_set

BAD_INPUT = 2
MAX_PROBLEMS_SHOWN = 50
KEY_ORDER = ("org", "region", "year", "quarter", "month")
YOY_VALUES = (
    "tce",
    "water_m3",
    "kgce_per_person",
    "kgce_per_m2",
    "kgce_per_m2_excl_vehicle",
    "water_per_person",
    *CO2_VALUES,
)
#: columns of ``compute`` that CSV and JSON carry but the table leaves out, to keep it readable
TABLE_HIDDEN: tuple[str, ...] = ("kgce", "kgce_excl_vehicle", "water_m3_yoy", "kgce_per_m2_excl_vehicle_yoy")
TABLE_HIDDEN += ("kgco2", "emission_factors", "kgco2_per_person_yoy")
_FOUND = gettext_noop("%(file)s: %(count)s problem(s) found:")
_FOUND_IN_SHEET = gettext_noop("%(file)s, sheet “%(sheet)s”: %(count)s problem(s) found:")
_MORE = gettext_noop("… and %(count)s more problem(s).")
_ERROR = gettext_noop("Error: %(message)s")
_WARNING = gettext_noop("Warning: %(message)s")


class Stop(Exception):  # not an error: the problems are already reported
    def __init__(self, status: int) -> None:
        super().__init__(status)
        self.status = status


class UnknownCoefficientSet(JienengError):
    problem_type = declared.UnknownCoefficientSet


class CoefficientFileNotFound(JienengError):
    problem_type = declared.CoefficientFileNotFound


class UnknownGrouping(JienengError):
    problem_type = declared.UnknownGrouping


# --- commands ------------------------------------------------------------------------------------


def convert(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Every input row with ``energy_code``, ``kgce`` [kgce] and ``tce`` [tce]."""
    data = read_input(args.file, args.sheet, err, read_longform)
    coefficients = coefficient_set(args.coefficient_set)
    converted, provenance = _to_coal(data, coefficients, Path(args.file).name, err)
    tce = (pl.col("kgce") / 1000).alias("tce")
    frame = converted.select(*SCHEMA, "energy_code", "kgce", tce).sort("row")
    _emit(args, out, frame, _provenance(provenance, data, args.file))
    return 0


def compute(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """综合能耗 [tce] and the public-institution indicators per grouping and year."""
    keys = grouping(args.by)
    data = read_input(args.file, args.sheet, err, read_longform)
    facts = read_input(args.facts, None, err, read_facts) if args.facts else None
    coefficients = coefficient_set(args.coefficient_set)
    energy_types = load_energy_types()
    converted, provenance = _to_coal(data, coefficients, Path(args.file).name, err)
    carbon = _to_co2(args, converted, coefficients, err) if args.co2 or args.factors else None
    if carbon is not None:
        converted = carbon[0]
    if converted["cost"].null_count() == converted.height:
        converted = converted.drop("cost")  # no cost reported: no cost column, rather than zeros
    unit_keys = [k for k in KEY_ORDER if k in {"org", "year", *keys}]
    totals = indicators.unit_totals(
        converted,
        facts.frame if facts else None,
        keys=unit_keys,
        vehicle_fuels=energy_types.vehicle_fuels(),
    )
    if facts is not None:
        for org, year in missing_facts(totals):
            err.write(_(_WARNING) % {"message": _(MISSING_FACTS) % {"org": org, "year": year}} + "\n")
    if unit_keys != keys:
        totals = indicators.aggregate(totals, by=keys)
    result = indicators.with_ratios(totals)
    if result["year"].n_unique() > 1:
        result = _year_on_year(result, keys, [v for v in YOY_VALUES if v in result.columns])
    if args.composition:
        result = result.join(
            _composition(converted, keys), on=keys, how="left", nulls_equal=True, maintain_order="left"
        )
    extra: dict[str, Any] = {"by": keys, "facts": Path(args.facts).name if args.facts else None}
    lines: list[str] = []
    if carbon is not None:
        result = co2.with_data_year(result, carbon[1])
        extra["co2"] = carbon[1].as_dict()
        lines = co2.footer(carbon[1])
    result = result.select(_ordered(result.columns, keys)).sort(keys, nulls_last=True)
    provenance_out = {**_provenance(provenance, data, args.file), **extra}
    _emit(args, out, result, provenance_out, hide=TABLE_HIDDEN, footer=lines)
    return 0


EMISSION_FOOTER = gettext_noop("Emission-factor set: %(set)s")
MISSING_FACTS = gettext_noop(
    "No building area or energy users for “%(org)s” in %(year)s; its ratios are empty."
)


def sets(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """The built-in coefficient and emission-factor sets, or the rows of one set with the set each row
    comes from."""
    if args.ref is None:
        rows = []
        for ref in builtin_coefficient_sets():
            cs = load_coefficient_set(ref)
            lineage = " ← ".join(cs.lineage)
            rows.append(
                {
                    "id": cs.id,
                    "kind": "coefficients",
                    "version": cs.version,
                    "title": cs.title,
                    "extends": lineage,
                }
            )
        for ref in builtin_emission_factor_sets():
            es = load_emission_factor_set(ref)
            lineage = " ← ".join(es.lineage)
            rows.append(
                {
                    "id": es.id,
                    "kind": "emission_factors",
                    "version": es.version,
                    "title": es.title,
                    "extends": lineage,
                }
            )
        columns = ("id", "kind", "version", "title", "extends")
        frame = pl.DataFrame(rows, schema=dict.fromkeys(columns, pl.String))
        _emit(args, out, frame, None)
        return 0
    if co2.is_emission_ref(args.ref):
        es = co2.emission_factor_set(args.ref)
        about = {
            "emission_factor_set": es.ref,
            "lineage": list(es.lineage),
            "title": es.title,
            "source": es.source,
        }
        chain = " ← ".join((es.ref, *es.lineage))
        _emit(args, out, emission_rows(es), about, footer=[_(EMISSION_FOOTER) % {"set": chain}])
        return 0
    cs = coefficient_set(args.ref)
    frame = set_rows(cs)
    provenance = {
        "coefficient_set": cs.ref,
        "lineage": list(cs.lineage),
        "title": cs.title,
        "source": cs.source,
    }
    _emit(args, out, frame, provenance)
    return 0


# --- helpers -------------------------------------------------------------------------------------


def read_input(
    path: str, sheet: str | None, err: TextIO, reader: Callable[..., ReadResult], *, contained: bool = True
) -> ReadResult:
    """Read with ``reader`` in a bounded child process (:func:`jieneng.io.contained.read_contained`;
    ``contained`` False: a result already read); print its problems; stop if any blocks."""
    result = read_contained(reader, Path(path), sheet) if contained else reader(path, sheet)
    if result.problems:
        template = _FOUND_IN_SHEET if result.sheet else _FOUND
        blocking = sum(p.severity == BLOCKING for p in result.problems)
        err.write(_(template) % {"file": Path(path).name, "sheet": result.sheet, "count": blocking} + "\n")
        for problem in result.problems[:MAX_PROBLEMS_SHOWN]:
            err.write("  " + describe(problem) + "\n")
        if len(result.problems) > MAX_PROBLEMS_SHOWN:
            err.write("  " + _(_MORE) % {"count": len(result.problems) - MAX_PROBLEMS_SHOWN} + "\n")
    if not result.ok:
        raise Stop(BAD_INPUT)
    return result


def coefficient_set(ref: str | None) -> CoefficientSet:
    """A built-in set by id, or a user's .toml file; a clear error for anything else."""
    ref = ref or DEFAULT_COEFFICIENT_SET
    builtin = builtin_coefficient_sets()
    if ref not in builtin and not Path(ref).is_file():
        if ref.endswith(".toml") or "/" in ref or "\\" in ref:
            raise CoefficientFileNotFound(ref=ref)
        raise UnknownCoefficientSet(ref=ref, sets=", ".join(builtin))
    return load_coefficient_set(ref)


def grouping(text: str) -> list[str]:
    """``"org,period"`` → ``["org", "year", "quarter", "month"]``: year is always a key."""
    wanted = {"year"}
    for word in text.replace("，", ",").split(","):
        key = word.strip().lower()
        if key == "period":
            wanted.update(("quarter", "month"))
        elif key in KEY_ORDER:
            wanted.add(key)
        elif key:
            raise UnknownGrouping(key=key)
    return [k for k in KEY_ORDER if k in wanted]


def report_error(error: JienengError, err: TextIO) -> None:
    err.write(_(_ERROR) % {"message": message(error)} + "\n")


def _to_coal(
    data: ReadResult, coefficients: CoefficientSet, name: str, err: TextIO
) -> tuple[pl.DataFrame, Provenance]:
    try:
        return to_coal(data.frame, coefficients, load_units(), load_energy_types())
    except ConversionFailed as exc:
        for line in conversion_lines(exc, data.frame, name):
            err.write(line + "\n")
        raise Stop(BAD_INPUT) from exc


def _to_co2(
    args: argparse.Namespace, converted: pl.DataFrame, coefficients: CoefficientSet, err: TextIO
) -> tuple[pl.DataFrame, CarbonProvenance]:
    try:
        return co2.add_co2(args, converted, coefficients)
    except CarbonFailed as exc:
        for line in conversion_lines(exc, converted, Path(args.file).name):
            err.write(line + "\n")
        raise Stop(BAD_INPUT) from exc


def _year_on_year(frame: pl.DataFrame, keys: Sequence[str], values: Sequence[str]) -> pl.DataFrame:
    """Year on year per the other keys; null keys (no month, no region) match each other."""
    others = [k for k in keys if k != "year"]
    sentinel = {k: ("" if frame.schema[k] == pl.String else -1) for k in others}
    filled = frame.with_columns(pl.col(k).fill_null(v) for k, v in sentinel.items())
    changed = indicators.year_on_year(filled, keys=others, values=values)
    restored = changed.with_columns(
        pl.when(pl.col(k) == v).then(None).otherwise(pl.col(k)).alias(k) for k, v in sentinel.items()
    )
    return restored.drop(f"{v}_prev" for v in values)


def _composition(converted: pl.DataFrame, keys: Sequence[str]) -> pl.DataFrame:
    """One row per key with ``tce_<energy>`` [tce] and ``share_<energy>`` [%] columns."""
    long = indicators.by_energy_type(converted, by=keys)
    order = long.group_by("energy_code").agg(pl.col("kgce").sum()).sort("kgce", descending=True)
    codes = order["energy_code"].to_list()
    wide = long.pivot("energy_code", index=list(keys), values=["tce", "share"], separator="_")
    columns = [f"{v}_{c}" for c in codes for v in ("tce", "share")]
    return wide.select(*keys, *(c for c in columns if c in wide.columns))


def _ordered(columns: Sequence[str], keys: Sequence[str]) -> list[str]:
    """Keys, the number of units summed (when not per unit), quantities, ratios, changes, composition."""
    head = [*keys, "units"] if "org" not in keys else list(keys)
    first = [
        *head,
        "tce",
        "tco2",
        "kgce",
        "kgce_excl_vehicle",
        "kgco2",
        "water_m3",
        "cost",
        "persons",
        "area_m2",
    ]
    rest = [c for c in columns if c not in first and c != "units"]
    return [c for c in first if c in columns] + rest


def _provenance(provenance: Provenance, data: ReadResult, path: str) -> dict[str, Any]:
    source = {"file": Path(path).name, "sheet": data.sheet, "header_row": data.header_row}
    return {**provenance.as_dict(), "jieneng_version": metadata.version("jieneng"), "input": source}


def _is_chinese() -> bool:
    return (get_language() or "zh-hans").startswith("zh")


def _emit(
    args: argparse.Namespace,
    out: TextIO,
    frame: pl.DataFrame,
    provenance: dict[str, Any] | None,
    *,
    hide: Sequence[str] = (),
    footer: Sequence[str] = (),
) -> None:
    """Write ``frame`` in the chosen format; the table leaves out the ``hide`` columns and ends with
    the coefficient set and the ``footer`` lines."""
    ref = provenance.get("coefficient_set") if provenance else None
    with _target(args.output, out, bom=args.format == "csv") as stream:
        if args.format == "json":
            output.write_json(frame, stream, provenance or {})
        elif args.format == "csv":
            output.write_csv(frame, stream, ref)
        else:
            types = load_energy_types().types
            names = {code: (t.zh if _is_chinese() else t.en) for code, t in types.items()}
            lineage = [ref, *provenance.get("lineage", [])] if provenance and ref else []
            lines = [_(output.FOOTER) % {"set": " ← ".join(lineage)}] if lineage else []
            shown = frame.select(c for c in frame.columns if c not in hide)
            output.write_table(shown, stream, names=names, footer=[*lines, *footer])


@contextmanager
def _target(path: str | None, out: TextIO, *, bom: bool) -> Iterator[TextIO]:
    """``out``, or the file at ``path`` (CSV files get a BOM, so Excel reads them as UTF-8)."""
    if path is None:
        yield out
        return
    with open(path, "w", encoding="utf-8-sig" if bom else "utf-8", newline="") as stream:
        yield stream
