"""Review: a reviewer approves submissions or returns them with a reason; approval publishes the values.

Approving a submission makes its current revision the approved one and, in the same transaction,
replaces what that submission contributed to the statistics: the energy records of a consumption
form, the yearly facts of the basic information form. The indicators read those, so they reflect an
approval at once. Every action is a :class:`~jieneng.reporting.models.ReviewEvent` with who and when.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import F, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from jieneng.core.forms import Form
from jieneng.directory.models import OrganisationYear
from jieneng.reference import load_forms
from jieneng.reporting.models import ReviewEvent, Revision, Submission
from jieneng.statistics import bulk, records, rollups
from jieneng.statistics.retry import retried

#: which item of the basic information form fills which field of the yearly facts
FACT_FIELDS = {"building_area": "building_area_m2", "energy_users": "persons", "vehicles": "vehicles"}
EVENT_FIELDS = ("submission", "revision", "action", "reason", "actor", "actor_user", "at")
REVIEWABLE = (Submission.Status.SUBMITTED, Submission.Status.RETURNED)


class ReviewError(ValueError):
    """A review action that cannot be done; the message is for the reviewer."""


class NewerRevision(ReviewError):
    """The reviewer acted on a revision that is no longer the current one: nothing was done.

    ``stale``: (submission id, the revision seen, the current one, the differences as (item code,
    value seen, current value)) for each such submission.
    """

    def __init__(self, stale: list[tuple[int, int, int, list[tuple[str, Any, Any]]]]) -> None:
        self.stale = stale
        super().__init__(
            _(
                "A newer revision was submitted after the one you reviewed (revision %(seen)s; now "
                "%(current)s). Nothing was changed: look at the new revision and review it again."
            )
            % {"seen": stale[0][1], "current": stale[0][2]}
        )


def _check_seen(chosen: Sequence[tuple[int, str, int]], seen: Mapping[int, int] | None) -> None:
    """Raise :class:`NewerRevision` when a submission's current revision is not the one seen."""
    if seen is None:
        return
    stale = [(pk, seen[pk], current) for pk, _form, current in chosen if pk in seen and seen[pk] != current]
    if stale:
        raise NewerRevision([(pk, was, now, difference(pk, was, now)) for pk, was, now in stale])


def difference(submission_id: int, seen: int, current: int) -> list[tuple[str, Any, Any]]:
    """The values that differ between two revisions of a submission: (item code, in ``seen``, in
    ``current``), in the order of the current revision's items then the removed ones."""
    values = dict(
        Revision.objects.filter(submission_id=submission_id, number__in=[seen, current]).values_list(
            "number", "values"
        )
    )
    old, new = _values(values.get(seen) or {}), _values(values.get(current) or {})
    keys = [*new, *(k for k in old if k not in new)]
    return [(k, old.get(k), new.get(k)) for k in keys if old.get(k) != new.get(k)]


@retried
def approve(
    ids: Iterable[int],
    *,
    actor: str,
    user: User | None = None,
    reason: str = "",
    seen: Mapping[int, int] | None = None,
) -> int:
    """Approve the current revision of each submission in ``ids`` that awaits review; the number approved.

    ``seen``: submission id → the revision the reviewer looked at; when one of them is no longer the
    current revision, :class:`NewerRevision` is raised and nothing is approved.
    """
    now = timezone.now()
    with transaction.atomic():
        chosen = list(
            Submission.objects.select_for_update()
            .filter(pk__in=list(ids), status__in=REVIEWABLE)
            .order_by("pk")  # one order for every reviewer: no lock cycle between two of them
            .values_list("pk", "form", "current")
        )
        if not chosen:
            return 0
        _check_seen(chosen, seen)
        by_form: dict[str, list[tuple[int, int]]] = {}
        for pk, form, current in chosen:
            by_form.setdefault(form, []).append((pk, current))
        pks = [pk for pk, _form, _current in chosen]
        touched = set(Submission.objects.filter(pk__in=pks).values_list("organisation_id", "year"))
        with rollups.tracking(touched):  # the dashboards' sums follow in the same transaction
            for form_id, pairs in by_form.items():
                publish(load_forms()[form_id], [pk for pk, _current in pairs])
        Submission.objects.filter(pk__in=pks).update(
            status=Submission.Status.APPROVED, approved=F("current"), updated_at=now
        )
        _events(chosen, ReviewEvent.Action.APPROVED, reason=reason, actor=actor, user=user, now=now)
    return len(chosen)


