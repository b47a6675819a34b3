"""Deployed tasks (工作部署), the monthly work report (工作情况月报) and the assessment's rectification
reports: deploy to many regions at once (:func:`deploy_task`), collect each one's evidence
(:func:`submit`), say who is done, late or not started (:func:`status`, :func:`summary`), remind the
late ones (:func:`remind`: a notice in the platform, and an email through Django's mail backend where
``JIENENG_EMAIL_HOST`` names a mail server).

The assessment deploys its rectification reports with ``deploy_task(issuer, title, due, recipients,
kind="rectification")`` (one month: ``due=one_month_after(today)``)."""

from __future__ import annotations

import calendar
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jieneng import config
from jieneng.core import attachments as kinds
from jieneng.core.problems import Problem
from jieneng.directory.models import Region
from jieneng.targets import attachments
from jieneng.targets.models import Assignment, Deployment, Evidence, Notice, Target

log = logging.getLogger(__name__)

DONE, DONE_LATE, LATE, OPEN = "done", "done_late", "late", "open"


class TaskRejected(Exception):
    """A deployment that cannot be made: :attr:`problems` say why (nothing was stored)."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        super().__init__("; ".join(p.code for p in problems))
        self.problems = list(problems)


def month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def one_month_after(day: date) -> date:
    """The same day a month later (the last day of a shorter month)."""
    year, month = (day.year, day.month + 1) if day.month < 12 else (day.year + 1, 1)
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def deploy_task(
    issuer: Region,
    title: str,
    due: date,
    recipients: Iterable[Region],
    *,
    description: str = "",
    kind: str = Deployment.Kind.TASK,
    target: Target | None = None,
    year: int | None = None,
    month: int | None = None,
    user: Any = None,
    today: date | None = None,
) -> Deployment:
    """Deploy the task ``title`` due on ``due`` to every region of ``recipients`` at once. Raises
    :class:`TaskRejected`, storing nothing, when there are no recipients or ``due`` is already past."""
    regions = list(dict.fromkeys(recipients))
    day = today or timezone.localdate()
    problems = []
    if not regions:
        problems.append(Problem.make("task_without_recipients", task=title))
    if due < day:
        problems.append(Problem.make("task_due_before_deployed", task=title, due=due, today=day))
    if problems:
        raise TaskRejected(problems)
    with transaction.atomic():
        deployment = Deployment.objects.create(
            issuer=issuer,
            title=title,
            due=due,
            description=description,
            kind=kind,
            target=target,
            year=year,
            month=month,
            created_by=user if getattr(user, "is_authenticated", False) else None,
        )
        Assignment.objects.bulk_create(Assignment(deployment=deployment, region=r) for r in regions)
    return deployment


def ensure_monthly_report(issuer: Region, year: int, month: int, recipients: Iterable[Region]) -> Deployment:
    """The monthly work report of ``year``-``month`` the regions below ``issuer`` file by the month's
    end (made once)."""
    found = Deployment.objects.filter(
        issuer=issuer, kind=Deployment.Kind.MONTHLY, year=year, month=month
    ).first()
    if found is not None:
        return found
    title = _("Monthly work report %(year)s-%(month)02d") % {"year": year, "month": month}
    end = month_end(year, month)
    return deploy_task(
        issuer, title, end, recipients, kind=Deployment.Kind.MONTHLY, year=year, month=month, today=end
    )


def submit(
    assignment: Assignment, note: str, files: Sequence[Any], *, day: date, user: Any = None
) -> Assignment:
    """Record the recipient's evidence (``files``: uploads, PDF, image or Office; and a note) and mark
    the assignment done on ``day``. Raises :class:`~jieneng.targets.attachments.AttachmentRejected`,
    storing nothing, when a file is not what its name says."""
    read = attachments.check_all(files, kinds.DOCUMENT)
    with transaction.atomic():
        for name, data in read:
            Evidence.objects.create(assignment=assignment, file=attachments.store(name, data, user=user))
        assignment.note = note
        assignment.done_on = day
        assignment.done_by = user if getattr(user, "is_authenticated", False) else None
        assignment.save()
    return assignment


def status(assignment: Assignment, today: date) -> str:
    """``done``, ``done_late`` (after the due date), ``late`` (past due, not done) or ``open``."""
    due = assignment.deployment.due
    if assignment.done_on is not None:
        return DONE if assignment.done_on <= due else DONE_LATE
    return LATE if today > due else OPEN


@dataclass(frozen=True)
class Summary:
    """How many recipients of a deployment are in each state, and the late ones' regions."""

    done: int
    done_late: int
    late: int
    open: int
    late_names: tuple[str, ...]

    @property
    def total(self) -> int:
        return self.done + self.done_late + self.late + self.open


def summary(deployment: Deployment, today: date) -> Summary:
    rows = list(deployment.assignments.select_related("region", "deployment"))
    states = [status(a, today) for a in rows]
    late = tuple(a.region.name for a, s in zip(rows, states, strict=True) if s == LATE)
    return Summary(states.count(DONE), states.count(DONE_LATE), len(late), states.count(OPEN), late)


def not_filed(issuer: Region, year: int, month: int) -> list[Region]:
    """The regions that have not filed the monthly work report of ``year``-``month`` to ``issuer``."""
    return [
        a.region
        for a in Assignment.objects.filter(
            deployment__issuer=issuer,
            deployment__kind=Deployment.Kind.MONTHLY,
            deployment__year=year,
            deployment__month=month,
            done_on__isnull=True,
        ).select_related("region")
    ]


def remind(deployment: Deployment, today: date, *, user: Any = None) -> list[Notice]:
    """A reminder to each late recipient of ``deployment`` (shown on their task page), emailed to the
    active users of the recipient's region where a mail server is configured."""
    late = [
        a for a in deployment.assignments.select_related("region", "deployment") if status(a, today) == LATE
    ]
    text = _("Reminder: “%(task)s” was due on %(due)s and has not been done.") % {
        "task": deployment.title,
        "due": deployment.due.isoformat(),
    }
    sender = user if getattr(user, "is_authenticated", False) else None
    notices = [Notice.objects.create(assignment=a, text=text, sent_by=sender) for a in late]
    if config.current().email_host:
        for notice in notices:
            _email(notice)
    return notices


def _email(notice: Notice) -> None:
    users = (
        get_user_model()
        .objects.filter(is_active=True, memberships__region=notice.assignment.region)
        .exclude(email="")
    )
    addresses = sorted(set(users.values_list("email", flat=True)))
    if not addresses:
        return
    try:
        send_mail(notice.text, notice.text, None, addresses)
    except OSError:  # the mail server is down: the notice in the platform stands
        log.warning("reminder not emailed", extra={"notice": notice.pk})
        return
    notice.emailed = len(addresses)
    notice.save(update_fields=["emailed"])
