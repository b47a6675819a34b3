"""Which submissions a user may see, report on or review: those of the organisations their place
covers for that capability (:meth:`jieneng.accounts.scope.Scope.organisation_q`)."""

from __future__ import annotations

from django.db.models import QuerySet

from jieneng.accounts.scope import Scope
from jieneng.reporting.models import Submission


def submissions(scope: Scope, capability: str = "view") -> QuerySet[Submission]:
    """The submissions of the organisations ``scope`` covers for ``capability``."""
    return Submission.objects.filter(scope.organisation_q(capability, prefix="organisation__"))
