"""Plan targets (``reference/data/plans/*.toml``, ``kind = "plan_targets"``) and their loader."""

from __future__ import annotations

import functools

from jieneng.core.errors import ReferenceDataError
from jieneng.core.plans import Plan
from jieneng.reference import DATA, _read_toml

FOLDER = DATA / "plans"
PUBLIC_INSTITUTIONS_14TH = "pi-14th-five-year"
KIND = "plan_targets"


@functools.cache
def load_plan(ref: str = PUBLIC_INSTITUTIONS_14TH) -> Plan:
    """A built-in plan by id (``"pi-14th-five-year"``)."""
    known = sorted(
        item.name.removesuffix(".toml") for item in FOLDER.iterdir() if item.name.endswith(".toml")
    )
    if ref not in known:
        raise ReferenceDataError(table=ref, problem=f"no such plan; built-in plans: {', '.join(known)}")
    data = _read_toml(FOLDER / f"{ref}.toml", ref)
    if data.get("kind") != KIND:
        raise ReferenceDataError(table=ref, problem=f'not a plan (kind = "{KIND}" is missing)')
    return Plan.from_mapping(data)
