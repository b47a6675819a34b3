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
from typing import Any

import polars as pl
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from jieneng.core.forms import Form
from jieneng.core.problems import ADVISORY, Problem, needs_explanation
from jieneng.core.validation import has_values
from jieneng.reporting.imports.context import STORED_SCHEMA
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
    read them already; with their current revisions (the columns of
    :data:`~jieneng.reporting.imports.context.STORED_SCHEMA`, as the import's checks read them) nothing
    is looked up again, else only those pairs are (a file of new periods looks up nothing). A
    submission or revision another import writes meanwhile makes this one fail whole, on a unique
    constraint.
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
    with transaction.atomic():
        frame = _rows_frame(
            rows, form, flags=flags, explanations=explanations or {}, held=held, status=status
        )
        stored = _stored(rows, form, existing)
        if not stored.is_empty():
            frame = frame.join(stored, on=["org_id", "period"], how="left")
            same = pl.col("known_digest") == pl.col("digest")
            explained = pl.col("explanation").is_null() | (
                pl.col("explanation") == pl.col("known_explanation")
            )
            frame = frame.filter(~(pl.col("known").is_not_null() & same & explained).fill_null(False))
        else:
            frame = frame.with_columns(
                pl.lit(None, pl.Int64).alias("known"), pl.lit(None, pl.Int64).alias("known_current")
            )
        unchanged = rows.height - frame.height
        is_new = pl.col("known").is_null()
        new = frame.filter(is_new)
        ids = pl.Series("submission", bulk.allocate_ids(Submission, new.height), dtype=pl.Int64)
        new = new.with_columns(ids)
        revised = frame.filter(~is_new).with_columns(
            pl.col("known").alias("submission"), (pl.col("known_current") + 1).alias("number")
        )
        bulk.insert_frame(
            Submission,
            SUBMISSION_FIELDS,
            new.select(
                "submission",
                "org_id",
                pl.lit(form.id).alias("form"),
                *("period", "year", "quarter", "month", "status"),
                pl.lit(1).alias("current"),
                "flag_count",
                pl.lit(str(stamp)).alias("updated_at"),
            ),
        )
        written = pl.concat(
            [
                part.select(
                    "submission",
                    pl.col("number").cast(pl.Int64),
                    *("edition", "values", "digest", "flags"),
                    pl.col("explanation").fill_null(""),
                    pl.lit(source).alias("source"),
                    pl.lit(author).alias("author"),
                    pl.lit(getattr(user, "pk", None), pl.Int64).alias("created_by"),
                    pl.lit(str(stamp)).alias("created_at"),
                    pl.lit(_text(Revision, "import_job", job.pk) if job else None, pl.String).alias("job"),
                    "row",
                )
                for part in (new.with_columns(pl.lit(1).alias("number")), revised)
            ]
        )
        bulk.insert_frame(
            Revision,
            REVISION_FIELDS,
            written,
            on_batch=lambda done: progress("storing", done, written.height),
        )
        groups: dict[tuple[int, int, str], list[int]] = {}  # (number, flags, status) → submissions
        for submission, number, count, row_status in revised.select(
            "submission", "number", "flag_count", "status"
        ).iter_rows():
            groups.setdefault((number, count, row_status), []).append(submission)
        for (number, count, row_status), pks in groups.items():
            for chunk in bulk.chunks(pks):
                Submission.objects.filter(pk__in=chunk).update(
                    current=number, status=row_status, flags=count, updated_at=now
                )
    return new.height, revised.height, unchanged


def _text(model: type[Any], field: str, value: Any) -> str | None:
    """A value of the same on every row as the text COPY or SQLite takes (a UUID's hex on SQLite)."""
    prepared = bulk.db_value(model, field, value)
    return None if prepared is None else str(prepared)


def _rows_frame(
    rows: pl.DataFrame,
    form: Form,
    *,
    flags: Mapping[int, list[str]],
    explanations: Mapping[int | None, str],
    held: set[int] | frozenset[int],
    status: str,
) -> pl.DataFrame:
    """The rows to store, one column each of what their submission and revision need: keys, the
    values' canonical JSON and its digest, the flags (JSON and count), explanation and status."""
    texts = values_json(rows, form)
    flagged = [(row, json.dumps(codes), len(codes)) for row, codes in flags.items() if codes]
    flag_frame = pl.DataFrame(
        flagged, schema={"row": pl.Int64, "flags": pl.String, "flag_count": pl.Int64}, orient="row"
    )
    notes = pl.DataFrame(
        list(explanations.items()),
        schema={"row": pl.Int64, "explanation": pl.String},
        orient="row",
    )
    drafts = pl.col("row").is_in(sorted(held)) if held else pl.lit(False)
    return (
        rows.select(
            *("org_id", "period", "year", "quarter", "month", "edition"),
            pl.col("row").cast(pl.Int64),
        )
        .with_columns(
            texts.alias("values"),
            pl.Series("digest", [digest(text) for text in texts.to_list()], dtype=pl.String),
        )
        .join(flag_frame, on="row", how="left", nulls_equal=True)
        .join(notes, on="row", how="left", nulls_equal=True)
        .with_columns(
            pl.col("flags").fill_null("[]"),
            pl.col("flag_count").fill_null(0),
            pl.when(drafts)
            .then(pl.lit(Submission.Status.DRAFT.value))
            .otherwise(pl.lit(str(status)))
            .alias("status"),
        )
    )


def _stored(rows: pl.DataFrame, form: Form, existing: pl.DataFrame | None) -> pl.DataFrame:
    """The stored submissions of the rows' (organisation, period) pairs: org_id, period, known (the
    submission id), known_current, known_digest, known_explanation; none looked up when ``existing``
    says no pair is stored (a file of new periods)."""
    schema: dict[str, pl.DataType] = {"org_id": pl.Int64(), "period": pl.String(), **STORED_SCHEMA}
    if existing is not None:
        if set(schema) <= set(existing.columns):  # the checks' lookup carried the current revisions
            return (
                existing.select(list(schema))
                .cast(pl.Schema(schema))
                .join(rows.select("org_id", "period").unique(), on=["org_id", "period"], how="semi")
            )
        rows = rows.join(existing.select("org_id", "period"), on=["org_id", "period"], how="semi")
        if rows.is_empty():
            return pl.DataFrame(schema=schema)
    org_ids = rows["org_id"].unique().to_list()
    periods = rows["period"].unique().to_list()
    found: list[tuple[Any, ...]] = []
    for chunk in bulk.chunks(org_ids):
        query = Revision.objects.filter(
            submission__organisation_id__in=chunk,
            submission__form=form.id,
            submission__period__in=periods,
            number=F("submission__current"),
        ).values_list(
            "submission__organisation_id",
            "submission__period",
            "submission_id",
            "number",
            "digest",
            "explanation",
        )
        found.extend(query)
    return pl.DataFrame(found, schema=schema, orient="row")
