"""A building's figure among its peers: its rank (1 = the least), the median and the quartiles.

Quartiles by linear interpolation between the closest ranks (the default of NumPy and of most
spreadsheets: position ``(n − 1) × p`` in the sorted values)."""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from dataclasses import dataclass
from typing import TypeVar

K = TypeVar("K", bound=Hashable)

MIN_PEERS = 3  # fewer figures than this (the building included) make no comparison


@dataclass(frozen=True)
class Standing:
    value: float
    rank: int  # 1 = the lowest value; ties share a rank
    count: int
    q1: float
    median: float
    q3: float

    @property
    def quartile(self) -> int:
        """Which quarter the value falls in: 1 (at or below Q1) … 4 (above Q3)."""
        if self.value <= self.q1:
            return 1
        if self.value <= self.median:
            return 2
        return 3 if self.value <= self.q3 else 4


def quantile(ordered: list[float], p: float) -> float:
    """The ``p`` quantile of sorted values (linear interpolation)."""
    position = (len(ordered) - 1) * p
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def standing(own: K, values: Mapping[K, float | None]) -> Standing | None:
    """Where ``values[own]`` stands among ``values`` (None values are left out); None when it has no
    figure or there are fewer than :data:`MIN_PEERS` figures."""
    mine = values.get(own)
    known = sorted(v for v in values.values() if v is not None)
    if mine is None or len(known) < MIN_PEERS:
        return None
    rank = 1 + sum(v < mine for v in known)
    return Standing(
        mine, rank, len(known), quantile(known, 0.25), quantile(known, 0.5), quantile(known, 0.75)
    )
