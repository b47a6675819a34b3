"""Importing a filled statistics form: keep the file, read it, check it, and store it all or nothing.

The steps of :func:`run_import`:

1. **read** the file (:func:`jieneng.io.formfile.read_form_file`): every cell problem is a record;
2. **check** it (:func:`jieneng.core.validation.validate`) against the directory and what is stored;
3. when any problem blocks, **nothing is stored**; else, in one transaction, each row becomes a new
   submission, a new revision of a submission whose values changed, or nothing when the values are
   those of the current revision (importing the same file twice changes nothing the second time).

The uploaded file and the full report (every problem) are kept in ``UPLOADS_DIR/<job id>/``; the
:class:`~jieneng.reporting.models.ImportJob` row holds the status and counts the pages show, and
``progress.json`` beside the file tells how far the storing has gone (the job row itself cannot be
updated from inside the storing transaction).
"""

from __future__ import annotations

import getpass
import hashlib
import json
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import IO, Any

import polars as pl
from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.db.models.functions import Substr
from django.utils import timezone
from django.utils.translation import gettext as _

from jieneng.accounts.scope import Scope
from jieneng.core.forms import Form
from jieneng.core.problems import ADVISORY, BLOCKING, Problem
from jieneng.core.validation import (
    AREA_SCHEMA,
    PEER_SCHEMA,
    PERIOD_SCHEMA,
    Context,
    drop_identical_duplicates,
    editions,
    validate,
)
from jieneng.directory.models import Organisation, OrganisationYear
from jieneng.i18n import describe
from jieneng.io.formfile import FormFile, read_form_file
from jieneng.reference import load_checks, load_forms, load_units
from jieneng.reporting.models import ImportJob, Revision, Submission
from jieneng.statistics import bulk

Progress = Callable[[str, int, int], object]  # (phase, done, total)
REPORT_FILE, PROGRESS_FILE = "report.json", "progress.json"
SUBMISSION_FIELDS = (
    *("id", "organisation", "form", "period", "year", "quarter", "month"),
    *("status", "current", "flags", "updated_at"),
)
REVISION_FIELDS = (
    *("submission", "number", "edition", "values", "digest", "flags", "source", "author"),
    *("created_by", "created_at", "import_job", "row"),
)


def upload_dir(job: ImportJob) -> Path:
    return Path(settings.UPLOADS_DIR) / str(job.id)


def receive(
    data: IO[bytes] | Path,
    file_name: str,
    form: str,
    *,
    author: str,
    source: str = Revision.Source.UPLOAD,
    user: Any = None,
) -> ImportJob:
    """Keep an uploaded file (a stream or a path) and create its queued :class:`ImportJob`."""
    if form not in load_forms():
        raise ValueError(f"unknown form {form!r}")
    name = Path(file_name).name[-255:]
    job = ImportJob(
        form=form,
        file_name=name if name.strip(".") else "upload",
        sha256="",
        size=0,
        source=source,
        author=author,
        created_by=user if getattr(user, "pk", None) else None,
        created_at=timezone.now(),
    )
    folder = upload_dir(job)
    folder.mkdir(parents=True, exist_ok=True)
    target = stored_file(job)
    digest = hashlib.sha256()
    with target.open("wb") as out:
        stream = data.open("rb") if isinstance(data, Path) else data
        try:
            while chunk := stream.read(1 << 20):
                digest.update(chunk)
                out.write(chunk)
        finally:
            if isinstance(data, Path):
                stream.close()
    job.sha256, job.size = digest.hexdigest(), target.stat().st_size
    job.save()
    return job


def stored_file(job: ImportJob) -> Path:
    """The kept upload, under the user's own file name, so that messages about it name it so."""
    return upload_dir(job) / job.file_name


def run_import(
    job_id: uuid.UUID | str, progress: Progress | None = None, *, today: date | None = None
) -> ImportJob:
    """Read, check and store the file of job ``job_id``; the finished job (status done or blocked).

    An unexpected error marks the job failed with the error text and is raised again.
    """
    job = ImportJob.objects.get(pk=job_id)
    job.status, job.started_at, job.phase = ImportJob.Status.RUNNING, timezone.now(), "reading"
    job.save(update_fields=["status", "started_at", "phase"])
    report = _Report(job)
    try:
        _run(job, report, progress or (lambda *_: None), today or timezone.localdate())
    except Exception as exc:
        job.status, job.error = ImportJob.Status.FAILED, f"{type(exc).__name__}: {exc}"
        job.finished_at = timezone.now()
        job.save()
        raise
    return job


