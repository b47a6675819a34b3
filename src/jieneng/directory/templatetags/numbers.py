"""One way of writing numbers on every page, as Chinese statistical tables do: thousands separators
and a fixed number of decimals (``91,788.10``, ``6,895``), the same in every language; a missing
value is a dash. Load with ``{% load numbers %}``."""

from __future__ import annotations

import math

from django import template

register = template.Library()
DASH = "—"


@register.filter
def grouped(value: float | int | str | None, decimals: int = 0) -> str:
    """``91788.1|grouped:2`` → ``91,788.10``; ``6895|grouped`` → ``6,895``; empty or not a number → —."""
    if value is None or value == "":
        return DASH
    try:
        number = float(value)
    except (TypeError, ValueError):
        return str(value)
    if math.isnan(number) or math.isinf(number):
        return DASH
    return f"{number:,.{int(decimals)}f}"
