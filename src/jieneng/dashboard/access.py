"""What the signed-in user may open on the dashboards, read from ``request.scope``: the place to land
on, whether a region or unit is within their view (else the page answers 404, as if it did not
exist), and which regions above may appear in the breadcrumbs (never one above their place)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from jieneng.accounts.roles import Role
from jieneng.accounts.scope import Scope
from jieneng.directory.services import top_region_code

REGION, UNIT, EMPTY = "region", "unit", "empty"


@dataclass(frozen=True)
class Landing:
    kind: str  # REGION (``code``), UNIT (``pk``) or EMPTY (a superuser and no data yet)
    code: str = ""
    pk: int = 0


def landing(scope: Scope) -> Landing | None:
    """Where the user starts: their region or unit; a superuser the region holding all data; None for
    a user without any place."""
    if scope.everything:
        code = top_region_code()
        return Landing(REGION, code=code) if code else Landing(EMPTY)
    node = scope.home
    if node is None:
        return None
    if node.kind == "region":
        return Landing(REGION, code=node.code)
    return Landing(UNIT, pk=node.pk)


def visible_regions(scope: Scope, codes: Iterable[str]) -> set[str]:
    """Those of ``codes`` whose dashboards the user may see (one query)."""
    wanted = list(dict.fromkeys(codes))
    return set(scope.regions("view").filter(code__in=wanted).values_list("code", flat=True))


def may_see_unit(scope: Scope, pk: int) -> bool:
    return scope.allows_organisation(pk, "view")


def is_office_admin(scope: Scope) -> bool:
    """Office administrators (and superusers) are told how to supply what the pages could show more of."""
    return scope.everything or str(Role.OFFICE_ADMIN) in scope.roles()
