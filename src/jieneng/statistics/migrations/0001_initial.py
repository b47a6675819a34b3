"""The statistics store takes over its tables: approved energy records from ``reporting``, the roll-ups
and stamps from ``dashboard``. State only, under the old table names; no row is copied or lost.
``0002_own_tables`` then renames the tables."""

import django.core.validators
import django.db.models.deletion
import django.db.models.functions.comparison
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("directory", "0001_initial"),
        ("reporting", "0004_energyrecord_source_numbers"),
        ("dashboard", "0002_stamp"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Stamp",
                    fields=[
                        ("province", models.CharField(max_length=2, primary_key=True, serialize=False)),
                        ("value", models.CharField(blank=True, default="", max_length=32)),
                    ],
                    options={
                        "verbose_name": "dashboard stamp",
                        "verbose_name_plural": "dashboard stamps",
                        "db_table": "dashboard_stamp",
                    },
                ),
                migrations.CreateModel(
                    name="RegionFigure",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("region", models.CharField(max_length=6, verbose_name="region")),
                        ("year", models.PositiveSmallIntegerField(verbose_name="year")),
                        ("month", models.PositiveSmallIntegerField(default=0, verbose_name="month")),
                        (
                            "type_code",
                            models.CharField(blank=True, default="", max_length=3, verbose_name="type"),
                        ),
                        (
                            "energy",
                            models.CharField(
                                blank=True, default="", max_length=32, verbose_name="energy type"
                            ),
                        ),
                        ("kgce", models.FloatField(default=0)),
                        ("kgce_excl_vehicle", models.FloatField(default=0)),
                        ("water_m3", models.FloatField(default=0)),
                        ("cost", models.FloatField(default=0)),
                        ("persons", models.FloatField(default=0)),
                        ("area_m2", models.FloatField(default=0)),
                        ("units", models.IntegerField(default=0)),
                        ("coefficient_set", models.CharField(max_length=64)),
                    ],
                    options={
                        "verbose_name": "region figure",
                        "verbose_name_plural": "region figures",
                        "db_table": "dashboard_regionfigure",
                        "constraints": [
                            models.UniqueConstraint(
                                fields=("region", "year", "month", "type_code", "energy"),
                                name="region_figure_unique",
                            )
                        ],
                    },
                ),
                migrations.CreateModel(
                    name="EnergyRecord",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("year", models.PositiveSmallIntegerField(verbose_name="year")),
                        (
                            "quarter",
                            models.PositiveSmallIntegerField(blank=True, null=True, verbose_name="quarter"),
                        ),
                        (
                            "month",
                            models.PositiveSmallIntegerField(
                                blank=True,
                                null=True,
                                validators=[
                                    django.core.validators.MinValueValidator(1),
                                    django.core.validators.MaxValueValidator(12),
                                ],
                                verbose_name="month",
                            ),
                        ),
                        (
                            "energy_type",
                            models.CharField(
                                help_text="Code of the energy type.",
                                max_length=32,
                                verbose_name="energy type",
                            ),
                        ),
                        (
                            "quantity",
                            models.DecimalField(decimal_places=4, max_digits=18, verbose_name="quantity"),
                        ),
                        ("unit", models.CharField(max_length=16, verbose_name="unit")),
                        (
                            "cost",
                            models.DecimalField(
                                blank=True,
                                decimal_places=2,
                                max_digits=14,
                                null=True,
                                verbose_name="cost [yuan]",
                            ),
                        ),
                        (
                            "submission_id",
                            models.BigIntegerField(
                                blank=True, db_index=True, null=True, verbose_name="submission"
                            ),
                        ),
                        (
                            "revision",
                            models.PositiveIntegerField(blank=True, null=True, verbose_name="revision"),
                        ),
                        (
                            "organisation",
                            models.ForeignKey(
                                db_index=False,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="energy_records",
                                to="directory.organisation",
                                verbose_name="organisation",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "energy record",
                        "verbose_name_plural": "energy records",
                        "db_table": "reporting_energyrecord",
                        "ordering": ("organisation", "year", "month", "energy_type"),
                        "indexes": [
                            models.Index(fields=["year", "organisation"], name="energy_record_year_org")
                        ],
                        "constraints": [
                            models.UniqueConstraint(
                                models.F("organisation"),
                                models.F("year"),
                                django.db.models.functions.comparison.Coalesce("quarter", 0),
                                django.db.models.functions.comparison.Coalesce("month", 0),
                                models.F("energy_type"),
                                name="energy_record_unique",
                            ),
                            models.CheckConstraint(
                                condition=models.Q(
                                    ("month__isnull", True),
                                    models.Q(("month__gte", 1), ("month__lte", 12)),
                                    _connector="OR",
                                ),
                                name="energy_record_month_1_12",
                            ),
                        ],
                    },
                ),
                migrations.CreateModel(
                    name="UnitFigure",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("region", models.CharField(max_length=6, verbose_name="region")),
                        ("type_code", models.CharField(max_length=3, verbose_name="type")),
                        ("year", models.PositiveSmallIntegerField(verbose_name="year")),
                        ("kgce", models.FloatField(default=0)),
                        ("kgce_excl_vehicle", models.FloatField(default=0)),
                        ("water_m3", models.FloatField(default=0)),
                        ("cost", models.FloatField(default=0)),
                        ("persons", models.FloatField(default=0)),
                        ("area_m2", models.FloatField(default=0)),
                        ("months", models.PositiveSmallIntegerField(default=0)),
                        ("coefficient_set", models.CharField(max_length=64)),
                        (
                            "organisation",
                            models.ForeignKey(
                                db_index=False,
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="figures",
                                to="directory.organisation",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "unit figure",
                        "verbose_name_plural": "unit figures",
                        "db_table": "dashboard_unitfigure",
                        "indexes": [models.Index(fields=["region", "year"], name="unit_figure_region_year")],
                        "constraints": [
                            models.UniqueConstraint(
                                fields=("organisation", "year"), name="unit_figure_unique"
                            )
                        ],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
