"""Who calls the API: a browser session (with CSRF on changes) or a machine's bearer token.

A token acts as its user limited to the token's capabilities: the request gets
``request.scope = Scope(token.user, limit=token.capabilities)`` and the token's user is the actor of
every audited change the request makes. A session keeps the scope its middleware gave it.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, cast

from auditlog.cid import correlation_id
from auditlog.context import set_actor
from django.conf import settings
from django.contrib.auth.models import User
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from ninja.security import APIKeyCookie, HttpBearer
from ninja.utils import check_csrf

from jieneng.accounts.audit import TOKEN_MARK
from jieneng.accounts.models import ApiToken
from jieneng.accounts.requests import ApiRequest
from jieneng.accounts.scope import Scope
from jieneng.api.errors import Forbidden, NotSignedIn, bad_token_message, not_signed_in_message


class TokenAuth(HttpBearer):
    """``Authorization: Bearer <secret>`` with a secret made on the page “My account”."""

    def __call__(self, request: HttpRequest) -> User | None:
        header = request.headers.get(self.header, "")
        if not header:
            return None
        scheme, _space, secret = header.partition(" ")
        if scheme.lower() != self.openapi_scheme:
            raise NotSignedIn(not_signed_in_message())
        return self.authenticate(request, secret)

    def authenticate(self, request: HttpRequest, token: str) -> User:
        found = ApiToken.lookup(token) if token.strip() else None
        if found is None:
            raise NotSignedIn(bad_token_message())  # no falling back to a session: the caller meant a token
        authenticated = cast(ApiRequest, request)  # this is where the request gets its token
        authenticated.api_token = found
        authenticated.user = found.user
        authenticated.scope = Scope(found.user, limit=found.capabilities)
        return found.user


class SessionAuth(APIKeyCookie):
    """The signed-in browser session; a change (POST, PATCH…) must carry the CSRF token."""

    param_name = settings.SESSION_COOKIE_NAME

    def __call__(self, request: HttpRequest) -> Any:
        user = request.user
        if not user.is_authenticated:
            return None
        if self.csrf and not getattr(request, "_ninja_csrf_exempt", False) and check_csrf(request):
            raise Forbidden(
                _(
                    "The request has no valid CSRF token. Send the csrftoken cookie's value in the "
                    "X-CSRFToken header, or use an API token."
                )
            )
        return user

    def _get_key(self, request: HttpRequest) -> str | None:
        return request.COOKIES.get(self.param_name)

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = request.user
        return user if user.is_authenticated else None


def token_mark(token: ApiToken) -> str:
    """What the audit trail keeps (as the entry's ``cid``) of the token that made a change."""
    return f"{TOKEN_MARK}{token.pk}"


def act_as_caller(view: Callable[..., Any]) -> Callable[..., Any]:
    """Run an endpoint with the token's user as the audit trail's actor, and the token as the entries'
    ``cid`` (a session's actor is set already)."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        token = getattr(request, "api_token", None)
        if token is None:
            return view(request, *args, **kwargs)
        mark = correlation_id.set(token_mark(token))  # the trail records which token acted
        try:
            with set_actor(token.user, remote_addr=request.META.get("REMOTE_ADDR")):
                return view(request, *args, **kwargs)
        finally:
            correlation_id.reset(mark)

    return wrapper


def signed_in(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """For the API's description and docs page: a session or a valid token; else the sign-in page (the
    docs page) or 401 (the OpenAPI document)."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.user.is_authenticated:
            return view(request, *args, **kwargs)
        header = request.headers.get("Authorization", "")
        scheme, _space, secret = header.partition(" ")
        if scheme.lower() == "bearer" and secret.strip() and ApiToken.lookup(secret) is not None:
            return view(request, *args, **kwargs)
        match = request.resolver_match
        if not header and match is not None and match.url_name == "openapi-view":
            return redirect_to_login(request.get_full_path())
        message = bad_token_message() if header else not_signed_in_message()
        response = JsonResponse({"detail": message}, status=401, json_dumps_params={"ensure_ascii": False})
        response["WWW-Authenticate"] = 'Bearer realm="jieneng"'
        return response

    return wrapper
