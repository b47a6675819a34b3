"""``request.scope``: the signed-in user's :class:`~jieneng.accounts.scope.Scope`, made on first use."""

from __future__ import annotations

from collections.abc import Callable
from typing import cast

from django.http import HttpRequest, HttpResponse
from django.utils.functional import SimpleLazyObject

from jieneng.accounts.requests import ScopedRequest
from jieneng.accounts.scope import Scope, scope_for


class ScopeMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        scoped = cast(ScopedRequest, request)  # this is where a request becomes one
        # the lazy object stands for the Scope it makes on first use
        scoped.scope = cast(Scope, SimpleLazyObject(lambda: scope_for(request.user)))
        return self.get_response(request)
