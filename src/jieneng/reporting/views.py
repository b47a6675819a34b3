"""Pages of reporting: templates to download, imports and their reports, the review queue and the
history of a submission. Each view reads the request, calls the services (:mod:`.imports`,
:mod:`.review`, :mod:`.templates`) and renders; every list of submissions goes through
:func:`visible_submissions`, so that what a user may see is decided in one place."""

from __future__ import annotations

import contextlib
import io
import logging
import uuid
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, F, QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from jieneng.core.forms import Edition, Form
from jieneng.io.annotate import write_annotated
from jieneng.io.formfile import shown_unit
from jieneng.io.problems import ADVISORY, BLOCKING, describe
from jieneng.io.problems import render as render_problem
from jieneng.reference import load_forms
from jieneng.reporting import imports, review, templates
from jieneng.reporting.forms import (
    FREQUENCIES,
    QueueFilter,
    ReviewForm,
    TemplateForm,
    UploadForm,
    default_form,
)
from jieneng.reporting.models import ImportJob, ReviewEvent, Revision, Submission
from jieneng.reporting.tasks import import_task

logger = logging.getLogger(__name__)

REVIEW_PERMISSION = "reporting.review_submission"
INLINE_IMPORT_BYTES = 1024 * 1024  # default of settings.JIENENG_INLINE_IMPORT_BYTES
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
RECENT_JOBS, PROBLEMS_PER_PAGE, QUEUE_PER_PAGE = 10, 200, 50
DASH = "—"

PHASES = {
    "": gettext_lazy("Waiting to start"),
    "reading": gettext_lazy("Reading the file"),
    "checking": gettext_lazy("Checking the data"),
    "storing": gettext_lazy("Saving"),
    "done": gettext_lazy("Finished"),
}
SEVERITIES = {BLOCKING: gettext_lazy("Must be fixed"), ADVISORY: gettext_lazy("Note")}
MARKS = {
    "table_no": gettext_lazy("Table no."),
    "issuer": gettext_lazy("Issued by"),
    "approver": gettext_lazy("Approved by"),
    "approval_no": gettext_lazy("Approval no."),
    "valid_until": gettext_lazy("Valid until"),
}
#: short labels of the advisory checks, for the review queue (the full message is in the import report)
FLAG_LABELS = {
    "yoy_change": gettext_lazy("Big change on last year"),
    "ten_thousand_off": gettext_lazy("Maybe off by 10,000"),
    "per_m2_outlier": gettext_lazy("Unusual per m²"),
    "missing_month": gettext_lazy("Months missing"),
    "duplicate_row": gettext_lazy("Row repeated"),
}


# --- who may see what ---------------------------------------------------------------------------


def visible_submissions(user: Any, submissions: QuerySet[Submission] | None = None) -> QuerySet[Submission]:
    """The submissions (of ``submissions``, default all) that ``user`` may see.

    Everyone signed in sees everything for now; the region hierarchy will narrow this here, and every
    page lists submissions through this function.
    """
    return Submission.objects.all() if submissions is None else submissions


def is_reviewer(user: Any) -> bool:
    return bool(user.has_perm(REVIEW_PERMISSION))


def _job_of(request: HttpRequest, job_id: uuid.UUID) -> ImportJob:
    """The job, if the user uploaded it or reviews; else 404 (whether it exists is not told)."""
    job = get_object_or_404(ImportJob, pk=job_id)
    if job.created_by_id != request.user.pk and not is_reviewer(request.user):
        raise Http404(_("No such import."))
    return job


def flag_labels(codes: list[str] | None) -> list[str]:
    """Short labels of advisory codes, each once, in their order."""
    return list(dict.fromkeys(str(FLAG_LABELS.get(code, code)) for code in codes or ()))


# --- templates and the index --------------------------------------------------------------------


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    """The forms, a template to download and the user's recent imports."""
    return _index(request, TemplateForm(initial={"period": _last_month(), "form": default_form()}))


