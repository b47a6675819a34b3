"""Number formatting for the overview: thousands separators, fixed decimals, arrows for changes.

Formatting is the same in every language (1,234.56), as in Chinese statistical tables.
"""

from __future__ import annotations

import math
from typing import TypeGuard, cast

from django import template
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from jieneng.dashboard.tables import CHANGE, TEXT, Cell, Column
from jieneng.directory.templatetags.numbers import grouped

register = template.Library()
DASH = "—"


def _present(value: float | None) -> TypeGuard[float]:
    """A value: not missing (no data, or a ratio with a zero denominator: None) and not NaN."""
    return value is not None and not math.isnan(value)


@register.filter
def number(value: float | None, decimals: int = 2) -> str:
    """``1234.5`` → ``1,234.50``; a missing value (no data, or a zero denominator) → ``—``: the
    number format of every page (:func:`jieneng.directory.templatetags.numbers.grouped`)."""
    return grouped(value, decimals)


@register.filter
def change(value: float | None) -> SafeString:
    """A change [%] with an arrow: ↓ in green (consumption fell: good), ↑ in red, → when unchanged."""
    if not _present(value):
        return format_html('<span class="change none" title="{}">{}</span>', _("not available"), DASH)
    rounded = round(value, 2)
    if rounded < 0:
        return format_html('<span class="change good">↓{}%</span>', f"{-rounded:,.2f}")
    if rounded > 0:
        return format_html('<span class="change bad">↑{}%</span>', f"{rounded:,.2f}")
    return mark_safe('<span class="change same">→0.00%</span>')


@register.filter
def wan(value: float | None) -> str:
    """Yuan → 万元 with 2 decimals."""
    if not _present(value):
        return DASH
    return number(value / 10_000, 2)


@register.filter
def bar(value: float | None) -> str:
    """A share [%] as a CSS width between 0 and 100, with a dot as decimal mark whatever the language."""
    if not _present(value):
        return "0"
    return f"{min(max(value, 0.0), 100.0):.2f}"


@register.simple_tag
def cell(column: Column, value: object) -> str:
    """A table cell's value as its column reads: text, a number with the column's decimals, or a change."""
    if column.kind == TEXT:
        # Django escapes any object (as text); its stubs accept only text
        return conditional_escape("" if value is None else value)  # type: ignore[arg-type]
    if column.kind == CHANGE:
        return change(cast("float | None", value))
    return number(cast("float | None", value), column.decimals)


@register.simple_tag
def td(c: Cell) -> SafeString:
    """A whole table cell: ``<th scope="row">`` for a row's first cell, numbers right-aligned, the row's
    link on its first text cell."""
    inner = cell(c.column, c.value)
    if c.href:
        inner = format_html('<a href="{}">{}</a>', c.href, inner)
    css = "" if c.column.kind == TEXT else ' class="num"'
    if c.header:
        return format_html('<th scope="row"{}>{}</th>', mark_safe(css), inner)  # noqa: S308 (a constant)
    return format_html("<td{}>{}</td>", mark_safe(css), inner)  # noqa: S308 (a constant)


@register.simple_tag
def coefficient_set(ref: str) -> SafeString:
    """The coefficient set(s) of ``ref`` by title in the user's language; the ``id@version`` that a
    figure records is one click away (a disclosure), for those who reproduce the figures."""
    from jieneng.dashboard.services import coefficient_title

    if not ref:
        return mark_safe("")
    return format_html(
        '{}<details class="set-ref"><summary>{}</summary><code>{}</code></details>',
        _("Standard-coal coefficients: "),
        coefficient_title(ref),
        ref,
    )


#: totals of 10,000 or more of these units read in 万 of them, as the offices' documents write them
_TEN_THOUSANDS = {"tce": gettext_noop("10,000 tce"), "tCO₂": gettext_noop("10,000 tCO₂")}


@register.simple_tag
def amount(value: float | None, unit: str) -> tuple[str, str]:
    """A total and its unit as the documents write them: ``30,144.70 tce`` → ``3.01 万吨标准煤``;
    below 10,000, or in another unit, the value with 2 decimals."""
    if _present(value) and unit in _TEN_THOUSANDS and abs(value) >= 10_000:
        return number(value / 10_000, 2), _(_TEN_THOUSANDS[unit])
    return number(value, 2), unit
