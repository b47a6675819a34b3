"""Who sees and changes which targets (through the accounts :class:`~jieneng.accounts.scope.Scope`).

A user sees the targets of the regions and organisations of their place and below, and the parent of
each of those read-only (a county sees the city's target it was given); nothing of a neighbour. A user
changes the targets of the regions where they hold the ``directory`` capability.

The organisation of the work, the letters and the tasks follow the same rule: a region's own rows and
those below it; a task deployed by the parent is seen by each recipient for its own assignment only,
never a neighbour's."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from jieneng.accounts.scope import Scope
from jieneng.targets.models import (
    ActionPlan,
    Assignment,
    Attachment,
    Deployment,
    Evidence,
    Letter,
    Meeting,
    Target,
)


def _owned(scope: Scope, capability: str) -> Q:
    regions = scope.region_ids(capability)
    if regions is None:
        return Q()
    orgs = scope.organisations(capability).values_list("pk", flat=True)
    return Q(region_id__in=regions) | Q(organisation_id__in=list(orgs))


def own(scope: Scope) -> QuerySet[Target]:
    """The targets of the user's place and below."""
    return Target.objects.filter(_owned(scope, "view"))


def visible(scope: Scope) -> QuerySet[Target]:
    """:func:`own`, and the parents of those (read-only)."""
    mine = own(scope)
    parents = mine.exclude(parent__isnull=True).values_list("parent_id", flat=True)
    return Target.objects.filter(Q(pk__in=mine.values_list("pk", flat=True)) | Q(pk__in=list(parents)))


def editable(scope: Scope) -> QuerySet[Target]:
    return Target.objects.filter(_owned(scope, "directory"))


def can_edit(scope: Scope, target: Target) -> bool:
    return target.pk is not None and editable(scope).filter(pk=target.pk).exists()


def can_count(scope: Scope, target: Target) -> bool:
    """Who reports a counted target's month by hand: its owner's reporters and office."""
    if target.region is not None:
        code = target.region.code
        return scope.allows_region(code, "report") or scope.allows_region(code, "directory")
    organisation = target.organisation_id
    return organisation is not None and scope.organisations("report").filter(pk=organisation).exists()


# --- the organisation of the work, letters, tasks -----------------------------------------------------


def _regions_q(scope: Scope, capability: str, field: str) -> Q:
    regions = scope.region_ids(capability)
    return Q() if regions is None else Q(**{f"{field}__in": regions})


def letters(scope: Scope) -> QuerySet[Letter]:
    """The letters issued by the user's regions, and those signed by a region or unit of the user's."""
    orgs = list(scope.organisations("view").values_list("pk", flat=True))
    if scope.region_ids("view") is None:
        return Letter.objects.all()
    return Letter.objects.filter(
        _regions_q(scope, "view", "issuer_id")
        | _regions_q(scope, "view", "region_id")
        | Q(organisation_id__in=orgs)
    )


def can_sign(scope: Scope, letter: Letter) -> bool:
    """The issuing office records the signed letter; so may the region that signed it."""
    return scope.allows_region(letter.issuer.code, "directory") or (
        letter.region is not None and scope.allows_region(letter.region.code, "directory")
    )


def assignments(scope: Scope) -> QuerySet[Assignment]:
    """The assignments to the user's regions, and all of the tasks the user's regions deployed."""
    return Assignment.objects.filter(
        _regions_q(scope, "view", "region_id") | _regions_q(scope, "view", "deployment__issuer_id")
    )


def deployments(scope: Scope) -> QuerySet[Deployment]:
    ids = assignments(scope).values_list("deployment_id", flat=True)
    return Deployment.objects.filter(Q(pk__in=ids) | _regions_q(scope, "view", "issuer_id")).distinct()


def can_manage(scope: Scope, deployment: Deployment) -> bool:
    return scope.allows_region(deployment.issuer.code, "directory")


def can_submit(scope: Scope, assignment: Assignment) -> bool:
    return scope.allows_region(assignment.region.code, "report")


def attachments(scope: Scope) -> QuerySet[Attachment]:
    """The files of the meetings, letters and evidence the user sees."""
    meetings = Meeting.objects.filter(_regions_q(scope, "view", "region_id")).values_list(
        "minutes_id", flat=True
    )
    scans = letters(scope).values_list("scan_id", flat=True)
    evidence = Evidence.objects.filter(assignment__in=assignments(scope)).values_list("file_id", flat=True)
    return Attachment.objects.filter(Q(pk__in=meetings) | Q(pk__in=scans) | Q(pk__in=evidence))


# --- action plans ---------------------------------------------------------------------------------------


def plans(scope: Scope) -> QuerySet[ActionPlan]:
    """The action plans of the user's regions and below; nothing of a neighbour."""
    return ActionPlan.objects.filter(_regions_q(scope, "view", "region_id"))


def can_edit_plan(scope: Scope, plan: ActionPlan) -> bool:
    return scope.allows_region(plan.region.code, "directory")


def can_report(scope: Scope, plan: ActionPlan) -> bool:
    return scope.allows_region(plan.region.code, "report")
