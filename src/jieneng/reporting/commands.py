"""The command-line side of reporting: ``jieneng import`` and ``jieneng template``.

Both work on the configured database (the demo's SQLite file unless ``JIENENG_DATABASE_URL`` says
otherwise) and apply pending migrations first. ``import`` prints the report in the user's language
and exits 2 when a problem blocks the file, so that scripts can stop on it.
"""

from __future__ import annotations

import argparse
import getpass
import json
from pathlib import Path
from typing import TextIO

from django.utils.translation import gettext as _

from jieneng.core.errors import JienengError
from jieneng.core.forms import Form
from jieneng.core.problems import Problem
from jieneng.core.problems import commands as declared
from jieneng.i18n import describe
from jieneng.io import cells

BAD_INPUT = 2


class UnknownForm(JienengError):
    problem_type = declared.UnknownForm


class NoEdition(JienengError):
    problem_type = declared.NoEdition


class WrongFrequency(JienengError):
    problem_type = declared.WrongFrequency


class UnknownRegion(JienengError):
    problem_type = declared.UnknownRegion


def _prepare() -> None:
    from django.core.management import call_command

    from jieneng import config

    config.current().data_dir.mkdir(parents=True, exist_ok=True)
    call_command("migrate", interactive=False, verbosity=0)


def _form(form_id: str) -> Form:
    from jieneng.reference import load_forms

    forms = load_forms()
    if form_id not in forms:
        raise UnknownForm(form=form_id, forms=", ".join(forms))
    return forms[form_id]


def run_import(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """``jieneng import FILE --form ID``: the report on stdout (text or JSON); exit 2 when blocked."""
    from jieneng.reporting.imports import receive, run
    from jieneng.reporting.imports import report as job_report
    from jieneng.reporting.models import ImportJob, Revision

    _prepare()
    form = _form(args.form)
    path = Path(args.file)
    if not path.is_file():
        out_problem = Problem.make("file_not_found", file=str(path))
        err.write(describe(out_problem) + "\n")
        return BAD_INPUT
    job = receive.receive(
        path,
        path.name,
        form.id,
        author=args.author or getpass.getuser(),
        source=Revision.Source.CLI,
        clear_blanks=bool(getattr(args, "clear_blanks", False)),
    )
    show = err.isatty() and not args.json

    def progress(phase: str, done: int, total: int) -> None:
        if show:
            err.write(f"\r{phase} {done:,}/{total:,}   ")
            err.flush()

    job = run.run_import(job.pk, progress)
    if show:
        err.write("\n")
    if args.json:
        out.write(json.dumps(job_report.report_json(job), ensure_ascii=False, indent=2) + "\n")
    else:
        found, _sheet, _row = job_report.problems(job)
        for problem in found[: args.limit or None]:
            out.write(describe(problem) + "\n")
        if args.limit and len(found) > args.limit:
            out.write(
                _("… and %(count)s more (use --limit 0 to see all).") % {"count": len(found) - args.limit}
            )
            out.write("\n")
        out.write(job_report.summary(job) + "\n")
        if job.checks:
            out.write(_("Checks: %(ref)s.") % {"ref": job.checks} + "\n")
    if args.annotated:
        from jieneng.io.annotate import write_annotated

        found, sheet, header_row = job_report.problems(job)
        write_annotated(
            receive.stored_file(job),
            found,
            Path(args.annotated),
            sheet=sheet,
            header_row=header_row,
            describe=describe,
        )
    failed = (ImportJob.Status.BLOCKED, ImportJob.Status.FAILED)
    return BAD_INPUT if job.status in failed else 0


def write_template(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """``jieneng template --form ID --period P [--region CODE] -o FILE``: a template with the units listed."""
    from jieneng.reference.divisions import UnknownDivision
    from jieneng.reporting.templates import template_rows, write_form_template

    _prepare()
    form = _form(args.form)
    try:
        period = cells.period(args.period)
    except ValueError:
        err.write(describe(Problem.make("bad_period", value=args.period)) + "\n")
        return BAD_INPUT
    if period is None:
        err.write(describe(Problem.make("bad_period", value=args.period)) + "\n")
        return BAD_INPUT
    edition = form.edition_for(period.year)
    if edition is None:
        raise NoEdition(form=form.zh, year=period.year, years=form.years)
    frequency = "month" if period.month else "quarter" if period.quarter else "year"
    if frequency not in edition.frequencies:
        raise WrongFrequency(form=form.zh, frequency=frequency, allowed=", ".join(edition.frequencies))
    try:
        rows = template_rows(period, region=args.region)
    except UnknownDivision as exc:
        raise UnknownRegion(code=args.region) from exc
    target = Path(args.output)
    write_form_template(target, form, edition, period, rows, lang=args.lang_used)
    err.write(_("Template written: %(file)s (%(rows)s organisations).") % {"file": target, "rows": len(rows)})
    err.write("\n")
    return 0
