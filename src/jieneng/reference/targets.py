"""Loader of the warning rules of the targets (``reference/data/warnings/*.toml``).

Each file has an id, a version, its source and what could not be verified (``to_confirm``); a problem in
a file raises :class:`~jieneng.core.errors.ReferenceDataError`. The default is the national rule of
发改办环资〔2021〕629号.
"""

from __future__ import annotations

from functools import cache

from jieneng.core.errors import ReferenceDataError
from jieneng.core.targets import WarningRule
from jieneng.reference import DATA, _read_toml

DEFAULT_WARNING_RULE = "ndrc-2021-629"


def builtin_warning_rules() -> list[str]:
    folder = DATA / "warnings"
    return sorted(p.name.removesuffix(".toml") for p in folder.iterdir() if p.name.endswith(".toml"))


@cache
def load_warning_rule(ident: str = DEFAULT_WARNING_RULE) -> WarningRule:
    """A warning rule by id (``ndrc-2021-629``, ``shortfall-pp-city``, ``completion-rate-bands``)."""
    if ident not in builtin_warning_rules():
        known = ", ".join(builtin_warning_rules())
        raise ReferenceDataError(table=ident, problem=f"no such warning rule; built-in rules: {known}")
    rule = WarningRule.from_mapping(_read_toml(DATA / "warnings" / f"{ident}.toml", ident))
    if rule.id != ident:
        raise ReferenceDataError(table=ident, problem=f"the file's id is {rule.id!r}")
    return rule
