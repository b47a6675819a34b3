"""Who has not reported: the organisations of a reviewer's places without a submitted or approved
submission of a form for a period, and whether its deadline (reference data,
:mod:`jieneng.reference.deadlines`) has passed. Counted per region in SQL; the list is read a page at
a time, or whole for the .xlsx download.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import IO, Any

import xlsxwriter
from django.db.models import Count, Exists, OuterRef, QuerySet
from django.utils.translation import gettext as _

from jieneng.core.forms import Form
from jieneng.directory.models import Organisation
from jieneng.io.cells import Period
from jieneng.reference.deadlines import Deadline, load_deadlines
from jieneng.reporting.forms import frequency_of
from jieneng.reporting.models import Submission
from jieneng.reporting.templates import period_key

#: the statuses that count as reported: handed in (awaiting review) or approved
REPORTED = (Submission.Status.SUBMITTED, Submission.Status.APPROVED)


@dataclass(frozen=True)
class RegionCount:
    code: str
    name: str
    missing: int


@dataclass(frozen=True)
class Overdue:
    """The state of one form and period in a scope, on ``today``."""

    form: Form
    period: Period
    deadline: Deadline | None
    due: date | None
    passed: bool  # the deadline is behind us: who has not reported is late
    expected: int  # organisations in the scope
    missing: int  # … of which have not reported
    regions: list[RegionCount]

    @property
    def key(self) -> str:
        return period_key(self.period)


def missing(organisations: QuerySet[Organisation], form: Form, period: Period) -> QuerySet[Organisation]:
    """``organisations`` without a submitted or approved submission of ``form`` for ``period``."""
    reported = Submission.objects.filter(
        organisation=OuterRef("pk"), form=form.id, period=period_key(period), status__in=REPORTED
    )
    return organisations.filter(~Exists(reported))


def overdue(organisations: QuerySet[Organisation], form: Form, period: Period, today: date) -> Overdue:
    """The deadline of the period, how many of ``organisations`` are expected and how many have not
    reported, per region (the region each unit belongs to, in code order)."""
    deadline = load_deadlines().rows.get((form.id, frequency_of(period)))
    due = deadline.due(period.year, period.quarter, period.month) if deadline else None
    late = missing(organisations, form, period)
    regions = [
        RegionCount(code, name, count)
        for code, name, count in late.order_by()
        .values_list("region__code", "region__name")
        .annotate(n=Count("pk"))
        .order_by("region__code")
    ]
    return Overdue(
        form=form,
        period=period,
        deadline=deadline,
        due=due,
        passed=due is not None and today > due,
        expected=organisations.count(),
        missing=sum(r.missing for r in regions),
        regions=regions,
    )


def listed(late: QuerySet[Organisation]) -> QuerySet[Organisation]:
    """The late organisations in the order of the page: by region, then credit code."""
    return late.select_related("region", "supervisor").order_by("region__code", "credit_code")


def write_xlsx(target: IO[bytes], state: Overdue, rows: Iterable[Any], *, title: str) -> None:
    """The list as a workbook: a title line with the period and deadline, then one row per unit."""
    book = xlsxwriter.Workbook(target, {"in_memory": True})
    sheet = book.add_worksheet(_("Not reported")[:31])
    bold = book.add_format({"bold": True})
    head = book.add_format({"bold": True, "bg_color": "#DDE6F0", "border": 1})
    sheet.write_string(0, 0, title, bold)
    headers = [
        _("Region code"),
        _("Region"),
        _("Unified social credit code"),
        _("Organisation"),
        _("Type of institution"),
        _("Supervising department"),
    ]
    for column, text in enumerate(headers):
        sheet.write_string(2, column, str(text), head)
    types = dict(Organisation.Type.choices)
    line = 2
    for line, org in enumerate(rows, start=3):
        values = [
            org.region.code,
            org.region.name,
            org.credit_code,
            org.name,
            str(types.get(org.type_code, org.type_code)),
            org.supervisor.name if org.supervisor_id else "",
        ]
        for column, value in enumerate(values):
            sheet.write_string(line, column, value)
    sheet.set_column(0, 0, 11)
    sheet.set_column(1, 1, 14)
    sheet.set_column(2, 2, 22)
    sheet.set_column(3, 3, 36)
    sheet.set_column(4, 5, 20)
    sheet.freeze_panes(3, 0)
    sheet.autofilter(2, 0, max(line, 2), len(headers) - 1)
    book.close()
