"""A write PostgreSQL aborted for a lock cycle (deadlock, serialization failure) runs again; any
other error, and any write inside an outer transaction, is raised at once."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.db import DatabaseError, IntegrityError

from jieneng.statistics import retry


class Aborted(Exception):
    def __init__(self, sqlstate: str) -> None:
        super().__init__(sqlstate)
        self.sqlstate = sqlstate


def failing(times: int, sqlstate: str, error: type[DatabaseError] = DatabaseError):
    calls = []

    @retry.retried
    def write() -> str:
        calls.append(1)
        if len(calls) <= times:
            raise error("aborted") from Aborted(sqlstate)
        return "written"

    return write, calls


@pytest.fixture(autouse=True)
def _outside_a_transaction(monkeypatch) -> None:
    monkeypatch.setattr(retry, "connection", SimpleNamespace(in_atomic_block=False))
    monkeypatch.setattr("jieneng.statistics.retry.time.sleep", lambda seconds: None)


@pytest.mark.parametrize("sqlstate", ["40P01", "40001"])
def test_a_lock_cycle_is_run_again(sqlstate) -> None:
    write, calls = failing(2, sqlstate)
    assert write() == "written" and len(calls) == 3


def test_it_gives_up_after_the_last_attempt() -> None:
    write, calls = failing(retry.ATTEMPTS, "40P01")
    with pytest.raises(DatabaseError):
        write()
    assert len(calls) == retry.ATTEMPTS


def test_other_errors_are_raised_at_once() -> None:
    write, calls = failing(1, "23505", IntegrityError)  # a unique violation: a real fault
    with pytest.raises(IntegrityError):
        write()
    assert len(calls) == 1


def test_inside_an_outer_transaction_it_runs_once(monkeypatch) -> None:
    monkeypatch.setattr(retry, "connection", SimpleNamespace(in_atomic_block=True))
    write, calls = failing(1, "40P01")
    with pytest.raises(DatabaseError):
        write()
    assert len(calls) == 1
