"""Pages of the action plans: the plans of a region with their summary (done, late, not started), a
plan's numbered actions with their owners, deadlines, states and goals, importing a plan from its
sheet (every action or none), and a progress report on an action. Scoped by place."""

from __future__ import annotations

import tempfile
from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from jieneng.accounts.requests import SignedInRequest
from jieneng.accounts.scope import Scope
from jieneng.i18n import describe
from jieneng.targets import access, plans
from jieneng.targets.models import Action, ActionPlan
from jieneng.targets.plan_forms import PlanImportForm, ReportForm
from jieneng.targets.work_views import region_of


def _scope(request: SignedInRequest) -> Scope:
    scope: Scope = getattr(request, "scope")  # noqa: B009
    return scope


def _forbidden(request: SignedInRequest) -> HttpResponse:
    reason = _("You may not change this action plan.")
    return render(request, "directory/forbidden.html", {"reason": reason}, status=403)


@login_required
@require_GET
def index(request: SignedInRequest) -> HttpResponse:
    scope, today = _scope(request), timezone.localdate()
    listed = access.plans(scope).select_related("region").order_by("-end_year", "title")[:200]
    context = {
        "rows": plans.summaries(listed, today),
        "can_import": bool(scope.regions("directory").current().exists()),
    }
    return render(request, "targets/plans.html", context)


def _plan(request: SignedInRequest, pk: int) -> ActionPlan:
    found = access.plans(_scope(request)).select_related("region").filter(pk=pk).first()
    if found is None:
        raise Http404(_("No such action plan."))
    return found


@login_required
@require_GET
def detail(request: SignedInRequest, pk: int) -> HttpResponse:
    scope, today = _scope(request), timezone.localdate()
    plan = _plan(request, pk)
    context = {
        "plan": plan,
        "rows": plans.rows(plan, today),
        "summary": plans.summary(plan, today),
        "can_report": access.can_report(scope, plan),
        "form": ReportForm(initial={"reported_on": today}),
    }
    return render(request, "targets/plan.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def new(request: SignedInRequest) -> HttpResponse:
    """Import a plan of numbered actions for a region from its sheet."""
    region = region_of(request, request.GET.get("region") or request.POST.get("region"), "directory")
    form = PlanImportForm(request.POST or None, request.FILES or None)
    problems: list[str] = []
    if request.method == "POST" and form.is_valid():
        data, upload = form.cleaned_data, form.cleaned_data["sheet"]
        suffix = Path(str(upload.name)).suffix.lower()[:8]
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / f"plan{suffix}"
            with path.open("wb") as out:
                for chunk in upload.chunks():
                    out.write(chunk)
            plan, found = plans.import_plan(
                region, data["title"], data["start_year"], data["end_year"], path, source=upload.name
            )
        if plan is not None:
            count = plan.actions.count()
            messages.success(request, _("The plan has been imported with %(n)s actions.") % {"n": count})
            return redirect("targets:plan", pk=plan.pk)
        problems = [describe(p) for p in found]
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "region": region, "problems": problems}
    return render(request, "targets/plan_new.html", context, status=status)


@login_required
@require_POST
def report(request: SignedInRequest, pk: int) -> HttpResponse:
    """A progress report on one action of a plan the user may report for."""
    found = Action.objects.filter(plan__in=access.plans(_scope(request)), pk=pk).select_related(
        "plan__region"
    )
    action = found.first()
    if action is None:
        raise Http404(_("No such action."))
    if not access.can_report(_scope(request), action.plan):
        return _forbidden(request)
    form = ReportForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, _("Action %(n)s: %(error)s") % {"n": action.number, "error": error})
        return redirect("targets:plan", pk=action.plan_id)
    data = form.cleaned_data
    plans.report(
        action, data["status"], data["reported_on"], note=data["note"], value=data["value"], user=request.user
    )
    messages.success(request, _("The progress of action %(n)s has been recorded.") % {"n": action.number})
    return redirect("targets:plan", pk=action.plan_id)
