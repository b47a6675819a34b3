"""Plan targets (a five-year plan's change of an indicator on its base year) and the path to them.

A target says: ``indicator`` changes by ``change`` [%] from ``base_year`` to ``end_year`` (十四五 for
public institutions: CO₂ per m² −7 % on 2020 by 2025). The path is the straight line between the base
year's value and the target, year by year, so that a year's figure can be read against where the plan
would have it. Pure: the targets come from reference data (:mod:`jieneng.reference.plans`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from jieneng.core.errors import ReferenceDataError


@dataclass(frozen=True)
class Target:
    indicator: str
    change: float  # [%] by the end year on the base year
    clause: str
    status: str


@dataclass(frozen=True)
class Plan:
    id: str
    version: str
    title: str
    source: str
    base_year: int
    end_year: int
    targets: Mapping[str, Target]

    @property
    def ref(self) -> str:
        return f"{self.id}@{self.version}"

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> Plan:
        name = str(data.get("id", "plan"))
        for key in ("id", "version", "title", "source", "base_year", "end_year", "targets"):
            if key not in data:
                raise ReferenceDataError(table=name, problem=f"the key “{key}” is missing")
        targets: dict[str, Target] = {}
        for index, row in enumerate(data["targets"], start=1):
            try:
                target = Target(
                    str(row["indicator"]), float(row["change"]), str(row["clause"]), str(row["status"])
                )
            except (KeyError, TypeError, ValueError) as exc:
                raise ReferenceDataError(table=name, problem=f"target row {index}: {exc}") from exc
            targets[target.indicator] = target
        if int(data["end_year"]) <= int(data["base_year"]):
            raise ReferenceDataError(table=name, problem="end_year must come after base_year")
        return cls(
            id=name,
            version=str(data["version"]),
            title=str(data["title"]),
            source=str(data["source"]),
            base_year=int(data["base_year"]),
            end_year=int(data["end_year"]),
            targets=targets,
        )


def path(plan: Plan, indicator: str, base_value: float) -> dict[int, float]:
    """The value the plan allows ``indicator`` in each year from its base year to its end year: a
    straight line from ``base_value`` to ``base_value × (1 + change / 100)``. ``KeyError`` when the
    plan has no target for ``indicator``."""
    target = plan.targets[indicator]
    span = plan.end_year - plan.base_year
    end = base_value * (1 + target.change / 100)
    return {plan.base_year + step: base_value + (end - base_value) * step / span for step in range(span + 1)}
