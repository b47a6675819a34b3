"""Statistics forms as versioned data: which items a form asks for, in which unit, in which years.

A :class:`Form` (``pi-energy``: 公共机构能源资源消费状况) has editions; each :class:`Edition` is valid
for a span of years, carries the legal marks printed on the form (表号, 制表机关, 批准机关, 批准文号,
有效期) and lists the codes of its items. An :class:`Item` is one value asked for: a quantity of an
energy type, its cost, a yearly fact (建筑面积, 用能人数) or a text (单位性质), with the unit the
store keeps it in and the header names users write for it. The definitions live in
``reference/data/forms/*.toml``; this module only holds and checks them.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from itertools import pairwise
from typing import Any

from jieneng.core.errors import ReferenceDataError

FREQUENCIES = ("month", "quarter", "year")
ITEM_KINDS = ("quantity", "cost", "fact", "text")
MARKS = ("table_no", "issuer", "approver", "approval_no", "valid_until")


@dataclass(frozen=True, slots=True)
class Item:
    """One value a form asks for.

    ``kind``: ``quantity`` (of ``energy``, in ``unit``), ``cost`` (of ``energy``, in 元), ``fact``
    (a number about the unit, e.g. 建筑面积 in m²) or ``text`` (a code such as 单位性质).
    ``aliases``: header names users write, most specific first; the first is printed on templates.
    ``integer``: whole numbers only (persons, vehicles).
    ``equivalents``: units of another dimension accepted as ``factor`` of ``unit`` (water: 1 m³ = 1 t).
    """

    code: str
    zh: str
    en: str
    kind: str
    unit: str
    aliases: tuple[str, ...]
    energy: str | None = None
    integer: bool = False
    equivalents: Mapping[str, float] = field(default_factory=dict)

    @property
    def numeric(self) -> bool:
        return self.kind != "text"


@dataclass(frozen=True, slots=True)
class Edition:
    """One edition of a form: valid for ``first_year`` … ``last_year`` (``None``: still in force)."""

    form: str
    edition: str
    first_year: int
    last_year: int | None
    frequencies: tuple[str, ...]
    items: tuple[str, ...]
    marks: Mapping[str, str]
    source: str
    to_confirm: tuple[str, ...] = ()

    @property
    def ref(self) -> str:
        """``pi-energy@2022``: what a submission records as the form it was read against."""
        return f"{self.form}@{self.edition}"

    def covers(self, year: int) -> bool:
        return self.first_year <= year and (self.last_year is None or year <= self.last_year)

    @property
    def years(self) -> str:
        """``2017–2021`` or ``2026–``, for messages."""
        return f"{self.first_year}–{self.last_year or ''}"


@dataclass(frozen=True)
class Form:
    """A statistics form with its items (the union over editions) and its editions, oldest first."""

    id: str
    zh: str
    en: str
    kind: str  # "consumption" (values become energy records) or "facts" (values become yearly facts)
    items: Mapping[str, Item]
    editions: tuple[Edition, ...]

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> Form:
        """Build from the parsed TOML of ``reference/data/forms/<id>.toml``; checks it as it goes."""
        form_id = _required(data, "id", "form")
        items: dict[str, Item] = {}
        for row in data.get("item", []):
            code = _required(row, "code", form_id)
            if code in items:
                raise ReferenceDataError(table=form_id, problem=f"item {code} is defined twice")
            if row.get("kind") not in ITEM_KINDS:
                raise ReferenceDataError(
                    table=form_id, problem=f"item {code}: kind must be one of {ITEM_KINDS}"
                )
            aliases = tuple(row.get("aliases", ())) or (row["zh"],)
            items[code] = Item(
                code,
                _required(row, "zh", form_id),
                _required(row, "en", form_id),
                row["kind"],
                str(row.get("unit", "")) if row["kind"] == "text" else _required(row, "unit", form_id),
                aliases,
                row.get("energy"),
                bool(row.get("integer", False)),
                {str(unit): float(factor) for unit, factor in row.get("equivalents", {}).items()},
            )
        editions = tuple(_edition(form_id, row, items) for row in data.get("edition", []))
        if not editions:
            raise ReferenceDataError(table=form_id, problem="the form has no edition")
        ordered = tuple(sorted(editions, key=lambda e: e.first_year))
        for older, newer in pairwise(ordered):
            if older.last_year is None or older.last_year >= newer.first_year:
                raise ReferenceDataError(
                    table=form_id, problem=f"editions {older.edition} and {newer.edition} overlap"
                )
        return cls(
            form_id,
            _required(data, "zh", form_id),
            _required(data, "en", form_id),
            _required(data, "kind", form_id),
            items,
            ordered,
        )

    def edition_for(self, year: int) -> Edition | None:
        """The edition in force in ``year``, or ``None`` when the form did not exist then."""
        return next((e for e in self.editions if e.covers(year)), None)

    def edition(self, name: str) -> Edition:
        for edition in self.editions:
            if edition.edition == name:
                return edition
        raise KeyError(f"{self.id}@{name}")

    def items_of(self, edition: Edition) -> Iterator[Item]:
        return (self.items[code] for code in edition.items)

    @property
    def years(self) -> str:
        return f"{self.editions[0].first_year}–{self.editions[-1].last_year or ''}"


def _required(row: Mapping[str, Any], key: str, table: str) -> str:
    value = row.get(key)
    if value in (None, ""):
        raise ReferenceDataError(table=table, problem=f"the key “{key}” is missing in {dict(row)}")
    return str(value)


def _edition(form_id: str, row: Mapping[str, Any], items: Mapping[str, Item]) -> Edition:
    name = _required(row, "edition", form_id)
    unknown = [code for code in row.get("items", []) if code not in items]
    if unknown:
        raise ReferenceDataError(table=form_id, problem=f"edition {name} lists unknown items {unknown}")
    frequencies = tuple(row.get("frequencies", ()))
    if not frequencies or any(f not in FREQUENCIES for f in frequencies):
        raise ReferenceDataError(
            table=form_id, problem=f"edition {name}: frequencies must be in {FREQUENCIES}"
        )
    marks = {key: str(row.get(key, "")) for key in MARKS}
    last = row.get("last_year")
    return Edition(
        form_id,
        name,
        int(row["first_year"]),
        None if last is None else int(last),
        frequencies,
        tuple(row.get("items", ())),
        marks,
        _required(row, "source", form_id),
        tuple(row.get("to_confirm", ())),
    )
