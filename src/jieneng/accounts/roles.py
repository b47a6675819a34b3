"""Roles and what each may do. A role is held at one node of the hierarchy (a region or an
organisation); :mod:`jieneng.accounts.scope` turns the nodes into the rows a user may touch.

Capabilities:

``view``       read the place's directory, submissions, dashboards and indicators
``report``     fill in or upload forms for the place's organisations, and submit them
``review``     approve or return the place's submissions
``directory``  change the place's organisations and their yearly facts
``users``      give accounts and roles within the place
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

CAPABILITIES = ("view", "report", "review", "directory", "users")


class Role(models.TextChoices):
    OFFICE_ADMIN = "office_admin", _("Office administrator")
    DEPARTMENT_ADMIN = "department_admin", _("Department administrator")
    REPORTER = "reporter", _("Reporter")
    REVIEWER = "reviewer", _("Reviewer")
    VIEWER = "viewer", _("Viewer")
    CHECK_TEAM = "check_team", _("Check-team member")


GRANTS: dict[str, frozenset[str]] = {
    Role.OFFICE_ADMIN: frozenset({"view", "report", "review", "directory", "users"}),
    Role.DEPARTMENT_ADMIN: frozenset({"view", "report", "directory", "users"}),
    Role.REPORTER: frozenset({"view", "report"}),
    Role.REVIEWER: frozenset({"view", "review"}),
    Role.VIEWER: frozenset({"view"}),
    Role.CHECK_TEAM: frozenset({"view"}),
}

#: roles that may be held at a region; every role may be held at an organisation
REGION_ROLES = frozenset({Role.OFFICE_ADMIN, Role.REVIEWER, Role.VIEWER, Role.CHECK_TEAM})


def capabilities(role: str) -> frozenset[str]:
    return GRANTS.get(role, frozenset())


def grantable(role: str) -> frozenset[str]:
    """The roles a holder of ``role`` may give to others inside its place."""
    if role == Role.OFFICE_ADMIN:
        return frozenset(Role.values)
    if role == Role.DEPARTMENT_ADMIN:
        return frozenset({Role.DEPARTMENT_ADMIN, Role.REPORTER, Role.VIEWER})
    return frozenset()
