"""A kind's text template filled with figures: blocks with ``{placeholder}`` fields and markers of
tables and charts, checked before use. Pure: the kinds give the values, the tables and the charts.

A template is a list of blocks, each a mapping with one key: ``heading`` (一、, 黑体), ``heading2``
(（一）, 楷体), ``text`` (a body paragraph), ``table`` or ``chart`` (the name of one the kind makes).
:func:`check` returns the problems of a template against what a kind fills; :func:`fill` makes the
document's blocks. An empty paragraph after filling (a sentence about laggards when there are none) is
left out.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from string import Formatter
from typing import Any

from jieneng.core.document import Block, Heading, Image, Paragraph, Table
from jieneng.core.problems import Problem

TEXT_KEYS = ("heading", "heading2", "text")
MARKER_KEYS = ("table", "chart")
_FIELD = re.compile(r"^[a-z_][a-z0-9_]*$")


def _fields(text: str) -> list[str]:
    """The placeholders of ``text``; raises ValueError on a lone brace."""
    return [name for _lit, name, _spec, _conv in Formatter().parse(text) if name is not None]


def block_kind(block: Mapping[str, Any]) -> tuple[str, str]:
    for key in (*TEXT_KEYS, *MARKER_KEYS):
        if key in block:
            return key, str(block[key])
    return "", ""


def check(
    blocks: Sequence[Mapping[str, Any]],
    fields: Sequence[str],
    markers: Sequence[str],
    *,
    first_paragraph: int = 1,
) -> list[Problem]:
    """Problems of ``blocks`` against the ``fields`` and table/chart ``markers`` a kind fills; paragraphs
    are numbered from ``first_paragraph`` (as the user counts them in their file)."""
    problems: list[Problem] = []
    known = ", ".join(sorted(fields))
    for number, block in enumerate(blocks, start=first_paragraph):
        key, text = block_kind(block)
        if key in MARKER_KEYS:
            if text not in markers:
                problems.append(
                    Problem.make(
                        "template_unknown_marker", paragraph=number, marker=text, known="、".join(markers)
                    )
                )
            continue
        try:
            names = _fields(text)
        except ValueError:
            near = text[max(0, text.find("{") if "{" in text else text.find("}")) :][:20]
            problems.append(Problem.make("template_broken_markup", paragraph=number, near=near))
            continue
        for name in names:
            if not _FIELD.match(name) or name not in fields:
                problems.append(
                    Problem.make(
                        "template_unknown_placeholder", paragraph=number, placeholder=name, known=known
                    )
                )
    return problems


def fill(
    blocks: Sequence[Mapping[str, Any]],
    values: Mapping[str, str],
    tables: Mapping[str, Table],
    charts: Mapping[str, Callable[[], Image | None]],
) -> list[Block]:
    """The document's blocks: text with ``values`` put in, tables and charts where marked."""
    out: list[Block] = []
    for block in blocks:
        key, text = block_kind(block)
        if key == "table":
            if text in tables:
                out.append(tables[text])
        elif key == "chart":
            image = charts[text]() if text in charts else None
            if image is not None:
                out.append(image)
        elif key:
            filled = text.format_map(values).strip()
            if not filled:
                continue
            if key == "text":
                out.append(Paragraph(filled))
            else:
                out.append(Heading(filled, 1 if key == "heading" else 2))
    return out
