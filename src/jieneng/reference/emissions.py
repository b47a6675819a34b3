"""The CO₂ emission-factor sets (``reference/data/emissions/*.toml``) and their loader.

A set file has ``kind = "emission_factors"``, an ``id`` and a ``version``, and may say
``extends = "<id or path>"`` to list only the rows it changes (a relative path is read from the
extending file's folder), exactly as the coefficient sets do. A problem in a file raises
:class:`~jieneng.core.errors.ReferenceDataError` naming the set and the row.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from jieneng.core.emission_factors import EmissionFactorSet
from jieneng.core.errors import ReferenceDataError
from jieneng.reference import DATA, _read_toml, load_energy_types, load_units, read_set

FOLDER = DATA / "emissions"
DEFAULT_EMISSION_FACTOR_SET = "mee-nbs-electricity"
KIND = "emission_factors"


def builtin_emission_factor_sets() -> list[str]:
    """The ids of the emission-factor sets shipped with the package."""
    return sorted(item.name.removesuffix(".toml") for item in FOLDER.iterdir() if item.name.endswith(".toml"))


def is_emission_factor_file(path: str | Path) -> bool:
    """Whether the TOML file at ``path`` is an emission-factor set (``kind = "emission_factors"``)."""
    return _read_toml(Path(path), str(path)).get("kind") == KIND


def load_emission_factor_set(ref: str | Path = DEFAULT_EMISSION_FACTOR_SET) -> EmissionFactorSet:
    """An emission-factor set by built-in id (``"mee-nbs-electricity"``) or by the path of a user's file."""
    return _load(str(ref), ())


def _load(ref: str, seen: tuple[str, ...]) -> EmissionFactorSet:
    data, parent = read_set(ref, seen, FOLDER, builtin_emission_factor_sets(), "emission-factor set")
    if data.get("kind") != KIND:
        raise ReferenceDataError(
            table=ref, problem=f'not an emission-factor set (kind = "{KIND}" is missing)'
        )
    base = _load(parent, (*seen, ref)) if parent else None
    _check_energies(data, ref)
    return EmissionFactorSet.from_mapping(data, load_units(), base)


def _check_energies(data: dict[str, Any], ref: str) -> None:
    types = load_energy_types().types
    for index, row in enumerate(data.get("fuels", []), start=1):
        if row.get("energy") not in types:
            raise ReferenceDataError(
                table=ref, problem=f"fuel row {index}: unknown energy {row.get('energy')}"
            )
        if row["energy"] == "electricity":
            raise ReferenceDataError(
                table=ref, problem=f"fuel row {index}: electricity belongs in the electricity table"
            )
