"""Loader of the project kinds (``reference/data/projects/kinds.toml``): each kind's Chinese and English
title and the unit its quantities are counted in (lamps, m², units)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from jieneng.core.errors import ReferenceDataError
from jieneng.reference import DATA, _read_toml


@dataclass(frozen=True)
class ProjectKind:
    code: str
    zh: str
    en: str
    unit: str  # a key of ProjectKinds.units


@dataclass(frozen=True)
class ProjectKinds:
    id: str
    version: str
    kinds: dict[str, ProjectKind]
    units: dict[str, tuple[str, str]]  # unit → (zh, en)

    @property
    def ref(self) -> str:
        return f"{self.id}@{self.version}"


@cache
def load_project_kinds() -> ProjectKinds:
    data = _read_toml(DATA / "projects" / "kinds.toml", "project-kinds")
    try:
        units = {code: (str(u["zh"]), str(u["en"])) for code, u in data["units"].items()}
        kinds = {
            code: ProjectKind(code, str(k["zh"]), str(k["en"]), str(k["unit"]))
            for code, k in data["kinds"].items()
        }
        table = ProjectKinds(str(data["id"]), str(data["version"]), kinds, units)
    except KeyError as exc:
        raise ReferenceDataError(
            table="project-kinds", problem=f"the key “{exc.args[0]}” is missing"
        ) from exc
    unknown = sorted({k.unit for k in kinds.values()} - units.keys())
    if unknown:
        raise ReferenceDataError(table="project-kinds", problem=f"unknown unit {', '.join(unknown)}")
    return table
