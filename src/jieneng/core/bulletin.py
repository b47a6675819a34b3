"""The figures of the statistics bulletin from a region's sums: energy, intensities and their change.

Intensities are computed from the sums and kept to the rounding's computing decimals (4) before the
change on last year is taken, as the offices compute it; the published figures are rounded once more
(3 for intensities, 2 for rates) by :mod:`jieneng.core.wording`. Pure: the sums come in as mappings.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from jieneng.core.wording import Rounding, round_half_up


@dataclass(frozen=True)
class RegionFigures:
    """One region's year: energy [kgce], intensities (computing decimals), changes on last year [%]."""

    code: str
    name: str
    kgce: float
    kgce_prev: float | None
    per_m2: float | None
    per_person: float | None
    per_m2_prev: float | None
    per_person_prev: float | None
    units: int

    @property
    def energy_change(self) -> float | None:
        return _pct(self.kgce, self.kgce_prev)

    @property
    def per_m2_change(self) -> float | None:
        return _pct(self.per_m2, self.per_m2_prev)

    @property
    def per_person_change(self) -> float | None:
        return _pct(self.per_person, self.per_person_prev)


def _pct(now: float | None, before: float | None) -> float | None:
    if now is None or before is None or before == 0:
        return None
    return (now / before - 1) * 100


def _ratio(num: float | None, den: float | None, rounding: Rounding) -> float | None:
    if num is None or not den:
        return None
    return float(round_half_up(num / den, rounding.places("intensity", computing=True)))


def region_figures(
    code: str, name: str, now: Mapping[str, Any] | None, before: Mapping[str, Any] | None, rounding: Rounding
) -> RegionFigures:
    """The figures of region ``code`` from this year's and last year's sums (``kgce``, ``area_m2``,
    ``persons``, ``units``; either may be None)."""
    cur = now or {}
    prev = before or {}
    return RegionFigures(
        code=code,
        name=name,
        kgce=float(cur.get("kgce") or 0.0),
        kgce_prev=float(prev["kgce"]) if prev.get("kgce") is not None else None,
        per_m2=_ratio(cur.get("kgce"), cur.get("area_m2"), rounding),
        per_person=_ratio(cur.get("kgce"), cur.get("persons"), rounding),
        per_m2_prev=_ratio(prev.get("kgce"), prev.get("area_m2"), rounding),
        per_person_prev=_ratio(prev.get("kgce"), prev.get("persons"), rounding),
        units=int(cur.get("units") or 0),
    )


def ranks(values: Mapping[int, float | None]) -> dict[int, int]:
    """Rank among peers, 1 = the lowest value (the least energy per m²); ties share a rank; None unranked."""
    ordered = sorted((v, k) for k, v in values.items() if v is not None)
    out: dict[int, int] = {}
    previous: float | None = None
    rank = 0
    for position, (value, key) in enumerate(ordered, start=1):
        if value != previous:
            rank, previous = position, value
        out[key] = rank
    return out
