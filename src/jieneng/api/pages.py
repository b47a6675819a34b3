"""Pagination of the API's lists (``?limit=&offset=``, at most 500 rows a page) and the region filter
the lists share."""

from __future__ import annotations

from django.utils.translation import gettext as _
from ninja import Field, Schema
from ninja.pagination import LimitOffsetPagination

from jieneng.api.errors import BadRequest
from jieneng.directory.services import region_tree
from jieneng.reference.divisions import UnknownDivision

MAX_LIMIT = 500


class Pages(LimitOffsetPagination):
    """``{"items": [...], "count": <rows in all pages>}``."""

    class Input(Schema):
        limit: int = Field(100, ge=1, le=MAX_LIMIT, description=f"Rows per page, at most {MAX_LIMIT}.")
        offset: int = Field(0, ge=0, description="Rows to skip.")

    def __init__(self, **kwargs: object) -> None:
        super().__init__(max_limit=MAX_LIMIT, **kwargs)


def subtree(code: str) -> list[str]:
    """The codes of region ``code`` and of every region below it (rows in force today)."""
    try:
        return region_tree(code.strip())["code"].to_list()
    except UnknownDivision as exc:
        raise BadRequest(_("No region has the code %(code)s.") % {"code": code}) from exc
