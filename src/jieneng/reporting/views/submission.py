"""One submission: its values (current or ``?revision=N``) beside the previous revision's, its advisory
flags, every revision with its review events, and — for whoever may — approve, return or fix it."""

from __future__ import annotations

import contextlib
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from jieneng.accounts.requests import SignedInRequest
from jieneng.core.forms import Form
from jieneng.core.problems import needs_explanation
from jieneng.io.formfile import shown_unit
from jieneng.reference import load_forms
from jieneng.reporting import notes, review
from jieneng.reporting.access import submissions as visible_submissions
from jieneng.reporting.models import ReviewEvent, Submission
from jieneng.reporting.views.common import DASH, flag_labels, shown


@login_required
@require_GET
def submission(request: SignedInRequest, pk: int) -> HttpResponse:
    scope = request.scope
    chosen = get_object_or_404(
        visible_submissions(scope, "view").select_related("organisation", "organisation__region"), pk=pk
    )
    history = review.history_of(chosen)
    wanted = request.GET.get("revision", "")
    number = int(wanted) if wanted.isdigit() else chosen.current
    index = next((i for i, entry in enumerate(history) if entry["revision"].number == number), None)
    if index is None:
        raise Http404(_("This submission has no revision %(number)s.") % {"number": wanted})
    shown_entry = history[index]
    previous = history[index + 1] if index + 1 < len(history) else None
    form = load_forms().get(chosen.form)
    values = _values_table(form, shown_entry, previous)
    events = [event for entry in history for event in entry["events"]]
    last = max(events, key=lambda event: (event.at, event.pk), default=None)
    context = {
        "s": chosen,
        "form_name": form.zh if form else chosen.form,
        "shown": shown_entry["revision"],
        "previous": previous["revision"] if previous else None,
        "values": [row for row in values if row["value"] != DASH or row["changed"]],
        "empty": sum(row["value"] == DASH and not row["changed"] for row in values),
        "returned": last if last is not None and last.action == ReviewEvent.Action.RETURNED else None,
        "flags": flag_labels(shown_entry["revision"].flags),
        "to_explain": needs_explanation(shown_entry["revision"].flags or []),
        "history": history,
        "reviewer": visible_submissions(scope, "review").filter(pk=chosen.pk).exists(),
        "reporter": scope.organisations("report").filter(pk=chosen.organisation_id).exists(),
        "can_approve": chosen.status in review.REVIEWABLE,
        "can_return": chosen.status == Submission.Status.SUBMITTED,
        "value_notes": notes.table(
            notes.notes_for(chosen.organisation_id, chosen.form, chosen.period),
            {code: notes.number(v) for code, v in shown_entry["values"].items()},
            {row["code"]: row["label"] for row in values},
        ),
        "value_notes_heading": _("In this revision"),
    }
    return render(request, "reporting/submission.html", context)


def _values_table(
    form: Form | None, shown_entry: dict[str, Any], previous: dict[str, Any] | None
) -> list[dict[str, Any]]:
    """Each item of the revision's edition: label, value and unit, and the previous revision's value
    when it differs."""
    values, before = shown_entry["values"], previous["values"] if previous else None
    if form is None:
        return [
            {"label": code, "value": shown(v), "unit": "", "code": code, "changed": False, "previous": DASH}
            for code, v in values.items()
        ]
    items = list(form.items.values())
    ref = shown_entry["revision"].edition
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
                "value": shown(value),
                "unit": shown_unit(item.unit, lang),
                "changed": before is not None and old != value,
                "previous": shown(old),
            }
        )
    return rows
