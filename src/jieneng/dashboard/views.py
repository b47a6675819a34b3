"""Pages of the overview. Each view reads the request, calls one service function and renders."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from jieneng.core.errors import ConversionFailed
from jieneng.dashboard import services
from jieneng.i18n import message
from jieneng.reference.divisions import UnknownDivision


def overview(request: HttpRequest, code: str | None = None) -> HttpResponse:
    """The region ``code`` (default: the region the data is about) for ``?year=YYYY``."""
    text = request.GET.get("year", "").strip()
    try:
        year = int(text) if text else None
    except ValueError:
        problem = _("“%(year)s” is not a year. Please choose a year from the list on the overview page.") % {
            "year": text
        }
        return _problem(request, problem, status=400, code=code)
    try:
        data = services.overview(code, year)
    except UnknownDivision as exc:
        raise Http404(_("No region has the code %(code)s.") % {"code": code}) from exc
    except services.YearNotAvailable as exc:
        problem = _("There are no records for %(year)s. Years with records: %(years)s.") % {
            "year": exc.year,
            "years": "、".join(str(y) for y in exc.years),
        }
        return _problem(request, problem, status=400, code=code, years=exc.years)
    except services.NoData as exc:
        if exc.region:
            problem = _("No records have been reported for %(region)s yet.") % {"region": exc.region}
        else:
            problem = _("The database is empty. Run “jieneng demo” to load the demonstration city.")
        return _problem(request, problem, status=200, code=code)
    except ConversionFailed as exc:
        details = [message(problem) for problem in exc.problems]
        return _problem(request, message(exc), status=500, code=code, details=details)
    return render(request, "dashboard/overview.html", {"o": data})


def _problem(
    request: HttpRequest,
    problem: str,
    *,
    status: int,
    code: str | None,
    years: tuple[int, ...] = (),
    details: list[str] | None = None,
) -> HttpResponse:
    context = {"problem": problem, "code": code, "years": years, "details": details or []}
    return render(request, "dashboard/problem.html", context, status=status)