def _run(job: ImportJob, report: _Report, progress: Progress, today: date) -> None:
    form = load_forms()[job.form]
    progress("reading", 0, 0)
    read = read_form_file(stored_file(job), form, load_units())
    job.rows_total = read.rows_read
    report.add_read(read)
    _phase(job, "checking", progress)
    rows = _within_place(_with_organisations(read.frame), job.created_by, read, report)
    rows = editions(rows, form)
    context = context_for(rows, form, today)
    checks = load_checks()
    job.checks = checks.ref
    findings = validate(rows, form, context, checks)
    report.add_findings(findings, read, form)
    job.blocking, job.advisory = report.count(BLOCKING), report.count(ADVISORY)
    if job.blocking:
        job.status = ImportJob.Status.BLOCKED
    else:
        _phase(job, "storing", progress)
        rows = drop_identical_duplicates(rows)
        counts = store(rows, form, job, advisory_flags(findings), progress, existing=context.existing)
        job.created, job.revised, job.unchanged = counts
        job.status = ImportJob.Status.DONE
    job.rows_done, job.phase, job.finished_at = job.rows_total, "", timezone.now()
    report.write(job)
    job.save()
    progress("done", job.rows_total, job.rows_total)


def _phase(job: ImportJob, phase: str, progress: Progress) -> None:
    job.phase = phase
    job.save(update_fields=["phase", "rows_total", "blocking", "advisory"])
    progress(phase, 0, job.rows_total)


# --- organisations and the stored context -------------------------------------------------------


def _with_organisations(frame: pl.DataFrame) -> pl.DataFrame:
    """Add ``org_id`` and ``type_code``: a code of 18 characters is a credit code, of 9 an organisation
    code (the credit code's characters 9–17), anything else a name (unknown if two units share it)."""
    values = frame["org"].unique().drop_nulls().to_list()
    found: dict[str, tuple[int, str, int]] = {}
    by_code = [v for v in values if len(v) == 18]
    for chunk in bulk.chunks(by_code):
        for pk, code, type_code, region in Organisation.objects.filter(credit_code__in=chunk).values_list(
            "pk", "credit_code", "type_code", "region_id"
        ):
            found[code] = (pk, type_code, region)
    by_org_code = [v for v in values if len(v) == 9]
    with_org_code = Organisation.objects.annotate(org_code=Substr("credit_code", 9, 9))
    for chunk in bulk.chunks(by_org_code):
        for pk, code, type_code, region in with_org_code.filter(org_code__in=chunk).values_list(
            "pk", "org_code", "type_code", "region_id"
        ):
            found[code] = (pk, type_code, region)
    names = [v for v in values if v not in found and len(v) not in (9, 18)]
    seen: dict[str, list[tuple[int, str, int]]] = {}
    for chunk in bulk.chunks(names):
        for pk, name, type_code, region in Organisation.objects.filter(name__in=chunk).values_list(
            "pk", "name", "type_code", "region_id"
        ):
            seen.setdefault(name, []).append((pk, type_code, region))
    found.update({name: hits[0] for name, hits in seen.items() if len(hits) == 1})
    lookup = pl.DataFrame(
        {
            "org": list(found),
            "org_id": [pk for pk, _t, _r in found.values()],
            "type_code": [t for _pk, t, _r in found.values()],
            "region_id": [r for _pk, _t, r in found.values()],
        },
        schema={"org": pl.String, "org_id": pl.Int64, "type_code": pl.String, "region_id": pl.Int64},
    )
    if "type_code" in frame.columns:  # the basic form's own 单位性质 column: the file's value is checked
        lookup = lookup.drop("type_code")
    return frame.join(lookup, on="org", how="left", maintain_order="left")


