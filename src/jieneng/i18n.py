"""Messages in the user's language through Django's i18n (zh-hans first, English available).

The core raises errors with an English template (the msgid) and parameters; this module renders
them with the active translation. The command line calls :func:`activate` once; the web uses
Django's LocaleMiddleware and only needs :func:`message`.
"""

from __future__ import annotations

import os

from jieneng import config
from jieneng.config import DEFAULT_LANGUAGE, LANGUAGES
from jieneng.core.errors import JienengError

__all__ = ["DEFAULT_LANGUAGE", "LANGUAGES", "activate", "ensure_django", "message"]


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


def message(error: JienengError) -> str:
    """The error's message in the active language."""
    from django.utils.translation import gettext

    return str(gettext(error.template) % error.params)
