"""Endpoints of the directory (名录库): regions, organisations and their yearly facts; changing an
organisation's name, address or type."""

from enum import Enum
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from jieneng.accounts.requests import ApiRequest
from jieneng.api import access
from jieneng.api.errors import Forbidden, Unprocessable
from jieneng.api.pages import Pages, subtree
from jieneng.api.schemas import (
    Invalid,
    OrganisationChange,
    OrganisationOut,
    OrganisationYearOut,
    Problem,
    RegionDetail,
    RegionOut,
)
from jieneng.directory.models import Organisation, OrganisationYear, Region
from jieneng.registry import maintenance

router = Router(tags=["directory"])
REFUSED: dict[int, Any] = {401: Problem, 403: Problem, 404: Problem}


class RegionFilter(Schema):
    parent: str | None = Field(None, description="Only the regions directly below this code.")
    level: int | None = Field(None, ge=1, le=3, description="1 province, 2 prefecture, 3 county.")


class OrganisationFilter(Schema):
    region: str | None = Field(None, description="A region code: organisations in it or below it.")
    type_code: Organisation.Type | None = None
    q: str | None = Field(None, max_length=100, description="Part of the name or of the credit code.")


@router.get(
    "/regions", response={200: list[RegionOut], **REFUSED, 422: Invalid}, summary="Regions you may see"
)
def list_regions(request: ApiRequest, filters: Query[RegionFilter]) -> QuerySet[Region]:
    """The regions of your place that are in force today, each parent before its children."""
    rows = access.regions(request).current().select_related("parent")
    if filters.parent:
        rows = rows.filter(parent__code=filters.parent.strip())
    if filters.level:
        rows = rows.filter(level=filters.level)
    return rows.order_by("level", "code")


@router.get("/regions/{code}", response={200: RegionDetail, **REFUSED}, summary="One region")
def get_region(request: ApiRequest, code: str) -> Region:
    """The region with the regions directly below it."""
    return access.region(request, code)


@router.get(
    "/organisations",
    response={200: list[OrganisationOut], **REFUSED, 400: Problem, 422: Invalid},
    summary="Organisations you may see",
)
@paginate(Pages)
def list_organisations(request: ApiRequest, filters: Query[OrganisationFilter]) -> QuerySet[Organisation]:
    """Filtered by region (the region and everything below it), type and part of the name or credit code."""
    rows = access.organisations(request).select_related("region")
    if filters.region:
        rows = rows.filter(region__code__in=subtree(filters.region))
    if filters.type_code:
        rows = rows.filter(type_code=filters.type_code)
    if filters.q and filters.q.strip():
        text = filters.q.strip()
        rows = rows.filter(Q(name__icontains=text) | Q(credit_code__icontains=text))
    return rows.order_by("credit_code", "pk")


@router.get(
    "/organisations/{int:organisation_id}",
    response={200: OrganisationOut, **REFUSED},
    summary="One organisation",
)
def get_organisation(request: ApiRequest, organisation_id: int) -> Organisation:
    return access.organisation(request, organisation_id)


@router.get(
    "/organisations/{int:organisation_id}/years",
    response={200: list[OrganisationYearOut], **REFUSED},
    summary="An organisation's yearly facts",
)
def organisation_years(request: ApiRequest, organisation_id: int) -> QuerySet[OrganisationYear]:
    """Building area, energy-using persons and vehicles of each year, oldest first."""
    return access.organisation(request, organisation_id).years.order_by("year")


@router.patch(
    "/organisations/{int:organisation_id}",
    response={200: OrganisationOut, **REFUSED, 422: Invalid},
    summary="Change an organisation (directory role)",
)
def change_organisation(request: ApiRequest, organisation_id: int, body: OrganisationChange) -> Organisation:
    """Change the name, address or type; fields not sent stay as they are. Every change is audited, and
    a change of type moves the organisation's figures to the new type in the roll-ups."""
    org = access.organisation(request, organisation_id, "directory")
    changes = {
        k: v.value if isinstance(v, Enum) else v for k, v in body.model_dump(exclude_unset=True).items()
    }
    try:
        maintenance.change_organisation(access.scope_of(request), org, **changes)
    except maintenance.OutsideScope as exc:
        raise Forbidden(str(exc)) from exc
    except ValidationError as exc:
        raise Unprocessable(exc.message_dict) from exc
    return org
