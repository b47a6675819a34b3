"""Roll-ups kept before CO₂ was added get their CO₂ when the database is migrated forward, and the kept
tables then equal a rebuild from the records."""

from __future__ import annotations

import importlib
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from jieneng.statistics import rollups
from jieneng.statistics.models import RegionFigure, UnitFigure

BEFORE = [("statistics", "0002_own_tables")]
BACKFILL = importlib.import_module("jieneng.statistics.migrations.0004_co2_existing")


def _migrate(targets: list[tuple[str, str]]) -> MigrationExecutor:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return MigrationExecutor(connection)


def _fields(model: Any, values: dict[str, Any]) -> dict[str, Any]:
    """``values`` with only the fields the (historical) model has: CO₂ did not exist yet."""
    names = {field.attname for field in model._meta.concrete_fields}
    return {k: v for k, v in values.items() if k in names}


def _fill(executor: MigrationExecutor) -> None:
    """Records of two units in two provinces, and roll-ups kept as the code of that time kept them:
    its energy sums (the arithmetic that has not changed), without CO₂."""
    apps = executor.loader.project_state(BEFORE).apps
    region, org_model = apps.get_model("directory", "Region"), apps.get_model("directory", "Organisation")
    year_model, record = (
        apps.get_model("directory", "OrganisationYear"),
        apps.get_model("statistics", "EnergyRecord"),
    )
    places = {}
    for province, city, county, name in (
        ("13", "1301", "130102", "长安区"),
        ("44", "4452", "445202", "榕城区"),
    ):
        top = region.objects.create(
            code=f"{province}0000", name=province, level=1, valid_from=date(1991, 1, 1)
        )
        mid = region.objects.create(
            code=f"{city}00", name=city, level=2, parent=top, valid_from=date(1991, 1, 1)
        )
        places[province] = region.objects.create(
            code=county, name=name, level=3, parent=mid, valid_from=date(1991, 1, 1)
        )
    uses = {
        "13": [("electricity", "120000", "kWh"), ("natural_gas", "3000", "m3"), ("diesel", "200", "L")],
        "44": [("electricity", "8.5", "万kWh"), ("gasoline", "300", "L"), ("water", "900", "m3")],
    }
    for number, (province, items) in enumerate(uses.items()):
        org = org_model.objects.create(
            credit_code=f"1144520010000007{number}X",
            name=f"单位{number}",
            type_code="01",
            region=places[province],
        )
        for year in (2024, 2025):
            year_model.objects.create(
                organisation=org, year=year, building_area_m2=Decimal("5000"), persons=120
            )
            for month in (1, 2, 3):
                for energy, quantity, unit in items:
                    record.objects.create(
                        organisation=org, year=year, month=month, energy_type=energy,
                        quantity=Decimal(quantity) + month, unit=unit, cost=Decimal("100"),
                    )  # fmt: skip
    frame, facts = BACKFILL._frames(apps)
    units, parts, used = rollups.compute(frame, facts, lambda: BACKFILL._tree(apps))
    region_figure, unit_figure = (
        apps.get_model("statistics", "RegionFigure"),
        apps.get_model("statistics", "UnitFigure"),
    )
    for row in parts.iter_rows(named=True):
        region_figure.objects.create(
            **_fields(region_figure, {**row, "coefficient_set": used.coefficient_set})
        )
    for row in units.iter_rows(named=True):
        values = {**row, "organisation_id": row["org"], "coefficient_set": used.coefficient_set}
        unit_figure.objects.create(**_fields(unit_figure, values))


def _kept() -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    region_fields = [f.attname for f in RegionFigure._meta.concrete_fields if f.attname != "id"]
    unit_fields = [f.attname for f in UnitFigure._meta.concrete_fields if f.attname != "id"]
    regions = sorted((_rounded(row) for row in RegionFigure.objects.values_list(*region_fields)), key=repr)
    units = sorted((_rounded(row) for row in UnitFigure.objects.values_list(*unit_fields)), key=repr)
    return regions, units


def _rounded(row: tuple[object, ...]) -> tuple[object, ...]:
    """Floats to 9 significant digits: sums of the same floats in another row order (the database's)
    differ in the last bits."""
    return tuple(float(f"{v:.9g}") if isinstance(v, float) else v for v in row)


@pytest.mark.django_db(transaction=True)
def test_kept_rollups_get_their_co2_and_equal_a_rebuild():
    latest = MigrationExecutor(connection).loader.graph.leaf_nodes()
    try:
        _fill(_migrate(BEFORE))
        _migrate(latest)
        label = rollups.emission_label()
        assert set(RegionFigure.objects.values_list("emission_factors", flat=True)) == {label}
        assert RegionFigure.objects.filter(co2_missing__gt=0).count() == 0
        assert set(UnitFigure.objects.values_list("co2_problem", flat=True)) == {""}
        hebei = RegionFigure.objects.get(region="130000", year=2025, month=0, type_code="", energy="")
        assert hebei.kgco2 > 0 and hebei.kgco2 == pytest.approx(
            sum(UnitFigure.objects.filter(region="130102", year=2025).values_list("kgco2", flat=True))
        )
        kept = _kept()
        rollups.rebuild()
        assert _kept() == kept
    finally:
        _migrate(latest)
