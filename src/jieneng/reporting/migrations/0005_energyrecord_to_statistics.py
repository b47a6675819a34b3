"""The approved energy records now belong to the statistics store (state only: the table stays)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("reporting", "0004_energyrecord_source_numbers"),
        ("statistics", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="EnergyRecord")],
            database_operations=[],
        ),
    ]
