"""Who sees and changes which targets (through the accounts :class:`~jieneng.accounts.scope.Scope`).

A user sees the targets of the regions and organisations of their place and below, and the parent of
each of those read-only (a county sees the city's target it was given); nothing of a neighbour. A user
changes the targets of the regions where they hold the ``directory`` capability."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from jieneng.accounts.scope import Scope
from jieneng.targets.models import Target


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
