"""Templates to download: a form for one period with the organisations of a region already listed."""

from __future__ import annotations

from pathlib import Path
from typing import Any, BinaryIO

from jieneng.core.forms import Edition, Form
from jieneng.directory.models import Organisation
from jieneng.directory.services import region_tree
from jieneng.io.cells import Period
from jieneng.io.template import write_template


def period_key(period: Period) -> str:
    """The canonical text of a period, as submissions store it: ``2025-03``, ``2025Q1`` or ``2025``."""
    if period.month:
        return f"{period.year}-{period.month:02d}"
    if period.quarter:
        return f"{period.year}Q{period.quarter}"
    return str(period.year)


def period_label(period: Period, lang: str) -> str:
    """``2025年3月`` / ``2025年第1季度`` / ``2025年`` in Chinese; ``2025-03`` / ``2025Q1`` / ``2025`` else."""
    if not lang.startswith("zh"):
        return period_key(period)
    if period.month:
        return f"{period.year}年{period.month}月"
    if period.quarter:
        return f"{period.year}年第{period.quarter}季度"
    return f"{period.year}年"


def template_rows(
    period: Period, *, region: str | None = None, organisations: Any = None
) -> list[tuple[str, str, str]]:
    """(credit code, name, period) of each organisation to list: those of ``region``'s subtree, or
    of the ``organisations`` queryset, or all; ordered by region then credit code."""
    query = organisations if organisations is not None else Organisation.objects.all()
    if region:
        query = query.filter(region__code__in=region_tree(region)["code"].to_list())
    key = period_key(period)
    return [
        (code, name, key)
        for code, name in query.order_by("region__code", "credit_code").values_list("credit_code", "name")
    ]


def write_form_template(
    target: Path | BinaryIO,
    form: Form,
    edition: Edition,
    period: Period,
    rows: list[tuple[str, str, str]],
    *,
    lang: str = "zh-hans",
) -> None:
    write_template(target, form, edition, rows, period_label=period_label(period, lang), lang=lang)
