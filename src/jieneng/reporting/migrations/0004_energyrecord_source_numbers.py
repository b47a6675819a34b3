"""An energy record names the submission and revision it came from by number, without a foreign key, so
that the statistics store (which takes the table over next) does not depend on the reporting app."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("reporting", "0003_submission_queue_index"),
    ]

    operations = [
        # drop the database's foreign-key constraint, keep the column, its values and its index
        migrations.AlterField(
            model_name="energyrecord",
            name="submission",
            field=models.ForeignKey(
                blank=True,
                null=True,
                db_constraint=False,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="energy_records",
                to="reporting.submission",
            ),
        ),
        # the same column as a plain number (state only)
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(model_name="energyrecord", name="submission"),
                migrations.AddField(
                    model_name="energyrecord",
                    name="submission_id",
                    field=models.BigIntegerField(
                        blank=True, db_index=True, null=True, verbose_name="submission"
                    ),
                ),
            ],
            database_operations=[],
        ),
    ]
