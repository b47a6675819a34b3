"""Loaders of the bulletins' reference data: the rounding of figures (``bulletins/rounding.toml``), the
document layout (``templates/gbt9704-2012.toml``) and the text templates of the kinds
(``templates/<kind>.toml``). Each file has an id, a version and its source."""

from __future__ import annotations

from functools import cache
from typing import Any

from jieneng.core.document import Layout
from jieneng.core.errors import ReferenceDataError
from jieneng.core.wording import Rounding
from jieneng.reference import DATA, _read_toml

DEFAULT_LAYOUT = "gbt9704-2012"
DEFAULT_ROUNDING = "rounding"


@cache
def load_rounding(name: str = DEFAULT_ROUNDING) -> Rounding:
    return Rounding.from_mapping(_read_toml(DATA / "bulletins" / f"{name}.toml", name))


@cache
def load_layout(ident: str = DEFAULT_LAYOUT) -> Layout:
    layout = Layout.from_mapping(_read_toml(DATA / "templates" / f"{ident}.toml", ident))
    if layout.id != ident:
        raise ReferenceDataError(table=ident, problem=f"the file's id is {layout.id!r}")
    return layout


def builtin_templates() -> list[str]:
    folder = DATA / "templates"
    return sorted(
        p.name.removesuffix(".toml")
        for p in folder.iterdir()
        if p.name.endswith(".toml") and p.name.removesuffix(".toml") != DEFAULT_LAYOUT
    )


@cache
def load_template(kind: str) -> dict[str, Any]:
    """The built-in text template of a kind: ``id``, ``version``, ``title``, ``blocks`` (each a mapping
    with one of ``heading``, ``heading2``, ``text``, ``table``, ``chart``)."""
    if kind not in builtin_templates():
        raise ReferenceDataError(table=kind, problem="no such document template")
    data = _read_toml(DATA / "templates" / f"{kind}.toml", kind)
    if data.get("id") != kind or "version" not in data or not isinstance(data.get("blocks"), list):
        raise ReferenceDataError(table=kind, problem="a template needs id (its file name), version, blocks")
    return data
