"""Reference data: versioned files with their sources, and the loaders that read them.

Files live in ``reference/data/``: coefficient sets (``coefficients/*.toml``), energy types and units
(``energy/``), statistics forms (``forms/``), validation thresholds (``validation/``) and
administrative divisions (``divisions/``). Loaders build the pure objects of
:mod:`jieneng.core`; a problem in a file raises :class:`~jieneng.core.errors.ReferenceDataError`
naming the table and the key.
"""

from __future__ import annotations

import tomllib
from functools import cache
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

from jieneng.core.coal import CoefficientSet, EnergyTypeTable
from jieneng.core.errors import ReferenceDataError
from jieneng.core.forms import Form
from jieneng.core.units import UnitTable
from jieneng.core.validation import Checks

DATA = resources.files("jieneng.reference") / "data"
DEFAULT_COEFFICIENT_SET = "public-institution"


def _read_toml(path: Any, table: str) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except FileNotFoundError as exc:
        raise ReferenceDataError(table=table, problem=f"file not found: {path}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ReferenceDataError(table=table, problem=f"{path}: {exc}") from exc


@cache
def load_units() -> UnitTable:
    return UnitTable.from_mapping(_read_toml(DATA / "energy" / "units.toml", "units"))


@cache
def load_energy_types() -> EnergyTypeTable:
    return EnergyTypeTable.from_mapping(_read_toml(DATA / "energy" / "energy_types.toml", "energy-types"))


@cache
def load_forms() -> dict[str, Form]:
    """The statistics forms (``reference/data/forms/*.toml``) by id; item units and energy types checked."""
    units = load_units()
    types = load_energy_types().types
    forms: dict[str, Form] = {}
    for path in sorted((DATA / "forms").iterdir(), key=lambda p: p.name):
        if not path.name.endswith(".toml"):
            continue
        form = Form.from_mapping(_read_toml(path, path.name))
        for item in form.items.values():
            if item.energy is not None and item.energy not in types:
                raise ReferenceDataError(
                    table=form.id, problem=f"item {item.code}: unknown energy {item.energy}"
                )
            for unit in (item.unit, *item.equivalents) if item.unit else ():
                units.parse(unit)
        forms[form.id] = form
    return forms


@cache
def load_checks() -> Checks:
    """The thresholds of the upload checks (``reference/data/validation/checks.toml``)."""
    checks = Checks.from_mapping(_read_toml(DATA / "validation" / "checks.toml", "checks"))
    checks = checks.with_bounds(_read_toml(DATA / "validation" / "bounds.toml", "bounds"))
    checks = checks.with_unit_prices(_read_toml(DATA / "validation" / "unit-prices.toml", "unit-prices"))
    for form in load_forms().values():
        for item in form.items.values():
            if item.numeric and item.unit not in checks.bounds:
                raise ReferenceDataError(
                    table="bounds", problem=f"no bound for the unit “{item.unit}” of {item.code}"
                )
            priced = checks.unit_prices.get(item.energy or "")
            if item.kind == "quantity" and priced is not None and priced[0] != item.unit:
                raise ReferenceDataError(
                    table="unit-prices",
                    problem=f"the price of {item.energy} is per “{priced[0]}”, {item.code} in “{item.unit}”",
                )
    return checks


def builtin_coefficient_sets() -> list[str]:
    """The ids of the coefficient sets shipped with the package."""
    folder = DATA / "coefficients"
    return sorted(item.name.removesuffix(".toml") for item in folder.iterdir() if item.name.endswith(".toml"))


def load_coefficient_set(ref: str | Path = DEFAULT_COEFFICIENT_SET) -> CoefficientSet:
    """A coefficient set by built-in id (``"gbt2589-2008"``) or by the path of a user's file.

    A file may say ``extends = "<id or path>"`` and list only the rows it overrides; a relative
    path in ``extends`` is read from the extending file's folder.
    """
    return _load_set(str(ref), ())


def _load_set(ref: str, seen: tuple[str, ...]) -> CoefficientSet:
    data, parent = read_set(ref, seen, DATA / "coefficients", builtin_coefficient_sets(), "coefficient set")
    base = _load_set(parent, (*seen, ref)) if parent else None
    _check_rows(data, ref)
    return CoefficientSet.from_mapping(data, base)


def read_set(
    ref: str, seen: tuple[str, ...], folder: Traversable, builtins: list[str], what: str
) -> tuple[dict[str, Any], str | None]:
    """The TOML of a set that may extend another — a built-in id (a file in ``folder``) or the path of a
    user's file — and the reference of the set it extends (a relative path read from the extending
    file's folder), after checking ``id``, ``version`` and that the chain does not loop."""
    if ref in seen:
        raise ReferenceDataError(table=ref, problem="extends itself: " + " → ".join((*seen, ref)))
    path = Path(ref)
    own: Path | None = None
    if ref.endswith(".toml") or path.exists():
        data, own = _read_toml(path, ref), path.parent
    elif ref in builtins:
        data = _read_toml(folder / f"{ref}.toml", ref)
    else:
        raise ReferenceDataError(table=ref, problem=f"no such {what}; built-in sets: {', '.join(builtins)}")
    for key in ("id", "version"):
        if key not in data:
            raise ReferenceDataError(table=ref, problem=f"the key “{key}” is missing")
    parent = data.get("extends")
    if not parent:
        return data, None
    return data, str(own / parent) if own and (own / parent).exists() else str(parent)


def _check_rows(data: dict[str, Any], ref: str) -> None:
    types = load_energy_types().types
    units = load_units()
    for index, row in enumerate(data.get("coefficients", []), start=1):
        for key in ("energy", "unit", "kgce"):
            if key not in row:
                raise ReferenceDataError(table=ref, problem=f"coefficient row {index}: “{key}” is missing")
        if row["energy"] not in types:
            raise ReferenceDataError(
                table=ref, problem=f"coefficient row {index}: unknown energy {row['energy']}"
            )
        units.parse(row["unit"])
        if not float(row["kgce"]) > 0:
            raise ReferenceDataError(table=ref, problem=f"coefficient row {index}: kgce must be positive")
    for index, row in enumerate(data.get("densities", []), start=1):
        if row.get("energy") not in types or not float(row.get("kg_per_l", 0)) > 0:
            raise ReferenceDataError(table=ref, problem=f"density row {index} is incomplete or unknown")
