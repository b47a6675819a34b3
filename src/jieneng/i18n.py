"""Messages in the user's language through Django's i18n (zh-hans first, English available).

The core raises errors with an English template (the msgid) and parameters; this module renders
them with the active translation. The command line calls :func:`activate` once; the web uses
Django's LocaleMiddleware and only needs :func:`message`.
"""

from __future__ import annotations

import os

from jieneng.core.errors import JienengError

DEFAULT_LANGUAGE = "zh-hans"
LANGUAGES = ("zh-hans", "en")


def ensure_django() -> None:
    """Configure Django with the project's settings if nothing has yet (command-line use)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jieneng.web.settings")
    from django.apps import apps

    if not apps.ready:
        import django

        django.setup()


def activate(language: str | None = None) -> str:
    """Activate ``language`` (or ``$JIENENG_LANG``, or zh-hans) for this thread; return it."""
    ensure_django()
    from django.utils import translation

    chosen = (language or os.environ.get("JIENENG_LANG") or DEFAULT_LANGUAGE).lower().replace("_", "-")
    if chosen in ("zh", "zh-cn", "zh-hans-cn"):
        chosen = "zh-hans"
    if chosen not in LANGUAGES:
        chosen = DEFAULT_LANGUAGE
    translation.activate(chosen)
    return chosen


def message(error: JienengError) -> str:
    """The error's message in the active language."""
    from django.utils.translation import gettext

    return str(gettext(error.template) % error.params)
