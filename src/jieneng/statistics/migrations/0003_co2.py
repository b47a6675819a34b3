"""CO₂ in the roll-ups: ``kgco2``, ``co2_missing`` and ``emission_factors`` on the region rows;
``kgco2`` (empty when a factor is missing), ``co2_problem`` and ``emission_factors`` on the unit rows.

The rows kept before this migration get no CO₂ figure here: recomputing them needs the whole
pipeline of the current code (conversion, factors, roll-up), which a migration must not import. They
are marked instead — each region row counts all its units as without CO₂ and each unit row carries the
problem ``co2_not_computed`` — so no page shows a zero that was never computed; ``0004_co2_existing``
then computes their CO₂ from the records (``jieneng manage rebuild_rollups`` recomputes everything).
"""

import json

from django.db import migrations, models
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps
from django.db.models import F

NOT_COMPUTED = json.dumps({"code": "co2_not_computed", "params": {}})


def mark_not_computed(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    apps.get_model("statistics", "RegionFigure").objects.update(co2_missing=F("units"))
    apps.get_model("statistics", "UnitFigure").objects.update(co2_problem=NOT_COMPUTED)


class Migration(migrations.Migration):
    dependencies = [
        ("statistics", "0002_own_tables"),
    ]

    operations = [
        migrations.AddField(
            model_name="regionfigure",
            name="co2_missing",
            field=models.IntegerField(default=0, help_text="Units of the slice without a CO₂ figure."),
        ),
        migrations.AddField(
            model_name="regionfigure",
            name="emission_factors",
            field=models.CharField(
                blank=True,
                default="",
                help_text="Emission-factor set (id@version) and convention.",
                max_length=128,
            ),
        ),
        migrations.AddField(
            model_name="regionfigure",
            name="kgco2",
            field=models.FloatField(default=0, help_text="CO₂ [kgCO₂] of the units that have a CO₂ figure."),
        ),
        migrations.AddField(
            model_name="unitfigure",
            name="co2_problem",
            field=models.TextField(
                blank=True,
                default="",
                help_text="Why there is no CO₂ figure: the problem's code and parameters (JSON).",
            ),
        ),
        migrations.AddField(
            model_name="unitfigure",
            name="emission_factors",
            field=models.CharField(
                blank=True,
                default="",
                help_text="Emission-factor set (id@version) and convention.",
                max_length=128,
            ),
        ),
        migrations.AddField(
            model_name="unitfigure",
            name="kgco2",
            field=models.FloatField(
                blank=True, help_text="CO₂ [kgCO₂]; empty when a factor is missing.", null=True
            ),
        ),
        migrations.RunPython(mark_not_computed, migrations.RunPython.noop),
    ]
