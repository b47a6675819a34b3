"""The roll-ups and the stamps now belong to the statistics store (state only: the tables stay)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("dashboard", "0002_stamp"),
        ("statistics", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="RegionFigure"),
                migrations.DeleteModel(name="UnitFigure"),
                migrations.DeleteModel(name="Stamp"),
            ],
            database_operations=[],
        ),
    ]
