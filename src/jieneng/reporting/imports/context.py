"""What the checks compare rows with: the :class:`~jieneng.core.validation.Context` built from what is
stored — approved history, the submissions that exist, building areas, peer medians.

Shared by the import (:mod:`.run`), online filling (:mod:`jieneng.reporting.fill`) and the demo
loader (:mod:`jieneng.reporting.demo`), so that a row is checked the same way whichever way it came in.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import polars as pl
from django.db.models import F

from jieneng.core.forms import Form
from jieneng.core.validation import AREA_SCHEMA, PEER_SCHEMA, PERIOD_SCHEMA, Context
from jieneng.directory.models import Organisation, OrganisationYear
from jieneng.reporting.models import Revision
from jieneng.statistics import bulk


def context_for(rows: pl.DataFrame, form: Form, today: date) -> Context:
    """What the checks compare ``rows`` with: approved values, stored submissions, building areas."""
    org_ids = rows["org_id"].drop_nulls().unique().to_list()
    years = sorted(set(rows["year"].drop_nulls().to_list()))
    wanted = sorted({y - 1 for y in years} | set(years))
    return Context(
        today=today,
        history=history(org_ids, form, wanted),
        existing=_existing(org_ids, form, years),
        areas=_areas(org_ids, max(years, default=today.year)),
        peer_medians=pl.DataFrame(schema=PEER_SCHEMA),
        type_codes=frozenset(Organisation.Type.values),
    )


def _frequency(quarter: int | None, month: int | None) -> str:
    return "month" if month else "quarter" if quarter else "year"


def history(org_ids: list[int], form: Form, years: list[int]) -> pl.DataFrame:
    """Approved values of ``form`` for the organisations and years: org_id, period, frequency, year,
    quarter, month and one Float64 column per numeric item of the form."""
    numeric = [code for code, item in form.items.items() if item.numeric]
    records: list[dict[str, Any]] = []
    for chunk in bulk.chunks(org_ids):
        query = Revision.objects.filter(
            submission__organisation_id__in=chunk,
            submission__form=form.id,
            submission__year__in=years,
            number=F("submission__approved"),
        ).values_list(
            "submission__organisation_id",
            "submission__period",
            "submission__year",
            "submission__quarter",
            "submission__month",
            "values",
        )
        for org, period, year, quarter, month, values in query:
            data = json.loads(values) if isinstance(values, str) else values
            record = {"org_id": org, "period": period, "frequency": _frequency(quarter, month)}
            record |= {"year": year, "quarter": quarter, "month": month}
            records.append(record | {code: _float(data.get(code)) for code in numeric})
    return pl.DataFrame(records, schema=PERIOD_SCHEMA | dict.fromkeys(numeric, pl.Float64()))


def _float(value: Any) -> float | None:
    return None if value is None or isinstance(value, str) else float(value)


#: what :func:`_existing` adds to each stored submission: its id, current revision number, that
#: revision's digest and explanation (the store compares rows with them without a second lookup)
STORED_SCHEMA = {
    "known": pl.Int64(),
    "known_current": pl.Int64(),
    "known_digest": pl.String(),
    "known_explanation": pl.String(),
}


def _existing(org_ids: list[int], form: Form, years: list[int]) -> pl.DataFrame:
    """The stored submissions of the organisations in the years (:data:`PERIOD_SCHEMA`) with their
    current revision (:data:`STORED_SCHEMA`): one lookup for the checks and the store."""
    rows: list[tuple[Any, ...]] = []
    for chunk in bulk.chunks(org_ids):
        query = Revision.objects.filter(
            submission__organisation_id__in=chunk,
            submission__form=form.id,
            submission__year__in=years,
            number=F("submission__current"),
        ).values_list(
            "submission__organisation_id",
            "submission__period",
            "submission__year",
            "submission__quarter",
            "submission__month",
            "submission_id",
            "number",
            "digest",
            "explanation",
        )
        for org, period, year, quarter, month, *known in query:
            rows.append((org, period, _frequency(quarter, month), year, quarter, month, *known))
    return pl.DataFrame(rows, schema=PERIOD_SCHEMA | STORED_SCHEMA, orient="row")


def _areas(org_ids: list[int], last_year: int) -> pl.DataFrame:
    rows: list[tuple[int, int, float]] = []
    for chunk in bulk.chunks(org_ids):
        query = OrganisationYear.objects.filter(organisation_id__in=chunk, year__lte=last_year)
        rows += [
            (o, y, float(a)) for o, y, a in query.values_list("organisation_id", "year", "building_area_m2")
        ]
    return pl.DataFrame(rows, schema=AREA_SCHEMA, orient="row")
