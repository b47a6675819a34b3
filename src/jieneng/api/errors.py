"""Errors of the JSON API as JSON in the request's language: ``{"detail": "<message>"}``.

401 without a valid session or token, 403 for a capability the caller lacks, 404 for anything outside
the caller's place (as if it did not exist), 409 for a review action on a submission not awaiting it,
400 for a request the services refuse, 422 (with ``errors``, one per field) for a malformed request.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja.errors import AuthenticationError, HttpError, ValidationError

if TYPE_CHECKING:
    from ninja import NinjaAPI


class BadRequest(HttpError):
    def __init__(self, message: str, **extra: Any) -> None:
        super().__init__(400, message)
        self.extra = extra


class Forbidden(HttpError):
    def __init__(self, message: str) -> None:
        super().__init__(403, message)


class NotFound(HttpError):
    def __init__(self, message: str) -> None:
        super().__init__(404, message)


class Conflict(HttpError):
    def __init__(self, message: str, **extra: Any) -> None:
        super().__init__(409, message)
        self.extra = extra


class Unprocessable(HttpError):
    """Values the model refuses (``{field: [messages]}``), answered like a malformed request."""

    def __init__(self, messages: dict[str, list[str]]) -> None:
        super().__init__(422, _("Some values of the request are not valid; see “errors”."))
        self.extra = {
            "errors": [
                {"location": "body", "field": field, "message": text}
                for field, texts in messages.items()
                for text in texts
            ]
        }


class NotSignedIn(AuthenticationError):
    """No session and no valid token; ``message`` says which."""

    def __init__(self, message: str = "") -> None:
        super().__init__(401, message)


def not_signed_in_message() -> str:
    return _("Sign in first, or send an API token in the header “Authorization: Bearer <token>”.")


def bad_token_message() -> str:
    return _(
        "This API token is not valid: it may have been revoked or have expired. "
        "Make a new one under “API tokens” on the page “My account” (/accounts/tokens/)."
    )


def install(api: NinjaAPI) -> None:
    """Put the handlers of this module on ``api``."""

    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        data: dict[str, Any] = {"detail": str(exc)}
        data.update(getattr(exc, "extra", {}))
        return api.create_response(request, data, status=exc.status_code)

    def unauthorised(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        message = str(exc) if isinstance(exc, NotSignedIn) and str(exc) else not_signed_in_message()
        response = api.create_response(request, {"detail": message}, status=401)
        response["WWW-Authenticate"] = 'Bearer realm="jieneng"'
        return response

    def invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        errors = [_field_error(error) for error in exc.errors]
        detail = _("Some values of the request are not valid; see “errors”.")
        return api.create_response(request, {"detail": detail, "errors": errors}, status=422)

    # Ninja types a handler's second argument as the exception or its class; it is always the instance
    api.add_exception_handler(HttpError, http_error)  # type: ignore[arg-type]
    api.add_exception_handler(AuthenticationError, unauthorised)  # type: ignore[arg-type]
    api.add_exception_handler(ValidationError, invalid)  # type: ignore[arg-type]


def _field_error(error: dict[str, Any]) -> dict[str, Any]:
    """One pydantic error as ``{"location", "field", "message"}``, the message in the user's language."""
    loc = [str(part) for part in error.get("loc", ())]
    where = loc[0] if loc else ""
    if where == "body" and loc[1:2] == ["body"]:  # the endpoints' body parameter is called ``body``
        loc = loc[1:]
    field = ".".join(loc[1:]) or where
    return {"location": where, "field": field, "message": _message(error)}


#: pydantic's error type → (message, the key of the error's context that fills ``%(value)s``)
MESSAGES: dict[str, tuple[Any, str | None]] = {
    "missing": (gettext_lazy("This value is required."), None),
    "int_parsing": (gettext_lazy("Enter a whole number."), None),
    "int_type": (gettext_lazy("Enter a whole number."), None),
    "int_from_float": (gettext_lazy("Enter a whole number."), None),
    "float_parsing": (gettext_lazy("Enter a number."), None),
    "float_type": (gettext_lazy("Enter a number."), None),
    "less_than_equal": (gettext_lazy("Enter a number no larger than %(value)s."), "le"),
    "greater_than_equal": (gettext_lazy("Enter a number no smaller than %(value)s."), "ge"),
    "string_too_short": (gettext_lazy("This value cannot be empty."), None),
    "string_too_long": (gettext_lazy("Use at most %(value)s characters."), "max_length"),
    "enum": (gettext_lazy("Choose one of: %(value)s."), "expected"),
    "literal_error": (gettext_lazy("Choose one of: %(value)s."), "expected"),
    "json_invalid": (gettext_lazy("The request body must be a JSON object."), None),
    "model_attributes_type": (gettext_lazy("The request body must be a JSON object."), None),
    "dict_type": (gettext_lazy("The request body must be a JSON object."), None),
}


def _message(error: dict[str, Any]) -> str:
    kind = str(error.get("type", ""))
    ctx = error.get("ctx") or {}
    if kind == "value_error":  # raised by the schemas' own checks, already in the user's language
        return str(ctx.get("error") or error.get("msg", ""))
    template, key = MESSAGES.get(kind, (gettext_lazy("This value is not valid."), None))
    return str(template) % {"value": ctx.get(key, "")} if key else str(template)
