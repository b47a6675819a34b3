"""Accounts and roles by place: who may see which accounts, give which roles where, and take them back;
API tokens. One function per use case; each checks the actor's :class:`~jieneng.accounts.scope.Scope`,
owns its transaction and changes rows with ``save()``/``delete()`` so that the audit trail records
every change with its actor.

A refusal is a :class:`Refused` carrying a message for the person (and the form field it concerns);
an account or membership outside the actor's place is simply not found by :func:`visible_users` and
:func:`visible_memberships`, so the pages answer 404 for it.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from jieneng.accounts.models import ApiToken, Membership
from jieneng.accounts.roles import CAPABILITIES, REGION_ROLES, Role, capabilities, grantable
from jieneng.accounts.scope import Node, Scope
from jieneng.directory.models import Organisation, Region

#: characters of generated passwords: no 0/O, 1/l/I that are misread when copied from a screen
PASSWORD_ALPHABET = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # noqa: S105 (an alphabet, not a password)
TOKEN_DAYS_MAX = 365


class Refused(Exception):
    """A use case the actor may not carry out, or bad input; ``message`` is for the person."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


@dataclass(frozen=True)
class Place:
    """A node a role can be held at: a region (row in force) or an organisation."""

    region: Region | None = None
    organisation: Organisation | None = None

    @property
    def name(self) -> str:
        return self.region.name if self.region else self._organisation.name

    @property
    def code(self) -> str:
        return self.region.code if self.region else self._organisation.credit_code

    @property
    def _organisation(self) -> Organisation:
        assert self.organisation is not None  # a place without a region is an organisation
        return self.organisation


def generate_password() -> str:
    """Twelve random characters in three groups (``abcd-efgh-jkmn``), easy to copy from a screen."""
    chars = "".join(secrets.choice(PASSWORD_ALPHABET) for _ in range(12))
    return "-".join(chars[i : i + 4] for i in range(0, 12, 4))


# --- what the actor sees -----------------------------------------------------------------------------


def _memberships_q(scope: Scope, prefix: str = "") -> Q:
    """Memberships whose node is inside the actor's ``users`` place."""
    regions = scope.region_ids("users")
    if regions is None:
        return Q()
    return Q(**{f"{prefix}region_id__in": regions}) | Q(
        **{f"{prefix}organisation__in": scope.organisations("users").values("pk")}
    )


def visible_memberships(scope: Scope) -> QuerySet[Membership]:
    return Membership.objects.filter(_memberships_q(scope))


def visible_users(scope: Scope) -> QuerySet[User]:
    """The accounts holding a membership inside the actor's ``users`` place (a superuser: every account)."""
    users = get_user_model().objects.all()
    if scope.everything and "users" in scope.limit:
        return users
    if not scope.can("users"):
        return users.none()
    return users.filter(Exists(visible_memberships(scope).filter(user=OuterRef("pk"))))


def find_place(text: str) -> Place | None:
    """The region (six-digit code, row in force) or organisation (18-character credit code) ``text``
    names, anywhere; None if there is none."""
    text = (text or "").strip().upper()
    if len(text) == 6 and text.isdigit():
        region = Region.objects.current().filter(code=text).first()
        return Place(region=region) if region else None
    if len(text) == 18:
        organisation = Organisation.objects.select_related("region").filter(credit_code=text).first()
        return Place(organisation=organisation) if organisation else None
    return None


def _region_chain(region_id: int | None) -> set[int]:
    """``region_id`` and the regions above it (through ``parent``)."""
    chain: set[int] = set()
    while region_id is not None and region_id not in chain:
        chain.add(region_id)
        region_id = Region.objects.filter(pk=region_id).values_list("parent_id", flat=True).first()
    return chain


def _supervisor_chain(organisation: Organisation) -> set[int]:
    """The organisation and those supervising it, at any depth."""
    chain: set[int] = set()
    pk: int | None = organisation.pk
    while pk is not None and pk not in chain:
        chain.add(pk)
        pk = Organisation.objects.filter(pk=pk).values_list("supervisor_id", flat=True).first()
    return chain


