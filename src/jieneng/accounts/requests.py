"""The request types of jieneng's views: Django's :class:`~django.http.HttpRequest` plus what the
middleware and the sign-in decorators add to it, for the type checker.

``ScopeMiddleware`` gives every request its ``scope``; behind ``login_required`` the user is a
signed-in :class:`~django.contrib.auth.models.User`. The API's token authentication also records the
token it accepted (``api_token``) and Django Ninja the authenticated user (``auth``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import HttpRequest

if TYPE_CHECKING:
    from django.contrib.auth.models import User

    from jieneng.accounts.models import ApiToken
    from jieneng.accounts.scope import Scope


class ScopedRequest(HttpRequest):
    """A request that went through ``ScopeMiddleware`` (every request of the site)."""

    scope: Scope


class SignedInRequest(ScopedRequest):
    """A request of a view behind ``login_required``: its user is signed in."""

    user: User


class ApiRequest(ScopedRequest):
    """A request of an API endpoint after authentication (session or bearer token)."""

    auth: User
    api_token: ApiToken
