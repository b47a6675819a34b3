"""A unit's page: its figures by year against its peers, the units it supervises (a department) and its
submissions, each linking to the submission's page; and the figures as .xlsx. A unit outside the
user's view answers 404, as if it did not exist."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from jieneng.accounts.requests import SignedInRequest
from jieneng.dashboard import access, carbon, organisation, services, unit_charts
from jieneng.dashboard.views import (
    BadQuery,
    not_found,
    parse_year,
    problem_page,
    visible_crumbs,
    xlsx_response,
)
from jieneng.reporting.access import submissions as visible_submissions
from jieneng.reporting.duties import duties
from jieneng.reporting.views.common import today

SUBMISSIONS_PER_PAGE = 20


@login_required
@require_GET
def unit_page(request: SignedInRequest, pk: int) -> HttpResponse:
    scope = request.scope
    if not access.may_see_unit(scope, pk):
        return not_found(request)
    try:
        year = parse_year(request)
    except BadQuery as exc:
        return problem_page(request, str(exc), status=400)
    unit = organisation.unit(pk)
    known = {y.year: y for y in unit.years}
    if year is not None and year not in known:
        problem = _(
            "There are no approved figures of this unit for %(year)s. Years with figures: %(years)s."
        ) % {
            "year": year,
            "years": "、".join(str(y) for y in known) or "—",
        }
        return problem_page(request, problem, status=400, years=tuple(known))
    shown_year = known.get(year) if year else organisation.default_year(unit.years)
    chain = [*services.ancestors(unit.region.code), unit.region]
    supervised = (
        organisation.supervised(pk, scope.organisations("view"), shown_year.year if shown_year else None)
        if unit.subordinates
        else None
    )
    submissions = Paginator(
        organisation.submissions(visible_submissions(scope, "view"), pk), SUBMISSIONS_PER_PAGE
    )
    shown = submissions.get_page(request.GET.get("page"))
    chart = unit_charts.unit_figures(unit, reverse("unit_figures", args=[pk]))
    context = {
        "u": unit,
        "chart": chart,
        "latest": shown_year,
        "crumbs": visible_crumbs(request, chain),
        "supervised": supervised,
        "supervised_table": unit_charts.supervised(supervised) if supervised else None,
        "submissions": organisation.submission_rows(shown),
        "shown": shown,
        "duties": duties(scope, pk, today()),
    }
    if shown_year is not None:
        label = shown_year.emission_factors
        context.update(
            co2_reason=unit_charts.co2_reason(shown_year.co2_problem),
            co2_convention=carbon.convention_text(label),
            co2_refs=carbon.refs(label),
            co2_title=services.emission_title(label),
        )
    return render(request, "dashboard/unit.html", context)


@login_required
@require_GET
def unit_figures(request: SignedInRequest, pk: int) -> HttpResponse:
    if not access.may_see_unit(request.scope, pk):
        return not_found(request)
    unit = organisation.unit(pk)
    chart = unit_charts.unit_figures(unit)
    return xlsx_response(chart, unit.coefficient_set, f"unit-{pk}-figures.xlsx")
