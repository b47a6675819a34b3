"""Pages of the deployed tasks: the tasks a region deployed and those deployed to it, deploying one to
many regions below at once, a task's state per recipient with the reminder of the late ones, and the
recipient's page to hand in its evidence. A recipient sees its own assignment only."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from jieneng.accounts.requests import SignedInRequest
from jieneng.accounts.scope import Scope
from jieneng.i18n import render as render_problem
from jieneng.targets import access, attachments, coverage, tasks
from jieneng.targets.models import Assignment, Deployment
from jieneng.targets.work_forms import DeployForm, EvidenceForm
from jieneng.targets.work_views import region_of


def _scope(request: SignedInRequest) -> Scope:
    scope: Scope = getattr(request, "scope")  # noqa: B009
    return scope


def _forbidden(request: SignedInRequest, reason: str) -> HttpResponse:
    return render(request, "directory/forbidden.html", {"reason": reason}, status=403)


@login_required
@require_GET
def index(request: SignedInRequest) -> HttpResponse:
    scope, today = _scope(request), timezone.localdate()
    listed = list(access.deployments(scope).select_related("issuer").order_by("-due", "pk")[:200])
    issued = [d for d in listed if access.can_manage(scope, d) or scope.allows_region(d.issuer.code)]
    mine = list(
        access.assignments(scope)
        .filter(region__in=scope.regions("view"))
        .exclude(deployment__issuer__in=scope.regions("view"))
        .select_related("deployment", "deployment__issuer", "region")
        .order_by("-deployment__due")[:200]
    )
    context = {
        "issued": [{"d": d, "s": tasks.summary(d, today)} for d in issued],
        "mine": [{"a": a, "state": tasks.status(a, today)} for a in mine],
        "can_deploy": bool(scope.regions("directory").current().exists()),
    }
    return render(request, "targets/tasks.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def new(request: SignedInRequest) -> HttpResponse:
    """Deploy a task to many regions directly below at once."""
    code = request.GET.get("region") or request.POST.get("region")
    region = region_of(request, code, "directory")
    below = {r.code: r for r in coverage.below(region)}
    form = DeployForm(request.POST or None, recipients={c: r.name for c, r in below.items()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            deployed = tasks.deploy_task(
                region,
                data["title"],
                data["due"],
                [below[c] for c in data["recipients"]],
                description=data["description"],
                user=request.user,
                today=timezone.localdate(),
            )
        except tasks.TaskRejected as exc:
            for problem in exc.problems:
                form.add_error(None, render_problem(problem))
        else:
            messages.success(
                request, _("The task has been deployed to %(n)s regions.") % {"n": len(data["recipients"])}
            )
            return redirect("targets:task", pk=deployed.pk)
    return render(request, "targets/task_new.html", {"form": form, "region": region})


def _deployment(request: SignedInRequest, pk: int) -> Deployment:
    found = access.deployments(_scope(request)).select_related("issuer").filter(pk=pk).first()
    if found is None:
        raise Http404(_("No such task."))
    return found


@login_required
@require_GET
def detail(request: SignedInRequest, pk: int) -> HttpResponse:
    scope, today = _scope(request), timezone.localdate()
    deployment = _deployment(request, pk)
    rows = list(
        access.assignments(scope)
        .filter(deployment=deployment)
        .select_related("region", "deployment")
        .prefetch_related("evidence__file", "notices")
    )
    context = {
        "d": deployment,
        "rows": [
            {"a": a, "state": tasks.status(a, today), "mine": access.can_submit(scope, a)} for a in rows
        ],
        "summary": tasks.summary(deployment, today) if access.can_manage(scope, deployment) else None,
        "can_manage": access.can_manage(scope, deployment),
        "target_visible": deployment.target_id is not None
        and access.visible(scope).filter(pk=deployment.target_id).exists(),
    }
    return render(request, "targets/task.html", context)


@login_required
@require_POST
def remind(request: SignedInRequest, pk: int) -> HttpResponse:
    deployment = _deployment(request, pk)
    if not access.can_manage(_scope(request), deployment):
        return _forbidden(request, _("Only the office that deployed the task reminds its recipients."))
    sent = tasks.remind(deployment, timezone.localdate(), user=request.user)
    messages.success(request, _("%(n)s late regions have been reminded.") % {"n": len(sent)})
    return redirect("targets:task", pk=deployment.pk)


@login_required
@require_http_methods(["GET", "POST"])
def assignment(request: SignedInRequest, pk: int) -> HttpResponse:
    """The recipient hands in its evidence (files and a note)."""
    scope = _scope(request)
    found: Assignment | None = (
        access.assignments(scope)
        .select_related("deployment", "deployment__issuer", "region")
        .filter(pk=pk)
        .first()
    )
    if found is None:
        raise Http404(_("No such task."))
    if not access.can_submit(scope, found):
        return _forbidden(request, _("Only the region the task was deployed to hands in its evidence."))
    form = EvidenceForm(request.POST or None, request.FILES or None, initial={"note": found.note})
    if request.method == "POST" and form.is_valid():
        try:
            tasks.submit(
                found,
                form.cleaned_data["note"],
                form.cleaned_data["evidence"],
                day=timezone.localdate(),
                user=request.user,
            )
        except attachments.AttachmentRejected as exc:
            for problem in exc.problems:
                form.add_error("evidence", render_problem(problem))
        else:
            messages.success(request, _("The evidence has been handed in."))
            return redirect("targets:task", pk=found.deployment_id)
    context = {
        "a": found,
        "form": form,
        "state": tasks.status(found, timezone.localdate()),
        "notices": found.notices.all(),
        "evidence": found.evidence.select_related("file"),
    }
    return render(request, "targets/assignment.html", context)
