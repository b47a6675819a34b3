"""Reading rows through the caller's scope: 404 outside the place, 403 for a missing capability.

Every endpoint fetches what it touches through these functions and never from a model's manager, so
an id edited in a URL cannot reach past the caller's place.
"""

from __future__ import annotations

from django.contrib.auth.models import User
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from jieneng.accounts.requests import ApiRequest
from jieneng.accounts.scope import Scope
from jieneng.api.errors import Forbidden, NotFound
from jieneng.directory.models import Organisation, Region, RegionQuerySet
from jieneng.reporting.access import submissions as visible_submissions
from jieneng.reporting.models import Submission

CAPABILITY_NAMES = {
    "view": pgettext_lazy("capability", "view"),
    "report": pgettext_lazy("capability", "report"),
    "review": pgettext_lazy("capability", "review"),
    "directory": pgettext_lazy("capability", "maintain the directory"),
    "users": pgettext_lazy("capability", "manage users"),
}
REFUSALS = {
    "directory": gettext_lazy(
        "You may see this organisation but not change it: that needs the directory role."
    ),
    "review": gettext_lazy("You may see this submission but not review it: that needs a reviewer's role."),
}


def scope_of(request: ApiRequest) -> Scope:
    return request.scope


def require(request: ApiRequest, capability: str) -> Scope:
    """The caller's scope, after checking that its token (if any) allows ``capability``."""
    scope = scope_of(request)
    if capability not in scope.limit:
        name = CAPABILITY_NAMES.get(capability, capability)
        raise Forbidden(
            _(
                "This API token does not allow “%(capability)s”. "
                "Make one that has it on the page “My account” (/accounts/tokens/)."
            )
            % {"capability": name}
        )
    return scope


def organisation(request: ApiRequest, pk: int, capability: str = "view") -> Organisation:
    """The organisation ``pk`` if the caller may ``capability`` it."""
    scope = require(request, capability)
    rows = Organisation.objects.select_related("region", "supervisor")
    found = rows.filter(scope.organisation_q(capability), pk=pk).first()
    if found is not None:
        return found
    if capability != "view" and scope.allows_organisation(pk, "view"):
        raise Forbidden(str(REFUSALS.get(capability, _("You may not do this here."))))
    raise NotFound(_("No organisation with the id %(id)s is in your place.") % {"id": pk})


def submission(request: ApiRequest, pk: int, capability: str = "view") -> Submission:
    """The submission ``pk`` if the caller may ``capability`` it."""
    scope = require(request, capability)
    rows = visible_submissions(scope, capability).select_related("organisation", "organisation__region")
    found = rows.filter(pk=pk).first()
    if found is not None:
        return found
    if capability != "view" and visible_submissions(scope, "view").filter(pk=pk).exists():
        raise Forbidden(str(REFUSALS.get(capability, _("You may not do this here."))))
    raise NotFound(_("No submission with the id %(id)s is in your place.") % {"id": pk})


def region(request: ApiRequest, code: str) -> Region:
    """The region ``code`` (its row in force today, else its latest row) if the caller may see it."""
    scope = require(request, "view")
    rows = scope.regions("view").filter(code=code).select_related("parent")
    found = rows.current().first() or rows.order_by("-valid_from").first()
    if found is None:
        raise NotFound(_("No region with the code %(code)s is in your place.") % {"code": code})
    return found


def organisations(request: ApiRequest) -> QuerySet[Organisation]:
    return require(request, "view").organisations("view")


def submissions(request: ApiRequest) -> QuerySet[Submission]:
    return visible_submissions(require(request, "view"), "view")


def regions(request: ApiRequest) -> RegionQuerySet:
    return require(request, "view").regions("view")


def user_name(request: ApiRequest) -> tuple[str, User]:
    """The caller's user name (for review events) and user."""
    user = request.auth
    return user.get_username(), user
