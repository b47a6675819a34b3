"""Pages of monitoring. Each view reads the request, calls :mod:`.pages` or :mod:`.readings` and renders.
A building, alert or import outside the user's place answers 404, as if it did not exist."""

from __future__ import annotations

import csv
import tempfile
from datetime import date, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from jieneng.accounts.requests import SignedInRequest
from jieneng.accounts.scope import Scope
from jieneng.core.problems import Problem
from jieneng.i18n import describe
from jieneng.io.meter_readings import read_readings_file
from jieneng.io.sniff import UnreadableFile
from jieneng.monitoring import offers, pages, peers, readings, rollups
from jieneng.monitoring.models import ImportLog


class UploadForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Readings file (.csv, .xlsx)"))


def _scope(request: HttpRequest) -> Scope:
    scope: Scope = getattr(request, "scope")  # noqa: B009
    return scope


def _zh() -> bool:
    return (get_language() or "zh-hans").startswith("zh")


@login_required
@require_GET
def index(request: SignedInRequest) -> HttpResponse:
    """The metered buildings of the user's place, by organisation, with their meters and alerts."""
    scope = _scope(request)
    org = request.GET.get("org", "")
    chosen = int(org) if org.isdigit() else None
    context = {
        "buildings": pages.buildings(scope, chosen),
        "can_upload": scope.can("report"),
        "imports": ImportLog.objects.filter(organisation__in=scope.organisations("view"))[:10],
    }
    return render(request, "monitoring/index.html", context)


@login_required
@require_GET
def building(request: SignedInRequest, org: int, building: str) -> HttpResponse:
    """A building's meters, load profile (day, week, year), calendar, end uses and last year."""
    meters = pages.building_meters(_scope(request), org, building)
    if not meters:
        raise Http404(_("No such building."))
    view = request.GET.get("view", "week")
    view = view if view in pages.VIEWS else "week"
    try:
        on = date.fromisoformat(request.GET["on"]) if request.GET.get("on") else None
    except ValueError:
        on = None
    if on is None:  # the last day with data, unless it is today's, still incomplete: then the day before
        latest = pages.latest_day(meters) or timezone.localdate()
        on = latest - timedelta(days=1) if latest >= timezone.localdate() else latest
    scope = _scope(request)
    context = {
        "offers": offers.offers(org),
        "can_offer": scope.allows_organisation(org, "report"),
        "last_month": (timezone.localdate().replace(day=1) - timedelta(days=1)).strftime("%Y-%m"),
        "meters": [(m, pages.end_use_title(m.end_use, _zh())) for m in meters],
        "organisation": meters[0].organisation,
        "peers": peers.of(scope, meters[0].organisation, on),
        "building": building,
        "view": view,
        "on": on,
        "views": pages.VIEWS,
        **pages.building_page(meters, view, on, _zh()),
    }
    return render(request, "monitoring/building.html", context)


@login_required
@require_POST
def offer(request: SignedInRequest, org: int) -> HttpResponse:
    """Offer a month's metered electricity to the consumption form as a draft; then the online form."""
    scope = _scope(request)
    if not pages.visible(scope).filter(organisation_id=org).exists():
        raise Http404(_("No such building."))
    month = request.POST.get("month", "")
    if not scope.allows_organisation(org, "report"):
        reason = _("Your role does not include reporting for this organisation.")
        return render(request, "monitoring/forbidden.html", {"reason": reason}, status=403)
    made = offers.offer(scope, org, month, request.user, timezone.localdate()) if _is_month(month) else None
    saved = made[0] if made else None
    if made is None or saved is None or saved.submission is None:
        messages.error(
            request, _("There is no metered electricity to offer for %(month)s.") % {"month": month}
        )
        back = request.POST.get("back", "")
        safe = url_has_allowed_host_and_scheme(back, {request.get_host()}, request.is_secure())
        return redirect(back if back and safe else "monitoring:index")
    if made[1].coverage.complete:
        done = _("The metered electricity of %(month)s is in the draft: check it and submit.")
        messages.success(request, done % {"month": month})
    else:
        messages.warning(
            request,
            _("The meters do not cover all of %(month)s (%(source)s): the draft holds only what was metered. "
              "Complete it from the bill before you submit.")
            % {"month": month, "source": offers.describe(made[1].source())},
        )  # fmt: skip
    query = urlencode({"org": org, "form": saved.submission.form, "period": month})
    return redirect(f"{reverse('reporting:fill')}?{query}")


