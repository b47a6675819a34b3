"""Messages in the user's language through Django's i18n (zh-hans first, English available).

The core raises errors and the readers and checks report problems with an English template (the
msgid) and parameters; this module renders them with the active translation. It is the only way
:mod:`jieneng.io` and the core's callers reach Django's translation, and it imports Django only when a
message is rendered, so that ``jieneng.core`` and ``jieneng.io`` import without Django. The command
line calls :func:`activate` once; the web uses Django's LocaleMiddleware.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from functools import cache
from typing import Any

from jieneng import config
from jieneng.config import DEFAULT_LANGUAGE, LANGUAGES
from jieneng.core.errors import JienengError
from jieneng.core.problems import Family, Problem, gettext_noop

__all__ = ["DEFAULT_LANGUAGE", "LANGUAGES", "activate", "ensure_django", "message"]

_WHERE = {
    (True, True): gettext_noop("Row %(row)s, column “%(column)s”"),
    (True, False): gettext_noop("Row %(row)s"),
    (False, True): gettext_noop("Column “%(column)s”"),
}
_LOCATED = gettext_noop("%(where)s: %(message)s")

#: how a report frequency is named in a message (``month`` → 按月)
FREQUENCY_NAMES = {
    "month": gettext_noop("monthly"),
    "quarter": gettext_noop("quarterly"),
    "year": gettext_noop("yearly"),
}
#: parameters that carry internal codes (an energy type, a frequency, a unit symbol, an item)
_CODED = frozenset({"label", "item", "energy", "unit", "expected", "frequency", "frequencies", "allowed"})
_TOKEN = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def ensure_django() -> None:
    """Configure Django with the project's settings if nothing has yet (command-line use)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jieneng.web.settings")
    from django.apps import apps

    if not apps.ready:
        import django

        django.setup()


def activate(language: str | None = None) -> str:
    """Activate ``language`` (or the setting ``JIENENG_LANG``, zh-hans unless set) for this thread; return
    it. A language other than ours falls back to zh-hans."""
    ensure_django()
    from django.utils import translation

    chosen = (config.language_code(language) or DEFAULT_LANGUAGE) if language else config.current().lang
    translation.activate(chosen)
    return chosen


def gettext(msgid: str) -> str:
    """``msgid`` in the active language."""
    from django.utils.translation import gettext as translate

    return str(translate(msgid))


def translated(msgid: str, language: str) -> str:
    """``msgid`` in ``language``, whatever language is active."""
    from django.utils import translation

    with translation.override(language):
        return gettext(msgid)


def get_language() -> str | None:
    """The active language code (``zh-hans``, ``en``), None when translation is deactivated."""
    from django.utils.translation import get_language as active

    language = active()
    return None if language is None else str(language)


def message(error: JienengError) -> str:
    """The error's message in the active language."""
    return gettext(error.template) % display_params(error.params)


def render(problem: Problem) -> str:
    """The problem's message in the active language, items, units and periods by their display names
    (except in the command line's own problems, whose values are what the user types: ``--by month``)."""
    if problem.declaration.family == Family.COMMAND:
        return gettext(problem.template) % problem.params
    return gettext(problem.template) % display_params(problem.params)


def display_params(params: Mapping[str, Any], language: str | None = None) -> dict[str, Any]:
    """``params`` with every internal code (an energy type, a report frequency, a unit symbol) in a
    parameter replaced by its name in ``language`` (the active one by default).

    ``label`` (a form item's code) becomes ``item_zh`` or ``item_en`` when the record carries them.
    Only the parameters that carry codes are changed; what the user wrote (``value``, ``column``) never.
    """
    english = (language or get_language() or DEFAULT_LANGUAGE).startswith("en")
    names = _display_names("en" if english else "zh")
    shown = dict(params)
    for key, value in params.items():
        if key not in _CODED or not isinstance(value, str):
            continue
        if key == "label":
            item = params.get("item_en" if english else "item_zh")
            if isinstance(item, str) and item:
                shown[key] = item
                continue
        shown[key] = _TOKEN.sub(lambda m: names.get(m.group(0), m.group(0)), value)
    return shown


@cache
def _display_names(language: str) -> Mapping[str, str]:
    """Internal code → display name in ``language`` (``zh`` or ``en``): energy types, frequencies, units."""
    from jieneng.reference import load_energy_types
    from jieneng.reference.headers import load_unit_names

    names: dict[str, str] = dict(load_unit_names()[language])
    for code, energy in load_energy_types().types.items():
        names[code] = energy.en if language == "en" else energy.zh
    for code, msgid in FREQUENCY_NAMES.items():
        names[code] = translated(msgid, "en" if language == "en" else DEFAULT_LANGUAGE)
    return names


def internal_codes() -> frozenset[str]:
    """Every internal code :func:`display_params` replaces, for the tests of the messages: energy
    types, frequencies and the unit symbols users never write (``m3``; ``kWh`` is written as it is)."""
    english = _display_names("en")
    return frozenset(
        code for code in _display_names("zh") if _TOKEN.fullmatch(code) and english.get(code, code) != code
    )


def describe(problem: Problem) -> str:
    """``Row 7, column “数量”: <message>`` in the active language."""
    where = _WHERE.get((problem.row is not None, problem.column is not None))
    if where is None:
        return render(problem)
    place = gettext(where) % {"row": problem.row, "column": problem.column}
    return gettext(_LOCATED) % {"where": place, "message": render(problem)}
