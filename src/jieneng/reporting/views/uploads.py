"""Pages of uploads: a blank template to download, the upload itself, and the import's page, status,
annotated workbook and JSON report. A template lists only the units the user reports for; an import is
seen only by whoever uploaded it (and superusers); the import itself refuses rows of other units."""

from __future__ import annotations

import io
import logging
import uuid
from pathlib import Path
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from jieneng import config
from jieneng.accounts.requests import SignedInRequest
from jieneng.core.problems import ADVISORY, BLOCKING
from jieneng.core.problems.files import LIMIT_CODES
from jieneng.i18n import describe
from jieneng.i18n import render as render_problem
from jieneng.io.annotate import write_annotated
from jieneng.reference import load_forms
from jieneng.reporting import templates
from jieneng.reporting.forms import TemplateForm, UploadForm, default_form
from jieneng.reporting.imports import receive, run
from jieneng.reporting.imports import report as job_report
from jieneng.reporting.models import ImportJob
from jieneng.reporting.tasks import import_task
from jieneng.reporting.views import home
from jieneng.reporting.views.common import XLSX, refuse

logger = logging.getLogger(__name__)

PROBLEMS_PER_PAGE = 200
PHASES = {
    "": gettext_lazy("Waiting to start"),
    "reading": gettext_lazy("Reading the file"),
    "checking": gettext_lazy("Checking the data"),
    "storing": gettext_lazy("Saving"),
    "done": gettext_lazy("Finished"),
}
SEVERITIES = {BLOCKING: gettext_lazy("Must be fixed"), ADVISORY: gettext_lazy("Note")}


def _job_of(request: SignedInRequest, job_id: uuid.UUID) -> ImportJob:
    """The job, if the user uploaded it (or is a superuser); else 404: whether it exists is not told."""
    job = get_object_or_404(ImportJob, pk=job_id)
    if job.created_by_id != request.user.pk and not request.scope.everything:
        raise Http404(_("No such import."))
    return job


@login_required
@require_GET
def template(request: SignedInRequest) -> HttpResponse | FileResponse:
    """A form's template for a period listing the units the user reports for (of a region, if given)."""
    chosen = TemplateForm(request.GET)
    if not chosen.is_valid():
        return home.render_index(request, template_form=chosen, status=400)
    form, edition, period, region = chosen.chosen
    rows = templates.template_rows(
        period, region=region or None, organisations=request.scope.organisations("report")
    )
    buffer = io.BytesIO()
    templates.write_form_template(buffer, form, edition, period, rows, lang=get_language() or "zh-hans")
    buffer.seek(0)
    name = f"{form.zh}-{templates.period_key(period)}.xlsx"
    return FileResponse(buffer, as_attachment=True, filename=name, content_type=XLSX)


@login_required
@require_http_methods(["GET", "POST"])
def upload(request: SignedInRequest) -> HttpResponse:
    """Upload a filled form: small files are imported at once, large ones by the task worker."""
    if not request.scope.can("report"):
        return refuse(request, _("Only reporters of a unit (or its department or office) may upload forms."))
    if request.method != "POST":
        wanted = request.GET.get("form")
        initial = {"form": wanted if wanted in load_forms() else default_form()}
        return render(request, "reporting/upload.html", {"form": UploadForm(initial=initial)})
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return render(request, "reporting/upload.html", {"form": form}, status=400)
    file = form.cleaned_data["file"]
    job = receive.receive(
        file,
        file.name,
        form.cleaned_data["form"],
        author=request.user.get_username(),
        user=request.user,
        clear_blanks=form.cleaned_data["clear_blanks"],
    )
    return _start(job)


def _start(job: ImportJob) -> HttpResponse:
    """Run a small job at once, queue a large one; the job's page."""
    if job.size <= config.current().inline_import_bytes:
        try:
            run.run_import(job.pk)
        except Exception:  # the job is marked failed with the error, and its page says so
            logger.exception("import %s failed", job.pk)
    else:
        import_task.enqueue(str(job.pk))
    return redirect("reporting:job", job_id=job.pk)


