"""Use cases of directory maintenance by office and department staff: register an organisation, change
it, add or correct its yearly facts, rename a region.

Each function owns its transaction, checks the user's rights once more (the pages check first and
answer 404 or 403), and changes rows with ``save()`` so that the audit trail records who did it. A
change that moves an organisation's figures (its region, its type, its yearly facts) is made inside
:func:`jieneng.statistics.rollups.tracking`, so the roll-ups stay right.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from decimal import Decimal
from typing import cast

from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from jieneng.accounts.roles import capabilities
from jieneng.accounts.scope import Scope
from jieneng.directory.models import Organisation, OrganisationYear, Region
from jieneng.directory.services import subtree_ids
from jieneng.statistics import figures
from jieneng.statistics.rollups import tracking

#: the fields of an organisation a user may change after registering it (the credit code stays)
EDITABLE = ("name", "type_code", "region", "supervisor", "address")
#: changes that move an organisation's figures between regions or types
MOVES_FIGURES = ("type_code", "region")


class OutsideScope(Exception):
    """The user may not make this change here (the message says why, in the user's language)."""


# --- what the user may do ----------------------------------------------------------------------------


def departments(scope: Scope) -> list[Organisation]:
    """The organisations where the user holds ``directory`` directly (a department administrator's own
    departments); units may be registered under them."""
    if "directory" not in scope.limit:
        return []
    ids = [n.pk for n in scope.nodes if n.kind == "organisation" and "directory" in capabilities(n.role)]
    return list(Organisation.objects.filter(pk__in=ids).select_related("region").order_by("name"))


def directory_regions(scope: Scope) -> QuerySet[Region]:
    """The current regions an organisation may be put in: the user's regions with ``directory``, and
    the regions under each of the user's departments."""
    ids = scope.region_ids("directory")
    current = Region.objects.current().order_by("code")
    if ids is None:
        return current
    own = {org.region_id for org in departments(scope)}
    return current.filter(pk__in=ids | subtree_ids(own))


def can_register(scope: Scope) -> bool:
    return scope.can("directory")


def can_change(scope: Scope, org: Organisation) -> bool:
    return scope.allows_organisation(org.pk, "directory")


def can_rename(scope: Scope, region: Region) -> bool:
    """Only an office administrator of the region's parent (or above) renames a region."""
    allowed = scope.region_ids("directory")
    if allowed is None:
        return True
    return region.parent_id is not None and region.parent_id in allowed


def placement_problem(
    scope: Scope, *, region: Region, supervisor: Organisation | None, org: Organisation | None = None
) -> tuple[str, str] | None:
    """Why ``org`` (None: a new one) may not be put in ``region`` under ``supervisor`` by this user, as
    (field, message); None when it may."""
    moved = org is None or region.pk != org.region_id
    if moved and not directory_regions(scope).filter(pk=region.pk).exists():
        return "region", _("%(region)s is not within your place. Choose a region from the list.") % {
            "region": region.name
        }
    if supervisor is not None and org is not None:
        if supervisor.pk == org.pk:
            return "supervisor", _("An organisation cannot be its own supervising department.")
        if supervisor.pk in _below(org.pk):
            return "supervisor", _(
                "%(name)s is supervised by this organisation, so it cannot also be its supervising "
                "department."
            ) % {"name": supervisor.name}
    return _coverage_problem(scope, region=region, supervisor=supervisor, org=org)


def _coverage_problem(
    scope: Scope, *, region: Region, supervisor: Organisation | None, org: Organisation | None
) -> tuple[str, str] | None:
    """A user whose ``directory`` comes from departments only must keep the unit under one of them."""
    wide = scope.region_ids("directory")
    if wide is None or region.pk in wide:
        return None
    own = departments(scope)
    if org is not None and org.pk in {d.pk for d in own}:
        return None
    if supervisor is not None and supervisor.pk in scope.organisation_ids("directory"):
        return None
    names = "、".join(d.name for d in own)
    return "supervisor", _(
        "As a department administrator you may register units only under your own department "
        "(%(names)s). Enter its credit code as the supervising department."
    ) % {"names": names}


def _below(pk: int) -> set[int]:
    found: set[int] = set()
    frontier = {pk}
    while frontier:
        frontier = set(Organisation.objects.filter(supervisor_id__in=frontier).values_list("pk", flat=True))
        frontier -= found | {pk}
        found |= frontier
    return found


# --- the roll-ups ------------------------------------------------------------------------------------


def figure_years(org_ids: Iterable[int]) -> set[tuple[int, int]]:
    """(organisation, year) for each year the organisations have roll-up figures or yearly facts."""
    ids = list(set(org_ids))
    pairs = figures.unit_years(ids)
    pairs |= set(
        OrganisationYear.objects.filter(organisation_id__in=ids).values_list("organisation_id", "year")
    )
    return pairs


@contextmanager
def keeping_figures(org_ids: Iterable[int], years: Iterable[int] | None = None) -> Iterator[None]:
    """One transaction around a change to these organisations that keeps the roll-ups right: to their
    facts of ``years``, or (``years`` None) to their region or type, which moves every year they have
    figures or facts for."""
    ids = set(org_ids)
    pairs = figure_years(ids) if years is None else {(pk, year) for pk in ids for year in years}
    with transaction.atomic(), tracking(pairs):
        yield


# --- the use cases -----------------------------------------------------------------------------------


def register_organisation(
    scope: Scope,
    *,
    credit_code: str,
    name: str,
    type_code: str,
    region: Region,
    supervisor: Organisation | None = None,
    address: str = "",
) -> Organisation:
    """Register a new organisation (it has no figures yet). Raises :class:`OutsideScope`, or
    ``ValidationError`` for a bad credit code or one already registered."""
    if not can_register(scope):
        raise OutsideScope(_("You may not register organisations."))
    problem = placement_problem(scope, region=region, supervisor=supervisor)
    if problem:
        raise OutsideScope(problem[1])
    org = Organisation(
        credit_code=credit_code.strip().upper(),
        name=name.strip(),
        type_code=type_code,
        region=region,
        supervisor=supervisor,
        address=address.strip(),
    )
    org.full_clean()
    with transaction.atomic():
        org.save()
    return org


def change_organisation(scope: Scope, org: Organisation, **values: object) -> list[str]:
    """Change :data:`EDITABLE` fields of ``org``; the names of the fields that changed. A new region or
    type moves the organisation's figures in the roll-ups in the same transaction."""
    unknown = set(values) - set(EDITABLE)
    if unknown:
        raise TypeError(f"not editable: {', '.join(sorted(unknown))}")
    if not can_change(scope, org):
        raise OutsideScope(_("You may not change this organisation."))
    region = cast(Region, values.get("region", org.region))
    supervisor = cast("Organisation | None", values.get("supervisor", org.supervisor))
    problem = placement_problem(scope, region=region, supervisor=supervisor, org=org)
    if problem:
        raise OutsideScope(problem[1])
    changed = [name for name, value in values.items() if getattr(org, name) != value]
    if not changed:
        return []
    moves = any(name in MOVES_FIGURES for name in changed)
    with keeping_figures([org.pk] if moves else []):
        row = Organisation.objects.select_for_update().get(pk=org.pk)
        for name in changed:
            setattr(row, name, values[name])
        row.full_clean()
        row.save()
    for name in changed:
        setattr(org, name, values[name])
    return changed


def save_facts(
    scope: Scope, org: Organisation, *, year: int, building_area_m2: Decimal, persons: int, vehicles: int = 0
) -> tuple[OrganisationYear, bool]:
    """Add the facts of ``year`` or correct them; (the row, whether anything changed). The roll-ups of
    that year follow (persons and area are the denominators of the indicators)."""
    if not can_change(scope, org):
        raise OutsideScope(_("You may not change this organisation."))
    values = {"building_area_m2": building_area_m2, "persons": persons, "vehicles": vehicles}
    with keeping_figures([org.pk], [year]) if _changes(org, year, values) else transaction.atomic():
        fact = OrganisationYear.objects.select_for_update().filter(organisation=org, year=year).first()
        if fact is None:
            fact = OrganisationYear(organisation=org, year=year)
        elif all(getattr(fact, key) == value for key, value in values.items()):
            return fact, False
        for key, value in values.items():
            setattr(fact, key, value)
        fact.full_clean()
        fact.save()
    return fact, True


def _changes(org: Organisation, year: int, values: dict[str, object]) -> bool:
    stored = OrganisationYear.objects.filter(organisation=org, year=year).values(*values).first()
    return stored is None or any(stored[key] != value for key, value in values.items())


def rename_region(scope: Scope, region: Region, name: str) -> bool:
    """Give ``region`` a new name (the code, level and dates stay); whether it changed."""
    if not can_rename(scope, region):
        raise OutsideScope(
            _("Only an office administrator of %(parent)s may rename this region.")
            % {"parent": region.parent.name if region.parent else region.name}
        )
    name = name.strip()
    if name == region.name:
        return False
    with transaction.atomic():
        row = Region.objects.select_for_update().get(pk=region.pk)
        row.name = name
        row.full_clean()
        row.save()
    region.name = name
    return True
