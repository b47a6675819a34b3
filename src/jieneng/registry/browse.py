"""Reading the registry for the directory pages: the list of organisations a user may see (searched,
filtered, paged) and the region tree with its counts (the change history is in :mod:`.history`).

The list is sorted by region (code) then name and paged by a cursor, not by an offset: a page is read
region by region (a few regions at first, four times as many at each step) until it is full, so that a
page costs a few indexed reads whether the scope holds seven organisations or 1.6 million. The total is
counted only up to :data:`COUNT_LIMIT`; above it the page says "more than".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import Substr
from django.utils import timezone

from jieneng.accounts.scope import Scope
from jieneng.core import credit_code
from jieneng.directory.models import Organisation, Region
from jieneng.directory.services import subtree_ids

PAGE_SIZE = 50
COUNT_LIMIT = 1000
#: regions read by the first query of a page; each further query reads four times as many
FIRST_CHUNK = 1
#: a filter list longer than this offers only provinces and prefectures (a national scope)
REGION_CHOICES_LIMIT = 400

_CREDIT_CODE = re.compile(r"^[0-9A-HJ-NPQRTUWXY]{18}$")
#: 组织机构代码 (GB 11714): eight characters and a check character, often written with a hyphen; it is
#: characters 9–17 of the unified social credit code (GB 32100 §4)
_ORGANISATION_CODE = re.compile(r"^[0-9A-Z]{8}[0-9X]$")


# --- regions -----------------------------------------------------------------------------------------


def visible_region_ids(scope: Scope) -> set[int] | None:
    """Regions that may hold an organisation the user sees (None: every region)."""
    regions = scope.region_ids("view")
    if regions is None:
        return None
    direct = scope.organisation_ids("view")
    if direct:
        regions = regions | set(
            Organisation.objects.filter(pk__in=direct).values_list("region_id", flat=True).distinct()
        )
    return regions


def filter_regions(scope: Scope) -> list[Region]:
    """Regions offered by the list's region filter: the current rows the user may see, by code; for a
    very wide scope only provinces and prefectures."""
    ids = visible_region_ids(scope)
    rows = Region.objects.current().order_by("code")
    if ids is not None:
        rows = rows.filter(pk__in=ids)
    if rows.count() > REGION_CHOICES_LIMIT:
        rows = rows.filter(level__lte=Region.Level.PREFECTURE)
    return list(rows)


# --- the list ----------------------------------------------------------------------------------------


def search_q(text: str) -> Q:
    """A filter for what a user typed: an 18-character credit code, a 9-character organisation code
    (with or without its hyphen), or part of a name or of a credit code."""
    text = text.strip()
    code = credit_code.normalise(text)
    if _CREDIT_CODE.match(code):
        return Q(credit_code=code)
    # LIKE, not ILIKE, for names without Latin letters: case does not matter and LIKE scans faster
    name = Q(name__icontains=text) if re.search(r"[A-Za-z]", text) else Q(name__contains=text)
    if _ORGANISATION_CODE.match(code):
        return Q(organisation_code=code) | name
    return name | Q(credit_code__startswith=code)


@dataclass
class Listing:
    """One page of organisations. ``total`` is exact up to :data:`COUNT_LIMIT`; above it ``more``."""

    rows: list[Organisation]
    total: int
    more: bool
    next_after: int | None = None
    previous_before: int | None = None

    @property
    def paged(self) -> bool:
        return self.next_after is not None or self.previous_before is not None


def organisations_page(
    scope: Scope,
    *,
    text: str = "",
    region: Region | None = None,
    type_code: str = "",
    after: int | None = None,
    before: int | None = None,
    size: int = PAGE_SIZE,
) -> Listing:
    """The organisations the user may see, matching ``text``, in ``region`` (its subtree) and of
    ``type_code``, sorted by region then name: the page after the organisation ``after`` or before
    ``before`` (default the first page).

    Without a search the page is read region by region (:func:`_walk`, indexed reads); a search reads
    the matching rows in one pass (:func:`_scan`), since a name is found by scanning anyway."""
    base = scope.organisations("view")
    if text.strip():
        base = base.annotate(organisation_code=Substr("credit_code", 9, 9)).filter(search_q(text))
    if type_code:
        base = base.filter(type_code=type_code)
    domain = visible_region_ids(scope)
    if region is not None:
        subtree = subtree_ids({region.pk})
        domain = subtree if domain is None else domain & subtree
        base = base.filter(region_id__in=domain)

    backward = before is not None and after is None
    cursor = _cursor(base, before if backward else after)
    if text.strip():
        rows = _scan(base, cursor, size + 1, backward=backward)
    else:
        order = _region_order(domain)
        if cursor is not None and cursor[2] not in order:
            cursor = None
        start = order.index(cursor[2]) if cursor is not None else 0
        rows = _walk(base, order, start, cursor[3:] if cursor else None, size + 1, backward=backward)
    if cursor is None and len(rows) <= size:
        total, more = len(rows), False  # the whole list is on this page: nothing to count
    else:
        counted = base.order_by().values("pk")[: COUNT_LIMIT + 1].count()
        total, more = min(counted, COUNT_LIMIT), counted > COUNT_LIMIT

    has_more = len(rows) > size
    shown = rows[:size]
    if backward:
        shown.reverse()
        return Listing(
            shown,
            total,
            more,
            next_after=shown[-1].pk if shown else None,
            previous_before=shown[0].pk if has_more else None,
        )
    return Listing(
        shown,
        total,
        more,
        next_after=shown[-1].pk if has_more else None,
        previous_before=shown[0].pk if cursor is not None and shown else None,
    )


#: the order of the list: region (by code, then its dated row), then name
ORDER = ("region__code", "region__valid_from", "region_id", "name", "pk")
Cursor = tuple[str, date, int, str, int]


def _region_order(domain: set[int] | None) -> list[int]:
    rows = Region.objects.order_by("code", "valid_from", "pk")
    if domain is not None:
        rows = rows.filter(pk__in=domain)
    return list(rows.values_list("pk", flat=True))


def _cursor(base: QuerySet[Organisation], pk: int | None) -> Cursor | None:
    """The :data:`ORDER` values of the organisation a page starts after; None if it is not listed."""
    if pk is None:
        return None
    row = base.filter(pk=pk).values_list(*ORDER).first()
    return None if row is None else (row[0], row[1], row[2], row[3], row[4])


def _ordering(backward: bool) -> list[str]:
    return [f"-{name}" if backward else name for name in ORDER]


def _beyond(fields: tuple[str, ...], values: tuple[Any, ...], backward: bool) -> Q:
    """Rows after ``values`` in the order of ``fields`` (before them when ``backward``)."""
    op = "lt" if backward else "gt"
    q = Q(pk__in=[])
    for i, name in enumerate(fields):
        same = {fields[j]: values[j] for j in range(i)}
        q |= Q(**same, **{f"{name}__{op}": values[i]})
    return q


def _scan(
    base: QuerySet[Organisation], cursor: Cursor | None, wanted: int, *, backward: bool
) -> list[Organisation]:
    rows = base.select_related("region", "supervisor")
    if cursor is not None:
        rows = rows.filter(_beyond(ORDER, cursor, backward))
    return list(rows.order_by(*_ordering(backward))[:wanted])


def _walk(
    base: QuerySet[Organisation],
    order: list[int],
    start: int,
    cursor: tuple[str, int] | None,
    wanted: int,
    *,
    backward: bool,
) -> list[Organisation]:
    """Up to ``wanted`` organisations from region ``order[start]`` on (back to the first region when
    ``backward``), after (or before) ``cursor`` = (name, pk) within that first region."""
    ordering = _ordering(backward)
    rows: list[Organisation] = []
    position, chunk = start, FIRST_CHUNK
    shown = base.select_related("region", "supervisor")
    if cursor is not None and order:
        beyond = _beyond(("name", "pk"), cursor, backward)
        rows += shown.filter(beyond, region_id=order[position]).order_by(*ordering)[:wanted]
        position += -1 if backward else 1
    while len(rows) < wanted and 0 <= position < len(order):
        if backward:
            ids, position = order[max(0, position - chunk + 1) : position + 1], position - chunk
        else:
            ids, position = order[position : position + chunk], position + chunk
        rows += shown.filter(region_id__in=ids).order_by(*ordering)[: wanted - len(rows)]
        chunk *= 4
    return rows


# --- the region tree ---------------------------------------------------------------------------------


@dataclass
class RegionRow:
    region: Region
    depth: int
    organisations: int
    renamable: bool
    current: bool


def region_tree(
    scope: Scope, root: Region | None, *, depth: int = 2, on: date | None = None
) -> list[RegionRow]:
    """``root`` (default: the top regions the user may see) and its regions down to ``depth`` levels
    below, each parent before its children, with the number of organisations in each one's subtree
    that the user may see. Former rows (``valid_to`` past) are listed too."""
    day = on or timezone.localdate()
    visible = scope.region_ids("view")
    if root is not None:
        domain = subtree_ids({root.pk})
    elif visible is None:
        domain = None
    else:
        domain = visible
    rows = Region.objects.order_by("code", "valid_from")
    if domain is not None:
        rows = rows.filter(pk__in=domain)
    if visible is not None:
        rows = rows.filter(pk__in=visible)
    regions = list(rows)
    by_pk = {r.pk: r for r in regions}
    children: dict[int | None, list[Region]] = {}
    for r in regions:
        parent = r.parent_id if r.parent_id in by_pk else None
        children.setdefault(parent, []).append(r)
    direct = _direct_counts(scope, set(by_pk) if domain is not None or visible is not None else None)
    renamable = _renamable(scope, regions)
    out: list[RegionRow] = []

    def subtree_count(region: Region) -> int:
        return direct.get(region.pk, 0) + sum(subtree_count(c) for c in children.get(region.pk, ()))

    def visit(region: Region, level: int) -> None:
        out.append(
            RegionRow(region, level, subtree_count(region), region.pk in renamable, region.valid_on(day))
        )
        if level < depth:
            for child in children.get(region.pk, ()):
                visit(child, level + 1)

    for top in children.get(None, ()):
        visit(top, 0)
    return out


def _direct_counts(scope: Scope, regions: set[int] | None) -> dict[int, int]:
    rows = scope.organisations("view")
    if regions is not None:
        rows = rows.filter(region_id__in=regions)
    counts = rows.order_by().values_list("region_id").annotate(n=Count("*"))  # COUNT(*): index only
    return dict(counts.values_list("region_id", "n"))


def _renamable(scope: Scope, regions: list[Region]) -> set[int]:
    """Regions whose parent the user administers (office admin there: ``directory`` on a region)."""
    allowed = scope.region_ids("directory")
    if allowed is None:
        return {r.pk for r in regions}
    return {r.pk for r in regions if r.parent_id in allowed}
