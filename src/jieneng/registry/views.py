"""Pages of the directory (名录库): the organisations a user may see, one organisation with its yearly
facts and change history, the forms that register and change them, and the region tree.

Each view reads the request, calls :mod:`.browse` (reading) or :mod:`.maintenance` (changing) and
renders. An organisation or region outside what the user may see answers 404, as if it did not exist;
one the user sees but may not change answers 403 with the reason.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from jieneng.accounts.requests import SignedInRequest
from jieneng.accounts.scope import Scope
from jieneng.directory import history
from jieneng.directory.models import Organisation, OrganisationYear, Region
from jieneng.registry import browse, maintenance
from jieneng.registry.forms import FactsForm, OrganisationFilter, OrganisationForm, RegionNameForm

SUBORDINATES_SHOWN = 100


def _scope(request: SignedInRequest) -> Scope:
    """The signed-in user's scope (set on every request by the accounts middleware)."""
    scope: Scope = getattr(request, "scope")  # noqa: B009 (not an attribute HttpRequest declares)
    return scope


def _int(text: str | None) -> int | None:
    try:
        return int(text) if text else None
    except ValueError:
        return None


def _organisation(request: SignedInRequest, pk: int) -> Organisation:
    """The organisation if the user may see it; else 404."""
    org = _scope(request).organisations("view").select_related("region", "supervisor").filter(pk=pk).first()
    if org is None:
        raise Http404(_("No such organisation."))
    return org


def _forbidden(request: HttpRequest, reason: str) -> HttpResponse:
    return render(request, "directory/forbidden.html", {"reason": reason}, status=403)


# --- organisations -----------------------------------------------------------------------------------


@login_required
@require_GET
def organisations(request: SignedInRequest) -> HttpResponse:
    """The organisations the user may see: search, filters and pages of :data:`browse.PAGE_SIZE`."""
    scope = _scope(request)
    form = OrganisationFilter(request.GET, scope=scope)
    listing = None
    if form.is_valid():
        listing = browse.organisations_page(
            scope,
            text=form.cleaned_data["q"],
            region=form.cleaned_data["region"],
            type_code=form.cleaned_data["type"],
            after=_int(request.GET.get("after")),
            before=_int(request.GET.get("before")),
            size=browse.PAGE_SIZE,
        )
    context = {
        "form": form,
        "listing": listing,
        "filtered": any(form.data.get(name) for name in ("q", "region", "type")),
        "can_register": maintenance.can_register(scope),
        "limit": browse.COUNT_LIMIT,
    }
    return render(request, "directory/organisations.html", context)


@login_required
@require_GET
def organisation(request: SignedInRequest, pk: int) -> HttpResponse:
    """One organisation: its fields, supervisor and supervised units, yearly facts and history."""
    scope = _scope(request)
    org = _organisation(request, pk)
    below = scope.organisations("view").filter(supervisor=org)
    context = {
        "org": org,
        "facts": list(OrganisationYear.objects.filter(organisation=org).order_by("-year")),
        "subordinates": list(below.select_related("region").order_by("name")[:SUBORDINATES_SHOWN]),
        "subordinate_count": below.count(),
        "supervisor_visible": org.supervisor_id is not None and scope.allows_organisation(org.supervisor_id),
        "history": history.history(org),
        "can_change": maintenance.can_change(scope, org),
    }
    return render(request, "directory/organisation.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def register(request: SignedInRequest) -> HttpResponse:
    """Register a new organisation."""
    scope = _scope(request)
    if not maintenance.can_register(scope):
        return _forbidden(request, _("Your role does not include maintaining the directory."))
    form = OrganisationForm(request.POST or None, scope=scope)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            org = maintenance.register_organisation(
                scope,
                credit_code=data["credit_code"],
                name=data["name"],
                type_code=data["type_code"],
                region=data["region"],
                supervisor=data["supervisor"],
                address=data["address"],
            )
        except maintenance.OutsideScope as exc:
            return _forbidden(request, str(exc))
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("%(name)s has been added to the directory.") % {"name": org.name})
            return redirect("directory:organisation", pk=org.pk)
    return render(request, "directory/organisation_form.html", {"form": form, "org": None})