def _is_month(text: str) -> bool:
    try:
        date.fromisoformat(f"{text}-01")
    except ValueError:
        return False
    return len(text) == 7


@login_required
@require_GET
def export(request: SignedInRequest, org: int, building: str) -> HttpResponse:
    """The building's daily roll-ups per meter, as CSV (UTF-8 with BOM, for Excel)."""
    meters = pages.building_meters(_scope(request), org, building)
    if not meters:
        raise Http404(_("No such building."))
    frame = rollups.daily_frame([m.pk for m in meters], date(1900, 1, 1), date(9999, 12, 31)).sort(
        "meter_id", "day"
    )
    codes = {m.pk: m for m in meters}
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="daily.csv"'
    response.write("\ufeff")
    out = csv.writer(response)
    out.writerow([_("Meter code"), _("Meter"), _("Day"), _("Consumption"), _("Unit")])
    for meter_id, day, value in frame.iter_rows():
        m = codes[meter_id]
        out.writerow([m.code, m.name, day.isoformat(), "" if value is None else round(value, 3), m.unit])
    return response


@login_required
@require_GET
def alerts(request: SignedInRequest) -> HttpResponse:
    """The alerts of the user's place, newest first, filtered by rule and organisation name."""
    rule = request.GET.get("rule", "")
    place = request.GET.get("q", "").strip()
    found = pages.alerts(_scope(request)).filter(pages.alert_q(place))
    if rule:
        found = found.filter(rule=rule)
    return render(
        request,
        "monitoring/alerts.html",
        {
            "alerts": found[:300],
            "rule": rule,
            "q": place,
            "rules": sorted(set(found.values_list("rule", flat=True))),
        },
    )


@login_required
@require_GET
def alert(request: SignedInRequest, pk: int) -> HttpResponse:
    found = pages.alerts(_scope(request)).filter(pk=pk).first()
    if found is None:
        raise Http404(_("No such alert."))
    return render(request, "monitoring/alert.html", {"a": found, "chart": pages.evidence(found)})


@login_required
@require_http_methods(["GET", "POST"])
def upload(request: SignedInRequest) -> HttpResponse:
    """Upload a readings file for the meters of the organisations the user reports for."""
    scope = _scope(request)
    if not scope.can("report"):
        return render(
            request,
            "monitoring/forbidden.html",
            {"reason": _("Your role does not include sending meter readings.")},
            status=403,
        )
    form = UploadForm(request.POST or None, request.FILES or None)
    errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / Path(upload.name).name
            with path.open("wb") as out:
                for chunk in upload.chunks():
                    out.write(chunk)
            try:
                read = read_readings_file(path)
            except UnreadableFile as exc:
                errors = [describe(exc.problem)]
            else:
                log = readings.ingest(
                    read,
                    pages.visible(scope, "report"),
                    source="file",
                    name=upload.name,
                    user=request.user,
                    now=timezone.now(),
                )
                if log.status == ImportLog.Status.STORED:
                    return redirect("monitoring:import", pk=log.pk)
                return render(request, "monitoring/import.html", _log_context(log), status=400)
    return render(
        request, "monitoring/upload.html", {"form": form, "errors": errors}, status=400 if errors else 200
    )


@login_required
@require_GET
def import_log(request: SignedInRequest, pk: int) -> HttpResponse:
    scope = _scope(request)
    log = (
        ImportLog.objects.filter(pk=pk).filter(organisation__in=scope.organisations("view")).first()
        or ImportLog.objects.filter(pk=pk, created_by=request.user).first()
    )
    if log is None:
        raise Http404(_("No such import."))
    return render(request, "monitoring/import.html", _log_context(log))


def _log_context(log: ImportLog) -> dict[str, object]:
    rejected = [
        describe(Problem.make(r.code, row=r.row, column=r.column or None, **_params(r.params)))
        for r in log.rejections.order_by("row", "pk")[:500]
    ]
    notes = [
        describe(
            Problem.make(
                n["code"], row=n.get("row"), column=n.get("column"), **_params(n.get("params") or {})
            )
        )
        for n in log.notes
    ]
    return {"log": log, "rejected": rejected, "notes": notes}


def _params(params: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in params.items() if k != "column"}
