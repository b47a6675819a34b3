"""The names of the anomaly rules and of their evidence figures, in the user's language."""

from __future__ import annotations

from django import template
from django.utils.translation import gettext_lazy as _

register = template.Library()

TITLES = {
    "night_base_load": (
        _("Night base load"),
        _(
            "The mean load at night (0–6 h) on weekdays is a large share of the working-hours load: "
            "the building does not switch off at night."
        ),
    ),
    "weekend_base_load": (
        _("Weekend base load"),
        _("The mean load at weekends is a large share of the weekday working-hours load."),
    ),
    "spike": (_("Spike"), _("Hours far above the meter's usual working-hour consumption.")),
    "flat_line": (
        _("Flat line (stuck meter)"),
        _("The same non-zero value hour after hour: the meter is stuck or its values are estimated."),
    ),
    "gap": (_("Gap in the readings"), _("Hours without any reading.")),
    "negative": (_("Negative interval"), _("Consumption below zero: a meter wired or configured backwards.")),
    "register_reset": (
        _("Register reset or replaced"),
        _(
            "The register fell without rolling over: the meter was reset or replaced; "
            "that interval is unknown."
        ),
    ),
    "submeter_excess": (
        _("Sub-meters above their parent"),
        _(
            "The sub-meters' sum on a day is above the parent meter's: a sub-meter double counts "
            "or the parent under-reads."
        ),
    ),
}
EVIDENCE = {
    "base": _("Base load (mean per hour)"),
    "working": _("Working hours (mean per hour)"),
    "ratio": _("Ratio"),
    "limit": _("Threshold"),
    "peak": _("Highest hour"),
    "median": _("Median working hour"),
    "hours": _("Hours"),
    "value": _("Value"),
    "lowest": _("Lowest hour"),
    "parent": _("Parent meter"),
    "children": _("Sub-meters' sum"),
    "tolerance": _("Tolerance"),
}


@register.filter
def rule_title(code: str) -> str:
    return str(TITLES[code][0]) if code in TITLES else str(_("Other"))


@register.filter
def rule_description(code: str) -> str:
    return str(TITLES[code][1]) if code in TITLES else ""


@register.filter
def evidence_title(key: str) -> str:
    return str(EVIDENCE.get(key, key))


@register.filter
def subtract(value: float | None, other: float | None) -> float | None:
    """``reported|subtract:metered``: the difference, or None when one is missing."""
    if value is None or other is None:
        return None
    return float(value) - float(other)
