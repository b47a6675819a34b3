"""What a reporter has to do for one unit: the report due this month (last month's figures, by the
deadline in the reference data) with its state, and the submissions a reviewer returned, each with
the reviewer's reason. Shown on the unit's page, a reporter's landing page."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from jieneng.accounts.scope import Scope
from jieneng.io import cells
from jieneng.reference import load_forms
from jieneng.reference.deadlines import load_deadlines
from jieneng.reporting.forms import default_form, frequency_of
from jieneng.reporting.models import ReviewEvent, Submission

RETURNED_SHOWN = 10


@dataclass(frozen=True)
class Returned:
    submission: Submission
    reason: str
    at: date | None


@dataclass(frozen=True)
class Duties:
    form_id: str
    form_name: str
    period: str  # "2026-11"
    due: date | None
    overdue: bool  # the deadline has passed and nothing was handed in
    submission: Submission | None  # this month's report, if started
    returned: tuple[Returned, ...]


def duties(scope: Scope, organisation: int, today: date) -> Duties | None:
    """The unit's duties if ``scope`` reports for it, else None (a viewer sees no reporting actions)."""
    form_id = default_form()
    if form_id is None or not scope.organisations("report").filter(pk=organisation).exists():
        return None
    form = load_forms()[form_id]
    year, month = (today.year, today.month - 1) if today.month > 1 else (today.year - 1, 12)
    key = f"{year}-{month:02d}"  # a month's figures are due in the month after it
    period = cells.period(key)
    deadline = load_deadlines().rows.get((form.id, frequency_of(period))) if period else None
    due = deadline.due(period.year, period.quarter, period.month) if deadline and period else None
    current = Submission.objects.filter(organisation_id=organisation, form=form.id, period=key).first()
    handed_in = current is not None and current.status in (
        Submission.Status.SUBMITTED,
        Submission.Status.APPROVED,
    )
    back = list(
        Submission.objects.filter(organisation_id=organisation, status=Submission.Status.RETURNED).order_by(
            "-period", "-pk"
        )[:RETURNED_SHOWN]
    )
    reasons: dict[int, ReviewEvent] = {}
    for event in ReviewEvent.objects.filter(
        submission_id__in=[s.pk for s in back], action=ReviewEvent.Action.RETURNED
    ).order_by("at", "pk"):
        reasons[event.submission_id] = event  # the latest return wins
    returned = tuple(
        Returned(
            s,
            reasons[s.pk].reason if s.pk in reasons else "",
            reasons[s.pk].at.date() if s.pk in reasons else None,
        )
        for s in back
    )
    return Duties(
        form_id=form.id,
        form_name=form.zh,
        period=key,
        due=due,
        overdue=due is not None and today > due and not handed_in,
        submission=current,
        returned=returned,
    )
