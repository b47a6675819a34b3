"""Units of measure as statisticians write them, with Chinese scale words.

A quantity arrives as a number and a unit text: ``12.5`` ``万kWh``, ``3`` ``亿千瓦时``, ``800`` ``万m³``.
:meth:`UnitTable.parse` turns the text into a :class:`ParsedUnit` whose ``size`` is the quantity of
one such unit in the base unit of its dimension (energy [MJ], mass [kg], volume [m³],
coal_equivalent [kgce]). The table itself is reference data (``reference/data/energy/units.toml``).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from jieneng.core.errors import ReferenceDataError, UnknownUnit


def normalise(text: str) -> str:
    """Fold full-width forms and superscripts (NFKC), drop spaces, lower-case: ``" 万 ｍ³ "`` → ``"万m3"``."""
    return "".join(unicodedata.normalize("NFKC", text).split()).lower()


@dataclass(frozen=True, slots=True)
class Unit:
    symbol: str
    dimension: str
    size: float  # one unit in the dimension's base unit


@dataclass(frozen=True, slots=True)
class ParsedUnit:
    text: str
    unit: Unit
    scale: float = 1.0

    @property
    def dimension(self) -> str:
        return self.unit.dimension

    @property
    def size(self) -> float:
        """One of this unit in the base unit of its dimension, scale word included."""
        return self.scale * self.unit.size


@dataclass(frozen=True)
class UnitTable:
    id: str
    version: str
    units: Mapping[str, Unit]
    scales: Mapping[str, float]
    _by_alias: Mapping[str, str] = field(repr=False)

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> UnitTable:
        """Build from the parsed TOML of ``units.toml``."""
        dimensions = set(data.get("dimensions", {}))
        units: dict[str, Unit] = {}
        by_alias: dict[str, str] = {}
        for row in data.get("unit", []):
            if row["dimension"] not in dimensions:
                raise ReferenceDataError(
                    table="units", problem=f"unit {row['symbol']} has unknown dimension {row['dimension']}"
                )
            unit = Unit(row["symbol"], row["dimension"], float(row["size"]))
            units[unit.symbol] = unit
            for alias in [unit.symbol, *row.get("aliases", [])]:
                key = normalise(alias)
                if by_alias.get(key, unit.symbol) != unit.symbol:
                    raise ReferenceDataError(table="units", problem=f"alias {alias} names two units")
                by_alias[key] = unit.symbol
        scales = {normalise(word): float(size) for word, size in data.get("scales", {}).items()}
        return cls(str(data["id"]), str(data["version"]), units, scales, by_alias)

    def parse(self, text: str) -> ParsedUnit:
        """Parse ``"万kWh"``, ``"亿千瓦时"``, ``"m³"``, ``"百万千焦"``.

        Raises :class:`UnknownUnit` naming the text when it is not a unit, with or without scale word.
        """
        key = normalise(text)
        symbol = self._by_alias.get(key)
        if symbol is not None:
            return ParsedUnit(text, self.units[symbol])
        for word in sorted(self.scales, key=len, reverse=True):
            if key.startswith(word) and key[len(word) :] in self._by_alias:
                unit = self.units[self._by_alias[key[len(word) :]]]
                return ParsedUnit(text, unit, self.scales[word])
        raise UnknownUnit(unit=text)
