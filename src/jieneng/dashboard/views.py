"""Pages of the dashboards: the landing page, a region's dashboard, its full list of units, the charts'
spreadsheets and the map's boundaries. Each view reads the request, checks the user's scope (a region
outside it answers 404, as if it did not exist), calls the services and renders.

A unit's page is in :mod:`jieneng.dashboard.unit_views`.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from jieneng.accounts.requests import SignedInRequest
from jieneng.dashboard import access, boundaries, carbon, charts, ranking, region, services
from jieneng.dashboard.export import XLSX, workbook
from jieneng.dashboard.services import NoData, YearNotAvailable
from jieneng.directory.models import Organisation
from jieneng.directory.services import region_with_children
from jieneng.reference.divisions import UnknownDivision

UNITS_PER_PAGE = 50


class BadQuery(ValueError):
    """A query parameter the page cannot use; the message says why, in the user's language."""


@login_required
@require_GET
def home(request: SignedInRequest) -> HttpResponse:
    """Send the user to their place: a region's dashboard or their unit's page."""
    target = access.landing(request.scope)
    if target is None:
        return render(request, "dashboard/no_place.html")
    if target.kind == access.EMPTY:
        problem = _("The database is empty. Run “jieneng demo” to load the demonstration city.")
        return problem_page(request, problem, status=200)
    if target.kind == access.UNIT:
        return redirect("unit", pk=target.pk)
    return redirect(_with_query(reverse("region", args=[target.code]), request.GET.get("year", "")))


@login_required
@require_GET
def region_dashboard(request: SignedInRequest, code: str) -> HttpResponse:
    """The dashboard of region ``code`` for ``?year=`` (ranking narrowed to ``?type=``)."""
    crumbs = _crumbs_or_none(request, code)
    if crumbs is None:
        return not_found(request, code)
    try:
        year, type_code = parse_year(request), _type(request)
        page = region.region_page(code, year, type_code)
    except BadQuery as exc:
        return problem_page(request, str(exc), status=400)
    except (NoData, YearNotAvailable, UnknownDivision) as exc:
        return _data_problem(request, exc, code)
    o = page.overview
    made = _region_charts(page, type_code)
    context = {
        "o": o,
        "page": page,
        "charts": made,
        "crumbs": crumbs,
        "type_code": type_code,
        "type_choices": Organisation.Type.choices,
        "boundary_hint": bool(page.children) and not page.boundary and access.is_office_admin(request.scope),
        "units_link": _units_link(page.ranking, o.region.code, type_code),
        "co2_convention": carbon.convention_text(o.emission_factors),
        "co2_refs": carbon.refs(o.emission_factors),
    }
    return render(request, "dashboard/region.html", context)


@login_required
@require_GET
def region_units(request: SignedInRequest, code: str) -> HttpResponse:
    """The units of region ``code`` — of every region below it, or (``?level=own``) those registered
    directly in it — ranked, a page at a time."""
    crumbs = _crumbs_or_none(request, code)
    if crumbs is None:
        return not_found(request, code)
    try:
        year, type_code, below = parse_year(request), _type(request), _below(request)
        ranked, years = region.units_page(code, year, type_code, below=below)
    except BadQuery as exc:
        return problem_page(request, str(exc), status=400)
    except (NoData, YearNotAvailable, UnknownDivision) as exc:
        return _data_problem(request, exc, code)
    paginator = Paginator(ranked.rows, UNITS_PER_PAGE)
    shown = paginator.get_page(request.GET.get("page"))
    page_ranking = replace(ranked, rows=tuple(shown.object_list))
    chart = charts.ranking(
        page_ranking,
        _links(page_ranking),
        _download(code, "ranking", ranked.year, type_code),
        type_label=_type_label(type_code),
    )
    context = {
        "r": ranked,
        "table": chart.table,
        "shown": shown,
        "years": years,
        "crumbs": crumbs,
        "type_code": type_code,
        "type_choices": Organisation.Type.choices,
        "download": chart.download,
    }
    return render(request, "dashboard/units.html", context)


