"""Storing checked rows, all or nothing: each row becomes a new submission, a new revision of a
submission whose values changed, or nothing when its values are those of the current revision.

The one store of submissions, revisions and their values: imports (:mod:`.run`), online filling
(:mod:`jieneng.reporting.fill`, ``source="online"``) and the demo loader (:mod:`jieneng.reporting.demo`)
all write through :func:`store`. Rows are written as plain tuples (:mod:`jieneng.statistics.bulk`): model
instances would cost about 100 µs a row.
"""

from __future__ import annotations

import getpass
import hashlib
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import polars as pl
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from jieneng.core.forms import Form
from jieneng.core.problems import ADVISORY, Problem, needs_explanation
from jieneng.core.validation import has_values
from jieneng.reporting.models import ImportJob, Revision, Submission
from jieneng.statistics import bulk

Progress = Callable[[str, int, int], object]  # (phase, done, total)
SUBMISSION_FIELDS = (
    *("id", "organisation", "form", "period", "year", "quarter", "month"),
    *("status", "current", "flags", "updated_at"),
)
REVISION_FIELDS = (
    *("submission", "number", "edition", "values", "digest", "flags", "explanation", "source", "author"),
    *("created_by", "created_at", "import_job", "row"),
)


def advisory_flags(findings: list[Problem]) -> dict[int, list[str]]:
    """Advisory codes by Excel row: kept on the revision, so the reviewer can sort by them."""
    flags: dict[int, list[str]] = {}
    for finding in findings:
        if finding.severity == ADVISORY and finding.row is not None:
            flags.setdefault(finding.row, []).append(finding.code)
    return flags


def unexplained(flags: Mapping[int, list[str]], explanations: Mapping[int | None, str]) -> set[int]:
    """The rows flagged by a verification check (核实性) that carry no explanation (填写说明): stored as
    drafts, handed in for review only once the unit has written why the value is right."""
    return {row for row, codes in flags.items() if needs_explanation(codes) and not explanations.get(row)}


@dataclass
class _Stored:
    id: int
    current: int
    digest: str
    explanation: str


def values_json(rows: pl.DataFrame, form: Form) -> pl.Series:
    """Each row's values as canonical JSON: every item of the form, in the form's order, null when
    the file has no value, so that the same values always give the same text (and digest)."""
    present = set(rows.columns)
    fields = [
        (pl.col(code) if code in present else pl.lit(None, dtype=_dtype(form, code))).alias(code)
        for code in form.items
    ]
    return rows.select(pl.struct(fields).struct.json_encode().alias("values")).to_series()


def _dtype(form: Form, code: str) -> pl.DataType:
    return pl.String() if form.items[code].kind == "text" else pl.Float64()


def digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def store(
    rows: pl.DataFrame,
    form: Form,
    job: ImportJob | None,
    flags: Mapping[int, list[str]],
    progress: Progress,
    *,
    source: str | None = None,
    author: str | None = None,
    user: Any = None,
    status: str = Submission.Status.SUBMITTED,
    existing: pl.DataFrame | None = None,
    explanations: Mapping[int | None, str] | None = None,
    held: set[int] | frozenset[int] = frozenset(),
) -> tuple[int, int, int]:
    """Store checked rows, all or nothing: (new submissions, new revisions, unchanged rows).

    ``rows`` have org_id, period, year, quarter, month, edition and the item columns; one row per
    (organisation, period); rows without any value are left out (``empty_row``). ``status`` is the
    status new revisions put their submission in.
    ``existing``: the stored submissions (org_id, period) of these organisations, when the caller has
    read them already; only those pairs are looked up again (a file of new periods looks up nothing).
    A submission another import creates meanwhile makes this one fail whole, on the unique constraint.
    ``explanations``: row → the unit's explanation (填写说明) of its flags; a row given one whose values
    are stored already still gets a new revision when the explanation is new. ``held``: rows stored
    as drafts whatever ``status`` says (flagged by a verification check, not explained).
    """
    rows = rows.filter(has_values(rows, form))  # a row without any value never makes a blank revision
    source = source or (job.source if job else Revision.Source.CLI)
    author = author or (job.author if job else getpass.getuser())
    user = user if user is not None else (job.created_by if job else None)
    now = timezone.now()
    stamp = bulk.db_value(Revision, "created_at", now)  # for the raw inserts
    texts = values_json(rows, form).to_list()
    keys = rows.select("org_id", "period", "year", "quarter", "month", "edition", "row").rows()
    notes = explanations or {}

    def status_of(row: int | None) -> str:
        return Submission.Status.DRAFT if row in held else status

    def flag_count(index: int) -> int:
        return len(flags.get(keys[index][6], ()))

    with transaction.atomic():
        stored = _stored(rows, form, existing)
        new = [i for i, key in enumerate(keys) if (key[0], key[1]) not in stored]
        ids = dict(zip(new, bulk.allocate_ids(Submission, len(new)), strict=True))
        bulk.insert(
            Submission,
            SUBMISSION_FIELDS,
            (
                (ids[i], keys[i][0], form.id, *keys[i][1:5], status_of(keys[i][6]), 1, flag_count(i), stamp)
                for i in new
            ),
        )
        revisions: list[tuple[Any, ...]] = []
        revised: list[tuple[int, int, int, str]] = []  # (submission id, new number, flags, status)
        unchanged = 0
        user_id = getattr(user, "pk", None)
        job_id = bulk.db_value(Revision, "import_job", job.pk) if job else None
        for index, key in enumerate(keys):
            org, period, *_rest, edition, row = key
            text, row_flags = texts[index], flags.get(row, [])
            given = notes.get(row)
            sha = digest(text)
            if index in ids:
                submission, number = ids[index], 1
            else:
                known = stored[(org, period)]
                if known.digest == sha and given in (None, known.explanation):
                    unchanged += 1
                    continue
                submission, number = known.id, known.current + 1
                revised.append((submission, number, len(row_flags), status_of(row)))
            flagged = json.dumps(row_flags) if row_flags else "[]"  # most rows: no flag, no encoding
            revisions.append(
                (
                    *(submission, number, edition, text, sha, flagged, given or "", source, author),
                    *(user_id, stamp, job_id, row),
                )
            )
        bulk.insert(
            Revision,
            REVISION_FIELDS,
            revisions,
            on_batch=lambda done: progress("storing", done, len(revisions)),
        )
        groups: dict[tuple[int, int, str], list[int]] = {}  # (number, flags, status) → submissions
        for submission, number, count, row_status in revised:
            groups.setdefault((number, count, row_status), []).append(submission)
        for (number, count, row_status), pks in groups.items():
            for chunk in bulk.chunks(pks):
                Submission.objects.filter(pk__in=chunk).update(
                    current=number, status=row_status, flags=count, updated_at=now
                )
    return len(new), len(revised), unchanged


def _stored(rows: pl.DataFrame, form: Form, existing: pl.DataFrame | None) -> dict[tuple[int, str], _Stored]:
    """The stored submissions of the rows' (organisation, period) pairs with their current digest."""
    if existing is not None:
        rows = rows.join(existing.select("org_id", "period"), on=["org_id", "period"], how="semi")
        if rows.is_empty():
            return {}
    org_ids = rows["org_id"].unique().to_list()
    periods = rows["period"].unique().to_list()
    found: dict[tuple[int, str], _Stored] = {}
    for chunk in bulk.chunks(org_ids):
        query = Revision.objects.filter(
            submission__organisation_id__in=chunk,
            submission__form=form.id,
            submission__period__in=periods,
            number=F("submission__current"),
        ).values_list(
            "submission_id",
            "submission__organisation_id",
            "submission__period",
            "number",
            "digest",
            "explanation",
        )
        for pk, org, period, number, sha, explanation in query:
            found[(org, period)] = _Stored(pk, number, sha, explanation)
    return found
