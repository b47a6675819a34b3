"""Endpoints of the documents: the documents a caller reads (filtered) and one document's file."""

from datetime import date, datetime
from typing import Any
from urllib.parse import quote

from django.db.models import QuerySet
from django.http import HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from jieneng.accounts.requests import ApiRequest
from jieneng.api import access
from jieneng.api.errors import NotFound
from jieneng.api.pages import Pages, subtree
from jieneng.api.schemas import Invalid, Problem
from jieneng.bulletins import access as documents
from jieneng.bulletins import services
from jieneng.bulletins.models import IssuedDocument
from jieneng.io.writers.pdf import ConversionUnavailable

router = Router(tags=["documents"])
REFUSED: dict[int, Any] = {401: Problem, 403: Problem, 404: Problem}


class DocumentFilter(Schema):
    region: str | None = Field(None, description="A region code: documents about it or below it.")
    kind: str | None = Field(None, max_length=32, description="statistics, progress, …")
    status: IssuedDocument.Status | None = None


class DocumentOut(Schema):
    id: int
    kind: str
    region: str
    period: str
    title: str
    status: str
    number: str
    issued_on: date | None
    template: str
    created_at: datetime

    @staticmethod
    def resolve_region(obj: Any) -> str:
        return str(obj.region.code)


@router.get(
    "/documents", response={200: list[DocumentOut], **REFUSED, 400: Problem, 422: Invalid},
    summary="Documents you read",
)  # fmt: skip
@paginate(Pages)
def list_documents(request: ApiRequest, filters: Query[DocumentFilter]) -> QuerySet[IssuedDocument]:
    rows = documents.readable(access.require(request, "view")).select_related("region")
    if filters.region:
        rows = rows.filter(region__code__in=subtree(filters.region))
    if filters.kind:
        rows = rows.filter(kind=filters.kind)
    if filters.status:
        rows = rows.filter(status=filters.status)
    return rows.order_by("-created_at", "-pk")


@router.get(
    "/documents/{int:document_id}/file.{fmt}", response={200: None, **REFUSED, 503: Problem},
    summary="A document as .docx, .pdf or .xlsx",
)  # fmt: skip
def document_file(request: ApiRequest, document_id: int, fmt: str) -> HttpResponse:
    doc = documents.readable(access.require(request, "view")).filter(pk=document_id).first()
    if doc is None or fmt not in services.FORMATS:
        raise NotFound(_("No document with the id %(id)s is in your place.") % {"id": document_id})
    try:
        data = services.render(doc, fmt)
    except ConversionUnavailable as exc:
        return HttpResponse(str(exc), status=503, content_type="text/plain; charset=utf-8")
    response = HttpResponse(data, content_type=services.CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(services.file_name(doc, fmt))}"
    return response
