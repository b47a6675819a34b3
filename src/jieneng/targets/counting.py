"""Where a target's counted quantity (LED lamps installed, m² retrofitted) comes from.

By hand: the owner reports the month's count (:class:`~jieneng.targets.models.CountReport`, one a
month), and the progress is the sum of the counts in the target's period. From a source: the quantity
is counted from another domain's records, e.g. the project register's quantities done. The targets
domain does not know that domain (the domain apps are independent of each other): a higher layer
registers each source here with a function giving the cumulative quantity of a region, the region and
everything below it, on a day; the month's count is the difference between two month ends, so a
source is never stored twice and a correction in the register shows at once.
"""

from __future__ import annotations

import calendar
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from django.utils.functional import Promise

__all__ = ["Source", "choices", "get", "months", "register", "to_date"]


@dataclass(frozen=True)
class Source:
    code: str  # "projects:street_lighting", the value kept in Target.count_source
    title: str | Promise  # what the office reads: 项目台账：路灯改造
    unit: str  # the unit counted, in the user's language (盏)
    ref: str  # the reference data the counting follows (project-kinds@1), kept with the figures
    cumulative: Callable[[str, date], float]  # (GB/T 2260 region code, day) → quantity done by that day


_SOURCES: dict[str, Source] = {}


def register(source: Source) -> None:
    """Offer ``source`` to the targets (again under the same code: replaced)."""
    _SOURCES[source.code] = source


def get(code: str) -> Source | None:
    return _SOURCES.get(code) if code else None


def choices() -> list[tuple[str, str | Promise]]:
    return [(s.code, s.title) for s in sorted(_SOURCES.values(), key=lambda s: s.code)]


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def to_date(today: date) -> date:
    """The last day counted on ``today``: the end of the last closed month, as the statistics count."""
    return today.replace(day=1) - timedelta(days=1)


def months(
    source: Source, region: str, start_year: int, end_year: int, today: date
) -> list[tuple[int, int, float]]:
    """The count of every closed month of the period (year, month, quantity done in it), from the
    source's cumulative quantity at the month ends; the first month's count starts from the end of the
    year before the period."""
    last = min(to_date(today), date(end_year, 12, 31))
    if last < date(start_year, 1, 1):
        return []
    previous = source.cumulative(region, date(start_year - 1, 12, 31))
    rows = []
    year, month = start_year, 1
    while (year, month) <= (last.year, last.month):
        now = source.cumulative(region, _month_end(year, month))
        rows.append((year, month, now - previous))  # below 0 only where the records were corrected
        previous = now
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return rows
