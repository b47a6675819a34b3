"""The online form (``?org=&form=&period=``): the items of the edition in force, prefilled with the
current revision, checked as they are typed (htmx posts to :func:`fill_check`), saved as a draft or
submitted. The work is :mod:`jieneng.reporting.fill`; only units the user reports for can be filled."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from jieneng.accounts.requests import SignedInRequest
from jieneng.core.problems import ADVISORY, BLOCKING
from jieneng.directory.models import Organisation
from jieneng.reference.deadlines import load_deadlines
from jieneng.reporting import fill, notes
from jieneng.reporting.forms import FillTarget, default_form, frequency_of
from jieneng.reporting.templates import period_label
from jieneng.reporting.views import common
from jieneng.reporting.views.common import last_month, refuse

FIELD_PREFIX = "v_"
EXPLANATION_LIMIT = 2000  # characters of the explanation (填写说明) kept
CHOOSER_LIMIT = 300  # units offered in the chooser; more: pick from the Reports page


@login_required
@require_http_methods(["GET", "POST"])
def fill_page(request: SignedInRequest) -> HttpResponse:
    target = _target(request, request.POST if request.method == "POST" else request.GET)
    if isinstance(target, HttpResponse):
        return target
    if request.method == "GET":
        submission = fill.submission_of(target)
        texts = fill.current_texts(submission)
        checked = fill.check(target, texts, common.today()) if texts else None
        return _render(request, target, texts, checked, explanation=fill.current_explanation(submission))
    texts = _texts(request.POST, target)
    submit = request.POST.get("action") == "submit"
    explanation = request.POST.get("explanation", "")[:EXPLANATION_LIMIT]
    saved = fill.save(
        target, texts, submit=submit, user=request.user, today=common.today(), explanation=explanation
    )
    if saved.outcome in (fill.Outcome.REFUSED, fill.Outcome.EMPTY, fill.Outcome.UNEXPLAINED):
        if saved.outcome == fill.Outcome.UNEXPLAINED:
            messages.error(
                request,
                _(
                    "Not submitted: the values marked for verification need an explanation. Write in "
                    "“Explanation” why they are right (or correct them), then submit. You may save a draft."
                ),
            )
        elif saved.outcome == fill.Outcome.EMPTY:
            messages.error(request, _("Nothing was saved: fill in at least one value."))
        elif submit and saved.checked.keeps_row:
            messages.error(
                request, _("Not submitted: fix the problems marked in red first. You may save a draft.")
            )
        else:
            messages.error(request, _("Nothing was saved: fix the problems marked in red first."))
        return _render(request, target, texts, saved.checked, status=400, explanation=explanation)
    messages.success(request, _message(saved))
    return redirect(_url(target))


@login_required
@require_POST
def fill_check(request: SignedInRequest) -> HttpResponse:
    """The findings of the typed values, as the fragment htmx puts beside the fields."""
    target = _target(request, request.POST)
    if isinstance(target, HttpResponse):
        return target
    texts = _texts(request.POST, target)
    checked = fill.check(target, texts, common.today())
    context = _context(request, target, texts, checked)
    return render(request, "reporting/_fill_check.html", context)


def _message(saved: fill.Saved) -> str:
    if saved.outcome == fill.Outcome.HANDED_IN:
        return _("Submitted for review.")
    if saved.outcome == fill.Outcome.UNCHANGED:
        return _("Nothing changed: the values are those already saved.")
    if saved.submission is not None and saved.submission.status == "draft":
        return _("Draft saved. It is not sent for review until you press “Submit”.")
    return _("Submitted for review. The figures count in the statistics once a reviewer approves them.")


def _target(request: SignedInRequest, data: QueryDict) -> fill.Target | HttpResponse:
    """The unit, form and period asked for, or the page saying what is missing; 404 for a unit the
    user may not see, 403 for one they may see but not report for."""
    scope = request.scope
    wanted = {"form": default_form(), "period": last_month(), **{k: v for k, v in data.items() if v}}
    if "org" not in wanted:
        only = list(scope.organisations("report").values_list("pk", flat=True)[:2])
        if len(only) == 1:
            wanted["org"] = str(only[0])
    chosen = FillTarget(wanted)
    if not chosen.is_valid():
        return _chooser(request, chosen)
    organisation = get_object_or_404(
        scope.organisations("view").select_related("region"), pk=chosen.cleaned_data["org"]
    )
    if not scope.organisations("report").filter(pk=organisation.pk).exists():
        return refuse(request, _("You may see this unit but not report for it."))
    form, edition, period = chosen.form_period
    return fill.Target(organisation, form, edition, period)


def _chooser(request: SignedInRequest, chosen: FillTarget) -> HttpResponse:
    units = list(
        request.scope.organisations("report")
        .order_by("credit_code")
        .values_list("pk", "name")[: CHOOSER_LIMIT + 1]
    )
    context = {"chooser": chosen, "units": units[:CHOOSER_LIMIT], "more": len(units) > CHOOSER_LIMIT}
    return render(request, "reporting/fill_choose.html", context, status=400)


def _texts(data: QueryDict, target: fill.Target) -> dict[str, str]:
    return {item.code: data.get(FIELD_PREFIX + item.code, "").strip() for item in target.items()}


def _url(target: fill.Target) -> str:
    query = {"org": target.organisation.pk, "form": target.form.id, "period": target.key}
    return f"{reverse('reporting:fill')}?{urlencode(query)}"


def _render(
    request: SignedInRequest,
    target: fill.Target,
    texts: dict[str, str],
    checked: fill.Checked | None,
    *,
    status: int = 200,
    explanation: str = "",
) -> HttpResponse:
    submission = fill.submission_of(target)
    deadline = load_deadlines().rows.get((target.form.id, frequency_of(target.period)))
    period = target.period
    base = _context(request, target, texts, checked)
    context = base | {
        "submission": submission,
        "returned": fill.last_return(submission),
        "due": deadline.due(period.year, period.quarter, period.month) if deadline else None,
        "types": Organisation.Type.choices,
        "explanation": explanation,
        "explanation_limit": EXPLANATION_LIMIT,
        "value_notes": notes.table(
            notes.notes_for(target.organisation.pk, target.form.id, target.key),
            {code: notes.number(text) for code, text in texts.items()},
            {f["f"].code: f["f"].label for f in base["fields"]},
        ),
        "value_notes_heading": _("In the form"),
    }
    return render(request, "reporting/fill.html", context, status=status)


def _context(
    request: SignedInRequest, target: fill.Target, texts: dict[str, str], checked: fill.Checked | None
) -> dict[str, Any]:
    lang = get_language() or "zh-hans"
    found = checked.by_item() if checked else {}

    def field(f: fill.Field | None) -> dict[str, Any] | None:
        if f is None:
            return None
        notes = found.get(f.code, [])
        return {
            "f": f,
            "name": FIELD_PREFIX + f.code,
            "value": texts.get(f.code, ""),
            "messages": notes,
            "worst": BLOCKING if any(m.severity == BLOCKING for m in notes) else ADVISORY if notes else "",
        }

    lines = [
        {"label": line.label, "quantity": field(line.quantity), "cost": field(line.cost)}
        for line in fill.lines(target, lang)
    ]
    codes = {item.code for item in target.items()}
    general = [m for item, notes in found.items() if item not in codes for m in notes]
    return {
        "target": target,
        "org": target.organisation,
        "form_name": target.form.zh,
        "period_text": period_label(target.period, lang),
        "lines": lines,
        "fields": [f for line in lines for f in (line["quantity"], line["cost"]) if f],
        "general": general,
        "checked": checked,
        "blocking": checked.blocking if checked else 0,
        "advisory": checked.advisory if checked else 0,
        "to_explain": len(checked.to_explain) if checked else 0,
        "check_url": reverse("reporting:fill_check"),
    }
