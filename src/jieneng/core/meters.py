"""Meters' arithmetic that is not a query: virtual meters (a formula over other meters, e.g. the main
meter less its sub-meters), roll-ups of meters' daily figures to end use, building, organisation and
region, and the check that a unit fits an energy type. Pure: plain values and Polars frames.

A formula is a sum of terms ``[+|-] [number *] CODE`` over meter codes (``M01 - M02 - M03``,
``0.5 * M07 + M08``), parsed here without ``eval``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import polars as pl

from jieneng.core.errors import UnknownUnit
from jieneng.core.units import UnitTable

_TERM = re.compile(r"\s*([+-])?\s*(?:(\d+(?:\.\d+)?)\s*\*\s*)?([A-Za-z0-9_\-.]+)\s*")
LEVELS = ("meter", "end_use", "building", "organisation", "region")


class FormulaError(ValueError):
    """A virtual meter's formula that cannot be read; ``text`` is the formula, ``at`` the position."""

    def __init__(self, text: str, at: int) -> None:
        super().__init__(f"{text!r} at {at}")
        self.text, self.at = text, at


@dataclass(frozen=True)
class Term:
    factor: float
    code: str


def parse_formula(text: str) -> tuple[Term, ...]:
    """``"M01 - M02 - 0.5*M03"`` → the terms (+1, M01), (−1, M02), (−0.5, M03)."""
    terms: list[Term] = []
    at = 0
    stripped = text.strip()
    if not stripped:
        raise FormulaError(text, 0)
    while at < len(text):
        match = _TERM.match(text, at)
        if match is None or match.end() == at or (terms and match.group(1) is None):
            raise FormulaError(text, at)
        sign = -1.0 if match.group(1) == "-" else 1.0
        terms.append(Term(sign * float(match.group(2) or 1), match.group(3)))
        at = match.end()
    return tuple(terms)


def evaluate(terms: Sequence[Term], series: Mapping[str, pl.DataFrame], key: str = "day") -> pl.DataFrame:
    """The virtual meter's series: for each ``key`` present in every term's frame (``key``, ``value``),
    the sum of factor × value. A key missing from one meter is left out (unknown, not zero)."""
    out: pl.DataFrame | None = None
    for i, term in enumerate(terms):
        frame = series[term.code].select(key, pl.col("value").cast(pl.Float64).alias(f"v{i}"))
        out = frame if out is None else out.join(frame, on=key, how="inner")
    if out is None:
        return pl.DataFrame({key: [], "value": []})
    total = pl.sum_horizontal([pl.col(f"v{i}") * t.factor for i, t in enumerate(terms)])
    return out.select(key, value=total).sort(key)


def roll_up(daily: pl.DataFrame, meters: pl.DataFrame, level: str, period: str = "day") -> pl.DataFrame:
    """Daily figures (``meter_id``, ``day``, ``value``) summed to ``level`` (one of :data:`LEVELS`) by
    ``period`` (``day`` or ``month``). ``meters`` has ``meter_id`` and a column per level; only meters
    whose ``counts`` is true are summed (main meters, not sub-meters also inside them)."""
    if level not in LEVELS:
        raise ValueError(level)
    frame = daily.join(meters.filter(pl.col("counts")), on="meter_id")
    when = pl.col("day").dt.strftime("%Y-%m").alias("month") if period == "month" else pl.col("day")
    keys = [level, "energy", "unit"] if level != "meter" else ["meter_id", "energy", "unit"]
    return frame.group_by([*keys, when]).agg(value=pl.col("value").sum()).sort([*keys, period])


def unit_fits(units: UnitTable, unit: str, default_unit: str) -> bool:
    """Whether ``unit`` measures the same dimension as the energy type's ``default_unit`` (kWh and MWh
    fit electricity; m³ does not)."""
    try:
        return units.parse(unit).dimension == units.parse(default_unit).dimension
    except UnknownUnit:
        return False
