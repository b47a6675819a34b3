"""The kinds of document, one module each, registered by code.

A kind gathers its data (:meth:`Kind.snapshot`, a JSON-able mapping read from the other domains'
services), and composes a :class:`~jieneng.core.document.Document` from that snapshot and a text template
(:meth:`Kind.compose`), so a document kept with its snapshot and template is made again exactly. Adding a
kind is one module that calls :func:`register` (and its template file under
``reference/data/templates/``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise

from jieneng.core.document import Block, Document

Snapshot = dict[str, Any]


@dataclass(frozen=True)
class Kind:
    code: str
    name: str | Promise
    #: the placeholders its template may use, and the tables and charts it makes
    fields: Sequence[str]
    markers: Sequence[str]
    snapshot: Callable[[str, str], Snapshot]
    compose: Callable[[Snapshot, Mapping[str, Any]], Document]
    #: the measure word of the regions below (市, 县（市、区）) is the kind's business
    period_help: str | Promise = ""


class NoData(LookupError):
    """The data a kind is made from are not there (e.g. no finalised assessment round for the year);
    the message, in the user's language, says what is missing."""


def document(
    template: Mapping[str, Any], values: Mapping[str, str], blocks: list[Block], data: Snapshot
) -> Document:
    """The document of ``blocks`` with the template's title, mark, addressee, signature and 版记
    filled from ``values``, and the number and date the snapshot carries once issued."""

    def text(key: str) -> str:
        return str(template.get(key, "")).format_map(values)

    return Document(
        title=text("title"),
        blocks=blocks,
        mark=text("mark"),
        number=data.get("number", ""),
        addressee=text("addressee"),
        signature=text("signature"),
        date=data.get("date", ""),
        copy_to=text("copy_to"),
        printed_by=text("printed_by"),
        printed_on=data.get("date", ""),
    )


KINDS: dict[str, Kind] = {}


def register(kind: Kind) -> Kind:
    KINDS[kind.code] = kind
    return kind


def get(code: str) -> Kind | None:
    _load()
    return KINDS.get(code)


def all_kinds() -> list[Kind]:
    _load()
    return list(KINDS.values())


def _load() -> None:
    from jieneng.bulletins.kinds import (  # noqa: F401 (they register themselves)
        assessment,
        progress,
        statistics,
        work_report,
    )
