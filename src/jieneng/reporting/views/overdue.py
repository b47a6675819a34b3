"""Who has not reported (``?form=&period=``): the units of the reviewer's places without a submitted or
approved report, by region, once the deadline has passed (before: when it is due and how many are
still missing); the list also as .xlsx. Needs the ``review`` capability."""

from __future__ import annotations

import io

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, HttpResponse
from django.shortcuts import render
from django.utils.formats import date_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from jieneng.accounts.requests import SignedInRequest
from jieneng.accounts.roles import Role
from jieneng.reporting import deadlines
from jieneng.reporting.forms import OverdueFilter, default_form
from jieneng.reporting.templates import period_label
from jieneng.reporting.views import common
from jieneng.reporting.views.common import XLSX, last_month, refuse

PER_PAGE = 100


def _chosen(request: SignedInRequest) -> tuple[OverdueFilter, deadlines.Overdue | None]:
    wanted = {"form": default_form(), "period": last_month(), **{k: v for k, v in request.GET.items() if v}}
    chooser = OverdueFilter(wanted)
    if not chooser.is_valid():
        return chooser, None
    form, _edition, period = chooser.form_period
    state = deadlines.overdue(request.scope.organisations("review"), form, period, common.today())
    return chooser, state


@login_required
@require_GET
def overdue(request: SignedInRequest) -> HttpResponse:
    if not request.scope.can("review"):
        return refuse(request, _("Only reviewers and energy-saving offices may see who has not reported."))
    chooser, state = _chosen(request)
    scope = request.scope
    context: dict[str, object] = {
        "chooser": chooser,
        "state": state,
        # whether the deadline is still the site's default is the administrators' business, not the reviewers'
        "office_admin": scope.everything or str(Role.OFFICE_ADMIN) in scope.roles(),
    }
    if state is not None:
        late = deadlines.listed(
            deadlines.missing(request.scope.organisations("review"), state.form, state.period)
        )
        page = Paginator(late, PER_PAGE).get_page(request.GET.get("page"))
        context |= {
            "page": page,
            "period_text": period_label(state.period, get_language() or "zh-hans"),
            "reported": state.expected - state.missing,
        }
    return render(request, "reporting/overdue.html", context, status=200 if state else 400)


@login_required
@require_GET
def overdue_xlsx(request: SignedInRequest) -> HttpResponse | FileResponse:
    """The whole list of units that have not reported, as a workbook."""
    if not request.scope.can("review"):
        return refuse(request, _("Only reviewers and energy-saving offices may see who has not reported."))
    chooser, state = _chosen(request)
    if state is None:
        return render(request, "reporting/overdue.html", {"chooser": chooser, "state": None}, status=400)
    lang = get_language() or "zh-hans"
    late = deadlines.listed(
        deadlines.missing(request.scope.organisations("review"), state.form, state.period)
    )
    title = _("%(form)s, %(period)s: %(count)s unit(s) have not reported") % {
        "form": state.form.zh,
        "period": period_label(state.period, lang),
        "count": state.missing,
    }
    if state.due is not None:
        title += " · " + _("due on %(date)s") % {"date": date_format(state.due, "Y-m-d")}
    buffer = io.BytesIO()
    deadlines.write_xlsx(buffer, state, late.iterator(chunk_size=2000), title=title)
    buffer.seek(0)
    name = _("not reported-%(form)s-%(period)s.xlsx") % {"form": state.form.zh, "period": state.key}
    return FileResponse(buffer, as_attachment=True, filename=name, content_type=XLSX)
