"""Running an import job: read the kept file, resolve its organisations, check it, and store it when no
problem blocks — for the task worker, the command line and the small uploads run inside the request.

The steps of :func:`run_import`:

1. **read** the file (:func:`jieneng.io.formfile.read_form_file`): every cell problem is a record;
2. **check** it (:func:`jieneng.core.validation.validate`) against the directory and what is stored
   (:mod:`.context`);
3. a blank cell over a stored value keeps it unless the uploader confirmed clearing
   (:mod:`.blanks`, ``ImportJob.clear_blanks``); a column the file lacks keeps its values always;
4. when any problem blocks, **nothing is stored**; else :func:`.store.store` writes every row in one
   transaction, telling ``progress.json`` how far it has gone.
"""

from __future__ import annotations

import json
import logging
import time
import uuid
from datetime import date
from typing import Any

import polars as pl
from django.utils import timezone

from jieneng.accounts.scope import Scope
from jieneng.core.problems import ADVISORY, BLOCKING, Problem
from jieneng.core.problems.files import LIMIT_CODES
from jieneng.core.validation import drop_identical_duplicates, editions, validate
from jieneng.directory.lookup import with_organisations
from jieneng.i18n import render
from jieneng.io.contained import read_form_contained
from jieneng.io.formfile import FormFile
from jieneng.reference import load_checks, load_forms
from jieneng.reporting.imports.blanks import blank_problems, with_stored
from jieneng.reporting.imports.context import context_for
from jieneng.reporting.imports.receive import PROGRESS_FILE, stored_file, upload_dir
from jieneng.reporting.imports.report import ImportReport
from jieneng.reporting.imports.store import Progress, advisory_flags, store, unexplained
from jieneng.reporting.models import ImportJob

job_log = logging.getLogger("jieneng.jobs")


def run_import(
    job_id: uuid.UUID | str, progress: Progress | None = None, *, today: date | None = None
) -> ImportJob:
    """Read, check and store the file of job ``job_id``; the finished job (status done or blocked).

    An unexpected error marks the job failed with the error text and is raised again.
    """
    job = ImportJob.objects.get(pk=job_id)
    began = time.perf_counter()
    job.status, job.started_at, job.phase = ImportJob.Status.RUNNING, timezone.now(), "reading"
    job.save(update_fields=["status", "started_at", "phase"])
    report = ImportReport(job)
    try:
        _run(job, report, progress or (lambda *_: None), today or timezone.localdate())
    except Exception as exc:
        job.status, job.error = ImportJob.Status.FAILED, f"{type(exc).__name__}: {exc}"
        job.finished_at = timezone.now()
        job.save()
        _log(job, began)
        raise
    _log(job, began)
    return job


def _log(job: ImportJob, began: float) -> None:
    """The job's log line: ids, form, status, rows, time and the uploader's place (the code of the
    place its requests are logged with); no file name (it may name a person)."""
    home = Scope(job.created_by).home if job.created_by is not None else None
    fields = {
        "job": str(job.pk),
        "form": job.form,
        "status": str(job.status),
        "rows": job.rows_total,
        "duration_ms": round((time.perf_counter() - began) * 1000, 1),
        "user": job.created_by_id,
        "place": None if home is None else str(home.code),
    }
    job_log.info("import job", extra={"fields": fields})


def _run(job: ImportJob, report: ImportReport, progress: Progress, today: date) -> None:
    form = load_forms()[job.form]
    progress("reading", 0, 0)
    read = read_form_contained(stored_file(job), job.form)  # a child process bounded by the settings
    job.rows_total = read.rows_read
    report.add_read(read)
    limits = [p for p in read.problems if p.code in LIMIT_CODES]
    if limits:  # the file reached a limit of its reading: the job fails, saying which limit
        job.status, job.error = ImportJob.Status.FAILED, render(limits[0])
        job.blocking, job.phase, job.finished_at = len(limits), "", timezone.now()
        report.write(job)
        job.save()
        progress("done", 0, 0)
        return
    _phase(job, "checking", progress)
    rows = _within_place(with_organisations(read.frame), job.created_by, read, report)
    rows = editions(rows, form)
    context = context_for(rows, form, today)
    blanks = with_stored(rows, form, context.existing, clear=job.clear_blanks)
    rows = blanks.rows  # what will be stored is what is checked: the kept values filled in
    checks = load_checks()
    job.checks = checks.ref
    findings = validate(rows, form, context, checks)
    blank = blank_problems(blanks, form, read.columns)
    report.problems.extend(blank)
    report.add_findings(findings, read, form)
    job.blocking, job.advisory = report.count(BLOCKING), report.count(ADVISORY)
    if job.blocking:
        job.status = ImportJob.Status.BLOCKED
    else:
        _phase(job, "storing", progress)
        rows = drop_identical_duplicates(rows)
        flags = advisory_flags([*findings, *blank])
        explanations = _explanations(rows)
        held = unexplained(flags, explanations)  # flagged, not explained: drafts, explained online
        held_rows = rows.filter(pl.col("row").is_in(sorted(held))).height if held else 0
        counts = store(
            rows,
            form,
            job,
            flags,
            _with_file(job, progress),
            existing=context.existing,
            explanations=explanations,
            held=held,
        )
        job.created, job.revised, job.unchanged = counts
        job.held = held_rows
        job.status = ImportJob.Status.DONE
    job.rows_done, job.phase, job.finished_at = job.rows_total, "", timezone.now()
    report.write(job)
    job.save()
    progress("done", job.rows_total, job.rows_total)


def _explanations(rows: pl.DataFrame) -> dict[int | None, str]:
    """Row → the explanation (填写说明) the file gives for it, when it has that column."""
    if "explanation" not in rows.columns:
        return {}
    given = rows.select("row", "explanation").filter(pl.col("explanation").is_not_null())
    return dict(given.iter_rows())


def _phase(job: ImportJob, phase: str, progress: Progress) -> None:
    job.phase = phase
    job.save(update_fields=["phase", "rows_total", "blocking", "advisory"])
    progress(phase, 0, job.rows_total)


def _with_file(job: ImportJob, progress: Progress) -> Progress:
    """``progress``, also written to ``progress.json`` for the pages polling a running job."""

    def tell(phase: str, done: int, total: int) -> None:
        progress(phase, done, total)
        path = upload_dir(job) / PROGRESS_FILE
        path.with_suffix(".tmp").write_text(json.dumps({"phase": phase, "done": done, "total": total}))
        path.with_suffix(".tmp").replace(path)

    return tell


def _within_place(rows: pl.DataFrame, user: Any, read: FormFile, report: ImportReport) -> pl.DataFrame:
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
