"""Messages in the user's language through Django's i18n (zh-hans first, English available).

The core raises errors and the readers and checks report problems with an English template (the
msgid) and parameters; this module renders them with the active translation. It is the only way
:mod:`jieneng.io` and the core's callers reach Django's translation, and it imports Django only when a
message is rendered, so that ``jieneng.core`` and ``jieneng.io`` import without Django. The command
line calls :func:`activate` once; the web uses Django's LocaleMiddleware.
"""

from __future__ import annotations

import os

from jieneng import config
from jieneng.config import DEFAULT_LANGUAGE, LANGUAGES
from jieneng.core.errors import JienengError
from jieneng.core.problems import Problem, gettext_noop

__all__ = ["DEFAULT_LANGUAGE", "LANGUAGES", "activate", "ensure_django", "message"]

_WHERE = {
    (True, True): gettext_noop("Row %(row)s, column “%(column)s”"),
    (True, False): gettext_noop("Row %(row)s"),
    (False, True): gettext_noop("Column “%(column)s”"),
}
_LOCATED = gettext_noop("%(where)s: %(message)s")


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
    return gettext(error.template) % error.params


def render(problem: Problem) -> str:
    """The problem's message in the active language."""
    return gettext(problem.template) % problem.params


def describe(problem: Problem) -> str:
    """``Row 7, column “数量”: <message>`` in the active language."""
    where = _WHERE.get((problem.row is not None, problem.column is not None))
    if where is None:
        return render(problem)
    place = gettext(where) % {"row": problem.row, "column": problem.column}
    return gettext(_LOCATED) % {"where": place, "message": render(problem)}
