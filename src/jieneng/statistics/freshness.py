"""Dashboards computed once per state of the data, and recomputed as soon as that state changes.

Every province (the first two digits of its GB/T 2260 code, which all the divisions under it share)
has a *stamp*: a random token replaced, in the same transaction, by every write that can change what a
dashboard in that province shows — the roll-ups kept on approval (:func:`rollups.tracking`), a renamed
or moved region or organisation (signals, :mod:`jieneng.statistics.apps`). Writes that replace
everything (loading a store, clearing it, rebuilding the roll-ups) replace the stamp ``*`` that every
key also holds.

:func:`cached` reads the two stamps (one query) *before* computing, and keeps the result in Django's
cache under the stamps, the arguments, the language and the day (region names are dated). A page is
never shown from data older than the stamps it was read under; a write elsewhere in the country does
not touch it. ``JIENENG_DASHBOARD_CACHE_SECONDS`` (0: no caching) bounds how long an entry lives.

Data written straight to the tables (SQL, ``COPY``) changes no stamp: clear the cache afterwards
(a restart clears the default per-process cache).
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable, Iterable
from typing import TypeVar

from django.core.cache import cache
from django.utils import timezone
from django.utils.translation import get_language

from jieneng import config
from jieneng.statistics.models import Stamp

T = TypeVar("T")
EVERYTHING = "*"


def seconds() -> int:
    return config.current().dashboard_cache_seconds


def renew(codes: Iterable[str]) -> None:
    """Give the provinces of these region codes new stamps (call inside the writing transaction)."""
    _renew({code[:2] for code in codes if code})


def renew_all() -> None:
    """Make every cached dashboard stale."""
    _renew({EVERYTHING})


def _renew(provinces: set[str]) -> None:
    if not provinces:
        return
    wanted = sorted(provinces)  # one order for every writer: no deadlock between two of them
    # the rows first (a concurrent first insert waits, then is skipped), then a new value for each:
    # whichever writer commits last leaves its own token, so no change is left under an old one
    Stamp.objects.bulk_create([Stamp(province=p, value="") for p in wanted], ignore_conflicts=True)
    Stamp.objects.filter(province__in=wanted).update(value=secrets.token_hex(8))


def cached(code: str, parts: tuple[object, ...], compute: Callable[[], T]) -> T:
    """``compute()``, or what it returned for the same region ``code`` and ``parts`` since the
    province last changed. Exceptions are not cached."""
    lifetime = seconds()
    if lifetime <= 0:
        return compute()
    stamps = dict(Stamp.objects.filter(province__in=[code[:2], EVERYTHING]).values_list("province", "value"))
    text = repr((code, parts, stamps.get(code[:2], ""), stamps.get(EVERYTHING, ""), get_language()))
    key = "jieneng.figures." + hashlib.sha256(f"{text}{timezone.localdate()}".encode()).hexdigest()
    found = cache.get(key)
    if found is None:
        found = compute()
        cache.set(key, found, lifetime)
    return found  # type: ignore[no-any-return]