@login_required
@require_POST
def again(request: SignedInRequest, job_id: uuid.UUID) -> HttpResponse:
    """Import the kept file of a finished job again: an abandoned or failed one as it was, or one
    whose blank cells kept stored values, now clearing them (``clear_blanks``, confirmed by a button)."""
    found = _job_of(request, job_id)
    if not request.scope.can("report"):
        return refuse(request, _("Only reporters of a unit (or its department or office) may upload forms."))
    if not found.finished or not receive.stored_file(found).is_file():
        raise Http404(_("This import cannot be run again."))
    clear = request.POST.get("clear_blanks") == "1"
    job = receive.again(
        found, author=request.user.get_username(), user=request.user, clear_blanks=clear or None
    )
    return _start(job)


@login_required
@require_GET
def job(request: SignedInRequest, job_id: uuid.UUID) -> HttpResponse:
    """An import: its progress while it runs, then what was stored and every problem."""
    found = _job_of(request, job_id)
    return render(request, "reporting/job.html", _job_context(request, found))


@login_required
@require_GET
def job_status(request: SignedInRequest, job_id: uuid.UUID) -> HttpResponse:
    """The part of the job page that htmx polls; without the polling trigger once the job is finished."""
    found = _job_of(request, job_id)
    return render(request, "reporting/_job.html", _job_context(request, found))


def _job_context(request: SignedInRequest, job: ImportJob) -> dict[str, Any]:
    phase, done, total = job_report.progress_of(job)
    context: dict[str, Any] = {
        "job": job,
        "form_name": getattr(load_forms().get(job.form), "zh", job.form),
        "phase": PHASES.get(phase, phase),
        "done": done,
        "total": total,
        "summary": job_report.summary(job),
        "again": job.runs_again.order_by("-created_at").first(),
    }
    if not job.finished:
        return context
    counts = job_report.counts_of(job)
    limited = any(counts.get(code) for code in LIMIT_CODES)  # the same file would fail again
    context["can_again"] = job.status == ImportJob.Status.FAILED and not limited
    context["blanks_kept"] = counts.get("blank_keeps_value", 0)
    context["blanks_cleared"] = counts.get("blank_clears_value", 0)
    found, _sheet, _header = job_report.problems(job)
    found.sort(key=lambda p: (p.severity != BLOCKING, p.row or 0))  # what must be fixed first
    severity = request.GET.get("severity")
    if severity in SEVERITIES:
        found = [p for p in found if p.severity == severity]
    else:
        severity = ""
    page = Paginator(found, PROBLEMS_PER_PAGE).get_page(request.GET.get("page"))
    rows = [
        {
            "severity": p.severity,
            "severity_label": SEVERITIES.get(p.severity, p.severity),
            "row": p.row,
            "column": p.column,
            "value": p.value,
            "message": render_problem(p),
        }
        for p in page.object_list
    ]
    return context | {"severity": severity, "page": page, "problems": rows}


@login_required
@require_GET
def annotated(request: SignedInRequest, job_id: uuid.UUID) -> FileResponse:
    """The uploaded workbook with each problem marked on its cell and a sheet listing them all."""
    found = _job_of(request, job_id)
    if not found.finished:
        raise Http404(_("The import has not finished yet."))
    problems, sheet, header_row = job_report.problems(found)
    buffer = io.BytesIO()
    write_annotated(
        receive.stored_file(found), problems, buffer, sheet=sheet, header_row=header_row, describe=describe
    )
    buffer.seek(0)
    name = _("%(name)s-problems marked.xlsx") % {"name": Path(found.file_name).stem}
    return FileResponse(buffer, as_attachment=True, filename=name, content_type=XLSX)


@login_required
@require_GET
def report(request: SignedInRequest, job_id: uuid.UUID) -> JsonResponse:
    """Status, counts and every problem of an import, as JSON (messages in the user's language)."""
    found = _job_of(request, job_id)
    return JsonResponse(job_report.report_json(found), json_dumps_params={"ensure_ascii": False})
