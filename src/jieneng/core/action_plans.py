"""Action plans (行动计划 / 实施方案): numbered actions, each with a deadline and a status, and goals on
counted quantities with a base and a target (patent applications 563 in 2007 → 1,160 in 2012).

Pure arithmetic: the state of an action on a day (done, done late, late, under way, not started), the
progress of a goal (the share of the required change achieved), and the summary of a plan.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

NOT_STARTED, UNDER_WAY, DONE = "not_started", "under_way", "done"
STATUSES = (NOT_STARTED, UNDER_WAY, DONE)
#: the states of an action on a day
DONE_ON_TIME, DONE_LATE, LATE = "done", "done_late", "late"
STATES = (DONE_ON_TIME, DONE_LATE, LATE, UNDER_WAY, NOT_STARTED)


def state(status: str, deadline: date | None, done_on: date | None, today: date) -> str:
    """The state of an action on ``today``: done (by its deadline), done late, late (not done, its
    deadline past), under way, or not started."""
    if status not in STATUSES:
        raise ValueError(f"unknown status {status!r}")
    if status == DONE:
        late = deadline is not None and done_on is not None and done_on > deadline
        return DONE_LATE if late else DONE_ON_TIME
    if deadline is not None and deadline < today:
        return LATE
    return status


def goal_progress(base: float, target: float, current: float | None) -> float | None:
    """The share of the change from ``base`` to ``target`` achieved at ``current`` (1.0 = reached; may
    exceed 1 or be negative); ``None`` without a current value or when base equals target."""
    if current is None or target == base:
        return None
    return (current - base) / (target - base)


@dataclass(frozen=True)
class Summary:
    """How many actions of a plan are in each state on a day."""

    total: int
    done: int
    done_late: int
    late: int
    under_way: int
    not_started: int

    @property
    def finished(self) -> int:
        return self.done + self.done_late

    @property
    def share_finished(self) -> float | None:
        return self.finished / self.total if self.total else None


def summarise(states: Iterable[str]) -> Summary:
    counted = Counter(states)
    unknown = set(counted) - set(STATES)
    if unknown:
        raise ValueError(f"unknown states {sorted(unknown)}")
    return Summary(
        total=sum(counted.values()),
        done=counted[DONE_ON_TIME],
        done_late=counted[DONE_LATE],
        late=counted[LATE],
        under_way=counted[UNDER_WAY],
        not_started=counted[NOT_STARTED],
    )
