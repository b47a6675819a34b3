"""Estimated savings by key parameters (IPMVP Option A): lamp-for-lamp lighting retrofits.

For each lamp class: ΔP = P_old − P_new [W per lamp, ballast included], kWh a year =
count × ΔP × stipulated burning hours / 1000. Standard coal: kWh × the electricity coefficient of a
coefficient set [kgce/kWh] / 1000 — the calorific equivalent (当量值, GB/T 2589) or an equal value
(等价值, the coal rate of generation), whichever set the user names; the figure records the set's
id@version. Money: kWh × the tariff the user gives [元/kWh], as Decimal.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from jieneng.core.coal import CoefficientSet
from jieneng.core.errors import JienengError, MissingCoefficient
from jieneng.core.problems import savings as declared

ELECTRICITY = "electricity"
CENT = Decimal("0.01")


class BadLampClass(JienengError):
    problem_type = declared.BadLampClass


@dataclass(frozen=True, slots=True)
class LampClass:
    name: str
    count: int
    old_watts: float  # per lamp, ballast included [W]
    new_watts: float
    hours: float  # stipulated burning hours a year [h]

    def check(self) -> None:
        problem = None
        if self.count < 0:
            problem = f"count {self.count}"
        elif not (self.old_watts > 0 and self.new_watts > 0):
            problem = f"wattage {self.old_watts} → {self.new_watts} W"
        elif not 0 <= self.hours <= 8784:
            problem = f"hours {self.hours}"
        if problem:
            raise BadLampClass(name=self.name, problem=problem)


@dataclass(frozen=True, slots=True)
class LampSavings:
    name: str
    kwh: float
    tce: float
    money: Decimal


@dataclass(frozen=True)
class OptionAResult:
    classes: list[LampSavings]
    kwh: float
    tce: float
    money: Decimal
    kgce_per_kwh: float
    coefficient_set: str  # id@version
    tariff: Decimal

    def as_dict(self) -> dict[str, Any]:
        return {
            "method": "ipmvp-option-a",
            "coefficient_set": self.coefficient_set,
            "kgce_per_kwh": self.kgce_per_kwh,
            "tariff_yuan_per_kwh": str(self.tariff),
            "kwh": self.kwh,
            "tce": self.tce,
            "money_yuan": str(self.money),
            "classes": [
                {"name": c.name, "kwh": c.kwh, "tce": c.tce, "money_yuan": str(c.money)} for c in self.classes
            ],
        }


def electricity_coefficient(coefficients: CoefficientSet) -> float:
    """kgce per kWh of the set's electricity row."""
    row = coefficients.coefficients.get(ELECTRICITY)
    if row is None or row.unit != "kWh":
        raise MissingCoefficient(set=coefficients.ref, energy=ELECTRICITY)
    return row.kgce


def lighting_savings(
    classes: Sequence[LampClass], coefficients: CoefficientSet, tariff: Decimal | str
) -> OptionAResult:
    """kWh, tce and money a year of replacing each class's lamps one for one."""
    kgce = electricity_coefficient(coefficients)
    price = Decimal(str(tariff))
    rows = []
    for lamp in classes:
        lamp.check()
        kwh = lamp.count * (lamp.old_watts - lamp.new_watts) * lamp.hours / 1000.0
        money = (Decimal(repr(kwh)) * price).quantize(CENT, rounding=ROUND_HALF_UP)
        rows.append(LampSavings(lamp.name, kwh, kwh * kgce / 1000.0, money))
    total = sum(r.kwh for r in rows)
    return OptionAResult(
        rows,
        total,
        total * kgce / 1000.0,
        sum((r.money for r in rows), Decimal("0.00")),
        kgce,
        coefficients.ref,
        price,
    )
