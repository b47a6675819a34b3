"""Loaders of the savings reference data: measured-savings methods, Option A stipulations, subsidy rules.

``reference/data/savings/*.toml`` holds the CalTRACK 2.0 methods (daily, billing);
``reference/data/subsidies/*.toml`` the subsidy rules (e.g. 财建〔2010〕249号). Each file has an id, a
version and its source; a problem in a file raises :class:`~jieneng.core.errors.ReferenceDataError`.
"""

from __future__ import annotations

from functools import cache

from jieneng.core.errors import ReferenceDataError
from jieneng.core.savings.method import Method
from jieneng.core.savings.subsidies import SubsidyRule
from jieneng.reference import DATA, _read_toml

METHODS = {"daily": "caltrack-2.0-daily", "billing": "caltrack-2.0-billing"}
DEFAULT_SUBSIDY_RULE = "caijian-2010-249"


def _ids(folder: str) -> list[str]:
    return sorted(p.name.removesuffix(".toml") for p in (DATA / folder).iterdir() if p.name.endswith(".toml"))


def builtin_methods() -> list[str]:
    return _ids("savings")


@cache
def load_method(ref: str = "daily") -> Method:
    """A measured-savings method by id (``caltrack-2.0-daily``) or by interval (``daily``, ``billing``)."""
    ident = METHODS.get(ref, ref)
    if ident not in builtin_methods():
        known = ", ".join(builtin_methods())
        raise ReferenceDataError(table=ident, problem=f"no such savings method; built-in methods: {known}")
    return Method.from_mapping(_read_toml(DATA / "savings" / f"{ident}.toml", ident))


@cache
def load_subsidy_rule(ident: str = DEFAULT_SUBSIDY_RULE) -> SubsidyRule:
    if ident not in _ids("subsidies"):
        raise ReferenceDataError(
            table=ident, problem="no such subsidy rule; built-in: " + ", ".join(_ids("subsidies"))
        )
    return SubsidyRule.from_mapping(_read_toml(DATA / "subsidies" / f"{ident}.toml", ident))
