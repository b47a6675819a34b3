"""Who reads and makes which documents (through the accounts :class:`~jieneng.accounts.scope.Scope`).

A user reads the documents about their place and below, and an issued document addressed to their
place; a user with the ``directory`` capability generates and issues documents about the regions they
hold, and keeps their office's templates. Nothing of a neighbour."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from jieneng.accounts.scope import Scope
from jieneng.bulletins.models import IssuedDocument
from jieneng.directory.models import Region


def _addressed(scope: Scope) -> list[int]:
    codes = {n.code for n in scope.nodes if n.kind == "region"}
    if not codes:
        return []
    issued = IssuedDocument.objects.filter(status=IssuedDocument.Status.ISSUED)
    return [pk for pk, to in issued.values_list("pk", "addressed_to") if codes & set(to or [])]


def readable(scope: Scope) -> QuerySet[IssuedDocument]:
    regions = scope.region_ids("view")
    if regions is None:
        return IssuedDocument.objects.all()
    return IssuedDocument.objects.filter(Q(region_id__in=regions) | Q(pk__in=_addressed(scope)))


def editable(scope: Scope) -> QuerySet[IssuedDocument]:
    regions = scope.region_ids("directory")
    if regions is None:
        return IssuedDocument.objects.all()
    return IssuedDocument.objects.filter(region_id__in=regions)


def regions(scope: Scope) -> QuerySet[Region]:
    """The regions the user may generate documents about."""
    return scope.regions("directory").current().order_by("code")


def office(scope: Scope, region: Region) -> Region:
    """The office a document of ``region`` is issued by: the user's own region holding it, else itself."""
    held = [n for n in scope.nodes if n.kind == "region"]
    for node in sorted(held, key=lambda n: (len(n.code.rstrip("0")), n.code)):
        if region.code.startswith(node.code.rstrip("0")):
            found = Region.objects.filter(pk=node.pk).first()
            if found is not None:
                return found
    return region
