"""Endpoints of the targets: the targets a caller sees with where each stands (任务进度 against 时间进度,
the warning level and the rule's id@version), one target with its children and whether they together
meet it, and the warning list. The figures are those of the pages (:mod:`jieneng.targets.services`)."""

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from jieneng.accounts.requests import ApiRequest
from jieneng.api import access
from jieneng.api.errors import NotFound
from jieneng.api.pages import subtree
from jieneng.api.schemas import Problem
from jieneng.targets import access as targets_access
from jieneng.targets import services
from jieneng.targets.models import Target

router = Router(tags=["targets"])
REFUSED: dict[int, Any] = {401: Problem, 403: Problem, 404: Problem}
#: the most targets one list returns
LIMIT = 500


class TargetFilter(Schema):
    region: str | None = Field(None, description="A region code: the targets of it and below it.")


class ProgressOut(Schema):
    now: float | None = None
    base: float | None = None
    reached: float | None = None
    task_progress: float | None = None
    time_progress: float | None = None
    forecast: float | None = None
    shortfall_pp: float | None = None
    met: bool | None = None
    warning: str | None = None
    warning_rule: str | None = None
    figures_used: str | None = None


class TargetOut(Schema):
    id: int
    name: str
    owner: str
    region: str | None
    organisation_id: int | None
    indicator: str
    kind: str
    start_year: int
    end_year: int
    base_year: int | None
    value: float | None
    reduction: float | None
    low: float | None
    high: float | None
    binding: str
    parent_id: int | None
    progress: ProgressOut | None


class TargetDetail(TargetOut):
    children: list[TargetOut]
    children_meet_it: bool | None
    shortfall: float | None


def _rows(targets: list[Target]) -> list[dict[str, Any]]:
    frame = services.progress(targets, timezone.localdate())
    by_id = {r["target"]: r for r in frame.iter_rows(named=True)} if frame.height else {}
    out = []
    for t in targets:
        row = by_id.get(str(t.pk))
        progress = {k: row.get(k) for k in ProgressOut.__annotations__} if row else None
        out.append(
            {
                **{k: getattr(t, k) for k in TargetOut.__annotations__ if hasattr(t, k) and k != "region"},
                "owner": t.owner_name,
                "region": t.region.code if t.region else None,
                "progress": progress,
            }
        )
    return out


def _visible(request: ApiRequest, region: str | None) -> list[Target]:
    rows = targets_access.own(access.require(request, "view")).select_related("region", "organisation")
    if region:
        rows = rows.filter(region__code__in=subtree(region))
    return list(rows.order_by("region__code", "start_year", "pk")[:LIMIT])


@router.get("/targets", response={200: list[TargetOut], **REFUSED}, summary="Targets in your place")
def list_targets(request: ApiRequest, filters: Query[TargetFilter]) -> list[dict[str, Any]]:
    return _rows(_visible(request, filters.region))


@router.get("/targets/warnings", response={200: list[TargetOut], **REFUSED}, summary="The warning list")
def list_warnings(request: ApiRequest, filters: Query[TargetFilter]) -> list[dict[str, Any]]:
    targets = _visible(request, filters.region)
    ranked = services.warning_list(targets, timezone.localdate())
    order = [r["target"] for r in ranked.iter_rows(named=True)] if ranked.height else []
    by_id = {str(t.pk): t for t in targets}
    return _rows([by_id[i] for i in order])


@router.get("/targets/{int:target_id}", response={200: TargetDetail, **REFUSED}, summary="One target")
def get_target(request: ApiRequest, target_id: int) -> dict[str, Any]:
    scope = access.require(request, "view")
    found = (
        targets_access.visible(scope).select_related("region", "organisation").filter(pk=target_id).first()
    )
    if found is None:
        raise NotFound(_("No target with the id %(id)s is in your place.") % {"id": target_id})
    children = list(targets_access.own(scope).filter(parent=found).select_related("region", "organisation"))
    check = services.check_children(found)
    [row] = _rows([found])
    return {
        **row,
        "children": _rows(children),
        "children_meet_it": check.met if check else None,
        "shortfall": check.shortfall if check else None,
    }