@login_required
@require_GET
def region_chart(request: SignedInRequest, code: str, chart: str) -> HttpResponse:
    """The table of one of the region's charts as .xlsx (the ranking in full)."""
    if chart not in charts.REGION_CHARTS or _crumbs_or_none(request, code) is None:
        return not_found(request, code)
    try:
        year, type_code = parse_year(request), _type(request)
        page = region.region_page(code, year, type_code, ends=None)
    except BadQuery as exc:
        return problem_page(request, str(exc), status=400)
    except (NoData, YearNotAvailable, UnknownDivision) as exc:
        return _data_problem(request, exc, code)
    if (chart == "map" and not page.children) or (
        chart == "co2_path" and not (page.overview.co2_path and page.overview.co2_path.years)
    ):
        return not_found(request, code)
    made = _region_charts(page, type_code)[chart]
    return xlsx_response(made, page.overview.coefficient_set, f"{code}-{page.overview.year}-{chart}.xlsx")


@login_required
@require_GET
def region_boundary(request: SignedInRequest, code: str) -> HttpResponse:
    """The GeoJSON of the regions below ``code``, for its map; 404 without a boundary file."""
    if _crumbs_or_none(request, code) is None:
        return not_found(request, code)
    tree = region_with_children(code)
    names = {c: n for c, n, _level, parent in tree.iter_rows() if parent == code}
    try:
        collection = boundaries.features(code, names)
    except boundaries.BadBoundaryFile:
        collection = None
    if collection is None:
        return not_found(request, code)
    return JsonResponse(collection)


# --- helpers shared with the unit pages --------------------------------------------------------------


