"""The review queue and its actions: the submissions of the reviewer's places by status, filtered by
form, period, region (its whole subtree) and 单位性质, ordered by the advisory flags, the period or the
organisation; approve or return them one by one or ticked in bulk.

A reviewer sees the submissions of the places they review; anyone else sees, read-only, those of the
places they may view. An action on a submission outside the user's view is answered 404, on one the
user may see but not review 403: nothing of the request is done."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from jieneng.accounts.requests import SignedInRequest
from jieneng.core.errors import RollupRefused
from jieneng.directory.models import Organisation
from jieneng.i18n import message
from jieneng.reference import load_forms
from jieneng.reporting import queue, review
from jieneng.reporting.access import submissions as visible_submissions
from jieneng.reporting.forms import QueueFilter, ReviewForm, default_form
from jieneng.reporting.models import Submission
from jieneng.reporting.templates import period_key
from jieneng.reporting.views.common import flag_labels, form_names, refuse

PER_PAGE = 50


@login_required
@require_GET
def review_queue(request: SignedInRequest) -> HttpResponse:
    """One status of the filtered submissions, a page at a time, with the count of each status."""
    scope = request.scope
    capability = "review" if scope.can("review") else "view"
    shown = request.GET.copy()  # the defaults, so that the filter shows what is listed
    for key, value in (("status", Submission.Status.SUBMITTED), ("form", default_form()), ("sort", "flags")):
        if not shown.get(key) and value is not None:  # no default form: left out, read as None all the same
            shown[key] = value
    filters = QueueFilter(shown, regions=queue.region_choices(scope, capability, shown.get("region") or None))
    filters.is_valid()  # an invalid filter is shown with its error and left out
    data = filters.cleaned_data
    status = data.get("status") or Submission.Status.SUBMITTED
    form = data["form"] if "form" in data else default_form()
    period = data.get("period")
    chosen = queue.submissions(
        scope,
        capability,
        form=form,
        period=period,
        region=data.get("region") or None,
        type_code=data.get("type") or None,
    )
    found = queue.listing(chosen, status, data.get("sort") or "flags", request.GET.get("page"), PER_PAGE)
    page, counts = found.page, found.counts
    flags = queue.flags_of(page.object_list)
    names = form_names()
    types = dict(Organisation.Type.choices)
    rows = [
        {
            "submission": s,
            "form_name": names.get(s.form, s.form),
            "type": types.get(s.organisation.type_code, s.organisation.type_code),
            "flags": flag_labels(flags.get(s.pk)),
        }
        for s in page.object_list
    ]
    labels = dict(Submission.Status.choices)
    tabs = [
        {
            "status": value,
            "label": labels[value],
            "count": counts[value],
            "capped": counts[value] > queue.COUNT_CAP,
        }
        for value in queue.STATUSES
    ]
    context = {
        "filters": filters,
        "status": status,
        "tabs": tabs,
        "page": page,
        "capped": found.capped,
        "cap_label": f"{queue.COUNT_CAP:,}+",
        "rows": rows,
        "reviewer": capability == "review",
        "can_return": status == Submission.Status.SUBMITTED,
        "can_approve": status in review.REVIEWABLE,
        "overdue_form": form or default_form(),
        "overdue_period": period_key(period) if period else "",
    }
    return render(request, "reporting/queue.html", context)


@login_required
@require_POST
def review_action(request: SignedInRequest) -> HttpResponse:
    """Approve or return the ticked submissions (or the one on its page), then go back with a message."""
    back = _back(request)
    form = ReviewForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The request was not understood; please try again."))
        return redirect(back)
    wanted = form.cleaned_data["ids"]
    scope = request.scope
    visible = set(visible_submissions(scope, "view").filter(pk__in=wanted).values_list("pk", flat=True))
    if len(visible) < len(wanted):
        raise Http404(_("No such submission."))
    if not wanted:
        if not scope.can("review"):
            return refuse(request, _("Only reviewers may approve or return submissions."))
        messages.warning(request, _("Tick at least one submission first."))
        return redirect(back)
    reviewable = set(visible_submissions(scope, "review").filter(pk__in=wanted).values_list("pk", flat=True))
    if len(reviewable) < len(wanted):
        return refuse(
            request,
            _("You may see these submissions but not review them: they are outside the places you review.")
            if scope.can("review")
            else _("Only reviewers may approve or return submissions."),
        )
    ids = sorted(reviewable)
    actor = request.user.get_username()
    done = _act(request, form.cleaned_data, ids, actor)
    if done is None:
        return redirect(back)
    if done < len(ids):
        messages.info(
            request,
            _("%(count)s submission(s) were not awaiting this action and were left as they were.")
            % {"count": len(ids) - done},
        )
    return redirect(back)


def _act(request: SignedInRequest, data: dict[str, Any], ids: list[int], actor: str) -> int | None:
    """Approve or return ``ids`` as the revisions shown; the number done, None when refused (with the
    reason, and for a newer revision what changed, as messages)."""
    seen = _seen(request.POST.getlist("seen"))
    try:
        if data["action"] == "approve":
            done = review.approve(ids, actor=actor, user=request.user, seen=seen)
        else:
            done = review.return_(ids, reason=data["reason"], actor=actor, user=request.user, seen=seen)
    except review.NewerRevision as exc:
        messages.error(request, str(exc))
        for pk, _was, _now, changes in exc.stale:
            messages.warning(request, _changes_text(pk, changes))
        return None
    except review.ReviewError as exc:
        messages.error(request, str(exc))
        return None
    except RollupRefused as exc:
        messages.error(request, message(exc))
        return None
    if done and data["action"] == "approve":
        messages.success(request, _("Approved %(count)s submission(s).") % {"count": done})
    elif done:
        messages.success(request, _("Returned %(count)s submission(s) to the reporter.") % {"count": done})
    return done


def _seen(texts: list[str]) -> dict[int, int]:
    """``["12:3", …]`` (submission id: the revision shown) → {12: 3}; malformed entries are ignored."""
    seen: dict[int, int] = {}
    for text in texts:
        pk, _sep, number = text.partition(":")
        if pk.isdigit() and number.isdigit():
            seen[int(pk)] = int(number)
    return seen


def _changes_text(pk: int, changes: list[tuple[str, object, object]]) -> str:
    """“What changed in submission 12: 电力 1200 → 10800; …” in the user's language."""
    submission = Submission.objects.select_related("organisation").get(pk=pk)
    items = load_forms()[submission.form].items
    english = (get_language() or "zh-hans").startswith("en")
    dash = "—"
    parts = [
        f"{_item_name(items, code, english)} {_shown(was, dash)} → {_shown(now, dash)}"
        for code, was, now in changes
    ]
    return _("What changed in %(org)s %(period)s: %(changes)s") % {
        "org": submission.organisation.name,
        "period": submission.period,
        "changes": "; ".join(parts) or _("no value (only the revision number)"),
    }


def _shown(value: object, dash: str) -> str:
    if value is None:
        return dash
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _item_name(items: Any, code: str, english: bool) -> str:
    item = items.get(code)
    return code if item is None else (item.en if english else item.zh)


def _back(request: HttpRequest) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("reporting:queue")
