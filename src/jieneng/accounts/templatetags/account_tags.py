"""Template filters of the account pages."""

from __future__ import annotations

from datetime import timedelta

from django import template

register = template.Library()


@register.filter
def minutes(span: timedelta | None) -> int:
    """A duration in whole minutes (the sign-in lockout), rounded up."""
    if not span:
        return 0
    return int(-(-span.total_seconds() // 60))
