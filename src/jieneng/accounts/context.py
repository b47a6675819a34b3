"""Template context: ``can`` (capability → whether the user has it anywhere) and ``place`` (the
user's home node), for the menu and the pages."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from jieneng.accounts.roles import CAPABILITIES


def place(request: HttpRequest) -> dict[str, Any]:
    scope = getattr(request, "scope", None)
    if scope is None or not request.user.is_authenticated:
        return {"can": dict.fromkeys(CAPABILITIES, False), "place": None}
    return {"can": {c: scope.can(c) for c in CAPABILITIES}, "place": scope.home}
