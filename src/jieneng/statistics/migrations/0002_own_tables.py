"""The store's tables get the store's names (a rename: rows, keys, constraints and indexes stay)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("statistics", "0001_initial"),
        ("reporting", "0005_energyrecord_to_statistics"),
        ("dashboard", "0003_figures_to_statistics"),
    ]

    operations = [
        migrations.AlterModelTable(name=name, table=None)
        for name in ("EnergyRecord", "RegionFigure", "UnitFigure", "Stamp")
    ]