@login_required
@require_GET
def template(request: HttpRequest) -> HttpResponse:
    """A form's template for a period with the units of a region listed, as an .xlsx attachment."""
    chosen = TemplateForm(request.GET)
    if not chosen.is_valid():
        return _index(request, chosen, status=400)
    form, edition, period, region = chosen.chosen
    rows = templates.template_rows(period, region=region or None)
    buffer = io.BytesIO()
    templates.write_form_template(buffer, form, edition, period, rows, lang=get_language() or "zh-hans")
    buffer.seek(0)
    name = f"{form.zh}-{templates.period_key(period)}.xlsx"
    return FileResponse(buffer, as_attachment=True, filename=name, content_type=XLSX)


def _index(request: HttpRequest, template_form: TemplateForm, status: int = 200) -> HttpResponse:
    names = {form.id: form.zh for form in load_forms().values()}
    jobs = ImportJob.objects.filter(created_by=request.user).order_by("-created_at")[:RECENT_JOBS]
    awaiting = (
        visible_submissions(request.user).filter(status=Submission.Status.SUBMITTED).count()
        if is_reviewer(request.user)
        else None
    )
    context = {
        "template_form": template_form,
        "forms": [_form_info(form) for form in load_forms().values()],
        "jobs": [(j, names.get(j.form, j.form)) for j in jobs],
        "awaiting": awaiting,
    }
    return render(request, "reporting/index.html", context, status=status)


def _form_info(form: Form) -> dict[str, Any]:
    return {
        "id": form.id,
        "zh": form.zh,
        "en": form.en,
        "editions": [_edition_info(edition) for edition in reversed(form.editions)],
    }


def _edition_info(edition: Edition) -> dict[str, Any]:
    return {
        "edition": edition.edition,
        "years": edition.years,
        "frequencies": "、".join(str(FREQUENCIES[f]) for f in edition.frequencies),
        "marks": [
            {"label": label, "value": edition.marks.get(key, ""), "to_confirm": key in edition.to_confirm}
            for key, label in MARKS.items()
        ],
        "items": len(edition.items),
    }


def _last_month() -> str:
    today = timezone.localdate()
    year, month = (today.year, today.month - 1) if today.month > 1 else (today.year - 1, 12)
    return f"{year}-{month:02d}"


# --- imports ------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def upload(request: HttpRequest) -> HttpResponse:
    """Upload a filled form: small files are imported at once, large ones by the task worker."""
    if request.method != "POST":
        wanted = request.GET.get("form")
        initial = {"form": wanted if wanted in load_forms() else default_form()}
        return render(request, "reporting/upload.html", {"form": UploadForm(initial=initial)})
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return render(request, "reporting/upload.html", {"form": form}, status=400)
    file = form.cleaned_data["file"]
    job = imports.receive(
        file, file.name, form.cleaned_data["form"], author=request.user.get_username(), user=request.user
    )
    if job.size <= getattr(settings, "JIENENG_INLINE_IMPORT_BYTES", INLINE_IMPORT_BYTES):
        try:
            imports.run_import(job.pk)
        except Exception:  # the job is marked failed with the error, and its page says so
            logger.exception("import %s failed", job.pk)
    else:
        import_task.enqueue(str(job.pk))
    return redirect("reporting:job", job_id=job.pk)


@login_required
@require_GET
def job(request: HttpRequest, job_id: uuid.UUID) -> HttpResponse:
    """An import: its progress while it runs, then what was stored and every problem."""
    found = _job_of(request, job_id)
    return render(request, "reporting/job.html", _job_context(request, found))


@login_required
@require_GET
def job_status(request: HttpRequest, job_id: uuid.UUID) -> HttpResponse:
    """The part of the job page that htmx polls; without the polling trigger once the job is finished."""
    found = _job_of(request, job_id)
    return render(request, "reporting/_job.html", _job_context(request, found))


