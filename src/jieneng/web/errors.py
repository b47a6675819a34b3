"""The 404 page, explained for the part of the site it is on: a small mapping from the URL's
namespace (or, for the dashboards, its first segment) to what was looked for and why it may not be
found. The same words whether the thing does not exist or is outside the user's place."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, HttpResponseNotFound
from django.template import loader
from django.urls import Resolver404, resolve
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

#: what a missing page of each part of the site was, by (namespace, URL name) or namespace
EXPLAINED: dict[str, Promise] = {
    "reporting:job": _(
        "There is no such upload among yours: the address may be mistyped or the upload removed."
    ),
    "reporting:submission": _("There is no such submission within your place."),
    "reporting": _("There is no such reporting page: the address may be mistyped."),
    "directory": _("There is no such unit or record in the directory of your place."),
    "targets": _("There is no such target, letter or task within your place."),
    "bulletins": _("There is no such document within your place."),
    "projects": _("There is no such energy-saving project within your place."),
    "assessment": _("There is no such assessment within your place."),
    "monitoring": _("There is no such building or meter within your place."),
    "accounts": _("There is no such account page or user within your place."),
    "region": _("There is no such region within your place: a region code may be mistyped."),
    "unit": _("There is no such unit within your place."),
}
DEFAULT = _("There is no page at this address: it may be mistyped or out of date.")


def explanation(request: HttpRequest) -> Promise:
    """The words for a 404 at ``request.path_info``."""
    try:
        match = resolve(request.path_info)
    except Resolver404:
        match = None
    keys = []
    if match is not None and match.namespace:
        keys += [f"{match.namespace}:{match.url_name}", match.namespace]
    keys.append(request.path_info.strip("/").split("/")[0])  # the dashboards: region/…, unit/…
    return next((EXPLAINED[key] for key in keys if key in EXPLAINED), DEFAULT)


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """``handler404``: the 404 page with the explanation for its part of the site."""
    body = loader.render_to_string("404.html", {"problem": explanation(request)}, request)
    return HttpResponseNotFound(body)
