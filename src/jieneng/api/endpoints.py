"""The JSON API under ``/api/v1/``: directory, submissions and review, indicators.

Every endpoint needs a signed-in session (with CSRF on changes) or an API token, and reads through the
caller's scope (:mod:`jieneng.api.access`). The OpenAPI document is ``/api/v1/openapi.json``; the docs
page ``/api/v1/docs`` runs on the static files bundled with django-ninja, nothing from elsewhere.
"""

from __future__ import annotations

from types import MappingProxyType
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from ninja import NinjaAPI, Swagger
from ninja.openapi.schema import OpenAPISchema
from ninja.renderers import JSONRenderer

from jieneng.api import bulletins, directory, errors, indicators, monitoring, projects, submissions, targets
from jieneng.api.auth import SessionAuth, TokenAuth, act_as_caller, signed_in
from jieneng.core.finite import finite

TITLE = _("jieneng API")
DESCRIPTION = """\
The directory (regions, organisations, yearly facts), submissions and their review, and the
indicators of the public-institution energy statistics.

**Sign-in.** Send `Authorization: Bearer <token>` with a token made on the page “My account”
(`/accounts/tokens/`); it acts as its user, limited to the capabilities chosen for it. From a browser
the signed-in session works too; changes then need the CSRF token in the `X-CSRFToken` header.

**Scope.** You see what your place holds: a region and everything below it, a department and its
units, or one unit. Anything else answers 404, as if it did not exist; an action your role does not
allow there answers 403.

**Units.** Energy in kgce or tce (standard coal), water in m³, area in m², money in 元 (yuan).
Messages are in the request's language (`Accept-Language`; Chinese by default).
"""


class Api(NinjaAPI):
    """The API whose title (the docs page's too) and description are in the request's language."""

    def get_openapi_schema(self, **kwargs: Any) -> OpenAPISchema:
        schema = super().get_openapi_schema(**kwargs)
        schema["info"] = {**schema["info"], "title": str(TITLE), "description": gettext(DESCRIPTION)}
        return schema


class Renderer(JSONRenderer):
    """JSON with Chinese as it is, and never NaN or Infinity (not JSON): a non-finite number is null."""

    json_dumps_params = MappingProxyType({"ensure_ascii": False, "allow_nan": False})

    def render(self, request: HttpRequest, data: Any, *, response_status: int) -> Any:
        return super().render(request, finite(data), response_status=response_status)


api = Api(
    title=TITLE,  # type: ignore[arg-type]  # a lazy string: the docs page renders it per request
    version="1",
    description=DESCRIPTION,
    urls_namespace="api",
    auth=[TokenAuth(), SessionAuth()],
    renderer=Renderer(),
    docs=Swagger(
        settings={"validatorUrl": None, "defaultModelsExpandDepth": 0}
    ),  # no call to a validator site
    docs_decorator=signed_in,
)
errors.install(api)
for module in (directory, submissions, indicators, projects, targets, monitoring, bulletins):
    module.router.add_decorator(act_as_caller)
    api.add_router("", module.router)
