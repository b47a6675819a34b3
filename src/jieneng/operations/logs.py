"""Log lines: one per request (logger ``jieneng.requests``) and one per import job (``jieneng.jobs``).

A line carries ids, never names: the user's id and the code of the user's place (a region code or an
organisation's credit code), the path without its query string (which may hold search words). The
fields travel in the record's ``fields`` (``logger.info(event, extra={"fields": {...}})``);
:class:`JsonFormatter` writes one JSON object per line, :class:`TextFormatter` ``key=value`` pairs.
``JIENENG_LOG_FORMAT`` chooses (``LOGGING`` in :mod:`jieneng.web.settings`).
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from django.http import HttpRequest, HttpResponse

request_log = logging.getLogger("jieneng.requests")


def _fields(record: logging.LogRecord) -> dict[str, Any]:
    fields = getattr(record, "fields", None)
    return dict(fields) if isinstance(fields, dict) else {}


def _time(record: logging.LogRecord) -> str:
    return datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds")


class JsonFormatter(logging.Formatter):
    """``{"time": …, "level": …, "logger": …, "event": …, <fields>}`` on one line."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": _time(record),
            "level": record.levelname,
            "logger": record.name,
            "event": record.getMessage(),
            **_fields(record),
        }
        if record.exc_info:
            line["error"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False, default=str)


class TextFormatter(logging.Formatter):
    """``2026-12-02T04:00:00.000+00:00 INFO jieneng.requests request method=GET path=/ status=200 …``"""

    def format(self, record: logging.LogRecord) -> str:
        pairs = " ".join(f"{key}={value}" for key, value in _fields(record).items())
        text = f"{_time(record)} {record.levelname} {record.name} {record.getMessage()}"
        text = f"{text} {pairs}" if pairs else text
        if record.exc_info:
            text = f"{text}\n{self.formatException(record.exc_info)}"
        return text


def _place(request: HttpRequest) -> str | None:
    scope = getattr(request, "scope", None)
    if scope is None:
        return None
    try:
        home = scope.home
    except Exception:  # the scope could not be made (a database error): the line is still written
        return None
    return None if home is None else str(home.code)


def request_fields(request: HttpRequest, response: HttpResponse, duration_ms: float) -> dict[str, Any]:
    user = getattr(request, "user", None)
    signed_in = bool(getattr(user, "is_authenticated", False))
    return {
        "method": request.method,
        "path": request.path,
        "status": response.status_code,
        "duration_ms": round(duration_ms, 1),
        "user": getattr(user, "pk", None) if signed_in else None,
        "place": _place(request) if signed_in else None,
    }


class RequestLogMiddleware:
    """First in ``MIDDLEWARE``: times the request through every other middleware and the view."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        began = time.perf_counter()
        response = self.get_response(request)
        if request_log.isEnabledFor(logging.INFO):
            duration = (time.perf_counter() - began) * 1000
            request_log.info("request", extra={"fields": request_fields(request, response, duration)})
        return response
