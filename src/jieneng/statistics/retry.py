"""Writes that PostgreSQL may abort under load, run again.

Two approvals in one province lock some of the same roll-up rows; PostgreSQL detects a lock cycle
between such transactions and aborts one of them (SQLSTATE 40P01, *deadlock detected*; 40001,
*serialization failure*, is the same kind). Nothing of the aborted transaction is kept, so running it
again is safe and is what the reviewer would do by clicking again. The writers also take their locks
in one order (``rollups.add``, ``freshness``, the submissions by id), which makes such cycles rare;
this is the rest of the guarantee. SQLite serialises writers and never raises these.
"""

from __future__ import annotations

import functools
import logging
import random
import time
from collections.abc import Callable
from typing import ParamSpec, TypeVar

from django.db import DatabaseError, connection

P = ParamSpec("P")
T = TypeVar("T")
RETRIED = ("40P01", "40001")  # deadlock detected, serialization failure
ATTEMPTS = 4
log = logging.getLogger("jieneng.retry")


def transient(exc: BaseException) -> bool:
    """Whether ``exc`` is a transaction PostgreSQL aborted only because of concurrent ones."""
    cause = exc.__cause__
    return isinstance(exc, DatabaseError) and getattr(cause, "sqlstate", None) in RETRIED


def retried(func: Callable[P, T]) -> Callable[P, T]:
    """Run ``func`` (which opens its own transaction) again when PostgreSQL aborted it for a lock
    cycle, up to :data:`ATTEMPTS` times with a short random pause. Inside an outer transaction it runs
    once: the outer transaction is aborted too, and only its owner can run it again."""

    @functools.wraps(func)
    def run(*args: P.args, **kwargs: P.kwargs) -> T:
        for attempt in range(1, ATTEMPTS + 1):
            try:
                return func(*args, **kwargs)
            except DatabaseError as exc:
                if attempt == ATTEMPTS or connection.in_atomic_block or not transient(exc):
                    raise
                log.warning("retry %s attempt=%d sqlstate=%s", func.__name__, attempt, exc.__cause__.sqlstate)  # type: ignore[union-attr]
                time.sleep(random.uniform(0.02, 0.1) * attempt)  # noqa: S311  (a pause, not a secret)
        raise AssertionError("unreachable")

    return run
