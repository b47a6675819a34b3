"""Names as users write and read them, beside the items' own aliases: the header names of the columns
that are not items (``data/headers/headers.toml``) and the names units are shown by
(``data/energy/unit_names.toml``).

A missing file, table, column or name raises :class:`~jieneng.core.errors.ReferenceDataError` naming
the table and the key.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

from jieneng.core.errors import ReferenceDataError
from jieneng.reference import DATA, _read_toml, load_units

HEADERS_TABLE, UNIT_NAMES_TABLE = "headers", "unit-names"


@dataclass(frozen=True)
class Column:
    """A column by the header names it may have, most specific first; the first is shown to users."""

    aliases: tuple[str, ...]
    borrow: str | None = None  # a name it may take from another column (see jieneng.io.table)
    en: str | None = None  # the header of an English template; else the first alias

    @property
    def label(self) -> str:
        return self.aliases[0]

    def shown(self, lang: str) -> str:
        """The header a template in ``lang`` writes: the first alias, or ``en`` outside Chinese."""
        return self.en if self.en and not lang.lower().startswith("zh") else self.label


@dataclass(frozen=True)
class HeaderNames:
    """The columns of each kind of file (``form``, ``longform``, ``facts``) by name."""

    id: str
    version: str
    tables: Mapping[str, Mapping[str, Column]]

    def table(self, name: str) -> Mapping[str, Column]:
        if name not in self.tables:
            raise ReferenceDataError(table=HEADERS_TABLE, problem=f"no table “{name}”")
        return self.tables[name]

    def column(self, table: str, name: str) -> Column:
        columns = self.table(table)
        if name not in columns:
            raise ReferenceDataError(table=HEADERS_TABLE, problem=f"no column “{name}” in “{table}”")
        return columns[name]


@cache
def load_header_names() -> HeaderNames:
    """The header names of ``data/headers/headers.toml``, checked: every column has names."""
    data = _read_toml(DATA / "headers" / "headers.toml", HEADERS_TABLE)
    tables: dict[str, dict[str, Column]] = {}
    for table, columns in data.items():
        if not isinstance(columns, dict):
            continue  # id, version, source
        tables[table] = {name: _column(table, name, spec) for name, spec in columns.items()}
    return HeaderNames(str(data.get("id", HEADERS_TABLE)), str(data.get("version", "")), tables)


def _column(table: str, name: str, spec: Any) -> Column:
    aliases = spec.get("aliases") if isinstance(spec, dict) else None
    if not aliases or not all(isinstance(alias, str) and alias.strip() for alias in aliases):
        raise ReferenceDataError(table=HEADERS_TABLE, problem=f"{table}.{name}: “aliases” must list names")
    borrow, en = spec.get("borrow"), spec.get("en")
    if en and en.lower() not in {alias.lower() for alias in aliases}:
        raise ReferenceDataError(
            table=HEADERS_TABLE, problem=f"{table}.{name}: “en” must be one of the aliases"
        )
    return Column(tuple(aliases), str(borrow) if borrow else None, str(en) if en else None)


@cache
def load_unit_names() -> Mapping[str, Mapping[str, str]]:
    """Shown names of units by language (``zh``, ``en``) and unit symbol; every symbol a known unit."""
    data = _read_toml(DATA / "energy" / "unit_names.toml", UNIT_NAMES_TABLE)
    symbols = set(load_units().units)
    names: dict[str, dict[str, str]] = {}
    for lang in ("zh", "en"):
        if not isinstance(data.get(lang), dict):
            raise ReferenceDataError(table=UNIT_NAMES_TABLE, problem=f"the table “{lang}” is missing")
        for symbol in data[lang]:
            if symbol not in symbols:
                raise ReferenceDataError(table=UNIT_NAMES_TABLE, problem=f"{lang}: unknown unit “{symbol}”")
        names[lang] = {str(symbol): str(name) for symbol, name in data[lang].items()}
    return names
