from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jieneng.core import action_plans as ap

TODAY = date(2026, 12, 2)


def test_states() -> None:
    assert ap.state(ap.DONE, date(2026, 9, 20), date(2026, 9, 19), TODAY) == ap.DONE_ON_TIME
    assert ap.state(ap.DONE, date(2026, 9, 20), date(2026, 9, 25), TODAY) == ap.DONE_LATE
    assert ap.state(ap.UNDER_WAY, date(2026, 9, 20), None, TODAY) == ap.LATE
    assert ap.state(ap.NOT_STARTED, date(2026, 12, 31), None, TODAY) == ap.NOT_STARTED
    assert ap.state(ap.UNDER_WAY, None, None, TODAY) == ap.UNDER_WAY
    with pytest.raises(ValueError):
        ap.state("finished", None, None, TODAY)


def test_goal_progress_patents() -> None:
    # patent applications 563 (2007) → 1,160 (2012); 861 filed: half the way
    assert ap.goal_progress(563, 1160, 861.5) == pytest.approx(0.5)
    assert ap.goal_progress(563, 1160, None) is None
    assert ap.goal_progress(10, 10, 12) is None
    # a goal to reduce: 100 → 80, at 90 half the way
    assert ap.goal_progress(100, 80, 90) == pytest.approx(0.5)


def test_summary() -> None:
    found = ap.summarise([ap.DONE_ON_TIME, ap.LATE, ap.LATE, ap.NOT_STARTED, ap.DONE_LATE])
    assert (found.total, found.done, found.done_late, found.late, found.not_started) == (5, 1, 1, 2, 1)
    assert found.finished == 2 and found.share_finished == pytest.approx(0.4)
    assert ap.summarise([]).share_finished is None
    with pytest.raises(ValueError):
        ap.summarise(["gone"])


@given(st.lists(st.sampled_from(ap.STATES)))
def test_summary_counts_every_action(states: list[str]) -> None:
    found = ap.summarise(states)
    assert found.done + found.done_late + found.late + found.under_way + found.not_started == len(states)
