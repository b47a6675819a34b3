"""The assessment scoring schemes (``reference/data/schemes/*.toml``) and their loader.

A scheme file has ``kind = "scoring_scheme"``, an ``id`` and a ``version``, and may say
``extends = "<id or path>"`` to change a built-in scheme without code: its groups and items are
merged by id, ``remove = [...]`` drops items, and grades, vetoes and consequences given replace the
base's (:func:`jieneng.core.scoring.merge`). A scheme that cannot be right is refused with every
problem found, each naming the file, the line and the item (:class:`SchemeRefused`).

TOML's parser does not give line numbers; the line of a problem is found by searching the file's
text for the item's id (``id = "x"``, else the first ``"x"``), in the extending file first and then in
the files it extends. ``?`` when the id is written nowhere.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from jieneng.core.errors import JienengError, ReferenceDataError
from jieneng.core.problems import Problem
from jieneng.core.problems import scoring as declared
from jieneng.core.scoring import Scheme, SchemeInvalid, build_scheme, merge
from jieneng.reference import DATA, _read_toml, read_set

FOLDER = DATA / "schemes"
KIND = "scoring_scheme"


class SchemeRefused(JienengError):
    """A scheme file with problems; ``problems`` holds each one, located by file and line."""

    problem_type = declared.SchemeRefused

    def __init__(self, file: str, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__(file=file, count=len(problems))


class UnknownScheme(JienengError):
    problem_type = declared.UnknownScheme


def builtin_schemes() -> list[str]:
    """The ids of the schemes shipped with the package."""
    return sorted(item.name.removesuffix(".toml") for item in FOLDER.iterdir() if item.name.endswith(".toml"))


def is_scheme_file(path: str | Path) -> bool:
    """Whether the TOML file at ``path`` is a scoring scheme (``kind = "scoring_scheme"``)."""
    return _read_toml(Path(path), str(path)).get("kind") == KIND


def load_scheme(ref: str | Path) -> Scheme:
    """A scheme by built-in id (``"gf2007-36-province"``) or by the path of a user's file."""
    ref = str(ref)
    builtins = builtin_schemes()
    if ref not in builtins and not Path(ref).is_file():
        raise UnknownScheme(ref=ref, schemes=", ".join(builtins))
    chain = _chain(ref, ())
    merged: dict[str, Any] | None = None
    try:
        for _name, _text, data in reversed(chain):
            merged = merge(data, merged)
        assert merged is not None
        lineage = tuple(f"{data['id']}@{data['version']}" for _n, _t, data in chain[1:])
        return build_scheme(merged, lineage)
    except SchemeInvalid as exc:
        problems = [_located(issue.code, issue.item, issue.params, chain) for issue in exc.issues]
        raise SchemeRefused(file=chain[0][0], problems=problems) from exc


def _chain(ref: str, seen: tuple[str, ...]) -> list[tuple[str, str, dict[str, Any]]]:
    """``(file name, text, mapping)`` of the scheme and of each scheme it extends, nearest first."""
    data, parent = read_set(ref, seen, FOLDER, builtin_schemes(), "scheme")
    if data.get("kind") != KIND:
        raise ReferenceDataError(table=ref, problem=f'not a scoring scheme (kind = "{KIND}" is missing)')
    builtin = ref in builtin_schemes() and not Path(ref).is_file()
    path = FOLDER / f"{ref}.toml" if builtin else Path(ref)
    own = (f"{ref}.toml" if builtin else Path(ref).name, path.read_text(encoding="utf-8"), data)
    return [own, *(_chain(parent, (*seen, ref)) if parent else [])]


def line_of(text: str, item: str) -> int | None:
    """The line (1-based) of ``id = "item"`` in ``text``, else of the first ``"item"``; None if neither."""
    quoted = re.escape(f'"{item}"')
    for pattern in (rf"\b(?:id|name)\s*=\s*{quoted}", quoted):
        match = re.search(pattern, text)
        if match:
            return text.count("\n", 0, match.start()) + 1
    return None


def _located(
    code: str, item: str, params: dict[str, Any], chain: list[tuple[str, str, dict[str, Any]]]
) -> Problem:
    name, line = chain[0][0], None
    for file, text, _data in chain:
        line = line_of(text, item)
        if line is not None:
            name = file
            break
    shown = "?" if line is None else line
    return Problem.make(code, row=line, value=item, file=name, line=shown, item=item, **params)


def scheme_mapping(ref: str | Path) -> tuple[dict[str, Any], tuple[str, ...]]:
    """The merged mapping of a scheme and its lineage, checked: what an assessment round stores, so
    that :func:`scheme_of` rebuilds the very scheme it was opened with after the files change."""
    scheme = load_scheme(ref)  # refuses a bad scheme, naming file, line and item
    chain = _chain(str(ref), ())
    merged: dict[str, Any] | None = None
    for _name, _text, data in reversed(chain):
        merged = merge(data, merged)
    if merged is None:
        raise UnknownScheme(ref=str(ref), schemes=", ".join(builtin_schemes()))
    return merged, scheme.lineage


def scheme_of(mapping: dict[str, Any], lineage: tuple[str, ...] = ()) -> Scheme:
    """The scheme of a stored mapping (:func:`scheme_mapping`)."""
    return build_scheme(mapping, lineage)
