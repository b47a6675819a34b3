"""Pages of the targets: a region's targets with their progress, one target with its children and the
decomposition check, the target and split forms, and the warning list. Thin: the rows come from
:mod:`.access` (scoped), the figures from :mod:`.services`. A target outside what the user may see is 404;
one the user sees but may not change is 403."""

from __future__ import annotations

import tempfile
from datetime import date
from pathlib import Path
from typing import Any

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
from jieneng.i18n import render as render_problem
from jieneng.targets import access, counting, coverage, services, sheet_import
from jieneng.targets.forms import CountForm, SplitForm, TargetForm
from jieneng.targets.models import CountReport, Target, TargetChange


def _scope(request: SignedInRequest) -> Scope:
    scope: Scope = getattr(request, "scope")  # noqa: B009
    return scope


def _target(request: SignedInRequest, pk: int) -> Target:
    target = access.visible(_scope(request)).select_related("region", "organisation", "parent").filter(pk=pk)
    found = target.first()
    if found is None:
        raise Http404(_("No such target."))
    return found


def _forbidden(request: SignedInRequest) -> HttpResponse:
    reason = _("You may see this target but not change it.")
    return render(request, "directory/forbidden.html", {"reason": reason}, status=403)


def _rows(targets: list[Target], today: date) -> list[dict[str, Any]]:
    """Each target with its progress row (None when there are no figures yet)."""
    frame = services.progress(targets, today)
    by_id = {row["target"]: row for row in frame.iter_rows(named=True)} if frame.height else {}
    return [{"target": t, "p": by_id.get(str(t.pk))} for t in targets]


def _history(target: Target) -> list[dict[str, Any]]:
    """The target's changes with the fields' and choices' display names (never the stored codes)."""
    rows = []
    for change in TargetChange.objects.filter(target=target).select_related("user")[:50]:
        name = change.field.removesuffix("_id")
        field = Target._meta.get_field(name)
        labels = {str(k): str(v) for k, v in getattr(field, "choices", None) or ()}
        if name == "count_source":  # the sources are offered at start-up, not choices of the field
            labels = {"": _("reported by hand each month"), **{k: str(v) for k, v in counting.choices()}}
        rows.append(
            {
                "at": change.at,
                "user": change.user,
                "field": getattr(field, "verbose_name", name),
                "old": labels.get(change.old, change.old),
                "new": labels.get(change.new, change.new),
                "reason": change.reason,
            }
        )
    return rows


def _has_below(target: Target) -> bool:
    """Whether the target's owner has regions below it to pass its share to."""
    return target.region is not None and bool(coverage.below(target.region))


@login_required
@require_GET
def index(request: SignedInRequest) -> HttpResponse:
    """The targets of the user's place and below, and the parents they were given (read-only)."""
    scope = _scope(request)
    code = request.GET.get("region", "")
    targets = access.visible(scope).select_related("region", "organisation", "parent")
    if code:
        if not scope.allows_region(code):
            raise Http404(_("No such region."))
        targets = targets.filter(region__code=code)
    listed = list(targets.order_by("region__code", "start_year", "pk")[:500])
    editable = set(access.editable(scope).filter(pk__in=[t.pk for t in listed]).values_list("pk", flat=True))
    regions = scope.regions("directory").current().order_by("code")[:1]
    context = {
        "rows": _rows(listed, timezone.localdate()),
        "editable": editable,
        "can_add": bool(list(regions)),
        "region": code,
    }
    return render(request, "targets/index.html", context)


@login_required
@require_GET
def detail(request: SignedInRequest, pk: int) -> HttpResponse:
    """One target: where it stands, its children and whether they together meet it, its history."""
    return detail_page(request, _target(request, pk))


def detail_page(
    request: SignedInRequest, target: Target, count_form: CountForm | None = None
) -> HttpResponse:
    scope = _scope(request)
    own = access.own(scope)
    children = list(own.filter(parent=target).select_related("region", "organisation"))
    check = services.check_children(target)
    passed = coverage.passed_down(children)
    rows = _rows(children, timezone.localdate())
    for row in rows:  # None: no regions below the child to pass its share to
        row["passed"] = passed[row["target"].pk] if _has_below(row["target"]) else None
    context = {
        "target": target,
        "row": _rows([target], timezone.localdate())[0]["p"],
        "children": rows,
        "not_passed": [r["target"].owner_name for r in rows if r["passed"] is False],
        "some_below": any(r["passed"] is not None for r in rows),
        "check": check,
        "check_message": render_problem(check.problems[0]) if check and check.problems else "",
        "history": _history(target),
        **_counts(scope, target, timezone.localdate(), count_form),
        "can_edit": access.can_edit(scope, target),
        "parent_visible": target.parent_id is not None
        and access.visible(scope).filter(pk=target.parent_id).exists(),
    }
    status = 400 if count_form is not None and count_form.errors else 200
    return render(request, "targets/detail.html", context, status=status)


def _counts(scope: Scope, target: Target, today: date, form: CountForm | None = None) -> dict[str, Any]:
    """A counted target's months and, where its owner reports them by hand, the form of a month."""
    if target.indicator != "count":
        return {}
    source = counting.get(target.count_source)
    by_hand = source is None and access.can_count(scope, target)
    if by_hand and form is None:
        last = counting.to_date(today)
        form = CountForm(initial={"year": last.year, "month": last.month}, target=target, today=today)
    return {
        "counts": services.counted_months(target, today),
        "count_source": source,
        "count_form": form if by_hand else None,
    }


