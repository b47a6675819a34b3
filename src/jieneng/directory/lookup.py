"""Finding organisations as files and forms name them: by unified social credit code, by the
organisation code inside it, or by name.

Used by the import (:mod:`jieneng.reporting.imports.run`) for a whole file at once, and by online
filling (:mod:`jieneng.reporting.fill`) for the one unit being filled, so that a row is resolved the
same way whichever way it came in.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import polars as pl
from django.db.models.functions import Substr

from jieneng.directory.models import Organisation

CHUNK = 2000  # values in one SQL ``IN`` list: small enough for every backend


def with_organisations(frame: pl.DataFrame) -> pl.DataFrame:
    """Add ``org_id``, ``type_code`` and ``region_id`` to the rows of ``frame`` by their ``org``: a code
    of 18 characters is a credit code, of 9 an organisation code (the credit code's characters 9–17),
    anything else a name (unknown if two units share it). Unknown organisations get nulls.

    When the frame has its own ``type_code`` (the basic form's 单位性质 column) it is kept: the file's
    value is checked, not replaced.
    """
    values = frame["org"].unique().drop_nulls().to_list()
    found: dict[str, tuple[int, str, int]] = {}
    by_code = [v for v in values if len(v) == 18]
    for chunk in _chunks(by_code):
        for pk, code, type_code, region in Organisation.objects.filter(credit_code__in=chunk).values_list(
            "pk", "credit_code", "type_code", "region_id"
        ):
            found[code] = (pk, type_code, region)
    by_org_code = [v for v in values if len(v) == 9]
    with_org_code = Organisation.objects.annotate(org_code=Substr("credit_code", 9, 9))
    for chunk in _chunks(by_org_code):
        for pk, code, type_code, region in with_org_code.filter(org_code__in=chunk).values_list(
            "pk", "org_code", "type_code", "region_id"
        ):
            found[code] = (pk, type_code, region)
    names = [v for v in values if v not in found and len(v) not in (9, 18)]
    seen: dict[str, list[tuple[int, str, int]]] = {}
    for chunk in _chunks(names):
        for pk, name, type_code, region in Organisation.objects.filter(name__in=chunk).values_list(
            "pk", "name", "type_code", "region_id"
        ):
            seen.setdefault(name, []).append((pk, type_code, region))
    found.update({name: hits[0] for name, hits in seen.items() if len(hits) == 1})
    lookup = pl.DataFrame(
        {
            "org": list(found),
            "org_id": [pk for pk, _t, _r in found.values()],
            "type_code": [t for _pk, t, _r in found.values()],
            "region_id": [r for _pk, _t, r in found.values()],
        },
        schema={"org": pl.String, "org_id": pl.Int64, "type_code": pl.String, "region_id": pl.Int64},
    )
    if "type_code" in frame.columns:  # the basic form's own 单位性质 column: the file's value is checked
        lookup = lookup.drop("type_code")
    return frame.join(lookup, on="org", how="left", maintain_order="left")


def with_organisation(frame: pl.DataFrame, organisation: Organisation) -> pl.DataFrame:
    """The rows of one known ``organisation`` with ``org_id`` and ``type_code`` as
    :func:`with_organisations` gives them (a frame's own ``type_code`` kept), without a query."""
    columns = [pl.lit(organisation.pk, pl.Int64).alias("org_id")]
    if "type_code" not in frame.columns:  # the basic form's own 单位性质 item is checked as typed
        columns.append(pl.lit(organisation.type_code, pl.String).alias("type_code"))
    return frame.with_columns(columns)


def _chunks(values: Sequence[Any]) -> Iterable[Sequence[Any]]:
    for offset in range(0, len(values), CHUNK):
        yield values[offset : offset + CHUNK]