def _job_context(request: HttpRequest, job: ImportJob) -> dict[str, Any]:
    phase, done, total = imports.progress_of(job)
    context: dict[str, Any] = {
        "job": job,
        "form_name": getattr(load_forms().get(job.form), "zh", job.form),
        "phase": PHASES.get(phase, phase),
        "done": done,
        "total": total,
        "summary": imports.summary(job),
    }
    if not job.finished:
        return context
    found, _sheet, _header = imports.problems(job)
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
def annotated(request: HttpRequest, job_id: uuid.UUID) -> HttpResponse:
    """The uploaded workbook with each problem marked on its cell and a sheet listing them all."""
    found = _job_of(request, job_id)
    if not found.finished:
        raise Http404(_("The import has not finished yet."))
    problems, sheet, header_row = imports.problems(found)
    buffer = io.BytesIO()
    write_annotated(
        imports.stored_file(found), problems, buffer, sheet=sheet, header_row=header_row, describe=describe
    )
    buffer.seek(0)
    name = _("%(name)s-problems marked.xlsx") % {"name": Path(found.file_name).stem}
    return FileResponse(buffer, as_attachment=True, filename=name, content_type=XLSX)


@login_required
@require_GET
def report(request: HttpRequest, job_id: uuid.UUID) -> JsonResponse:
    """Status, counts and every problem of an import, as JSON (messages in the user's language)."""
    found = _job_of(request, job_id)
    return JsonResponse(imports.report_json(found), json_dumps_params={"ensure_ascii": False})


# --- review -------------------------------------------------------------------------------------


@login_required
@require_GET
def review_queue(request: HttpRequest) -> HttpResponse:
    """Submissions by status, the most flagged and the oldest first, with bulk approve and return."""
    filters = QueueFilter(request.GET)
    filters.is_valid()  # an invalid filter is shown with its error and left out
    data = filters.cleaned_data
    status = data.get("status") or Submission.Status.SUBMITTED
    chosen = review.queue(status=None, form=data.get("form") or None, period=data.get("period") or None)
    if data.get("region"):
        chosen = chosen.filter(organisation__region__code__startswith=data["region"])
    chosen = visible_submissions(request.user, chosen)
    counts = dict(chosen.order_by().values_list("status").annotate(n=Count("pk")))
    page = Paginator(chosen.filter(status=status), QUEUE_PER_PAGE).get_page(request.GET.get("page"))
    flags = dict(
        Revision.objects.filter(
            submission__in=[s.pk for s in page.object_list], number=F("submission__current")
        ).values_list("submission_id", "flags")
    )
    names = {form.id: form.zh for form in load_forms().values()}
    rows = [
        {
            "submission": s,
            "form_name": names.get(s.form, s.form),
            "flags": flag_labels(flags.get(s.pk)),
        }
        for s in page.object_list
    ]
    tabs = [
        {"status": value, "label": label, "count": counts.get(value, 0)}
        for value, label in Submission.Status.choices
        if value in QueueFilter.STATUSES
    ]
    context = {
        "filters": filters,
        "status": status,
        "tabs": tabs,
        "page": page,
        "rows": rows,
        "reviewer": is_reviewer(request.user),
        "can_return": status == Submission.Status.SUBMITTED,
        "can_approve": status in review.REVIEWABLE,
    }
    return render(request, "reporting/queue.html", context)