def _within_place(rows: pl.DataFrame, user: Any, read: FormFile, report: _Report) -> pl.DataFrame:
    """The rows of organisations ``user`` reports for; every other known organisation's row is a
    blocking ``outside_your_place`` problem and is left out of the checks (they would compare it with
    figures the user may not see). No user (the command line, run by whoever runs the site): all rows.

    Decided on the frame with the scope's region and organisation ids: no query per row.
    """
    if user is None or not rows.height:
        return rows.drop("region_id", strict=False)
    scope = Scope(user)
    regions = scope.region_ids("report")
    if regions is None:  # a superuser
        return rows.drop("region_id", strict=False)
    allowed = pl.col("region_id").is_in(sorted(regions)) | pl.col("org_id").is_in(
        sorted(scope.organisation_ids("report"))
    )
    outside = rows.filter(pl.col("org_id").is_not_null() & ~allowed)
    column = read.columns.get("org")
    report.problems.extend(
        Problem.make("outside_your_place", row=row, column=column, value=org)
        for row, org in outside.select("row", "org").iter_rows()
    )
    return rows.filter(pl.col("org_id").is_null() | allowed).drop("region_id")


def context_for(rows: pl.DataFrame, form: Form, today: date) -> Context:
    """What the checks compare ``rows`` with: approved values, stored submissions, building areas."""
    org_ids = rows["org_id"].drop_nulls().unique().to_list()
    years = sorted(set(rows["year"].drop_nulls().to_list()))
    wanted = sorted({y - 1 for y in years} | set(years))
    return Context(
        today=today,
        history=history(org_ids, form, wanted),
        existing=_existing(org_ids, form, years),
        areas=_areas(org_ids, max(years, default=today.year)),
        peer_medians=pl.DataFrame(schema=PEER_SCHEMA),
        type_codes=frozenset(Organisation.Type.values),
    )


def _frequency(quarter: int | None, month: int | None) -> str:
    return "month" if month else "quarter" if quarter else "year"


def history(org_ids: list[int], form: Form, years: list[int]) -> pl.DataFrame:
    """Approved values of ``form`` for the organisations and years: org_id, period, frequency, year,
    quarter, month and one Float64 column per numeric item of the form."""
    numeric = [code for code, item in form.items.items() if item.numeric]
    records: list[dict[str, Any]] = []
    for chunk in bulk.chunks(org_ids):
        query = Revision.objects.filter(
            submission__organisation_id__in=chunk,
            submission__form=form.id,
            submission__year__in=years,
            number=F("submission__approved"),
        ).values_list(
            "submission__organisation_id",
            "submission__period",
            "submission__year",
            "submission__quarter",
            "submission__month",
            "values",
        )
        for org, period, year, quarter, month, values in query:
            data = json.loads(values) if isinstance(values, str) else values
            record = {"org_id": org, "period": period, "frequency": _frequency(quarter, month)}
            record |= {"year": year, "quarter": quarter, "month": month}
            records.append(record | {code: _float(data.get(code)) for code in numeric})
    return pl.DataFrame(records, schema=PERIOD_SCHEMA | dict.fromkeys(numeric, pl.Float64()))


def _float(value: Any) -> float | None:
    return None if value is None or isinstance(value, str) else float(value)


def _existing(org_ids: list[int], form: Form, years: list[int]) -> pl.DataFrame:
    rows: list[tuple[Any, ...]] = []
    for chunk in bulk.chunks(org_ids):
        query = Submission.objects.filter(organisation_id__in=chunk, form=form.id, year__in=years)
        for org, period, year, quarter, month in query.values_list(
            "organisation_id", "period", "year", "quarter", "month"
        ):
            rows.append((org, period, _frequency(quarter, month), year, quarter, month))
    return pl.DataFrame(rows, schema=PERIOD_SCHEMA, orient="row")


def _areas(org_ids: list[int], last_year: int) -> pl.DataFrame:
    rows: list[tuple[int, int, float]] = []
    for chunk in bulk.chunks(org_ids):
        query = OrganisationYear.objects.filter(organisation_id__in=chunk, year__lte=last_year)
        rows += [
            (o, y, float(a)) for o, y, a in query.values_list("organisation_id", "year", "building_area_m2")
        ]
    return pl.DataFrame(rows, schema=AREA_SCHEMA, orient="row")


