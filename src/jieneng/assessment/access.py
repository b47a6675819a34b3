"""Who sees and does what in an assessment (through the accounts :class:`~jieneng.accounts.scope.Scope`).

- The **office** of a round: an office administrator at the round's region or above. It opens the
  round, moves it on and finalises it.
- The **check team**: the office, or a check-team member at the round's region or above. It sees every
  party of the round, their submitted self-checks, and records the verification.
- An **assessed party**: a user whose place holds the party's region or organisation. It sees its own
  self-check and, once finalised, its own result; nothing of another party.

Nobody sees another party's draft: a self-check not yet submitted is shown to its party only."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from jieneng.accounts.roles import Role, capabilities
from jieneng.accounts.scope import Scope
from jieneng.assessment.models import Party, Round
from jieneng.directory.services import subtree_ids


def _covered(scope: Scope, roles: set[str]) -> set[int] | None:
    """Region ids under the user's region memberships of ``roles``; None: everything (superuser)."""
    if scope.everything:
        return None
    cache: dict[frozenset[str], set[int]] = scope.__dict__.setdefault("_assessment_cache", {})
    key = frozenset(roles)
    if key not in cache:
        cache[key] = subtree_ids({n.pk for n in scope.nodes if n.kind == "region" and n.role in roles})
    return cache[key]


def _rounds_of(ids: set[int] | None) -> QuerySet[Round]:
    return Round.objects.all() if ids is None else Round.objects.filter(region_id__in=ids)


def managed(scope: Scope) -> QuerySet[Round]:
    """The rounds the user's office runs."""
    return _rounds_of(_covered(scope, {Role.OFFICE_ADMIN}))


def checked(scope: Scope) -> QuerySet[Round]:
    """The rounds the user verifies as the office or a check-team member."""
    return _rounds_of(_covered(scope, {Role.OFFICE_ADMIN, Role.CHECK_TEAM}))


def own_parties(scope: Scope, capability: str = "view") -> QuerySet[Party]:
    """The parties that are the user's own place: the very region of a membership (not the regions
    below it: a city office is not its counties), or an organisation of the user's memberships."""
    if scope.everything:
        return Party.objects.all()
    codes = (
        {n.code for n in scope.nodes if n.kind == "region" and capability in capabilities(n.role)}
        if capability in scope.limit
        else set()
    )
    orgs = scope.organisation_ids(capability)
    return Party.objects.filter(Q(region__code__in=codes) | Q(organisation_id__in=orgs))


def visible_rounds(scope: Scope) -> QuerySet[Round]:
    """The rounds the user checks, and those where one of the user's places is assessed."""
    mine = own_parties(scope).values_list("round_id", flat=True)
    return Round.objects.filter(Q(pk__in=checked(scope).values("pk")) | Q(pk__in=mine)).distinct()


def can_manage(scope: Scope, round_: Round) -> bool:
    return managed(scope).filter(pk=round_.pk).exists()


def can_check(scope: Scope, round_: Round) -> bool:
    return checked(scope).filter(pk=round_.pk).exists()


def visible_parties(scope: Scope, round_: Round) -> QuerySet[Party]:
    """The parties of the round the user sees: all of them for the check team, else its own."""
    parties = Party.objects.filter(round=round_)
    if can_check(scope, round_):
        return parties
    return parties.filter(pk__in=own_parties(scope).values("pk"))


def is_own(scope: Scope, party: Party, capability: str = "view") -> bool:
    return own_parties(scope, capability).filter(pk=party.pk).exists()


def sees_self_check(scope: Scope, party: Party) -> bool:
    """The party's own users always; the check team once it is submitted."""
    return is_own(scope, party) or (party.submitted_at is not None and can_check(scope, party.round))