@login_required
@require_POST
def review_action(request: HttpRequest) -> HttpResponse:
    """Approve or return the ticked submissions (or the one on its page), then go back with a message."""
    if not is_reviewer(request.user):
        raise PermissionDenied(_("Only reviewers may approve or return submissions."))
    back = _back(request)
    form = ReviewForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The request was not understood; please try again."))
        return redirect(back)
    wanted = form.cleaned_data["ids"]
    ids = list(visible_submissions(request.user).filter(pk__in=wanted).values_list("pk", flat=True))
    if not ids:
        messages.warning(request, _("Tick at least one submission first."))
        return redirect(back)
    actor = request.user.get_username()
    if form.cleaned_data["action"] == "approve":
        done = review.approve(ids, actor=actor, user=request.user)
        if done:
            messages.success(request, _("Approved %(count)s submission(s).") % {"count": done})
    else:
        try:
            done = review.return_(ids, reason=form.cleaned_data["reason"], actor=actor, user=request.user)
        except review.ReviewError as exc:
            messages.error(request, str(exc))
            return redirect(back)
        if done:
            messages.success(
                request, _("Returned %(count)s submission(s) to the reporter.") % {"count": done}
            )
    if done < len(ids):
        messages.info(
            request,
            _("%(count)s submission(s) were not awaiting this action and were left as they were.")
            % {"count": len(ids) - done},
        )
    return redirect(back)


def _back(request: HttpRequest) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("reporting:queue")


@login_required
@require_GET
def submission(request: HttpRequest, pk: int) -> HttpResponse:
    """A submission: its values (current or ``?revision=N``), flags, and every revision with its events."""
    chosen = get_object_or_404(
        visible_submissions(request.user).select_related("organisation", "organisation__region"), pk=pk
    )
    history = review.history_of(chosen)
    wanted = request.GET.get("revision", "")
    number = int(wanted) if wanted.isdigit() else chosen.current
    index = next((i for i, entry in enumerate(history) if entry["revision"].number == number), None)
    if index is None:
        raise Http404(_("This submission has no revision %(number)s.") % {"number": wanted})
    shown = history[index]
    previous = history[index + 1] if index + 1 < len(history) else None
    form = load_forms().get(chosen.form)
    values = _values_table(form, shown, previous)
    events = [event for entry in history for event in entry["events"]]
    last = max(events, key=lambda event: (event.at, event.pk), default=None)
    context = {
        "s": chosen,
        "form_name": form.zh if form else chosen.form,
        "shown": shown["revision"],
        "previous": previous["revision"] if previous else None,
        "values": [row for row in values if row["value"] != DASH or row["changed"]],
        "empty": sum(row["value"] == DASH and not row["changed"] for row in values),
        "returned": last if last is not None and last.action == ReviewEvent.Action.RETURNED else None,
        "flags": flag_labels(shown["revision"].flags),
        "history": history,
        "reviewer": is_reviewer(request.user),
        "can_approve": chosen.status in review.REVIEWABLE,
        "can_return": chosen.status == Submission.Status.SUBMITTED,
    }
    return render(request, "reporting/submission.html", context)


def _values_table(
    form: Form | None, shown: dict[str, Any], previous: dict[str, Any] | None
) -> list[dict[str, Any]]:
    """Each item of the revision's edition: label, value and unit, and the previous revision's value
    when it differs."""
    values, before = shown["values"], previous["values"] if previous else None
    if form is None:
        return [
            {"label": code, "value": _shown(v), "unit": "", "code": code, "changed": False, "previous": DASH}
            for code, v in values.items()
        ]
    items = list(form.items.values())
    ref = shown["revision"].edition
    with contextlib.suppress(IndexError, KeyError):  # an edition unknown here: every item of the form
        items = list(form.items_of(form.edition(ref.split("@", 1)[1])))
    lang = get_language() or "zh-hans"
    english = not lang.startswith("zh")
    rows = []
    for item in items:
        value = values.get(item.code)
        old = before.get(item.code) if before is not None else None
        rows.append(
            {
                "code": item.code,
                "label": item.en if english else item.zh,
                "value": _shown(value),
                "unit": shown_unit(item.unit, lang),
                "changed": before is not None and old != value,
                "previous": _shown(old),
            }
        )
    return rows


def _shown(value: Any) -> str:
    """``1234.5`` → ``1,234.5``; nothing → ``—``."""
    if value is None or value == "":
        return DASH
    if isinstance(value, bool) or not isinstance(value, int | float):
        return str(value)
    return f"{value:,.4f}".rstrip("0").rstrip(".")
