"""Pages of the assessment: the rounds, opening a round, a party's self-check, the check team's
verification, moving a round on and finalising it, the grade table, an evidence file, and the
demonstration units. Thin: rows through :mod:`.access` (scoped), steps through :mod:`.services`. What
the user may not see is 404; a step the user's role may not take is 403."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from jieneng.accounts.requests import SignedInRequest
from jieneng.accounts.roles import Role
from jieneng.assessment import access, services, units
from jieneng.assessment.forms import EventForm, RoundForm, read_items
from jieneng.assessment.models import Entry, Event, Evidence, Party, Result, Round, State
from jieneng.assessment.unit_forms import ApplicationForm
from jieneng.directory.models import Region
from jieneng.reference.schemes import load_scheme


def _round(request: SignedInRequest, pk: int) -> Round:
    found = access.visible_rounds(request.scope).select_related("region").filter(pk=pk).first()
    if found is None:
        raise Http404(_("No such assessment round."))
    return found


def _party(request: SignedInRequest, round_: Round, pk: int) -> Party:
    found = access.visible_parties(request.scope, round_).filter(pk=pk).first()
    if found is None:
        raise Http404(_("No such assessed party."))
    return found


def _forbidden(request: SignedInRequest, reason: str) -> HttpResponse:
    return render(request, "assessment/forbidden.html", {"reason": reason}, status=403)


def _offices(request: SignedInRequest) -> list[Region]:
    """The regions where the user may open a round (office administrator there)."""
    scope = request.scope
    if scope.everything:
        return list(Region.objects.current().filter(level__lte=Region.Level.PREFECTURE).order_by("code")[:50])
    pks = [n.pk for n in scope.nodes if n.kind == "region" and n.role == Role.OFFICE_ADMIN]
    return list(Region.objects.filter(pk__in=pks).order_by("code"))


@login_required
@require_GET
def index(request: SignedInRequest) -> HttpResponse:
    rounds = list(access.visible_rounds(request.scope).select_related("region")[:200])
    checked = set(access.checked(request.scope).values_list("pk", flat=True))
    context = {"rounds": rounds, "checked": checked, "can_open": bool(_offices(request))}
    return render(request, "assessment/index.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def new(request: SignedInRequest) -> HttpResponse:
    offices = _offices(request)
    code = request.GET.get("region") or request.POST.get("region") or (offices[0].code if offices else "")
    office = next((r for r in offices if r.code == code), None)
    if office is None:
        raise Http404(_("No such region."))
    below = list(Region.objects.current().filter(parent=office).order_by("code"))
    choices = [(r.code, r.name) for r in below]
    today = timezone.localdate()
    initial = {
        "title": _("%(region)s %(year)s energy-saving target responsibility assessment")
        % {"region": office.name, "year": today.year - 1},
        "year": today.year - 1,
        "parties": [c for c, _n in choices],
    }
    form = RoundForm(request.POST or None, parties=choices, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            round_ = services.open_round(
                region=office,
                title=data["title"],
                scheme_ref=data["scheme"],
                year=data["year"],
                parties=[r for r in below if r.code in data["parties"]],
                self_check_due=data["self_check_due"],
                verification_due=data["verification_due"],
                user=request.user,
            )
        except services.Refused as refused:
            for problem in refused.problems:
                form.add_error(None, problem)
        else:
            messages.success(request, _("The round is opened."))
            return redirect("assessment:round", round_.pk)
    return render(request, "assessment/new.html", {"form": form, "office": office})


@login_required
@require_GET
def round_detail(request: SignedInRequest, pk: int) -> HttpResponse:
    round_ = _round(request, pk)
    scope = request.scope
    parties = list(access.visible_parties(scope, round_).select_related("region", "organisation"))
    own = set(access.own_parties(scope).filter(round=round_).values_list("pk", flat=True))
    context = {
        "round": round_,
        "parties": parties,
        "own": own,
        "can_manage": access.can_manage(scope, round_),
        "can_check": access.can_check(scope, round_),
        "scheme": services.scheme(round_),
    }
    return render(request, "assessment/round.html", context)


@login_required
@require_POST
def advance(request: SignedInRequest, pk: int) -> HttpResponse:
    round_ = _round(request, pk)
    if not access.can_manage(request.scope, round_):
        return _forbidden(request, _("Only the office of the round moves it on."))
    try:
        round_ = services.advance(round_, request.user, timezone.localdate())
    except services.Refused as refused:
        for problem in refused.problems:
            messages.error(request, problem)
    else:
        messages.success(request, _("The round is now: %(state)s.") % {"state": round_.get_state_display()})
    return redirect("assessment:round", round_.pk)


def _rows(party: Party, round_: Round, posted: Any = None) -> list[dict[str, Any]]:
    """The items by group with their entries; after a refused form, with what was typed."""
    built = services.scheme(round_)
    entries = {
        e.item: e for e in Entry.objects.filter(party=party).prefetch_related("evidence", "adjustments")
    }
    rows = []
    for group in built.groups:
        items = [i for i in built.items.values() if i.group == group.id]
        found = []
        for item in items:
            entry = entries.get(item.id)
            value, inputs = services.current(entry) if entry is not None else (None, {})
            shown = "" if value is None else f"{value:g}"
            note = entry.note if entry is not None else ""
            if posted is not None:
                shown = posted.get(f"v_{item.id}", shown)
                inputs = {
                    n: posted.get(f"in_{item.id}_{n}", inputs.get(n))
                    for n in ("target", "actual", "value", "peer")
                }
                note = posted.get(f"note_{item.id}", note)
            own = {
                "item": item,
                "value": "" if entry is None or entry.value is None else f"{entry.value:g}",
                "inputs": entry.inputs if entry is not None else {},
            }
            found.append(
                {"item": item, "entry": entry, "value": shown, "inputs": inputs, "note": note, "own": own}
            )
        rows.append({"group": group, "items": found})
    return rows


@login_required
@require_http_methods(["GET", "POST"])
def self_check(request: SignedInRequest, pk: int, party: int) -> HttpResponse:
    round_ = _round(request, pk)
    found = _party(request, round_, party)
    scope = request.scope
    if not access.sees_self_check(scope, found):
        raise Http404(_("No such assessed party."))
    editable = (
        round_.state == State.SELF_CHECK
        and found.submitted_at is None
        and access.is_own(scope, found, "report")
    )
    problems: list[str] = []
    if request.method == "POST":
        if not editable:
            return _forbidden(request, _("This self-check cannot be changed."))
        given, problems = read_items(services.scheme(round_), request.POST, request.FILES)
        if not problems:
            submit = request.POST.get("action") == "submit"
            problems = services.save_self_check(found, given, submit=submit, user=request.user)
        if not problems:
            messages.success(request, _("Submitted to the check team.") if submit else _("Saved."))
            return redirect("assessment:self_check", round_.pk, found.pk)
    rows = _rows(found, round_, request.POST if problems else None)
    context = {"round": round_, "party": found, "rows": rows, "editable": editable}
    return render(request, "assessment/self_check.html", {**context, "problems": problems})


@login_required
@require_http_methods(["GET", "POST"])
def verify(request: SignedInRequest, pk: int, party: int) -> HttpResponse:
    round_ = _round(request, pk)
    found = _party(request, round_, party)
    if not access.can_check(request.scope, round_):
        return _forbidden(request, _("Only the check team verifies."))
    if round_.state != State.VERIFICATION:
        return _forbidden(request, _("The round is not in verification."))
    problems: list[str] = []
    if request.method == "POST":
        given, problems = read_items(services.scheme(round_), request.POST, request.FILES)
        if not problems:
            problems = services.verify(found, given, user=request.user)
        if not problems:
            messages.success(request, _("The verification of %(party)s is saved.") % {"party": found.name})
            return redirect("assessment:round", round_.pk)
    rows = _rows(found, round_, request.POST if problems else None)
    context = {"round": round_, "party": found, "rows": rows, "problems": problems}
    return render(request, "assessment/verify.html", context)


@login_required
@require_GET
def results(request: SignedInRequest, pk: int) -> HttpResponse:
    round_ = _round(request, pk)
    if round_.state != State.FINALISED:
        raise Http404(_("The round is not finalised yet."))
    parties = access.visible_parties(request.scope, round_)
    rows = list(Result.objects.filter(party__in=parties).select_related("party").order_by("rank", "pk"))
    checks = access.can_check(request.scope, round_)
    context = {
        "round": round_,
        "rows": rows,
        "scheme": services.scheme(round_),
        "vetoed": [r for r in rows if r.vetoed],
        "lists": services.consequence_lists(round_, rows) if checks else [],
        "tasks": services.rectification_tasks(round_) if checks else [],
    }
    return render(request, "assessment/results.html", context)


@login_required
@require_GET
def evidence(request: SignedInRequest, pk: int) -> HttpResponse:
    found = Evidence.objects.select_related("entry__party__round").filter(pk=pk).first()
    party = found.entry.party if found is not None else None
    visible = party is not None and access.visible_parties(request.scope, party.round).filter(pk=party.pk)
    if found is None or party is None or not visible or not access.sees_self_check(request.scope, party):
        raise Http404(_("No such file."))
    response = HttpResponse(bytes(found.data), content_type=found.content_type)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{_quote(found.name)}"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _quote(name: str) -> str:
    from urllib.parse import quote

    return quote(name)


@login_required
@require_GET
def demonstration_units(request: SignedInRequest) -> HttpResponse:
    listed = units.visible(request.scope).select_related("organisation", "organisation__region")
    level, kind = request.GET.get("level", ""), request.GET.get("kind", "")
    if level:
        listed = listed.filter(level=level)
    if kind:
        listed = listed.filter(kind=kind)
    context = {"rows": list(listed[:500]), "level": level, "kind": kind, **units.choices()}
    return render(request, "assessment/units.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def apply_unit(request: SignedInRequest) -> HttpResponse:
    """A unit applies to be a demonstration unit (its reporters, or an office for a unit below it); the
    application is scored against the criteria at once."""
    applying = request.scope.organisations("report").order_by("name")
    if not applying.exists():
        return _forbidden(request, _("Only a unit's reporters or its office apply for it."))
    scheme = load_scheme(units.SCHEME)
    form = ApplicationForm(request.POST or None, units=applying, scheme=scheme)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        made = units.apply(
            data["organisation"], year=data["year"], level=data["level"], kind=data["kind"],
            inputs=form.scheme_inputs(),
        )  # fmt: skip
        decision = _("accepted") if made.accepted else _("not accepted")
        messages.success(
            request,
            _("The application is scored: %(total)s points, %(decision)s.")
            % {"total": f"{made.total or 0:.1f}", "decision": decision},
        )
        return redirect("assessment:units")
    status = 400 if form.errors else 200
    return render(request, "assessment/apply.html", {"form": form, "scheme": scheme}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def events(request: SignedInRequest) -> HttpResponse:
    """The trainings, publicity and meetings of the user's regions; a region's own users record them."""
    scope = request.scope
    regions = scope.region_ids("view")
    listed = Event.objects.select_related("region")
    if regions is not None:
        listed = listed.filter(region_id__in=regions)
    home = scope.home
    place = None
    if home is not None and home.kind == "region" and scope.allows_region(home.code, "report"):
        place = Region.objects.current().filter(code=home.code).first()
    form = EventForm(request.POST or None)
    if request.method == "POST":
        if place is None:
            return _forbidden(request, _("Only a region's own users record its events."))
        if form.is_valid():
            Event.objects.create(region=place, **form.cleaned_data)
            messages.success(request, _("The event is recorded."))
            return redirect("assessment:events")
    context = {"rows": list(listed[:300]), "form": form, "place": place}
    return render(request, "assessment/events.html", context)
