"""CO₂ of the roll-ups kept before CO₂ was added (0003 left them marked ``co2_not_computed``).

The approved records are read through this migration's historical models and handed, as frames, to
:func:`jieneng.statistics.rollups.compute` — the same arithmetic as a rebuild, which reads and writes
no table itself. Only the CO₂ columns of the kept rows are written (``kgco2``, ``co2_missing``,
``emission_factors``; ``kgco2``, ``co2_problem``, ``emission_factors`` on the unit rows): their energy
sums stay as they were kept. A kept row without records behind it keeps its ``co2_not_computed`` mark.
Fields later migrations may add are never touched. Reversing it leaves the figures (0003 drops them).
"""

from typing import Any

import polars as pl
from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps
from django.db.models import Sum

from jieneng.core.regions import ancestry

KEYS = ("region", "year", "month", "type_code", "energy")


def _frames(apps: StateApps) -> tuple[pl.DataFrame, pl.DataFrame]:
    records = apps.get_model("statistics", "EnergyRecord").objects.values_list(
        "organisation_id", "year", "month", "energy_type", "unit"
    )
    rows = [
        (*keys, float(q), None if c is None else float(c))
        for *keys, q, c in records.annotate(q=Sum("quantity"), c=Sum("cost")).order_by()
    ]
    schema = {
        "org": pl.Int64, "year": pl.Int32, "month": pl.Int32, "energy_type": pl.String,
        "unit": pl.String, "quantity": pl.Float64, "cost": pl.Float64,
    }  # fmt: skip
    who = apps.get_model("directory", "Organisation").objects.values_list("pk", "region__code", "type_code")
    frame = pl.DataFrame(rows, schema=schema, orient="row").join(
        pl.DataFrame(
            list(who), schema={"org": pl.Int64, "region": pl.String, "type_code": pl.String}, orient="row"
        ),
        on="org",
        how="inner",
    )
    facts = apps.get_model("directory", "OrganisationYear").objects.values_list(
        "organisation_id", "year", "building_area_m2", "persons"
    )
    fact_frame = pl.DataFrame(
        [(o, y, float(a), float(p)) for o, y, a, p in facts],
        schema={"org": pl.Int64, "year": pl.Int32, "area_m2": pl.Float64, "persons": pl.Float64},
        orient="row",
    )
    return frame, fact_frame


def _tree(apps: StateApps) -> pl.DataFrame:
    latest: dict[str, str | None] = {}
    regions = apps.get_model("directory", "Region").objects.order_by("valid_from")
    for code, parent in regions.values_list("code", "parent__code"):
        latest[code] = parent
    return ancestry(
        pl.DataFrame(
            {"code": list(latest), "parent_code": list(latest.values())},
            schema={"code": pl.String, "parent_code": pl.String},
        )
    )


def recompute(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    region_model = apps.get_model("statistics", "RegionFigure")
    unit_model = apps.get_model("statistics", "UnitFigure")
    if not (region_model.objects.exists() or unit_model.objects.exists()):
        return  # a new database: nothing kept
    from jieneng.statistics.rollups import compute  # frames in, frames out; no table read or written

    frame, facts = _frames(apps)
    units, parts, used = compute(frame, facts, lambda: _tree(apps))
    by_key: dict[tuple[Any, ...], dict[str, Any]] = {
        tuple(row[k] for k in KEYS): row for row in parts.iter_rows(named=True)
    }
    changed = []
    for figure in region_model.objects.all():
        found = by_key.get(tuple(getattr(figure, k) for k in KEYS))
        if found is None:
            continue
        figure.kgco2, figure.co2_missing = found["kgco2"], found["co2_missing"]
        figure.emission_factors = used.emission_factors
        changed.append(figure)
    region_model.objects.bulk_update(changed, ["kgco2", "co2_missing", "emission_factors"], batch_size=2000)
    by_unit = {(row["org"], row["year"]): row for row in units.iter_rows(named=True)}
    changed = []
    for unit in unit_model.objects.all():
        found = by_unit.get((unit.organisation_id, unit.year))
        if found is None:
            continue
        unit.kgco2, unit.co2_problem = found["kgco2"], used.problem(found["co2_problem"])
        unit.emission_factors = used.emission_factors
        changed.append(unit)
    unit_model.objects.bulk_update(changed, ["kgco2", "co2_problem", "emission_factors"], batch_size=2000)


class Migration(migrations.Migration):
    dependencies = [
        ("statistics", "0003_co2"),
        ("directory", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(recompute, migrations.RunPython.noop),
    ]
