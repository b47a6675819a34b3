"""The review queue: the submissions of a reviewer's places, filtered and ordered, counted cheaply.

Built for a national table (1.6 million submissions and more): the organisations of the scope and
filters are one subquery, the period filter also fixes the year (index form, status, year), counts
stop at :data:`COUNT_CAP` (“10,000+”) so that no count scans the whole table, a short list is ordered
from its sort keys and a long one by the database (index form, status, flags desc, id), and only
the page's rows are read with their organisation; the advisory flags of a page come in one query.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Any

from django.core.paginator import Page, Paginator
from django.db.models import F, QuerySet

from jieneng.accounts.scope import Scope
from jieneng.directory.models import Organisation, Region
from jieneng.directory.services import subtree_ids_of
from jieneng.io.cells import Period
from jieneng.reporting.models import Revision, Submission
from jieneng.reporting.templates import period_key

# Paginator is generic in django-stubs only (django_stubs_ext.monkeypatch() is not called); the capped
# one pages ids, then the page holds the submissions read for them (or organisations)
if TYPE_CHECKING:
    _Paginator = Paginator[Any]
else:
    _Paginator = Paginator

COUNT_CAP = 10_000
STATUSES = (Submission.Status.SUBMITTED, Submission.Status.RETURNED, Submission.Status.APPROVED)
ORDERS = {
    "flags": ("-flags", "pk"),  # the most flagged first, then in order of arrival
    "period": ("-year", "-period", "organisation__name", "pk"),
    "organisation": ("organisation__name", "-year", "-period", "pk"),
}


def submissions(
    scope: Scope,
    capability: str,
    *,
    form: str | None = None,
    period: Period | None = None,
    region: str | None = None,
    type_code: str | None = None,
) -> QuerySet[Submission]:
    """The submissions of ``scope`` (for ``capability``) that pass the filters, any status.

    The organisations (scope, region subtree, type) are one subquery, ``organisation_id IN (…)``:
    PostgreSQL hashes it and walks the submissions' queue index without a join per row.
    """
    query = Submission.objects.all()
    organisations = Organisation.objects.all()
    narrowed = False
    if scope.region_ids(capability) is not None:  # not a superuser
        organisations, narrowed = scope.organisations(capability), True
    if region:
        organisations, narrowed = organisations.filter(region_id__in=sorted(subtree_ids_of(region))), True
    if type_code:
        organisations, narrowed = organisations.filter(type_code=type_code), True
    if narrowed:
        query = query.filter(organisation_id__in=organisations.values("pk"))
    if form:
        query = query.filter(form=form)
    if period is not None:
        query = query.filter(year=period.year, period=period_key(period))
    return query


@dataclass
class Listing:
    """One page of the queue and the (capped) count of each status."""

    page: Page[Submission]
    counts: dict[str, int]
    capped: bool


def listing(query: QuerySet[Submission], status: str, sort: str, number: Any, per_page: int) -> Listing:
    """The page ``number`` of ``status`` in the order ``sort``, and the count of every status.

    In the default order a list of at most :data:`COUNT_CAP` rows is read as sort keys (flags, id)
    and ordered here, then only the page's rows are read: PostgreSQL starts from the scope's
    organisations instead of walking the whole table in index order. A longer list is read in the
    database's order (the queue index), which finds a page of a dense list at once.
    """
    counts = status_counts(query, [s for s in STATUSES if s != status])
    ordered: list[int] | None = None
    if sort not in ORDERS or sort == "flags":
        keys = list(query.filter(status=status).order_by().values_list("flags", "pk")[: COUNT_CAP + 1])
        counts[status] = len(keys)
        if len(keys) <= COUNT_CAP:
            ordered = [pk for _flags, pk in sorted(keys, key=lambda k: (-k[0], k[1]))]
    else:
        counts[status] = capped_count(query.filter(status=status))
    if ordered is None:  # a long list, or another order: the database orders the ids of a page
        chosen = query.filter(status=status).order_by(*ORDERS.get(sort, ORDERS["flags"]))
        paginator = CappedPaginator(chosen.values_list("pk", flat=True), per_page, counts[status])
    else:
        paginator = CappedPaginator(ordered, per_page, counts[status])
    page = paginator.get_page(number)
    ids = list(page.object_list)
    rows = Submission.objects.filter(pk__in=ids).select_related("organisation", "organisation__region")
    by_id = {s.pk: s for s in rows}
    page.object_list = [by_id[pk] for pk in ids if pk in by_id]
    return Listing(page, counts, paginator.capped)


def capped_count(query: QuerySet[Any], cap: int = COUNT_CAP) -> int:
    """The number of rows, counted up to ``cap + 1`` (more than ``cap`` means “cap+”)."""
    return query.order_by().values("pk")[: cap + 1].count()


def status_counts(query: QuerySet[Submission], statuses: Iterable[str] = STATUSES) -> dict[str, int]:
    """Rows of each status in ``query`` (each capped): one small bounded query per status."""
    return {status: capped_count(query.filter(status=status)) for status in statuses}


class CappedPaginator(_Paginator):
    """A paginator told its count (a capped one): it never counts the whole list itself."""

    def __init__(self, object_list: Any, per_page: int, count: int) -> None:
        super().__init__(object_list, per_page)
        self._known = min(count, COUNT_CAP)
        self.capped = count > COUNT_CAP

    @cached_property
    def count(self) -> int:
        return self._known


def flags_of(rows: Iterable[Submission]) -> dict[int, list[str]]:
    """The advisory codes of the current revision of each submission, in one query."""
    ids = [s.pk for s in rows]
    if not ids:
        return {}
    query = Revision.objects.filter(submission_id__in=ids, number=F("submission__current"))
    return dict(query.values_list("submission_id", "flags"))


def region_choices(scope: Scope, capability: str, selected: str | None = None) -> list[tuple[str, str]]:
    """(code, label) of the regions to filter by: the top regions of the scope and the level below,
    and the path to ``selected`` with its children; indented by depth, in code (= tree) order."""
    ids = scope.region_ids(capability)
    pool = Region.objects.current() if ids is None else Region.objects.current().filter(pk__in=sorted(ids))
    roots = list(pool.filter(parent__isnull=True) if ids is None else pool.exclude(parent_id__in=sorted(ids)))
    if not roots:
        return []
    wanted = {r.pk for r in roots}
    parents = set(wanted)
    if selected:  # the path from the top down to the selected region, read in one query
        parent_of = dict(Region.objects.filter(code__startswith=selected[:2]).values_list("pk", "parent_id"))
        for pk in pool.filter(code=selected).values_list("pk", flat=True):
            above: int | None = pk
            while above is not None and above not in parents:
                parents.add(above)
                above = parent_of.get(above)
    shown = list(pool.filter(pk__in=sorted(wanted)) | pool.filter(parent_id__in=sorted(parents)))
    top = min(r.level for r in roots)
    return [
        (r.code, "\u3000" * (r.level - top) + r.name)
        for r in sorted({r.code: r for r in shown}.values(), key=lambda r: r.code)
    ]