@login_required
@require_http_methods(["GET", "POST"])
def edit(request: SignedInRequest, pk: int) -> HttpResponse:
    """Change an organisation's name, address, type, region or supervising department."""
    scope = _scope(request)
    org = _organisation(request, pk)
    if not maintenance.can_change(scope, org):
        return _forbidden(request, _("You may see %(name)s but not change it.") % {"name": org.name})
    form = OrganisationForm(request.POST or None, scope=scope, org=org)
    if request.method == "POST" and form.is_valid():
        try:
            changed = maintenance.change_organisation(scope, org, **form.values())
        except maintenance.OutsideScope as exc:
            return _forbidden(request, str(exc))
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            if changed:
                labels = "、".join(str(form.fields[name].label) for name in changed)
                messages.success(request, _("Saved: %(fields)s.") % {"fields": labels})
            else:
                messages.info(request, _("Nothing was changed."))
            return redirect("directory:organisation", pk=org.pk)
    return render(request, "directory/organisation_form.html", {"form": form, "org": org})


@login_required
@require_http_methods(["GET", "POST"])
def facts(request: SignedInRequest, pk: int) -> HttpResponse:
    """Add the yearly facts of a year, or correct them (``?year=`` fills in the stored ones)."""
    scope = _scope(request)
    org = _organisation(request, pk)
    if not maintenance.can_change(scope, org):
        return _forbidden(request, _("You may see %(name)s but not change it.") % {"name": org.name})
    if request.method == "POST":
        form = FactsForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                _fact, changed = maintenance.save_facts(
                    scope,
                    org,
                    year=data["year"],
                    building_area_m2=data["building_area_m2"],
                    persons=data["persons"],
                    vehicles=data["vehicles"],
                )
            except maintenance.OutsideScope as exc:
                return _forbidden(request, str(exc))
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                if changed:
                    messages.success(
                        request, _("The facts of %(year)s have been saved.") % {"year": data["year"]}
                    )
                else:
                    messages.info(request, _("Nothing was changed."))
                return redirect(reverse("directory:organisation", args=[org.pk]) + "#facts")
    else:
        form = FactsForm.for_year(org, _int(request.GET.get("year")))
    stored = list(OrganisationYear.objects.filter(organisation=org).order_by("-year"))
    return render(request, "directory/facts_form.html", {"form": form, "org": org, "facts": stored})


# --- regions -----------------------------------------------------------------------------------------


def _region(request: SignedInRequest, code: str) -> Region:
    """The row of ``code`` in force today (else its latest) if the user may see it; else 404."""
    rows = _scope(request).regions("view").filter(code=code).order_by("valid_from")
    current = rows.filter(pk__in=Region.objects.current()).last()
    region = current or rows.last()
    if region is None:
        raise Http404(_("No region has the code %(code)s.") % {"code": code})
    return region


@login_required
@require_GET
def regions(request: SignedInRequest) -> HttpResponse:
    """The region tree of the user's place (or of ``?code=``), with the organisations counted."""
    scope = _scope(request)
    code = request.GET.get("code", "").strip()
    home = scope.home
    if code:
        root = _region(request, code)
    elif home is not None and home.kind == "region":
        root = _region(request, home.code)
    else:
        root = None
    rows = browse.region_tree(scope, root, depth=1 if root is None and scope.everything else 2)
    up = root.parent if root is not None and root.parent_id else None
    context = {
        "root": root,
        "up": up if up is not None and scope.regions("view").filter(pk=up.pk).exists() else None,
        "rows": rows,
        "by_organisation": home is not None and home.kind != "region",
    }
    return render(request, "directory/regions.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def rename_region(request: SignedInRequest, pk: int) -> HttpResponse:
    """Give a region a new name (office administrators of its parent)."""
    scope = _scope(request)
    region = scope.regions("view").select_related("parent").filter(pk=pk).first()
    if region is None:
        raise Http404(_("No such region."))
    if not maintenance.can_rename(scope, region):
        parent = region.parent.name if region.parent else region.name
        return _forbidden(
            request,
            _("Only an office administrator of %(parent)s may rename this region.") % {"parent": parent},
        )
    form = RegionNameForm(request.POST or None, initial={"name": region.name})
    if request.method == "POST" and form.is_valid():
        old = region.name
        try:
            changed = maintenance.rename_region(scope, region, form.cleaned_data["name"])
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            if changed:
                messages.success(
                    request, _("%(old)s is now called %(new)s.") % {"old": old, "new": region.name}
                )
            else:
                messages.info(request, _("Nothing was changed."))
            target = region.parent.code if region.parent else region.code
            return redirect(reverse("directory:regions") + f"?code={target}")
    return render(request, "directory/region_form.html", {"form": form, "region": region})
