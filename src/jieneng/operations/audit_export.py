"""The audit trail of a period as records for an auditor or an archive (``jieneng manage audit_export``).

Three kinds of record, oldest first:

* ``change`` — a change record of django-auditlog (the directory, roles, accounts and tokens: what
  the accounts' audit page shows);
* ``revision`` — a submission's new revision (who handed in which values, from which import);
* ``review`` — a submission returned or approved.

Every record names people by their account's id only: no user names, full names, e-mail or IP
addresses, no object descriptions (an account's description is its user name), and no free text a
person wrote (a return's reason, a role's note). The changed values are given for the directory
and the roles (codes, names of places, ids, roles); of accounts and tokens only which fields changed.

With a ``scope`` (an account's), the records are those that account's audit page and review queue
would show; without one, every record of the installation (the operator's export).
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, TextIO

from auditlog.models import LogEntry
from django.utils import timezone

from jieneng.accounts import trail
from jieneng.accounts.scope import Scope
from jieneng.reporting.access import submissions
from jieneng.reporting.models import ReviewEvent, Revision, Submission

FORMATS = ("csv", "jsonl")
#: models whose changed values are exported (their fields are places, codes, ids and roles)
WITH_VALUES = {
    "directory.region",
    "directory.organisation",
    "directory.organisationyear",
    "accounts.membership",
}
#: fields whose values are never exported: free text a person wrote
FREE_TEXT = {"note"}
ACTIONS = {
    LogEntry.Action.CREATE: "create",
    LogEntry.Action.UPDATE: "update",
    LogEntry.Action.DELETE: "delete",
    LogEntry.Action.ACCESS: "access",
}


@dataclass(frozen=True)
class Record:
    time: str  # ISO 8601, UTC
    kind: str  # change | revision | review
    action: str
    object: str  # app_label.model
    object_id: str
    actor: int | None  # the account's id
    fields: str  # the changed fields, space-separated
    detail: str  # JSON: ids, codes and (for the directory and roles) the changed values


def _bounds(since: date, until: date) -> tuple[datetime, datetime]:
    """The period's first instant and the instant after its last day, in the site's time zone."""
    start = timezone.make_aware(datetime.combine(since, time.min))
    end = timezone.make_aware(datetime.combine(until + timedelta(days=1), time.min))
    return start, end


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def records(since: date, until: date, scope: Scope | None = None) -> Iterator[Record]:
    """Every record of the days ``since`` to ``until`` (inclusive), oldest first."""
    found = [*_changes(since, until, scope), *_revisions(since, until, scope), *_reviews(since, until, scope)]
    yield from sorted(found, key=lambda record: (record.time, record.kind, record.object_id))


def _changes(since: date, until: date, scope: Scope | None) -> Iterator[Record]:
    start, end = _bounds(since, until)
    if scope is None:
        rows = LogEntry.objects.select_related("content_type")
    elif scope.can("users") or scope.can("directory"):
        rows = trail.entries(scope)
    else:  # the audit page is refused to this account
        return
    for entry in rows.filter(timestamp__gte=start, timestamp__lt=end).order_by("timestamp", "pk"):
        label = f"{entry.content_type.app_label}.{entry.content_type.model}"
        changes = entry.changes_dict or {}
        detail: dict[str, Any] = {}
        if label in WITH_VALUES:
            detail = {name: values for name, values in changes.items() if name not in FREE_TEXT}
        yield Record(
            _iso(entry.timestamp),
            "change",
            ACTIONS.get(entry.action, str(entry.action)),
            label,
            entry.object_pk or str(entry.object_id or ""),
            entry.actor_id,
            " ".join(sorted(changes)),
            json.dumps(detail, ensure_ascii=False, sort_keys=True),
        )


def _visible(scope: Scope | None) -> Any:
    return Submission.objects.all() if scope is None else submissions(scope, "view")


def _revisions(since: date, until: date, scope: Scope | None) -> Iterator[Record]:
    start, end = _bounds(since, until)
    rows = Revision.objects.filter(created_at__gte=start, created_at__lt=end, submission__in=_visible(scope))
    rows = rows.select_related("submission").order_by("created_at", "pk")
    for revision in rows:
        submission = revision.submission
        detail = {
            "submission": submission.pk,
            "organisation": submission.organisation_id,
            "form": submission.form,
            "period": submission.period,
            "revision": revision.number,
            "import": None if revision.import_job_id is None else str(revision.import_job_id),
            "digest": revision.digest,
        }
        yield Record(
            _iso(revision.created_at),
            "revision",
            str(revision.source),
            "reporting.revision",
            str(revision.pk),
            revision.created_by_id,
            "",
            json.dumps(detail, sort_keys=True),
        )


def _reviews(since: date, until: date, scope: Scope | None) -> Iterator[Record]:
    start, end = _bounds(since, until)
    rows = ReviewEvent.objects.filter(at__gte=start, at__lt=end, submission__in=_visible(scope))
    rows = rows.select_related("submission").order_by("at", "pk")
    for event in rows:
        detail = {
            "submission": event.submission_id,
            "organisation": event.submission.organisation_id,
            "revision": event.revision,
            "reason_given": bool(event.reason),
        }
        yield Record(
            _iso(event.at),
            "review",
            str(event.action),
            "reporting.reviewevent",
            str(event.pk),
            event.actor_user_id,
            "",
            json.dumps(detail, sort_keys=True),
        )


COLUMNS = tuple(Record.__dataclass_fields__)


def write(out: TextIO, found: Iterator[Record], fmt: str) -> int:
    """Write ``found`` as CSV (with a header row) or JSON lines; the number of records."""
    count = 0
    if fmt == "csv":
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(COLUMNS)
        for count, record in enumerate(found, 1):  # noqa: B007 - the count is what is returned
            writer.writerow(astuple(record))
        return count
    for count, record in enumerate(found, 1):  # noqa: B007
        line = asdict(record) | {"detail": json.loads(record.detail)}
        out.write(json.dumps(line, ensure_ascii=False, sort_keys=False) + "\n")
    return count


def astuple(record: Record) -> tuple[Any, ...]:
    return tuple("" if value is None else value for value in asdict(record).values())
