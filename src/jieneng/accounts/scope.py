"""What a user may see and change: the union of the places of their memberships, per capability.

Every page and API endpoint reads rows through a :class:`Scope` (``request.scope``):
``scope.organisations("review")`` are the organisations whose submissions the user may review, and
so on. An object outside the scope is answered with 404, as if it did not exist. A superuser's scope
is everything. A token's scope is its user's, limited to the token's capabilities.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from django.db.models import Q, QuerySet

from jieneng.accounts.roles import CAPABILITIES, Role, capabilities
from jieneng.directory.models import Organisation, Region, RegionQuerySet
from jieneng.directory.services import subtree_ids


@dataclass(frozen=True)
class Node:
    """A place a membership covers: ``kind`` "region" (code, name) or "organisation" (pk, name)."""

    kind: str
    pk: int
    code: str
    name: str
    role: str


class Scope:
    def __init__(self, user: Any, limit: Iterable[str] | None = None) -> None:
        self.user = user
        self.limit = frozenset(CAPABILITIES if limit is None else limit)
        self.everything = bool(getattr(user, "is_active", False) and getattr(user, "is_superuser", False))

    # --- the memberships ---------------------------------------------------------------------------

    @cached_property
    def nodes(self) -> tuple[Node, ...]:
        if not getattr(self.user, "is_authenticated", False) or not self.user.is_active:
            return ()
        from jieneng.accounts.models import Membership

        rows = Membership.objects.filter(user=self.user).select_related("region", "organisation")
        nodes = []
        for m in rows.order_by("pk"):
            if m.region is not None:
                nodes.append(Node("region", m.region.pk, m.region.code, m.region.name, m.role))
            elif m.organisation is not None:
                org = m.organisation
                nodes.append(Node("organisation", org.pk, org.credit_code, org.name, m.role))
        return tuple(nodes)

    def can(self, capability: str) -> bool:
        """Whether the user may do ``capability`` anywhere."""
        if capability not in self.limit:
            return False
        return self.everything or any(capability in capabilities(n.role) for n in self.nodes)

    def roles(self) -> set[str]:
        return {n.role for n in self.nodes}

    @property
    def home(self) -> Node | None:
        """The place to land on: the widest region, else the first organisation."""
        regions = [n for n in self.nodes if n.kind == "region"]
        if regions:
            return min(regions, key=lambda n: (len(n.code.rstrip("0")), n.code))
        return self.nodes[0] if self.nodes else None

    # --- the rows ----------------------------------------------------------------------------------

    def _granted(self, capability: str) -> list[Node]:
        if capability not in self.limit:
            return []
        return [n for n in self.nodes if capability in capabilities(n.role)]

    def region_ids(self, capability: str = "view") -> set[int] | None:
        """Ids of the regions (all their dated rows) the capability covers; None: every region.
        Walked once per capability for the life of the scope (one request)."""
        if self.everything and capability in self.limit:
            return None
        cache: dict[str, set[int]] = self.__dict__.setdefault("_region_cache", {})
        if capability not in cache:
            cache[capability] = subtree_ids({n.pk for n in self._granted(capability) if n.kind == "region"})
        return cache[capability]

    def organisation_ids(self, capability: str = "view") -> set[int]:
        """Organisations granted directly (a reporter's unit; a department and the units under it)."""
        ids: set[int] = set()
        for n in self._granted(capability):
            if n.kind != "organisation":
                continue
            ids.add(n.pk)
            if n.role != Role.REPORTER:
                ids |= _supervised(n.pk)
        return ids

    def organisation_q(self, capability: str = "view", prefix: str = "") -> Q:
        """A filter on organisations (``prefix`` e.g. ``"organisation__"`` from a related model)."""
        regions = self.region_ids(capability)
        if regions is None:
            return Q()
        orgs = self._organisation_ids_cached(capability)
        if not regions and not orgs:
            return Q(**{f"{prefix}pk__in": []})
        return Q(**{f"{prefix}region_id__in": regions}) | Q(**{f"{prefix}pk__in": orgs})

    def _organisation_ids_cached(self, capability: str) -> set[int]:
        cache: dict[str, set[int]] = self.__dict__.setdefault("_org_cache", {})
        if capability not in cache:
            cache[capability] = self.organisation_ids(capability)
        return cache[capability]

    def organisations(self, capability: str = "view") -> QuerySet[Organisation]:
        return Organisation.objects.filter(self.organisation_q(capability))

    def regions(self, capability: str = "view") -> RegionQuerySet:
        """Regions whose figures the user may see: the subtrees of region memberships."""
        ids = self.region_ids(capability)
        return Region.objects.all() if ids is None else Region.objects.filter(pk__in=ids)

    def allows_region(self, code: str, capability: str = "view") -> bool:
        return self.regions(capability).filter(code=code).exists()

    def allows_organisation(self, pk: int, capability: str = "view") -> bool:
        return self.organisations(capability).filter(pk=pk).exists()


def _supervised(pk: int) -> set[int]:
    """The organisations under ``pk`` through ``supervisor``, at any depth."""
    found: set[int] = set()
    frontier = {pk}
    while frontier:
        below = set(Organisation.objects.filter(supervisor_id__in=frontier).values_list("pk", flat=True))
        frontier = below - found - {pk}
        found |= frontier
    return found


def scope_for(user: Any, limit: Iterable[str] | None = None) -> Scope:
    return Scope(user, limit)