def advisory_flags(findings: list[Problem]) -> dict[int, list[str]]:
    """Advisory codes by Excel row: kept on the revision, so the reviewer can sort by them."""
    flags: dict[int, list[str]] = {}
    for finding in findings:
        if finding.severity == ADVISORY and finding.row is not None:
            flags.setdefault(finding.row, []).append(finding.code)
    return flags


# --- storing ----------------------------------------------------------------------------------


@dataclass
class _Stored:
    id: int
    current: int
    digest: str


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
) -> tuple[int, int, int]:
    """Store checked rows, all or nothing: (new submissions, new revisions, unchanged rows).

    ``rows`` have org_id, period, year, quarter, month, edition and the item columns; one row per
    (organisation, period). ``status`` is the status new revisions put their submission in.
    ``existing``: the stored submissions (org_id, period) of these organisations, when the caller has
    read them already; only those pairs are looked up again (a file of new periods looks up nothing).
    A submission another import creates meanwhile makes this one fail whole, on the unique constraint.
    """
    source = source or (job.source if job else Revision.Source.CLI)
    author = author or (job.author if job else getpass.getuser())
    user = user if user is not None else (job.created_by if job else None)
    now = timezone.now()
    stamp = bulk.db_value(Revision, "created_at", now)  # for the raw inserts
    texts = values_json(rows, form).to_list()
    keys = rows.select("org_id", "period", "year", "quarter", "month", "edition", "row").rows()
    with transaction.atomic():
        stored = _stored(rows, form, existing)
        new = [i for i, key in enumerate(keys) if (key[0], key[1]) not in stored]
        ids = dict(zip(new, bulk.allocate_ids(Submission, len(new)), strict=True))
        bulk.insert(
            Submission,
            SUBMISSION_FIELDS,
            (
                (ids[i], keys[i][0], form.id, *keys[i][1:5], status, 1, len(flags.get(keys[i][6], ())), stamp)
                for i in new
            ),
        )
        revisions: list[tuple[Any, ...]] = []
        revised: list[tuple[int, int, int]] = []  # (submission id, new number, flags)
        unchanged = 0
        user_id = getattr(user, "pk", None)
        job_id = bulk.db_value(Revision, "import_job", job.pk) if job else None
        for index, key in enumerate(keys):
            org, period, *_rest, edition, row = key
            text, row_flags = texts[index], flags.get(row, [])
            sha = digest(text)
            if index in ids:
                submission, number = ids[index], 1
            else:
                known = stored[(org, period)]
                if known.digest == sha:
                    unchanged += 1
                    continue
                submission, number = known.id, known.current + 1
                revised.append((submission, number, len(row_flags)))
            flagged = json.dumps(row_flags)
            revisions.append(
                (submission, number, edition, text, sha, flagged, source, author, user_id, stamp, job_id, row)
            )
        bulk.insert(
            Revision,
            REVISION_FIELDS,
            revisions,
            on_batch=lambda done: _progress_file(job, "storing", done, len(revisions), progress),
        )
        for submission, number, count in revised:
            Submission.objects.filter(pk=submission).update(
                current=number, status=status, flags=count, updated_at=now
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
            "submission_id", "submission__organisation_id", "submission__period", "number", "digest"
        )
        for pk, org, period, number, sha in query:
            found[(org, period)] = _Stored(pk, number, sha)
    return found


def _progress_file(job: ImportJob | None, phase: str, done: int, total: int, progress: Progress) -> None:
    progress(phase, done, total)
    if job is None:
        return
    path = upload_dir(job) / PROGRESS_FILE
    path.with_suffix(".tmp").write_text(json.dumps({"phase": phase, "done": done, "total": total}))
    path.with_suffix(".tmp").replace(path)


def progress_of(job: ImportJob) -> tuple[str, int, int]:
    """(phase, rows done, rows in all) of a running job, for the progress bar."""
    if job.finished:
        return "", job.rows_total, job.rows_total
    try:
        data = json.loads((upload_dir(job) / PROGRESS_FILE).read_text())
        return str(data["phase"]), int(data["done"]), int(data["total"])
    except (OSError, ValueError, KeyError):
        return job.phase, job.rows_done, job.rows_total


