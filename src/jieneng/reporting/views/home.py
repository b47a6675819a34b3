"""The reporter's home: what needs fixing, the units one reports for with their status for a chosen
month (fill it online or upload a file), a blank template, one's recent uploads and the forms."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from jieneng.accounts.requests import SignedInRequest
from jieneng.accounts.scope import Scope
from jieneng.core.forms import Edition, Form
from jieneng.reference import load_forms
from jieneng.reference.deadlines import load_deadlines
from jieneng.reporting import queue
from jieneng.reporting.access import submissions as visible_submissions
from jieneng.reporting.forms import FREQUENCIES, PeriodPicker, TemplateForm, default_form, frequency_of
from jieneng.reporting.models import ImportJob, ReviewEvent, Submission
from jieneng.reporting.templates import period_key
from jieneng.reporting.views.common import form_names, last_month

RECENT_JOBS, ATTENTION, UNITS_PER_PAGE = 10, 50, 25
MARKS = {
    "table_no": gettext_lazy("Table no."),
    "issuer": gettext_lazy("Issued by"),
    "approver": gettext_lazy("Approved by"),
    "approval_no": gettext_lazy("Approval no."),
    "valid_until": gettext_lazy("Valid until"),
}


@login_required
@require_GET
def index(request: SignedInRequest) -> HttpResponse:
    return render_index(request)


def render_index(
    request: SignedInRequest, *, template_form: TemplateForm | None = None, status: int = 200
) -> HttpResponse:
    """The home page; ``template_form``: a template request to show with its errors."""
    scope = request.scope
    start = {"period": last_month(), "form": default_form()}
    names = form_names()
    jobs = ImportJob.objects.filter(created_by=request.user).order_by("-created_at")[:RECENT_JOBS]
    context: dict[str, Any] = {
        "template_form": template_form or TemplateForm(initial=start, auto_id="template-%s"),
        "forms": [_form_info(form) for form in load_forms().values()],
        "jobs": [(j, names.get(j.form, j.form)) for j in jobs],
        "reporter": scope.can("report"),
        "reviewer": scope.can("review"),
    }
    if context["reviewer"]:
        waiting = visible_submissions(scope, "review").filter(status=Submission.Status.SUBMITTED)
        context["awaiting"] = queue.capped_count(waiting)
        context["awaiting_capped"] = context["awaiting"] > queue.COUNT_CAP
        context["cap"] = f"{queue.COUNT_CAP:,}"
    if context["reporter"]:
        context |= _attention(scope, names) | _units(request, scope, start)
    return render(request, "reporting/index.html", context, status=status)


def _attention(scope: Scope, names: dict[str, str]) -> dict[str, Any]:
    """Returned submissions (with the reviewer's reason) and drafts, the latest first."""
    chosen = list(
        visible_submissions(scope, "report")
        .filter(form__in=list(names), status__in=[Submission.Status.RETURNED, Submission.Status.DRAFT])
        .select_related("organisation")
        .order_by("-updated_at", "-pk")[:ATTENTION]
    )
    reasons: dict[int, ReviewEvent] = {}
    returned = [s.pk for s in chosen if s.status == Submission.Status.RETURNED]
    for event in ReviewEvent.objects.filter(
        submission_id__in=returned, action=ReviewEvent.Action.RETURNED
    ).order_by("at", "pk"):
        reasons[event.submission_id] = event  # the latest return wins
    rows = [{"s": s, "form_name": names.get(s.form, s.form), "returned": reasons.get(s.pk)} for s in chosen]
    return {"attention": rows}


def _units(request: SignedInRequest, scope: Scope, start: dict[str, Any]) -> dict[str, Any]:
    """The units the user reports for, each with its submission of the chosen form and period."""
    bound = {key: request.GET.get(key) or value for key, value in start.items()}
    picker = PeriodPicker(bound)
    context: dict[str, Any] = {"picker": picker, "units": None}
    if not picker.is_valid():
        return context
    form, _edition, period = picker.form_period
    key = period_key(period)
    # by credit code (its characters 3–8 are the registering region): the unique index, no sort
    organisations = scope.organisations("report").select_related("region").order_by("credit_code")
    count = queue.capped_count(organisations)
    page = queue.CappedPaginator(organisations, UNITS_PER_PAGE, count).get_page(request.GET.get("page"))
    found = {
        org: (pk, status)
        for org, pk, status in Submission.objects.filter(
            organisation_id__in=[o.pk for o in page.object_list], form=form.id, period=key
        ).values_list("organisation_id", "pk", "status")
    }
    labels = dict(Submission.Status.choices)
    units = []
    for org in page.object_list:
        pk, status = found.get(org.pk, (None, ""))
        units.append({"org": org, "submission": pk, "status": status, "status_label": labels.get(status, "")})
    deadlines = load_deadlines()
    deadline = deadlines.rows.get((form.id, frequency_of(period)))
    due = deadline.due(period.year, period.quarter, period.month) if deadline else None
    return context | {
        "period": key,
        "form_id": form.id,
        "form_name": form.zh,
        "units": units,
        "units_page": page,
        "units_capped": count > queue.COUNT_CAP,
        "due": due,
    }


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
