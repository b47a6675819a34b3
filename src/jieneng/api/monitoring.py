"""Endpoints of monitoring: gateways push batches of readings (a token with ``report``); the meters of
the caller's place and a meter's daily roll-ups. A batch with any rejected reading stores nothing and
answers 400 with every problem and its position in the batch (from 1)."""

from __future__ import annotations

from datetime import date
from typing import Any

import polars as pl
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from jieneng.accounts.requests import ApiRequest
from jieneng.api import access
from jieneng.api.errors import NotFound
from jieneng.api.pages import Pages
from jieneng.api.schemas import Invalid, Problem
from jieneng.i18n import render
from jieneng.io.meter_readings import parse
from jieneng.monitoring import pages, readings, rollups
from jieneng.monitoring.models import Meter

router = Router(tags=["monitoring"])
REFUSED: dict[int, Any] = {401: Problem, 403: Problem, 404: Problem}
MAX_BATCH = 50_000


class ReadingIn(Schema):
    meter: str = Field(max_length=60, description="The meter's code.")
    time: str = Field(
        max_length=40,
        description="End of the interval, ISO 8601; without a zone it is read as Asia/Shanghai (said so).",
    )
    value: float | str = Field(description="The register's count or the interval's consumption.")
    unit: str | None = Field(None, max_length=20, description="Defaults to the meter's unit.")


class BatchIn(Schema):
    readings: list[ReadingIn] = Field(max_length=MAX_BATCH)


class ReadingProblem(Schema):
    row: int | None = Field(description="The reading's position in the batch, from 1.")
    column: str | None
    code: str
    message: str


class BatchOut(Schema):
    status: str = Field(description="stored or refused")
    accepted: int
    duplicates: int = Field(description="Identical resends, skipped.")
    problems: list[ReadingProblem]


class MeterOut(Schema):
    id: int
    organisation_id: int
    building: str
    code: str
    name: str
    energy: str
    unit: str
    end_use: str
    parent_id: int | None
    multiplier: float
    kind: str
    formula: str


class DayOut(Schema):
    day: date
    value: float | None


class DaysQuery(Schema):
    start: date
    end: date


@router.post("/meters/readings", response={200: BatchOut, 400: BatchOut, **REFUSED, 422: Invalid},
             summary="Push a batch of readings")  # fmt: skip
def push_readings(request: ApiRequest, batch: BatchIn) -> Status[dict[str, Any]]:
    scope = access.require(request, "report")
    raw = pl.DataFrame(
        [(i, r.meter, r.time, str(r.value), r.unit) for i, r in enumerate(batch.readings, start=1)],
        schema={"row": pl.Int64, "meter": pl.String, "time_text": pl.String, "value_text": pl.String,
                "unit": pl.String},
        orient="row",
    )  # fmt: skip
    name = getattr(getattr(request, "auth", None), "name", "") or str(request.user)
    log = readings.ingest(parse(raw), pages.visible(scope, "report"), source="api", name=name,
                          user=request.user, now=timezone.now())  # fmt: skip
    problems = [
        {"row": r.row, "column": r.column or None, "code": r.code, "message": _describe(r.code, r.params)}
        for r in log.rejections.order_by("row", "pk")
    ] + [
        {"row": n.get("row"), "column": n.get("column"), "code": n["code"],
         "message": _describe(n["code"], n.get("params") or {})}
        for n in log.notes
    ]  # fmt: skip
    out = {"status": log.status, "accepted": log.accepted, "duplicates": log.duplicates, "problems": problems}
    return Status(200 if log.status == "stored" else 400, out)


def _describe(code: str, params: dict[str, Any]) -> str:
    from jieneng.core.problems import Problem as Record

    return render(Record.make(code, **{k: v for k, v in params.items() if k != "column"}))


@router.get("/meters", response={200: list[MeterOut], **REFUSED}, summary="Meters in your place")
@paginate(Pages)
def list_meters(request: ApiRequest) -> QuerySet[Meter]:
    return pages.visible(access.require(request, "view")).order_by("organisation_id", "building", "code")


@router.get("/meters/{int:meter_id}/daily", response={200: list[DayOut], **REFUSED, 422: Invalid},
            summary="A meter's daily consumption")  # fmt: skip
def meter_daily(request: ApiRequest, meter_id: int, span: Query[DaysQuery]) -> list[dict[str, Any]]:
    meter = pages.visible(access.require(request, "view")).filter(pk=meter_id).first()
    if meter is None:
        raise NotFound(_("No meter with the id %(id)s is in your place.") % {"id": meter_id})
    frame = rollups.daily_frame([meter.pk], span.start, span.end).sort("day")
    return [{"day": d, "value": v} for _m, d, v in frame.iter_rows()]