@login_required
@require_POST
def count(request: SignedInRequest, pk: int) -> HttpResponse:
    """Record (or replace) the count of one month of a target counted by hand."""
    scope = _scope(request)
    target = _target(request, pk)
    if (
        target.indicator != "count"
        or counting.get(target.count_source)
        or not access.can_count(scope, target)
    ):
        return _forbidden(request)
    today = timezone.localdate()
    form = CountForm(request.POST, target=target, today=today)
    if form.is_valid():
        CountReport.objects.update_or_create(
            target=target,
            year=form.cleaned_data["year"],
            month=form.cleaned_data["month"],
            defaults={
                "count": form.cleaned_data["count"],
                "note": form.cleaned_data["note"],
                "reported_by": request.user,
            },
        )
        messages.success(request, _("The month's count is recorded."))
        return redirect("targets:detail", pk=target.pk)
    messages.error(request, _("The count was not recorded: see the form below."))
    return detail_page(request, target, form)


@login_required
@require_http_methods(["GET", "POST"])
def new(request: SignedInRequest) -> HttpResponse:
    """Set a target for a region (``?region=<code>``) where the user changes the directory."""
    scope = _scope(request)
    code = request.GET.get("region") or request.POST.get("region", "")
    region = scope.regions("directory").current().filter(code=code).first()
    if region is None:
        raise Http404(_("No such region."))
    return _edit(request, Target(region=region), region.name)


@login_required
@require_http_methods(["GET", "POST"])
def edit(request: SignedInRequest, pk: int) -> HttpResponse:
    target = _target(request, pk)
    if not access.can_edit(_scope(request), target):
        return _forbidden(request)
    return _edit(request, target, target.owner_name)


def _edit(request: SignedInRequest, target: Target, owner: str) -> HttpResponse:
    form = TargetForm(request.POST or None, instance=target)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.save_target(form.instance, user=request.user, reason=form.cleaned_data["reason"])
        except services.TargetRejected as exc:
            for problem in exc.problems:
                form.add_error(None, render_problem(problem))
        else:
            messages.success(request, _("The target has been saved."))
            return redirect("targets:detail", pk=saved.pk)
    return render(request, "targets/form.html", {"form": form, "target": target, "owner": owner})


@login_required
@require_http_methods(["GET", "POST"])
def split(request: SignedInRequest, pk: int) -> HttpResponse:
    """Pass a target down to the regions directly below its region."""
    scope = _scope(request)
    parent = _target(request, pk)
    if not access.can_edit(scope, parent) or parent.region is None:
        return _forbidden(request)
    below = scope.regions("directory").current().filter(parent=parent.region).order_by("code")
    children = {r.code: r.name for r in below}
    form = SplitForm(request.POST or None, children=children)
    if request.method == "POST" and form.is_valid():
        method, given = form.cleaned_data["method"], form.shares()
        shares, problems = services.plan_split(
            parent,
            children,
            method,
            weights=given if method == "weights" else None,
            by_hand=given if method == "hand" else None,
        )
        if problems:
            for problem in problems:
                form.add_error(None, render_problem(problem))
        else:
            services.apply_split(
                parent, shares, method, user=request.user, reason=form.cleaned_data["reason"]
            )
            messages.success(
                request, _("The target has been passed down to %(n)s regions.") % {"n": len(shares)}
            )
            return redirect("targets:detail", pk=parent.pk)
    return render(request, "targets/split.html", {"form": form, "target": parent})


@login_required
@require_POST
def split_sheet(request: SignedInRequest, pk: int) -> HttpResponse:
    """Pass a target down from an uploaded 下达任务指标表 (all rows or none)."""
    scope = _scope(request)
    parent = _target(request, pk)
    if not access.can_edit(scope, parent) or parent.region is None:
        return _forbidden(request)
    below = scope.regions("directory").current().filter(parent=parent.region).order_by("code")
    children = {r.code: r.name for r in below}
    upload = request.FILES.get("sheet")
    problems: list[str] = []
    if upload is None:
        problems.append(_("Choose the spreadsheet to import."))
    else:
        stored, found = imported_sheet(parent, upload, children, request.user)
        if stored:
            messages.success(
                request, _("The target has been passed down to %(n)s regions.") % {"n": len(stored)}
            )
            return redirect("targets:detail", pk=parent.pk)
        problems = [describe(p) for p in found]
    context = {"form": SplitForm(children=children), "target": parent, "sheet_problems": problems}
    return render(request, "targets/split.html", context, status=400)


def imported_sheet(
    parent: Target, upload: Any, children: dict[str, str], user: Any
) -> tuple[list[Target], list[Any]]:
    """Keep the upload in a temporary file named like it (its type is sniffed by content) and import it."""
    suffix = Path(str(upload.name)).suffix.lower()[:8]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"sheet{suffix}"
        with path.open("wb") as out:
            for chunk in upload.chunks():
                out.write(chunk)
        return sheet_import.import_sheet(parent, path, children, user=user, reason=upload.name)


@login_required
@require_GET
def warnings(request: SignedInRequest) -> HttpResponse:
    """The targets of the user's place and below likely to miss, worst first, down to the unit."""
    targets = list(access.own(_scope(request)).select_related("region", "organisation"))
    ranked = services.warning_list(targets, timezone.localdate())
    by_id = {str(t.pk): t for t in targets}
    rows = (
        [{"target": by_id[r["target"]], "p": r} for r in ranked.iter_rows(named=True)]
        if ranked.height
        else []
    )
    return render(request, "targets/warnings.html", {"rows": rows})
