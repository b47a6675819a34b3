"""Demonstration units (节约型 / 节水型公共机构示范单位): a unit applies with the inputs of the criteria
scheme (``demonstration-unit``), is evaluated against it (pass at 85 with no starred item at 0,
:mod:`jieneng.core.scoring`), and is accepted or not; the accepted are listed by level and kind."""

from __future__ import annotations

from typing import Any

import polars as pl
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from jieneng.accounts.scope import Scope
from jieneng.assessment import sources
from jieneng.assessment.models import Application, Level, UnitKind
from jieneng.core.scoring import score
from jieneng.directory.models import Organisation
from jieneng.reference.schemes import load_scheme

SCHEME = "demonstration-unit"
#: the grade of the criteria scheme that accepts an application
ACCEPTING_GRADE = "通过"


def visible(scope: Scope) -> QuerySet[Application]:
    """The applications of the units the user sees."""
    return Application.objects.filter(scope.organisation_q("view", prefix="organisation__"))


def choices() -> dict[str, Any]:
    return {"levels": Level.choices, "kinds": UnitKind.choices}


def from_statistics(organisation: Organisation, year: int) -> tuple[dict[str, float], list[str]]:
    """The criteria's ratio inputs read from the approved statistics of ``year`` (the ``peer:<ratio>``
    items: the unit's value and the province's average for its type, :func:`sources.peer_inputs`), and
    what was read for each; an item without figures is left to the applicant."""
    scheme = load_scheme(SCHEME)
    inputs: dict[str, float] = {}
    read: list[str] = []
    for item in scheme.items.values():
        if item.method != "ratio" or not item.data.startswith("peer:"):
            continue
        found = sources.peer_inputs([organisation.pk], item.data.removeprefix("peer:"), year)
        if organisation.pk in found:
            values, what = found[organisation.pk]
            inputs[f"{item.id}_value"], inputs[f"{item.id}_peer"] = values["value"], values["peer"]
            read.append(f"{item.title}：{what}")
    return inputs, read


@transaction.atomic
def apply(
    organisation: Organisation, *, year: int, level: str, kind: str, inputs: dict[str, Any]
) -> Application:
    """Record an application and evaluate it at once (:func:`evaluate`); the ratio inputs the applicant
    leaves out are read from the approved statistics (:func:`from_statistics`)."""
    read, _what = from_statistics(organisation, year)
    given = {**read, **{k: v for k, v in inputs.items() if v is not None}}
    application = Application.objects.create(
        organisation=organisation, year=year, level=level, kind=kind, inputs=given
    )
    return evaluate(application)


def evaluate(application: Application) -> Application:
    """Score the application's inputs against the criteria; accepted when graded :data:`ACCEPTING_GRADE`."""
    scheme = load_scheme(SCHEME)
    row = {"row": application.pk, "party": application.organisation.name, **application.inputs}
    schema: dict[str, Any] = {"row": pl.Int64, "party": pl.String}
    for column, kind, _item in scheme.inputs():
        schema[column] = pl.Boolean if kind in ("yes_no", "certified") else pl.Float64
    scored = score(scheme, pl.DataFrame([row], schema=schema, orient="row"))
    out = scored.frame.row(0, named=True)
    application.total = out["total"]
    application.accepted = out["grade"] == ACCEPTING_GRADE and not scored.problems
    application.reason = (out["veto_reason"] or "")[:500]
    application.scheme = scheme.ref
    application.evaluated_at = timezone.now()
    application.save()
    return application
