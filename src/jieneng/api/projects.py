"""Endpoints of the project register: the projects a caller may see (filtered) and one project with
its progress, Option A estimate, latest measured savings, contract periods and subsidy decisions. Each
figure names the data version it was computed with."""

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from jieneng.accounts.requests import ApiRequest
from jieneng.api import access
from jieneng.api.errors import NotFound
from jieneng.api.pages import Pages, subtree
from jieneng.api.schemas import Invalid, Problem
from jieneng.projects import services
from jieneng.projects.models import Project

router = Router(tags=["projects"])
REFUSED: dict[int, Any] = {401: Problem, 403: Problem, 404: Problem}


class ProjectFilter(Schema):
    region: str | None = Field(None, description="A region code: projects in it or below it.")
    kind: str | None = Field(None, max_length=32, description="A kind of reference/projects/kinds.toml.")
    status: Project.Status | None = None
    contract_type: str | None = Field(None, max_length=32, description="A contract type of GB/T 24915.")


class ProjectOut(Schema):
    id: int
    name: str
    kind: str
    region: str
    owner_id: int | None
    site: str
    start: date
    end: date | None
    status: str
    planned_quantity: Decimal
    unit: str
    investment_yuan: Decimal
    fiscal_yuan: Decimal
    own_yuan: Decimal
    emc_yuan: Decimal
    esco: str
    contract_type: str
    esco_share: Decimal | None
    contract_years: int | None
    guaranteed_kwh: Decimal | None
    fee_yuan: Decimal | None

    @staticmethod
    def resolve_region(obj: Any) -> str:
        return str(obj["region"] if isinstance(obj, dict) else obj.region.code)


class EstimateOut(Schema):
    kwh: float
    tce: float
    money_yuan: Decimal
    coefficient_set: str
    kgce_per_kwh: float
    tariff: Decimal


class MeasuredOut(Schema):
    method: str
    baseline_start: date
    baseline_end: date
    reporting_start: date
    reporting_end: date
    model_type: str
    predicted: float
    observed: float
    savings: float
    fractional_savings: float | None
    r_squared: float | None
    cvrmse: float | None
    nmbe: float | None
    calibrated: bool
    uncertainty: float | None
    computed_at: datetime


class PeriodOut(Schema):
    period: str
    savings_kwh: Decimal
    value_yuan: Decimal | None
    esco_yuan: Decimal | None
    shortfall_kwh: Decimal | None
    owed_yuan: Decimal | None


class SubsidyOut(Schema):
    rule: str
    annual_tce: Decimal
    basis: str
    eligible: bool
    reasons: list[str]
    amount_yuan: Decimal
    central_yuan: Decimal
    provincial_yuan: Decimal


class ProgressOut(Schema):
    on: date | None
    done: Decimal
    planned: Decimal
    percent: Decimal | None


class ProjectDetail(ProjectOut):
    progress: ProgressOut
    estimate: EstimateOut | None
    measured: MeasuredOut | None
    contract_periods: list[PeriodOut]
    subsidies: list[SubsidyOut]


@router.get(
    "/projects",
    response={200: list[ProjectOut], **REFUSED, 400: Problem, 422: Invalid},
    summary="Projects in your place",
)
@paginate(Pages)
def list_projects(request: ApiRequest, filters: Query[ProjectFilter]) -> QuerySet[Project]:
    rows = services.visible(access.require(request, "view"))
    if filters.region:
        rows = rows.filter(region__code__in=subtree(filters.region))
    if filters.kind:
        rows = rows.filter(kind=filters.kind)
    if filters.status:
        rows = rows.filter(status=filters.status)
    if filters.contract_type:
        rows = rows.filter(contract_type=filters.contract_type)
    return rows.order_by("region__code", "name", "pk")


@router.get("/projects/{int:project_id}", response={200: ProjectDetail, **REFUSED}, summary="One project")
def get_project(request: ApiRequest, project_id: int) -> dict[str, Any]:
    p = services.visible(access.require(request, "view")).filter(pk=project_id).first()
    if p is None:
        raise NotFound(_("No project with the id %(id)s is in your place.") % {"id": project_id})
    progress = services.progress(p)
    out = ProjectOut.from_orm(p).dict()
    out.update(
        progress={
            "on": progress.on, "done": progress.done, "planned": progress.planned, "percent": progress.percent
        },
        estimate=getattr(p, "estimate", None) if hasattr(p, "estimate") else None,
        measured=p.measured.order_by("-computed_at").first(),
        contract_periods=list(p.contract_periods.all()),
        subsidies=[
            {**{k: getattr(s, k) for k in SubsidyOut.__annotations__ if k != "reasons"},
             "reasons": services.reason_messages(s)}
            for s in p.subsidies.all()
        ],
    )  # fmt: skip
    return out
