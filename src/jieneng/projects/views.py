"""Pages of the project register. Each view reads the request, calls :mod:`.services` and renders. A
project outside what the user may see answers 404, as if it did not exist; one the user sees but may not
change answers 403 with the reason."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import numpy as np
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from jieneng.accounts.requests import SignedInRequest
from jieneng.accounts.scope import Scope
from jieneng.directory.services import subtree_ids_of
from jieneng.io.writers.pdf import ConversionUnavailable
from jieneng.projects import charts, imports, report, services
from jieneng.projects.forms import (
    ImportForm,
    LampClassForm,
    MeasureForm,
    ProgressForm,
    ProjectFilter,
    ProjectForm,
)
from jieneng.projects.measurement import measure_file
from jieneng.projects.models import Project


def _scope(request: HttpRequest) -> Scope:
    scope: Scope = getattr(request, "scope")  # noqa: B009
    return scope


def _project(request: HttpRequest, pk: int) -> Project:
    project = services.visible(_scope(request)).filter(pk=pk).first()
    if project is None:
        raise Http404(_("No such project."))
    return project


def _may_change(request: HttpRequest, project: Project) -> bool:
    return services.visible(_scope(request), "directory").filter(pk=project.pk).exists()


def _forbidden(request: HttpRequest) -> HttpResponse:
    reason = _("Your role does not include maintaining the project register of this place.")
    return render(request, "projects/forbidden.html", {"reason": reason}, status=403)


@login_required
@require_GET
def register(request: SignedInRequest) -> HttpResponse:
    """The projects the user may see, filtered by kind, status, region and contract type, with totals."""
    scope = _scope(request)
    form = ProjectFilter(request.GET)
    projects = services.visible(scope)
    if form.is_valid():
        data = form.cleaned_data
        if data["kind"]:
            projects = projects.filter(kind=data["kind"])
        if data["status"]:
            projects = projects.filter(status=data["status"])
        if data["contract"]:
            projects = projects.filter(contract_type=data["contract"])
        if data["region"]:
            projects = projects.filter(region_id__in=subtree_ids_of(data["region"]))
    else:
        projects = projects.none()
    rows = [(p, services.progress(p)) for p in projects.order_by("region__code", "name")[:500]]
    context = {
        "form": form,
        "rows": rows,
        "totals": services.register_totals(projects),
        "can_create": scope.can("directory"),
        "filtered": any(form.data.get(k) for k in ("kind", "status", "region", "contract")),
    }
    return render(request, "projects/register.html", context)


@login_required
@require_GET
def project(request: SignedInRequest, pk: int) -> HttpResponse:
    """One project: progress, Option A estimate, measured savings and chart, contract position, subsidy."""
    p = _project(request, pk)
    measured = p.measured.order_by("-computed_at").first()
    periods = list(p.contract_periods.all())
    context = {
        "p": p,
        "progress": services.progress(p),
        "entries": list(p.progress.order_by("-on")[:24]),
        "lamps": list(p.lamp_classes.all()),
        "estimate": getattr(p, "estimate", None) if hasattr(p, "estimate") else None,
        "measured": measured,
        "chart": charts.savings_chart(measured) if measured else None,
        "periods": periods,
        "period_totals": services.contract_totals(periods),
        "subsidies": [(s, services.reason_messages(s)) for s in p.subsidies.all()],
        "can_change": _may_change(request, p),
        "progress_form": ProgressForm(project=p),
        "lamp_form": LampClassForm(),
    }
    return render(request, "projects/project.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def create(request: SignedInRequest) -> HttpResponse:
    scope = _scope(request)
    if not scope.can("directory"):
        return _forbidden(request)
    form = ProjectForm(request.POST or None, scope=scope)
    if request.method == "POST" and form.is_valid():
        p = form.save()
        messages.success(request, _("The project “%(name)s” is registered.") % {"name": p.name})
        return redirect("projects:project", pk=p.pk)
    return render(request, "projects/project_form.html", {"form": form, "p": None})


@login_required
@require_http_methods(["GET", "POST"])
def edit(request: SignedInRequest, pk: int) -> HttpResponse:
    p = _project(request, pk)
    if not _may_change(request, p):
        return _forbidden(request)
    form = ProjectForm(request.POST or None, instance=p, scope=_scope(request))
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            p = form.save()
            services.refresh(p)
        messages.success(request, _("The project is saved."))
        return redirect("projects:project", pk=p.pk)
    return render(request, "projects/project_form.html", {"form": form, "p": p})


@login_required
@require_POST
def add_progress(request: SignedInRequest, pk: int) -> HttpResponse:
    p = _project(request, pk)
    if not _may_change(request, p):
        return _forbidden(request)
    form = ProgressForm(request.POST, project=p)
    if form.is_valid():
        services.record_progress(
            p, form.cleaned_data["on"], form.cleaned_data["quantity_done"], form.cleaned_data["note"]
        )
        messages.success(request, _("The quantity done is recorded."))
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
    return redirect("projects:project", pk=p.pk)


@login_required
@require_POST
def add_lamp_class(request: SignedInRequest, pk: int) -> HttpResponse:
    p = _project(request, pk)
    if not _may_change(request, p):
        return _forbidden(request)
    form = LampClassForm(request.POST)
    if form.is_valid():
        with transaction.atomic():
            lamp = form.save(commit=False)
            lamp.project = p
            lamp.save()
            services.refresh(p)
        messages.success(request, _("The lamp class is added and the estimate computed again."))
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
    return redirect("projects:project", pk=p.pk)


@login_required
@require_http_methods(["GET", "POST"])
def measure(request: SignedInRequest, pk: int) -> HttpResponse:
    """Upload daily or billing use with temperatures; measured savings stored only without a problem."""
    p = _project(request, pk)
    if not _may_change(request, p):
        return _forbidden(request)
    form = MeasureForm(request.POST or None, request.FILES or None)
    errors: list[str] = []
    warnings: list[str] = []
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        upload = d["file"]
        suffix = Path(upload.name).suffix.lower()
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / f"upload{suffix}"
            with path.open("wb") as out:
                for chunk in upload.chunks():
                    out.write(chunk)
            m = measure_file(
                path,
                interval=d["interval"],
                unit=d["unit"],
                baseline=(np.datetime64(d["baseline_start"], "D"), np.datetime64(d["baseline_end"], "D")),
                reporting=(np.datetime64(d["reporting_start"], "D"), np.datetime64(d["reporting_end"], "D")),
            )
        errors, warnings = m.errors, m.warnings
        if m.result is not None and not errors:
            with transaction.atomic():
                services.record_measured(p, m.result)
                services.refresh(p)
            messages.success(request, _("The measured savings are stored."))
            for w in warnings:
                messages.warning(request, w)
            return redirect("projects:project", pk=p.pk)
    status = 400 if errors else 200
    context = {"form": form, "p": p, "errors": errors, "warnings": warnings}
    return render(request, "projects/measure.html", context, status=status)


@login_required
@require_GET
def report_xlsx(request: SignedInRequest, pk: int) -> HttpResponse:
    """The project's M&V report as a workbook."""
    p = _project(request, pk)
    content = report.workbook(p)
    response = HttpResponse(
        content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="project-{p.pk}-mv.xlsx"'
    return response


@login_required
@require_GET
def report_pdf(request: SignedInRequest, pk: int) -> HttpResponse:
    """The project's M&V report as PDF (the same sections as the workbook, in the documents' layout)."""
    p = _project(request, pk)
    try:
        content = report.pdf(p)
    except ConversionUnavailable:
        messages.error(request, _("The PDF cannot be made: LibreOffice is not installed on the server."))
        return redirect("projects:project", pk=p.pk)
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="project-{p.pk}-mv.pdf"'
    return response


def _saved(upload: Any, folder: str) -> Path:
    path = Path(folder) / f"upload{Path(upload.name).suffix.lower()}"
    with path.open("wb") as out:
        for chunk in upload.chunks():
            out.write(chunk)
    return path


@login_required
@require_http_methods(["GET", "POST"])
def import_register(request: SignedInRequest) -> HttpResponse:
    """Import projects from a spreadsheet: every problem by row and column, and then nothing saved."""
    scope = _scope(request)
    if not scope.can("directory"):
        return _forbidden(request)
    form = ImportForm(request.POST or None, request.FILES or None)
    result = imports.ImportResult()
    if request.method == "POST" and form.is_valid():
        with tempfile.TemporaryDirectory() as folder:
            result = imports.import_register(_saved(form.cleaned_data["file"], folder), scope)
        if not result.errors:
            count = len(result.created)
            messages.success(
                request,
                ngettext("%(count)s project is registered.", "%(count)s projects are registered.", count)
                % {"count": count},
            )
            for w in result.warnings:
                messages.warning(request, w)
            return redirect("projects:register")
    context = {"form": form, "errors": result.errors, "warnings": result.warnings}
    return render(request, "projects/import.html", context, status=400 if result.errors else 200)


@login_required
@require_GET
def import_template(request: SignedInRequest) -> HttpResponse:
    """The register's template workbook (a header row, an example row and the accepted titles)."""
    if not _scope(request).can("directory"):
        return _forbidden(request)
    response = HttpResponse(
        imports.template(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = 'attachment; filename="project-register-template.xlsx"'
    return response
