"""A measured-savings method's parameters (CalTRACK 2.0 daily or billing), built from its reference data.

The file (``reference/data/savings/<id>.toml``) writes temperatures in °F as CalTRACK does; here they
become °C: a balance point b °F is (b − 32) × 5/9 °C, a total of D °F·d is D × 5/9 °C·d. Every result
records :attr:`Method.ref` (id@version).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from jieneng.core.errors import ReferenceDataError
from jieneng.core.savings.degree_days import Array, to_celsius

DAILY, BILLING = "daily", "billing"


def _grid(spec: Mapping[str, Any], unit: str) -> tuple[float, ...]:
    start, stop, step = float(spec["start"]), float(spec["stop"]), float(spec.get("step", 1))
    count = round((stop - start) / step) + 1
    values = start + step * np.arange(count)
    return tuple(float(v) for v in to_celsius(values, unit))


@dataclass(frozen=True, slots=True)
class Method:
    id: str
    version: str
    title: str
    source: str
    interval: str  # "daily" or "billing"
    heating_c: tuple[float, ...]  # balance-point grid [°C]
    cooling_c: tuple[float, ...]
    heating_f: tuple[float, ...]  # the same grid as the file writes it [°F]
    cooling_f: tuple[float, ...]
    minimum_non_zero_hdd: int
    minimum_non_zero_cdd: int
    minimum_total_hdd: float  # [°C·d]
    minimum_total_cdd: float
    maximum_p_value_hdd: float
    maximum_p_value_cdd: float
    sufficiency: Mapping[str, Any]
    temperature: Mapping[str, float]
    calibration: Mapping[str, Any]
    uncertainty: Mapping[str, Any]

    @property
    def ref(self) -> str:
        return f"{self.id}@{self.version}"

    @property
    def heating(self) -> Array:
        return np.asarray(self.heating_c, dtype=np.float64)

    @property
    def cooling(self) -> Array:
        return np.asarray(self.cooling_c, dtype=np.float64)

    def calibration_limits(self) -> tuple[str, float, float]:
        """The ASHRAE 14 limits this method's data applies: (name, NMBE, CV(RMSE)), fractions."""
        name = str(self.calibration["limits"])
        return name, float(self.calibration[f"{name}_nmbe"]), float(self.calibration[f"{name}_cvrmse"])

    def uncertainty_factor(self, reporting_periods: int) -> float:
        """The factor of ASHRAE 14 eq. B-14: 1.26, or the polynomial in the reporting months."""
        spec = self.uncertainty
        if spec.get("factor") != "polynomial":
            return float(spec["factor"])
        per_month = float(spec.get("days_per_month", 0.0))
        months = reporting_periods / per_month if per_month else float(reporting_periods)
        return float(spec["a"]) * months**2 + float(spec["b"]) * months + float(spec["c"])

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> Method:
        ident = str(data.get("id", "?"))
        try:
            interval = str(data["interval"])
            if interval not in (DAILY, BILLING):
                raise ReferenceDataError(
                    table=ident, problem=f"interval must be daily or billing: {interval}"
                )
            grid, qual = data["balance_points"], data["qualification"]
            unit = str(grid.get("unit", "F"))
            scale = 5.0 / 9.0 if unit.upper() == "F" else 1.0
            heating_native = _grid(grid["heating"], "C")
            cooling_native = _grid(grid["cooling"], "C")
            return cls(
                id=ident,
                version=str(data["version"]),
                title=str(data.get("title", "")),
                source=str(data.get("source", "")),
                interval=interval,
                heating_c=_grid(grid["heating"], unit),
                cooling_c=_grid(grid["cooling"], unit),
                heating_f=heating_native
                if unit.upper() == "F"
                else tuple(v * 1.8 + 32 for v in heating_native),
                cooling_f=cooling_native
                if unit.upper() == "F"
                else tuple(v * 1.8 + 32 for v in cooling_native),
                minimum_non_zero_hdd=int(qual["minimum_non_zero_hdd"]),
                minimum_non_zero_cdd=int(qual["minimum_non_zero_cdd"]),
                minimum_total_hdd=float(qual["minimum_total_hdd_f"]) * scale,
                minimum_total_cdd=float(qual["minimum_total_cdd_f"]) * scale,
                maximum_p_value_hdd=float(qual["maximum_p_value_hdd"]),
                maximum_p_value_cdd=float(qual["maximum_p_value_cdd"]),
                sufficiency=dict(data["sufficiency"]),
                temperature={k: float(v) for k, v in data["temperature"].items()},
                calibration=dict(data["calibration"]),
                uncertainty=dict(data["uncertainty"]),
            )
        except KeyError as exc:
            raise ReferenceDataError(table=ident, problem=f"the key “{exc.args[0]}” is missing") from exc
