"""Pages of the organisation of the work: a region's leadership group, meetings and the coverage of the
regions below; the responsibility letters with their signed scans; an attached file. Thin: the rows come
from :mod:`.access` (scoped), the decisions from :mod:`.organising` and :mod:`.coverage`."""

from __future__ import annotations

from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from jieneng.accounts.requests import SignedInRequest
from jieneng.accounts.scope import Scope
from jieneng.directory.models import Region
from jieneng.i18n import render as render_problem
from jieneng.targets import access, attachments, coverage, organising
from jieneng.targets.models import Group, Meeting, Target
from jieneng.targets.work_forms import GroupForm, MeetingForm, SignForm


def _scope(request: SignedInRequest) -> Scope:
    scope: Scope = getattr(request, "scope")  # noqa: B009
    return scope


def region_of(request: SignedInRequest, code: str | None, capability: str = "view") -> Region:
    """The region ``code`` (the user's home region when empty) if the user holds ``capability`` there."""
    scope = _scope(request)
    home = scope.home
    code = code or (home.code if home is not None and home.kind == "region" else "")
    region = scope.regions(capability).current().filter(code=code).first() if code else None
    if region is None:
        raise Http404(_("No such region."))
    return region


def _year(request: SignedInRequest) -> int:
    text = request.GET.get("year", "")
    return int(text) if text.isdigit() and 2000 <= int(text) <= 2100 else timezone.localdate().year


@login_required
@require_GET
def work(request: SignedInRequest) -> HttpResponse:
    """A region's leadership group and meetings, and the coverage of the regions below it."""
    region, year = region_of(request, request.GET.get("region")), _year(request)
    found = coverage.coverage(region, year)
    lacking = {
        name: {p.code for p in getattr(found, name)}
        for name in (
            "no_group",
            "no_joint_meeting",
            "no_agency",
            "no_meeting",
            "not_passed_down",
            "not_signed",
        )
    }
    sayings = {name: found.say(name) for name in lacking}
    rows = [
        {"place": p, "staff": found.staff.get(p.code), **{k: p.code not in v for k, v in lacking.items()}}
        for p in found.places
    ]
    context = {
        "region": region,
        "year": year,
        "group": Group.objects.filter(region=region).first(),
        "meetings": Meeting.objects.filter(region=region, held_on__year=year).select_related("minutes"),
        "coverage": found,
        "rows": rows,
        "sayings": sayings,
        "can_edit": _scope(request).allows_region(region.code, "directory"),
    }
    return render(request, "targets/work.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def group(request: SignedInRequest, code: str) -> HttpResponse:
    region = region_of(request, code, "directory")
    form = GroupForm(
        request.POST or None, instance=Group.objects.filter(region=region).first() or Group(region=region)
    )
    if request.method == "POST" and form.is_valid():
        organising.save_group(form.instance)
        messages.success(request, _("The leadership group has been saved."))
        return redirect(_work_url(region.code))
    return render(request, "targets/group.html", {"form": form, "region": region})


@login_required
@require_http_methods(["GET", "POST"])
def meeting(request: SignedInRequest, code: str) -> HttpResponse:
    region = region_of(request, code, "directory")
    form = MeetingForm(request.POST or None, request.FILES or None, instance=Meeting(region=region))
    if request.method == "POST" and form.is_valid():
        try:
            organising.record_meeting(form.instance, form.cleaned_data["file"], user=request.user)
        except attachments.AttachmentRejected as exc:
            for problem in exc.problems:
                form.add_error("file", render_problem(problem))
        else:
            messages.success(request, _("The meeting has been recorded."))
            return redirect(_work_url(region.code))
    return render(request, "targets/meeting.html", {"form": form, "region": region})


@login_required
@require_GET
def letters(request: SignedInRequest) -> HttpResponse:
    """The letters of a year issued by a region, and those it signed with its parent."""
    region, year = region_of(request, request.GET.get("region")), _year(request)
    scope = _scope(request)
    rows = access.letters(scope).filter(year=year).select_related("issuer", "region", "organisation", "scan")
    issued = list(rows.filter(issuer=region).order_by("region__code", "organisation__name"))
    signed_by = list(rows.filter(region=region))
    context = {
        "region": region,
        "year": year,
        "issued": issued,
        "own": signed_by,
        "missing": [letter for letter in issued if letter.signed_on is None],
        "has_below": bool(coverage.below(region)),
        "can_issue": scope.allows_region(region.code, "directory") and bool(coverage.below(region)),
        "signable": {letter.pk for letter in [*issued, *signed_by] if access.can_sign(scope, letter)},
    }
    return render(request, "targets/letters.html", context)


@login_required
@require_POST
def issue(request: SignedInRequest, code: str) -> HttpResponse:
    """Issue this year's letters to every region below, covering each one's targets of the year."""
    region, year = region_of(request, code, "directory"), _year(request)
    below = coverage.below(region)
    covered = Target.objects.filter(region__in=below, start_year__lte=year, end_year__gte=year)
    made = organising.issue_letters(
        region,
        year,
        _("energy-saving target responsibility letter"),
        regions=below,
        targets=covered,
        user=request.user,
    )
    messages.success(request, _("%(n)s responsibility letters are ready to be signed.") % {"n": len(made)})
    return redirect(f"/targets/letters/?region={region.code}&year={year}")


@login_required
@require_http_methods(["GET", "POST"])
def sign(request: SignedInRequest, pk: int) -> HttpResponse:
    scope = _scope(request)
    letter = access.letters(scope).select_related("issuer", "region", "organisation").filter(pk=pk).first()
    if letter is None:
        raise Http404(_("No such letter."))
    if not access.can_sign(scope, letter):
        reason = _("You may see this letter but not record its signing.")
        return render(request, "directory/forbidden.html", {"reason": reason}, status=403)
    form = SignForm(request.POST or None, request.FILES or None, initial={"signed_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            organising.sign(
                letter, form.cleaned_data["signed_on"], form.cleaned_data["scan"], user=request.user
            )
        except attachments.AttachmentRejected as exc:
            for problem in exc.problems:
                form.add_error("scan", render_problem(problem))
        else:
            messages.success(request, _("The signed letter has been recorded."))
            return redirect(f"/targets/letters/?region={letter.issuer.code}&year={letter.year}")
    return render(request, "targets/sign.html", {"form": form, "letter": letter})


@login_required
@require_GET
def attachment(request: SignedInRequest, pk: int) -> HttpResponse:
    found = access.attachments(_scope(request)).filter(pk=pk).first()
    if found is None:
        raise Http404(_("No such file."))
    response = HttpResponse(
        bytes(found.data), content_type=attachments.CONTENT_TYPES.get(found.kind, "application/octet-stream")
    )
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{_quote(found.name)}"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _quote(name: str) -> str:
    return quote(name)


def _work_url(code: str) -> str:
    """The organising page of the region ``code``."""
    return f"{reverse('targets:work')}?region={code}"