def _covers(node: Node, place: Place, regions: set[int], supervisors: set[int]) -> bool:
    if node.kind == "region":
        return node.pk in regions
    if place.organisation is None:
        return False
    if node.role == Role.REPORTER:
        return node.pk == place.organisation.pk
    return node.pk in supervisors


def grantable_roles(scope: Scope, place: Place) -> list[str]:
    """The roles the actor may give at ``place`` (in the order of :class:`Role`); empty when ``place``
    is outside the actor's ``users`` place."""
    if scope.everything and "users" in scope.limit:
        allowed = set(Role.values)
    elif "users" not in scope.limit:
        allowed = set()
    else:
        if place.region is not None:
            regions, supervisors = _region_chain(place.region.pk), set()
        else:
            org = place.organisation
            assert org is not None  # a place is a region or an organisation
            regions, supervisors = _region_chain(org.region_id), _supervisor_chain(org)
        allowed = set()
        for node in scope.nodes:
            if "users" in capabilities(node.role) and _covers(node, place, regions, supervisors):
                allowed |= grantable(node.role)
    if place.region is not None:
        allowed &= set(REGION_ROLES)
    return [role for role in Role.values if role in allowed]


def place_for(scope: Scope, text: str, field: str = "place") -> Place:
    """The place named by ``text`` if it lies inside the actor's ``users`` place; else :class:`Refused`
    (the same message whether the place does not exist or is someone else's)."""
    place = find_place(text)
    if place is None or not grantable_roles(scope, place):
        raise Refused(
            _(
                "“%(text)s” is not a region or organisation inside your place. Write a six-digit region "
                "code or an 18-character unified social credit code."
            )
            % {"text": (text or "").strip()},
            field,
        )
    return place


def _check_role(scope: Scope, place: Place, role: str) -> None:
    if role not in Role.values:
        raise Refused(_("Choose a role."), "role")
    allowed = grantable_roles(scope, place)
    if role in allowed:
        return
    label = Role(role).label
    if place.region is not None and role not in REGION_ROLES:
        raise Refused(
            _("The role “%(role)s” is held at an organisation, not at a region.") % {"role": label}, "role"
        )
    raise Refused(
        _("You may not give the role “%(role)s” at %(place)s. You may give: %(roles)s.")
        % {"role": label, "place": place.name, "roles": "、".join(str(Role(r).label) for r in allowed)},
        "role",
    )


# --- accounts and roles -------------------------------------------------------------------------------


def check_password(password: str, username: str, full_name: str = "") -> None:
    """Django's password validators (length, common, numeric, similar to the name); :class:`Refused`."""
    candidate = get_user_model()(username=username, first_name=full_name)
    try:
        password_validation.validate_password(password, candidate)
    except ValidationError as error:
        raise Refused(" ".join(error.messages), "password") from error


def create_account(
    scope: Scope,
    *,
    username: str,
    full_name: str,
    password: str | None,
    role: str,
    place: Place,
    note: str = "",
) -> tuple[User, str | None]:
    """A new account holding ``role`` at ``place``; returns it and the generated password (None when
    the actor typed one). The password must pass the validators."""
    _check_role(scope, place, role)
    users = get_user_model()
    username = username.strip()
    if users.objects.filter(username__iexact=username).exists():
        raise Refused(
            _("The user name “%(name)s” is taken; choose another.") % {"name": username}, "username"
        )
    generated = None
    if not password:
        password = generated = generate_password()
    check_password(password, username, full_name)
    with transaction.atomic():
        user = users.objects.create_user(username=username, password=password, first_name=full_name.strip())
        _membership(scope, user, role, place, note).save()
    return user, generated


def _membership(scope: Scope, user: User, role: str, place: Place, note: str) -> Membership:
    actor = scope.user if getattr(scope.user, "is_authenticated", False) else None
    return Membership(
        user=user,
        role=role,
        region=place.region,
        organisation=place.organisation,
        note=note.strip(),
        created_by=actor,
    )


def grant(scope: Scope, user: User, role: str, place: Place, note: str = "") -> Membership:
    """Give ``user`` (an account the actor sees) ``role`` at ``place``."""
    _check_role(scope, place, role)
    with transaction.atomic():
        same = Membership.objects.filter(
            user=user, role=role, region=place.region, organisation=place.organisation
        )
        if same.exists():
            raise Refused(
                _("%(user)s already holds this role at %(place)s.")
                % {"user": user.get_username(), "place": place.name},
                "role",
            )
        membership = _membership(scope, user, role, place, note)
        membership.save()
    return membership