def xlsx_response(chart: charts.Chart, coefficient_set: str, filename: str) -> HttpResponse:
    line = _("Standard-coal coefficients: %(ref)s (%(title)s).") % {
        "ref": coefficient_set,
        "title": services.coefficient_title(coefficient_set) if coefficient_set else "",
    }
    response = HttpResponse(workbook(chart.table, (line,)), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def problem_page(request: HttpRequest, problem: str, *, status: int, **more: Any) -> HttpResponse:
    context = {"problem": problem, "years": (), "details": [], **more}
    return render(request, "dashboard/problem.html", context, status=status)


def not_found(request: HttpRequest, code: str | None = None) -> HttpResponse:
    """404 in the user's language; the same words whether the place does not exist or is not theirs."""
    if code is None:
        problem = _("There is no such unit within your place.")
    else:
        problem = _("There is no region %(code)s within your place.") % {"code": code}
    return problem_page(request, problem, status=404, heading=_("Page not found"))


def parse_year(request: HttpRequest) -> int | None:
    text = request.GET.get("year", "").strip()
    if not text:
        return None
    if not text.isdigit() or len(text) != 4:
        raise BadQuery(
            _("“%(year)s” is not a year. Please choose a year from the list on the overview page.")
            % {"year": text}
        )
    return int(text)


def visible_crumbs(request: SignedInRequest, chain: list[services.RegionRef]) -> list[services.RegionRef]:
    """The regions of ``chain`` the user may open, in order (never one above their place)."""
    allowed = access.visible_regions(request.scope, [r.code for r in chain])
    return [r for r in chain if r.code in allowed]


def _type(request: HttpRequest) -> str:
    text = request.GET.get("type", "").strip()
    if text and text not in Organisation.Type.values:
        raise BadQuery(
            _("“%(type)s” is not a type of unit. Please choose one from the list on the page.")
            % {"type": text}
        )
    return text


def _below(request: HttpRequest) -> bool:
    """``?level=``: ``all`` (default) lists the units of every region below too, ``own`` only those
    registered directly in the region (本级)."""
    text = request.GET.get("level", "all").strip() or "all"
    if text not in ("all", "own"):
        raise BadQuery(
            _("“%(level)s” is not a choice of units. Please choose one on the page.") % {"level": text}
        )
    return text == "all"


def _type_label(type_code: str) -> str:
    return str(dict(Organisation.Type.choices).get(type_code, "")) if type_code else ""


def _crumbs_or_none(request: SignedInRequest, code: str) -> list[services.RegionRef] | None:
    """The visible regions above ``code``, or None when ``code`` itself is not visible (or unknown)."""
    if not code.isdigit() or len(code) != 6:
        return None
    chain = list(services.ancestors(code))
    allowed = access.visible_regions(request.scope, [*(r.code for r in chain), code])
    if code not in allowed:
        return None
    return [r for r in chain if r.code in allowed]


def _data_problem(request: HttpRequest, exc: Exception, code: str) -> HttpResponse:
    if isinstance(exc, UnknownDivision):
        return not_found(request, code)
    if isinstance(exc, YearNotAvailable):
        problem = _("There are no records for %(year)s. Years with records: %(years)s.") % {
            "year": exc.year,
            "years": "、".join(str(y) for y in exc.years),
        }
        return problem_page(request, problem, status=400, years=exc.years)
    region_name = getattr(exc, "region", None)
    if region_name:
        problem = _("No records have been reported for %(region)s yet.") % {"region": region_name}
    else:
        problem = _("The database is empty. Run “jieneng demo” to load the demonstration city.")
    return problem_page(request, problem, status=200)


def _with_query(url: str, year: int | str | None, **more: str) -> str:
    params = {k: v for k, v in {"year": str(year) if year else "", **more}.items() if v}
    return f"{url}?{urlencode(params)}" if params else url


def _download(code: str, chart: str, year: int, type_code: str = "") -> str:
    return _with_query(reverse("region_chart", args=[code, chart]), year, type=type_code)


def _links(r: ranking.Ranking) -> dict[str, str]:
    """The page of each ranked row: a region's dashboard, the full list of 本级 units, a unit's page."""
    links = {}
    for row in r.rows:
        if row.own:
            links["own"] = _with_query(reverse("region_units", args=[r.place.code]), r.year, level="own")
        elif row.organisation is not None:
            links[f"unit:{row.organisation}"] = reverse("unit", args=[row.organisation])
        elif row.region:
            links[row.region] = _with_query(reverse("region", args=[row.region]), r.year)
    return links


def _units_link(r: ranking.Ranking, code: str, type_code: str) -> str:
    if r.kind != ranking.UNITS or not r.omitted:
        return ""
    return _with_query(reverse("region_units", args=[code]), r.year, type=type_code)


def _region_charts(page: region.RegionPage, type_code: str) -> dict[str, charts.Chart]:
    o = page.overview
    code, year = o.region.code, o.year
    made = {
        "trend": charts.trend(o, page.trend, _download(code, "trend", year)),
        "composition": charts.composition(o, _download(code, "composition", year)),
        "ranking": charts.ranking(
            page.ranking,
            _links(page.ranking),
            _download(code, "ranking", year, type_code),
            type_label=_type_label(type_code),
        ),
        "types": charts.types(
            o,
            page.types,
            _download(code, "types", year),
            {f.code: _with_query(reverse("region", args=[code]), year, type=f.code) for f in page.types},
        ),
        "co2_composition": carbon.co2_composition(o, _download(code, "co2_composition", year)),
    }
    if o.co2_path is not None and o.co2_path.years:
        made["co2_path"] = carbon.co2_path(o, _download(code, "co2_path", year))
    if page.children:
        geo = reverse("region_boundary", args=[code]) if page.boundary else ""
        below = {
            c.region.code: _with_query(reverse("region", args=[c.region.code]), year) for c in o.children
        }
        made["map"] = charts.region_map(o, geo, _download(code, "map", year), below)
    return made