@retried
def return_(
    ids: Iterable[int],
    *,
    reason: str,
    actor: str,
    user: User | None = None,
    seen: Mapping[int, int] | None = None,
) -> int:
    """Return each submission in ``ids`` that awaits review to its reporter, with ``reason``
    (``seen`` as for :func:`approve`)."""
    if not reason.strip():
        raise ReviewError(_("Say why the submission is returned, so that the reporter can fix it."))
    now = timezone.now()
    with transaction.atomic():
        chosen = list(
            Submission.objects.select_for_update()
            .filter(pk__in=list(ids), status=Submission.Status.SUBMITTED)
            .order_by("pk")
            .values_list("pk", "form", "current")
        )
        _check_seen(chosen, seen)
        Submission.objects.filter(pk__in=[pk for pk, *_rest in chosen]).update(
            status=Submission.Status.RETURNED, updated_at=now
        )
        _events(chosen, ReviewEvent.Action.RETURNED, reason=reason.strip(), actor=actor, user=user, now=now)
    return len(chosen)


def _events(
    chosen: Sequence[tuple[int, str, int]],
    action: str,
    *,
    reason: str,
    actor: str,
    user: User | None,
    now: datetime,
) -> None:
    user_id = getattr(user, "pk", None)
    stamp = bulk.db_value(ReviewEvent, "at", now)
    rows = ((pk, current, action, reason, actor, user_id, stamp) for pk, _form, current in chosen)
    bulk.insert(ReviewEvent, EVENT_FIELDS, rows)


def publish(form: Form, submission_ids: Sequence[int]) -> None:
    """Write the current revisions' values of ``submission_ids`` into the statistics the indicators
    read, replacing what these submissions contributed before."""
    rows = list(
        Revision.objects.filter(
            submission_id__in=submission_ids, number=F("submission__current")
        ).values_list(
            "submission_id",
            "number",
            "submission__organisation_id",
            "submission__year",
            "submission__quarter",
            "submission__month",
            "values",
        )
    )
    if form.kind == "facts":
        _publish_facts(rows)
        return
    records.replace(submission_ids, _records(form, rows))


def _values(raw: Any) -> dict[str, Any]:
    return json.loads(raw) if isinstance(raw, str) else dict(raw)


def _records(form: Form, rows: Iterable[tuple[Any, ...]]) -> Iterable[tuple[Any, ...]]:
    """The store's rows (:data:`jieneng.statistics.records.RECORD_FIELDS`) of the revisions ``rows``."""
    quantities = [item for item in form.items.values() if item.kind == "quantity"]
    costs = {item.energy: item.code for item in form.items.values() if item.kind == "cost"}
    for submission, number, org, year, quarter, month, raw in rows:
        values = _values(raw)
        for item in quantities:
            quantity = values.get(item.code)
            if quantity is None:
                continue
            cost = values.get(costs.get(item.energy, ""))
            yield (
                org,
                year,
                quarter,
                month,
                item.energy,
                round(quantity, 4),  # floats: the column's scale rounds them; Decimal costs ~40 µs each
                item.unit,
                None if cost is None else round(cost, 2),
                submission,
                number,
            )


def _publish_facts(rows: Iterable[tuple[Any, ...]]) -> None:
    for _submission, _number, org, year, _quarter, _month, raw in rows:
        values = _values(raw)
        fields = {field: values.get(item) for item, field in FACT_FIELDS.items()}
        if fields["building_area_m2"] is None or fields["persons"] is None:
            continue  # the per-m² and per-person indicators need both; keep last year's facts
        OrganisationYear.objects.update_or_create(
            organisation_id=org,
            year=year,
            defaults={
                "building_area_m2": Decimal(repr(fields["building_area_m2"])).quantize(Decimal("0.01")),
                "persons": int(fields["persons"]),
                "vehicles": int(fields["vehicles"] or 0),
            },
        )


def queue(
    *,
    status: str | None = Submission.Status.SUBMITTED,
    form: str | None = None,
    period: str | None = None,
    organisations: QuerySet[Any] | None = None,
    flagged_first: bool = True,
) -> QuerySet[Submission]:
    """Submissions for the review queue, the most flagged first (then the oldest change)."""
    query = Submission.objects.select_related("organisation", "organisation__region")
    if status:
        query = query.filter(status=status)
    if form:
        query = query.filter(form=form)
    if period:
        query = query.filter(period=period)
    if organisations is not None:
        query = query.filter(organisation__in=organisations)
    order = ("-flags", "updated_at", "pk") if flagged_first else ("updated_at", "pk")
    return query.order_by(*order)


def history_of(submission: Submission) -> list[dict[str, Any]]:
    """Every revision of ``submission`` with its author, time, source and the review events on it."""
    events: dict[int, list[ReviewEvent]] = {}
    for event in submission.events.order_by("at", "pk"):
        events.setdefault(event.revision, []).append(event)
    return [
        {"revision": revision, "values": _values(revision.values), "events": events.get(revision.number, [])}
        for revision in submission.revisions.order_by("-number")
    ]
