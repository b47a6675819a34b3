"""Demonstration accounts: one per role, at realistic places of the loaded demonstration city, all with
one generated password (``jieneng demo`` prints it once with what each account may do).

The places are chosen from what is stored: the city, its county with the most organisations, the
department there that supervises the most units, one of those units, and two other units for the
check team. Nothing is made when the store is empty or when the accounts already exist.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Count
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jieneng.accounts.forms import CAPABILITY_LABELS
from jieneng.accounts.models import Membership
from jieneng.accounts.roles import CAPABILITIES, Role, capabilities
from jieneng.accounts.services import generate_password
from jieneng.directory.models import Organisation, Region

#: user name → (role, which place, full name)
ACCOUNTS = {
    "city_admin": (Role.OFFICE_ADMIN, "city", gettext_lazy("City office administrator (demo)")),
    "county_admin": (Role.OFFICE_ADMIN, "county", gettext_lazy("County office administrator (demo)")),
    "dept_admin": (Role.DEPARTMENT_ADMIN, "department", gettext_lazy("Department administrator (demo)")),
    "reporter": (Role.REPORTER, "unit", gettext_lazy("Unit reporter (demo)")),
    "reviewer": (Role.REVIEWER, "city", gettext_lazy("City reviewer (demo)")),
    "viewer": (Role.VIEWER, "city", gettext_lazy("City viewer (demo)")),
    "check_team": (Role.CHECK_TEAM, "checked", gettext_lazy("Check-team member (demo)")),
}


@dataclass(frozen=True)
class DemoAccount:
    username: str
    role: str
    places: tuple[str, ...]
    may: tuple[str, ...]


def _places() -> dict[str, Sequence[Region | Organisation]] | None:
    """The places of :data:`ACCOUNTS` in the stored city; None when there is no city with a department."""
    city = Region.objects.current().filter(level=Region.Level.PREFECTURE).order_by("code").first()
    if city is None:
        return None
    counties = (
        Region.objects.current()
        .filter(parent=city)
        .annotate(n=Count("organisations"))
        .filter(n__gt=0)
        .order_by("-n", "code")
    )
    county = counties.first()
    if county is None:
        return None
    departments = (
        Organisation.objects.annotate(n=Count("subordinates")).filter(n__gt=0).order_by("-n", "credit_code")
    )
    department = departments.filter(region=county).first() or departments.first()
    if department is None:
        return None
    unit = department.subordinates.order_by("credit_code").first()
    assert unit is not None  # the department has subordinates
    others = (
        Organisation.objects.filter(subordinates__isnull=True, supervisor__isnull=True)
        .exclude(pk__in=[department.pk, unit.pk])
        .order_by("region__code", "credit_code")
    )
    checked = list(others.exclude(region=county)[:1]) + list(others.filter(region=county)[:1])
    if len(checked) < 2:
        checked = list(others[:2])
    return {
        "city": [city],
        "county": [county],
        "department": [department],
        "unit": [unit],
        "checked": checked,
    }


def ensure() -> tuple[str, list[DemoAccount]] | None:
    """Create the demonstration accounts unless one exists or the store is empty; their password and
    what each may do, else None."""
    users = get_user_model()
    if users.objects.filter(username__in=ACCOUNTS).exists() or not Organisation.objects.exists():
        return None
    places = _places()
    if places is None:
        return None
    password = generate_password()
    made = []
    with transaction.atomic():
        for username, (role, where, full_name) in ACCOUNTS.items():
            user = users.objects.create_user(username=username, password=password, first_name=str(full_name))
            for place in places[where]:
                region = place if isinstance(place, Region) else None
                organisation = place if isinstance(place, Organisation) else None
                Membership(user=user, role=role, region=region, organisation=organisation).save()
            may = tuple(str(CAPABILITY_LABELS[c]) for c in CAPABILITIES if c in capabilities(role))
            made.append(
                DemoAccount(username, str(Role(role).label), tuple(p.name for p in places[where]), may)
            )
    return password, made


def describe(password: str, made: list[DemoAccount]) -> list[str]:
    """The lines ``jieneng demo`` prints: the password once, then each account and what it may do."""
    lines = [
        _("Demonstration accounts, all with the password %(password)s (shown only this once):")
        % {"password": password}
    ]
    for account in made:
        lines.append(
            _("  %(user)s — %(role)s at %(places)s: may %(may)s")
            % {
                "user": account.username.ljust(12),
                "role": account.role,
                "places": "、".join(account.places),
                "may": "；".join(account.may),
            }
        )
    return lines


def forget() -> None:
    """Before the store is deleted (``jieneng demo --reset``): remove every role (each names a place of
    the store) and the demonstration accounts, which are made again with the new store."""
    with transaction.atomic():
        for membership in Membership.objects.all():
            membership.delete()
        for user in get_user_model().objects.filter(username__in=ACCOUNTS):
            user.delete()
