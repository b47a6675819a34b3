"""The Content-Security-Policy of every answer: scripts only from the site's own files (no inline
script, no ``eval``: chart options travel as ``json_script`` data), nothing embedded from elsewhere,
the site in no frame. Inline styles stay allowed (the charts and htmx set them). HSTS is Django's
``SecurityMiddleware`` (``JIENENG_HSTS_SECONDS``), sent on answers over HTTPS."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "connect-src 'self'",
        "font-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", POLICY)
        return response
