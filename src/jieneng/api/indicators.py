"""Endpoints of the figures: a region's overview (the dashboard's numbers) and one unit's yearly sums,
both read from the roll-up tables."""

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from jieneng.accounts.requests import ApiRequest
from jieneng.api import access
from jieneng.api.errors import BadRequest, NotFound
from jieneng.api.schemas import Invalid, OverviewOut, Problem, UnitFigureOut
from jieneng.core.errors import ConversionFailed
from jieneng.dashboard import services
from jieneng.i18n import message
from jieneng.reference.divisions import UnknownDivision
from jieneng.statistics.models import UnitFigure

router = Router(tags=["indicators"])
REFUSED: dict[int, Any] = {401: Problem, 403: Problem, 404: Problem}


class YearQuery(Schema):
    year: int | None = Field(
        None, ge=1949, le=9999, description="Default: the latest year with 12 months of records."
    )


@router.get(
    "/indicators/{region_code}",
    response={200: OverviewOut, **REFUSED, 400: Problem, 422: Invalid},
    summary="A region's totals and indicators for a year",
)
def indicators(request: ApiRequest, region_code: str, query: Query[YearQuery]) -> services.Overview:
    """Totals, 人均综合能耗, 单位建筑面积能耗 and 人均用水量 with their change on the year before and on the
    base year, the same for each region below, and the composition by energy type."""
    region = access.region(request, region_code)
    try:
        return services.overview(region.code, query.year)
    except UnknownDivision as exc:
        raise NotFound(
            _("No region with the code %(code)s is in your place.") % {"code": region_code}
        ) from exc
    except services.YearNotAvailable as exc:
        problem = _("There are no records for %(year)s. Years with records: %(years)s.") % {
            "year": exc.year,
            "years": "、".join(str(y) for y in exc.years),
        }
        raise BadRequest(problem, years=list(exc.years)) from exc
    except services.NoData as exc:
        raise BadRequest(
            _("No records have been reported for %(region)s yet.") % {"region": region.name}
        ) from exc
    except ConversionFailed as exc:
        raise BadRequest(message(exc), details=[message(p) for p in exc.problems]) from exc


@router.get(
    "/units/{int:organisation_id}/figures",
    response={200: list[UnitFigureOut], **REFUSED, 422: Invalid},
    summary="One organisation's yearly sums",
)
def unit_figures(request: ApiRequest, organisation_id: int, query: Query[YearQuery]) -> QuerySet[UnitFigure]:
    """The organisation's approved sums of each year (or of ``year``), oldest first."""
    org = access.organisation(request, organisation_id)
    rows = UnitFigure.objects.filter(organisation=org)
    if query.year:
        rows = rows.filter(year=query.year)
    return rows.order_by("year")
