"""Reviewers approving at the same moment on PostgreSQL: corrections of one unit's months, of units of
one county and of two counties, approved by four reviewers at once in opposite orders, must all be
approved (a lock cycle PostgreSQL aborts is run again) and leave the kept roll-ups equal to a rebuild.
(SQLite takes one writer at a time: there the same approvals simply wait for each other.)"""

from __future__ import annotations

import threading
from types import SimpleNamespace

import pytest
from conftest import Rows, insert_city, load_demo
from django.db import connection, connections
from test_rollups import _assert_equals_rebuild, _revise

from jieneng.reporting import review
from jieneng.reporting.models import Submission

REVIEWERS = 4
ROUNDS = 3


def _approve_all_at_once(batches: list[list[int]]) -> list[BaseException]:
    """Each batch approved in its own thread and connection, all released at one moment."""
    start = threading.Barrier(len(batches))
    failures: list[BaseException] = []

    def reviewer(ids: list[int]) -> None:
        try:
            start.wait(timeout=30)
            for pk in ids:  # one at a time, in the batch's order: the orders cross between threads
                review.approve([pk], actor="test")
        except BaseException as error:  # reported by the test below
            failures.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=reviewer, args=(ids,)) for ids in batches]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return failures


@pytest.mark.django_db(transaction=True)
def test_four_reviewers_approving_at_once_lose_nothing(city: SimpleNamespace, city_rows: Rows) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers are a PostgreSQL matter: SQLite serialises them")
    if not insert_city(city_rows):
        load_demo(city, progress=lambda _message: None)
    pool = list(Submission.objects.filter(form="pi-energy", year=2025).order_by("organisation_id", "period"))
    assert len({s.organisation_id for s in pool}) >= 4
    for round_ in range(ROUNDS):
        chosen = pool[round_::2][:24]  # months of each unit, units of each county, every county
        for submission in chosen:
            _revise(submission, {"water": 300.0 + 10 * round_ + submission.pk % 7})
        ids = [s.pk for s in chosen]
        batches = [ids[i::REVIEWERS] for i in range(REVIEWERS)]
        batches = [batch if i % 2 else batch[::-1] for i, batch in enumerate(batches)]
        assert _approve_all_at_once(batches) == []
        assert set(Submission.objects.filter(pk__in=ids).values_list("status", flat=True)) == {
            Submission.Status.APPROVED
        }
        _assert_equals_rebuild()
