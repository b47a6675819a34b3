"""Blank cells over stored values (:mod:`jieneng.core.blanks`): the stored values they would clear, read
from the current revisions, and one report record per such cell naming the unit, the period, the item
and the stored value — kept, or cleared when the uploader confirmed clearing (``ImportJob.clear_blanks``).
"""

from __future__ import annotations

import json
from typing import Any

import polars as pl
from django.db.models import F

from jieneng.core.blanks import Blanks, keep_stored, needing_stored, stored_schema
from jieneng.core.forms import Form
from jieneng.core.problems import Problem
from jieneng.directory.models import Organisation
from jieneng.reporting.models import Revision
from jieneng.statistics import bulk


def with_stored(rows: pl.DataFrame, form: Form, existing: pl.DataFrame, *, clear: bool) -> Blanks:
    """``rows`` with the stored values their blank cells and missing columns keep (see the core rule)."""
    wanted = rows.filter(pl.col("org_id").is_not_null() & needing_stored(rows, form))
    if not existing.is_empty() and not wanted.is_empty():
        wanted = wanted.join(existing.select("org_id", "period"), on=["org_id", "period"], how="semi")
    else:
        wanted = wanted.clear()
    return keep_stored(rows, stored_values(wanted, form), form, clear=clear)


def stored_values(rows: pl.DataFrame, form: Form) -> pl.DataFrame:
    """The values of the current revisions of the rows' (organisation, period) pairs."""
    schema = stored_schema(form)
    if rows.is_empty():
        return pl.DataFrame(schema=schema)
    pairs = set(rows.select("org_id", "period").iter_rows())
    periods = sorted({period for _org, period in pairs})
    records: list[dict[str, Any]] = []
    for chunk in bulk.chunks(sorted({org for org, _period in pairs})):
        query = Revision.objects.filter(
            submission__organisation_id__in=chunk,
            submission__form=form.id,
            submission__period__in=periods,
            number=F("submission__current"),
        ).values_list("submission__organisation_id", "submission__period", "values")
        for org, period, values in query:
            if (org, period) in pairs:
                records.append({"org_id": org, "period": period, **_typed(values, form)})
    return pl.DataFrame(records, schema=schema)


def _typed(values: Any, form: Form) -> dict[str, Any]:
    data = json.loads(values) if isinstance(values, str) else values
    out: dict[str, Any] = {}
    for code, item in form.items.items():
        value = data.get(code)
        if item.numeric:
            out[code] = (
                float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None
            )
        else:
            out[code] = None if value is None else str(value)
    return out


def blank_problems(blanks: Blanks, form: Form, columns: dict[str, str]) -> list[Problem]:
    """One advisory record per blank cell over a stored value: ``blank_keeps_value`` or, confirmed,
    ``blank_clears_value``; the unit by its name in the directory, the item by its display name."""
    cells = blanks.cells
    if cells.is_empty():
        return []
    ids = cells["org_id"].unique().to_list()
    names = dict(Organisation.objects.filter(pk__in=ids).values_list("pk", "name"))
    code = "blank_clears_value" if blanks.cleared else "blank_keeps_value"
    found = []
    for row, org, period, item_code, stored, text in cells.iter_rows():
        item = form.items[item_code]
        found.append(
            Problem.make(
                code,
                row=row,
                column=columns.get(item_code, item.zh),
                org=names.get(org, str(org)),
                period=period,
                label=item_code,
                item_zh=item.zh,
                item_en=item.en,
                stored=text if stored is None else _number(stored),
                unit=item.unit if item.numeric else "",
            )
        )
    return found


def _number(value: float) -> str:
    """A stored number as text: 12 significant digits, no trailing ``.0``."""
    text = f"{value:.12g}"
    return text[:-2] if text.endswith(".0") else text