# --- the report -------------------------------------------------------------------------------


class _Report:
    """Every problem of an import, kept as records in ``report.json`` beside the file."""

    def __init__(self, job: ImportJob) -> None:
        self.job = job
        self.problems: list[Problem] = []
        self.sheet: str | None = None
        self.header_row: int | None = None

    def add_read(self, read: FormFile) -> None:
        self.problems.extend(read.problems)
        self.sheet, self.header_row = read.sheet, read.header_row

    def add_findings(self, findings: list[Problem], read: FormFile, form: Form) -> None:
        for finding in findings:
            column = read.columns.get(finding.item) if finding.item else None
            params = dict(finding.params)
            item = form.items.get(finding.item or "")
            if item is not None:
                params.setdefault("item_zh", item.zh)
                params.setdefault("item_en", item.en)
            params = {"value": finding.value, "column": column, **params}
            self.problems.append(replace(finding, column=column, params=params))
        self.problems.sort(key=lambda p: (p.row or 0, p.severity != BLOCKING, p.code))

    def count(self, severity: str) -> int:
        return sum(p.severity == severity for p in self.problems)

    def write(self, job: ImportJob) -> None:
        data = {
            "sheet": self.sheet,
            "header_row": self.header_row,
            "problems": [_problem_record(p) for p in self.problems],
        }
        (upload_dir(job) / REPORT_FILE).write_text(json.dumps(data, ensure_ascii=False))


def _problem_record(problem: Problem) -> dict[str, Any]:
    return {
        "code": problem.code,
        "severity": problem.severity,
        "row": problem.row,
        "column": problem.column,
        "value": problem.value,
        "template": problem.template,
        "params": {k: v for k, v in problem.params.items() if _jsonable(v)},
    }


def _jsonable(value: Any) -> bool:
    return value is None or isinstance(value, str | int | float | bool)


def problems(job: ImportJob) -> tuple[list[Problem], str | None, int | None]:
    """The problems of a finished job as :class:`Problem` records, with the sheet and header row."""
    try:
        data = json.loads((upload_dir(job) / REPORT_FILE).read_text())
    except OSError:
        return [], None, None
    found = [
        Problem(r["code"], r["row"], r["column"], r["value"], r["template"], r["params"], r["severity"])
        for r in data["problems"]
    ]
    return found, data.get("sheet"), data.get("header_row")


def report_json(job: ImportJob) -> dict[str, Any]:
    """The job as the API returns it: status, counts and every problem with its message in the
    active language."""
    found, sheet, header_row = problems(job)
    phase, done, total = progress_of(job)
    return {
        "id": str(job.id),
        "form": job.form,
        "file": job.file_name,
        "sha256": job.sha256,
        "checks": job.checks,
        "status": job.status,
        "phase": phase,
        "rows": {"total": total, "done": done},
        "created": job.created,
        "revised": job.revised,
        "unchanged": job.unchanged,
        "blocking": job.blocking,
        "advisory": job.advisory,
        "sheet": sheet,
        "header_row": header_row,
        "error": job.error,
        "problems": [
            {
                "code": p.code,
                "severity": p.severity,
                "sheet": sheet,
                "row": p.row,
                "column": p.column,
                "value": p.value,
                "message": describe(p),
            }
            for p in found
        ],
    }


def summary(job: ImportJob) -> str:
    """One line for people: what was stored, or why nothing was."""
    if job.status == ImportJob.Status.BLOCKED:
        return _(
            "Nothing was imported: %(blocking)s problem(s) must be fixed first (and %(advisory)s note(s))."
        ) % {"blocking": job.blocking, "advisory": job.advisory}
    if job.status == ImportJob.Status.DONE:
        return _(
            "Imported %(rows)s row(s): %(created)s new submission(s), %(revised)s new revision(s), "
            "%(unchanged)s unchanged; %(advisory)s note(s) for the reviewer."
        ) % {
            "rows": job.rows_total,
            "created": job.created,
            "revised": job.revised,
            "unchanged": job.unchanged,
            "advisory": job.advisory,
        }
    if job.status == ImportJob.Status.FAILED:
        return _("The import failed: %(error)s") % {"error": job.error}
    return _("Importing …")