def _membership_place(membership: Membership) -> Place:
    return Place(region=membership.region, organisation=membership.organisation)


def revoke(scope: Scope, membership: Membership) -> None:
    """Take back a membership inside the actor's place, of a role the actor could give there."""
    if membership.user_id == getattr(scope.user, "pk", None) and not scope.everything:
        raise Refused(_("You cannot take back your own role; ask another administrator."))
    if membership.role not in grantable_roles(scope, _membership_place(membership)):
        raise Refused(
            _("You may not take back the role “%(role)s”: only roles you could give yourself.")
            % {"role": membership.get_role_display()}
        )
    with transaction.atomic():
        membership.delete()


def set_active(scope: Scope, user: User, active: bool) -> None:
    """Deactivate or reactivate an account whose every role lies inside the actor's place and could be
    given by the actor. A deactivated account cannot sign in and its tokens are revoked (a reactivated
    account makes new ones)."""
    if user.pk == getattr(scope.user, "pk", None):
        raise Refused(_("You cannot deactivate your own account."))
    if not scope.everything:
        if user.is_superuser:
            raise Refused(_("Only a superuser may change a superuser's account."))
        for membership in Membership.objects.filter(user=user).select_related("region", "organisation"):
            if membership.role not in grantable_roles(scope, _membership_place(membership)):
                raise Refused(
                    _(
                        "%(user)s also holds roles outside your place (or roles you may not give), so only "
                        "an administrator of the wider place may change this account."
                    )
                    % {"user": user.get_username()}
                )
    if user.is_active == active:
        return
    with transaction.atomic():
        user.is_active = active
        user.save(update_fields=["is_active"])
        if not active:  # revoked for good: reactivating the account does not bring them back
            for token in ApiToken.objects.active().filter(user=user):
                token.revoke()


def unlock(scope: Scope, user: User) -> int:
    """Lift a sign-in lockout of an account the actor may deactivate; the number of records cleared."""
    from axes.utils import reset

    if not scope.everything:
        for membership in Membership.objects.filter(user=user).select_related("region", "organisation"):
            if membership.role not in grantable_roles(scope, _membership_place(membership)):
                raise Refused(_("Only an administrator of the wider place may unlock this account."))
    return int(reset(username=user.get_username()) or 0)


def is_locked(user: User) -> bool:
    """Whether sign-in for this user name is locked now (after too many wrong passwords)."""
    from axes.models import AccessAttempt
    from django.conf import settings

    since = timezone.now() - settings.AXES_COOLOFF_TIME
    attempts = AccessAttempt.objects.filter(username=user.get_username(), attempt_time__gte=since)
    return any(a.failures_since_start >= settings.AXES_FAILURE_LIMIT for a in attempts)


# --- API tokens ---------------------------------------------------------------------------------------


def own_capabilities(scope: Scope) -> list[str]:
    return [c for c in CAPABILITIES if scope.can(c)]


def issue_token(scope: Scope, name: str, wanted: list[str], days: int) -> tuple[ApiToken, str]:
    """A token for the signed-in user with ``wanted`` ⊆ the user's own capabilities, valid ``days``;
    returns the token and its secret (shown once)."""
    if not name.strip():
        raise Refused(_("Give the token a name, e.g. the system that will use it."), "name")
    if not wanted:
        raise Refused(_("Tick at least one thing the token may do."), "capabilities")
    beyond = [c for c in wanted if c not in own_capabilities(scope)]
    if beyond:
        raise Refused(_("A token may do only what you may do yourself."), "capabilities")
    if not 1 <= days <= TOKEN_DAYS_MAX:
        raise Refused(_("A token is valid for 1 to %(max)s days.") % {"max": TOKEN_DAYS_MAX}, "days")
    with transaction.atomic():
        return ApiToken.issue(scope.user, name.strip(), wanted, timezone.now() + timedelta(days=days))


def revoke_token(token: ApiToken) -> None:
    with transaction.atomic():
        token.revoke()
