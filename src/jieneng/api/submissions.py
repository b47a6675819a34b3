"""Endpoints of reporting and review: submissions with their revisions and review events; approving
and returning (reviewer's role), through :mod:`jieneng.reporting.review` like the review pages."""

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from jieneng.accounts.requests import ApiRequest
from jieneng.api import access
from jieneng.api.errors import BadRequest, Conflict
from jieneng.api.pages import Pages, subtree
from jieneng.api.schemas import Invalid, Problem, ReturnBody, Stale, SubmissionDetail, SubmissionOut
from jieneng.core.errors import RollupRefused
from jieneng.i18n import message
from jieneng.reporting import review
from jieneng.reporting.models import Submission

router = Router(tags=["submissions"])
REFUSED: dict[int, Any] = {401: Problem, 403: Problem, 404: Problem}


class SubmissionFilter(Schema):
    status: Submission.Status | None = None
    form: str | None = Field(None, max_length=32, description="Form id, e.g. pi-energy.")
    period: str | None = Field(None, max_length=8, description="2025-03, 2025Q1 or 2025.")
    region: str | None = Field(
        None, description="A region code: submissions of organisations in it or below."
    )
    organisation: int | None = Field(None, description="An organisation's id.")


@router.get(
    "/submissions",
    response={200: list[SubmissionOut], **REFUSED, 400: Problem, 422: Invalid},
    summary="Submissions you may see",
)
@paginate(Pages)
def list_submissions(request: ApiRequest, filters: Query[SubmissionFilter]) -> QuerySet[Submission]:
    """The most recently changed first."""
    rows = access.submissions(request).select_related("organisation", "organisation__region")
    if filters.status:
        rows = rows.filter(status=filters.status)
    if filters.form:
        rows = rows.filter(form=filters.form.strip())
    if filters.period:
        rows = rows.filter(period=filters.period.strip())
    if filters.region:
        rows = rows.filter(organisation__region__code__in=subtree(filters.region))
    if filters.organisation:
        rows = rows.filter(organisation_id=filters.organisation)
    return rows.order_by("-updated_at", "-pk")


@router.get(
    "/submissions/{int:submission_id}",
    response={200: SubmissionDetail, **REFUSED},
    summary="A submission with every revision and review event",
)
def get_submission(request: ApiRequest, submission_id: int) -> Submission:
    return access.submission(request, submission_id)


@router.post(
    "/submissions/{int:submission_id}/approve",
    response={200: SubmissionDetail, **REFUSED, 409: Stale | Problem},
    summary="Approve a submission (reviewer's role)",
)
def approve(request: ApiRequest, submission_id: int, revision: int | None = None) -> Submission:
    """Approves the latest revision: its values reach the statistics and the dashboards at once.

    Name the revision reviewed (``?revision=18``): when a newer one was submitted meanwhile, the answer
    is 409 with the values that differ, and nothing is approved."""
    chosen = access.submission(request, submission_id, "review")
    if chosen.status not in review.REVIEWABLE:
        raise Conflict(_not_awaiting(chosen))
    actor, user = access.user_name(request)
    seen = None if revision is None else {chosen.pk: revision}
    try:
        done = review.approve([chosen.pk], actor=actor, user=user, seen=seen)
    except review.NewerRevision as exc:
        raise _stale(exc) from exc
    except RollupRefused as exc:
        raise Conflict(message(exc)) from exc
    if not done:
        chosen.refresh_from_db()
        raise Conflict(_not_awaiting(chosen))  # someone else acted first
    return Submission.objects.select_related("organisation__region").get(pk=chosen.pk)


@router.post(
    "/submissions/{int:submission_id}/return",
    response={200: SubmissionDetail, **REFUSED, 400: Problem, 409: Stale | Problem, 422: Invalid},
    summary="Return a submission to its reporter with a reason (reviewer's role)",
)
def return_submission(request: ApiRequest, submission_id: int, body: ReturnBody) -> Submission:
    chosen = access.submission(request, submission_id, "review")
    if chosen.status != Submission.Status.SUBMITTED:
        raise Conflict(_not_returnable(chosen))
    actor, user = access.user_name(request)
    seen = None if body.revision is None else {chosen.pk: body.revision}
    try:
        done = review.return_([chosen.pk], reason=body.reason, actor=actor, user=user, seen=seen)
    except review.NewerRevision as exc:
        raise _stale(exc) from exc
    except review.ReviewError as exc:
        raise BadRequest(str(exc)) from exc
    if not done:
        chosen.refresh_from_db()
        raise Conflict(_not_returnable(chosen))
    return Submission.objects.select_related("organisation__region").get(pk=chosen.pk)


def _stale(exc: review.NewerRevision) -> Conflict:
    _pk, seen, current, changes = exc.stale[0]
    rows = [{"item": item, "seen": was, "current": now} for item, was, now in changes]
    return Conflict(str(exc), revision=seen, current=current, changes=rows)


def _not_awaiting(submission: Submission) -> str:
    return _("This submission is not awaiting review: it is “%(status)s”. Nothing was changed.") % {
        "status": submission.get_status_display()
    }


def _not_returnable(submission: Submission) -> str:
    return _(
        "Only a submitted submission can be returned; this one is “%(status)s”. Nothing was changed."
    ) % {"status": submission.get_status_display()}
