"""The report of an import: every problem, kept as records in ``report.json`` beside the file, and what
pages, the command line and the API show of a job (its progress, its problems, one line of summary).
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import replace
from typing import Any

from django.utils.translation import gettext as _

from jieneng.core.forms import Form
from jieneng.core.problems import BLOCKING, Problem
from jieneng.core.problems.files import LIMIT_CODES
from jieneng.i18n import describe
from jieneng.io.formfile import FormFile
from jieneng.reporting.imports.receive import PROGRESS_FILE, REPORT_FILE, upload_dir
from jieneng.reporting.models import ImportJob

KEPT_PER_CODE = 200  # problems of one code kept in a report; the rest are counted


class ImportReport:
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
        kept = bounded(self.problems)
        data = {
            "sheet": self.sheet,
            "header_row": self.header_row,
            "counts": dict(Counter(p.code for p in self.problems)),
            "problems": [_problem_record(p) for p in kept],
        }
        (upload_dir(job) / REPORT_FILE).write_text(json.dumps(data, ensure_ascii=False))


def bounded(found: list[Problem], per_code: int = KEPT_PER_CODE) -> list[Problem]:
    """The first ``per_code`` problems of each code in their order, and after the last one kept of a
    code with more, one ``more_problems`` record with the count: a report of a bounded size, whatever
    the file (a million rows of unknown units keep a few hundred records)."""
    counts = Counter(p.code for p in found)
    seen: Counter[str] = Counter()
    kept: list[Problem] = []
    for problem in found:
        seen[problem.code] += 1
        if seen[problem.code] <= per_code:
            kept.append(problem)
        if seen[problem.code] == per_code and counts[problem.code] > per_code:
            total = counts[problem.code]
            kept.append(Problem.make("more_problems", more=total - per_code, count=total, shown=per_code))
    return kept


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


def counts_of(job: ImportJob) -> dict[str, int]:
    """How many problems of each code the finished job found (all of them, not only those kept)."""
    try:
        data = json.loads((upload_dir(job) / REPORT_FILE).read_text())
    except (OSError, ValueError):
        return {}
    return {str(code): int(count) for code, count in data.get("counts", {}).items()}


def count_of(job: ImportJob, code: str) -> int:
    return counts_of(job).get(code, 0)


def progress_of(job: ImportJob) -> tuple[str, int, int]:
    """(phase, rows done, rows in all) of a running job, for the progress bar."""
    if job.finished:
        return "", job.rows_total, job.rows_total
    try:
        data = json.loads((upload_dir(job) / PROGRESS_FILE).read_text())
        return str(data["phase"]), int(data["done"]), int(data["total"])
    except (OSError, ValueError, KeyError):
        return job.phase, job.rows_done, job.rows_total


def report_json(job: ImportJob) -> dict[str, Any]:
    """The job as the API returns it: status, counts and every problem with its message in the
    active language."""
    found, sheet, header_row = problems(job)
    phase, done, total = progress_of(job)
    counts = counts_of(job)
    return {
        "id": str(job.id),
        "form": job.form,
        "file": job.file_name,
        "sha256": job.sha256,
        "checks": job.checks,
        "clear_blanks": job.clear_blanks,
        "blanks_kept": counts.get("blank_keeps_value", 0),
        "blanks_cleared": counts.get("blank_clears_value", 0),
        "again_of": None if job.again_of_id is None else str(job.again_of_id),
        "status": job.status,
        "phase": phase,
        "rows": {"total": total, "done": done},
        "created": job.created,
        "revised": job.revised,
        "unchanged": job.unchanged,
        "held_as_drafts": job.held,
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
        done = _(
            "Imported %(rows)s row(s): %(created)s new submission(s), %(revised)s new revision(s), "
            "%(unchanged)s unchanged; %(advisory)s note(s) for the reviewer."
        ) % {
            "rows": job.rows_total,
            "created": job.created,
            "revised": job.revised,
            "unchanged": job.unchanged,
            "advisory": job.advisory,
        }
        if not job.held:
            return done
        held = _(
            "%(held)s row(s) flagged by a verification check are kept as drafts: open each in the online "
            "form, write in “Explanation” why the values are right (or correct them), and submit it."
        ) % {"held": job.held}
        return f"{done} {held}"
    if job.abandoned:
        return _("The import was marked failed: the worker running it stopped before it finished.")
    if job.status == ImportJob.Status.FAILED:
        limits = [p for p in problems(job)[0] if p.code in LIMIT_CODES]
        error = describe(limits[0]) if limits else job.error
        return _("The import failed: %(error)s") % {"error": error}
    return _("Importing …")
