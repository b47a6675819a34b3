"""How completely a month's daily roll-ups cover it: the days with a figure from every meter, the days
some meter has none, the days some meter has fewer intervals than its usual day (hours missing), and the
register resets (an interval of unknown size). A month offered to the statistics form from its meters is
complete only when every day up to the month's end is covered in full and no register was reset."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta


@dataclass(frozen=True)
class DayFigure:
    """One meter's roll-up of one day: its figure (None: unknown), intervals and resets."""

    meter: int
    day: date
    value: float | None
    intervals: int
    resets: int = 0


@dataclass(frozen=True)
class Coverage:
    first: date
    last: date  # the month's last day
    through: date  # the last day that could have data (the month's end, or the day before today)
    covered: int  # days with a full figure from every meter
    missing: tuple[date, ...]  # days up to ``through`` where some meter has no figure
    short: tuple[date, ...]  # days where some meter has fewer intervals than its usual day
    resets: int

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1

    @property
    def complete(self) -> bool:
        return self.through >= self.last and not self.missing and not self.short and not self.resets

    def as_dict(self) -> dict[str, object]:
        return {
            "first": self.first.isoformat(),
            "last": self.last.isoformat(),
            "through": self.through.isoformat(),
            "days": self.days,
            "covered": self.covered,
            "missing": [d.isoformat() for d in self.missing],
            "short": [d.isoformat() for d in self.short],
            "resets": self.resets,
            "complete": self.complete,
        }


def coverage(
    meters: Sequence[int], figures: Iterable[DayFigure], first: date, last: date, through: date
) -> Coverage:
    """The coverage of ``first``..``last`` by ``meters`` (days after ``through`` are not yet due)."""
    through = min(through, last)
    rows = [f for f in figures if first <= f.day <= last]
    usual = {m: max((f.intervals for f in rows if f.meter == m), default=0) for m in meters}
    by_day: dict[date, dict[int, DayFigure]] = {}
    for f in rows:
        by_day.setdefault(f.day, {})[f.meter] = f
    missing, short, covered = [], [], 0
    day = first
    while day <= through:
        mine = by_day.get(day, {})
        if any(mine.get(m) is None or mine[m].value is None for m in meters):
            missing.append(day)
        elif any(mine[m].intervals < usual[m] for m in meters):
            short.append(day)
        else:
            covered += 1
        day += timedelta(days=1)
    resets = sum(f.resets for f in rows)
    return Coverage(first, last, through, covered, tuple(missing), tuple(short), resets)
