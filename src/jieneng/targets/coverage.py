"""Coverage of the organisation of the work, computed from the records, for the pages and for the other
domains (the bulletins and the assessment call :func:`coverage`): which regions below a region have no
dedicated agency, no leadership group, held no meeting in the year, have not passed their targets further
down, have not signed their responsibility letter. Plain values only: :class:`Place` rows, and
:func:`jieneng.core.coverage.phrase` to say them as a bulletin does ("19 个区、40 个县")."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Q

from jieneng.core.coverage import phrase
from jieneng.directory.models import Region
from jieneng.targets.models import Group, Letter, Meeting, Target


@dataclass(frozen=True)
class Place:
    """A region as the coverage names it."""

    code: str
    name: str
    level: int


@dataclass(frozen=True)
class Coverage:
    """What the regions below ``region`` (at ``level``) lack in ``year``; every list ordered by code."""

    region: str
    year: int
    level: int
    places: tuple[Place, ...]
    no_group: tuple[Place, ...]
    no_joint_meeting: tuple[Place, ...]
    no_agency: tuple[Place, ...]
    no_meeting: tuple[Place, ...]
    not_passed_down: tuple[Place, ...]
    not_signed: tuple[Place, ...]
    staff: dict[str, int] = field(default_factory=dict)

    def say(self, what: str) -> str:
        """The places lacking ``what`` (a field name, e.g. ``"no_agency"``) as a bulletin counts them."""
        places: tuple[Place, ...] = getattr(self, what)
        return phrase(p.name for p in places)


def below(region: Region, level: int | None = None) -> list[Region]:
    """The regions in force today below ``region``: its children, or its descendants at ``level``."""
    wanted = level if level is not None else region.level + 1
    found, layer = [], [region.pk]
    for _depth in range(wanted - region.level):
        rows = list(Region.objects.current().filter(parent_id__in=layer).order_by("code"))
        layer = [r.pk for r in rows]
        found = rows
    return found if wanted > region.level else []


def _place(region: Region) -> Place:
    return Place(region.code, region.name, region.level)


def coverage(region: Region | str, year: int, *, level: int | None = None) -> Coverage:
    """The coverage of the regions below ``region`` (a :class:`Region` or its code) in ``year``.

    ``level``: the level counted (1 province, 2 prefecture, 3 county); by default the level right below,
    so a province's coverage of its cities; ``level=3`` counts its districts and counties. The letters
    counted are those of ``year`` issued by each place's parent region; a place "has passed its targets
    down" when each of its targets in force in ``year`` has children (a county-level place with no
    regions below passes down to its units)."""
    if isinstance(region, str):
        region = Region.objects.current().get(code=region)
    places = below(region, level)
    ids = [p.pk for p in places]
    groups = {g.region_id: g for g in Group.objects.filter(region_id__in=ids)}
    met = set(
        Meeting.objects.filter(region_id__in=ids, held_on__year=year).values_list("region_id", flat=True)
    )
    signed = set(
        Letter.objects.filter(region_id__in=ids, year=year, signed_on__isnull=False).values_list(
            "region_id", flat=True
        )
    )
    in_force = Target.objects.filter(region_id__in=ids, start_year__lte=year, end_year__gte=year)
    with_targets = set(in_force.values_list("region_id", flat=True))
    not_split = set(in_force.filter(children__isnull=True).values_list("region_id", flat=True))
    has_below = set(
        Region.objects.current().filter(parent_id__in=ids).values_list("parent_id", flat=True)
    ) | set(
        Target.objects.filter(Q(parent__region_id__in=ids), organisation__isnull=False).values_list(
            "parent__region_id", flat=True
        )
    )
    parents = set(Letter.objects.filter(year=year).values_list("issuer_id", flat=True))

    def having_no(attribute: str) -> tuple[Place, ...]:
        return tuple(_place(p) for p in places if p.pk not in groups or not getattr(groups[p.pk], attribute))

    return Coverage(
        region=region.code,
        year=year,
        level=level if level is not None else region.level + 1,
        places=tuple(_place(p) for p in places),
        no_group=tuple(_place(p) for p in places if p.pk not in groups or not groups[p.pk].leader),
        no_joint_meeting=having_no("joint_meeting"),
        no_agency=having_no("has_agency"),
        no_meeting=tuple(_place(p) for p in places if p.pk not in met),
        not_passed_down=tuple(
            _place(p) for p in places if p.pk in with_targets and p.pk in not_split and p.pk in has_below
        ),
        not_signed=tuple(_place(p) for p in places if p.parent_id in parents and p.pk not in signed),
        staff={p.code: groups[p.pk].staff for p in places if p.pk in groups},
    )


def decomposed(regions: list[Region], year: int) -> dict[int, bool]:
    """For each of ``regions`` that has targets in force in ``year``: whether every one of them has
    been passed down (split among the regions or units below); regions without targets are left out."""
    in_force = Target.objects.filter(
        region_id__in=[r.pk for r in regions],
        organisation__isnull=True,
        start_year__lte=year,
        end_year__gte=year,
    )
    with_targets = set(in_force.values_list("region_id", flat=True))
    not_split = set(in_force.filter(children__isnull=True).values_list("region_id", flat=True))
    return {pk: pk not in not_split for pk in with_targets}


def passed_down(targets: list[Target]) -> dict[int, bool]:
    """For each target, whether it has been passed further down (has children of its own)."""
    split = set(
        Target.objects.filter(parent_id__in=[t.pk for t in targets]).values_list("parent_id", flat=True)
    )
    return {t.pk: t.pk in split for t in targets}
