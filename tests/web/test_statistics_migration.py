"""The statistics store took its tables over from ``reporting`` and ``dashboard``: a database filled
before the move is migrated forward, and every row, key and sum is still there."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

BEFORE = [
    ("directory", "0001_initial"),
    ("reporting", "0003_submission_queue_index"),
    ("dashboard", "0002_stamp"),
]


def _migrate(targets: list[tuple[str, str]]) -> MigrationExecutor:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return MigrationExecutor(connection)


def _fill(executor: MigrationExecutor) -> dict[str, object]:
    apps = executor.loader.project_state(BEFORE).apps
    region_model, org_model = (
        apps.get_model("directory", "Region"),
        apps.get_model("directory", "Organisation"),
    )
    submission_model = apps.get_model("reporting", "Submission")
    record_model = apps.get_model("reporting", "EnergyRecord")
    region_figure, unit_figure = (
        apps.get_model("dashboard", "RegionFigure"),
        apps.get_model("dashboard", "UnitFigure"),
    )
    stamp = apps.get_model("dashboard", "Stamp")
    city = region_model.objects.create(code="445200", name="揭阳市", level=2, valid_from=date(1991, 1, 1))
    org = org_model.objects.create(
        credit_code="11445200100000075H", name="揭阳市机关事务管理局", type_code="01", region=city
    )
    submissions = [
        submission_model.objects.create(
            organisation=org, form="pi-energy", period=f"2025-{m:02d}", year=2025, month=m,
            status="approved", current=1, approved=1, updated_at=timezone.now(),
        )
        for m in (1, 2, 3)
    ]  # fmt: skip
    for index, submission in enumerate(submissions):
        for energy, quantity in (("electricity", Decimal("12345.6789")), ("water", Decimal("500"))):
            record_model.objects.create(
                organisation=org, year=2025, month=index + 1, energy_type=energy,
                quantity=quantity + index, unit="kWh" if energy == "electricity" else "m3",
                cost=Decimal("1000.50"), submission=submission, revision=1,
            )  # fmt: skip
    record_model.objects.create(  # an old load, from no submission
        organisation=org, year=2024, month=None, quarter=None, energy_type="electricity",
        quantity=Decimal("1"), unit="kWh",
    )  # fmt: skip
    for month in (0, 1, 2):
        region_figure.objects.create(
            region="445200", year=2025, month=month, kgce=1000.5 + month, water_m3=3.0, units=1,
            coefficient_set="public-institution@2022.1",
        )  # fmt: skip
    unit_figure.objects.create(
        organisation=org, region="445200", type_code="01", year=2025, kgce=4567.25, months=3,
        coefficient_set="public-institution@2022.1",
    )  # fmt: skip
    stamp.objects.create(province="44", value="before")
    return {"org": org.pk, "submissions": sorted(s.pk for s in submissions)}


@pytest.mark.django_db(transaction=True)
def test_a_filled_database_migrates_forward_without_loss():
    latest = MigrationExecutor(connection).loader.graph.leaf_nodes()
    try:
        filled = _fill(_migrate(BEFORE))
        executor = _migrate(latest)
        apps = executor.loader.project_state(latest).apps
        records = apps.get_model("statistics", "EnergyRecord").objects
        assert records.count() == 7
        assert sorted(records.values_list("quantity", flat=True)) == sorted(
            [Decimal("1")]
            + [Decimal("12345.6789") + i for i in range(3)]
            + [Decimal("500") + i for i in range(3)]
        )
        assert (
            sorted(set(records.exclude(submission_id=None).values_list("submission_id", flat=True)))
            == filled["submissions"]
        )
        assert records.filter(submission_id=None).count() == 1
        assert {r.organisation_id for r in records.all()} == {filled["org"]}
        figures = apps.get_model("statistics", "RegionFigure").objects
        assert sorted(figures.values_list("month", "kgce")) == [(0, 1000.5), (1, 1001.5), (2, 1002.5)]
        unit = apps.get_model("statistics", "UnitFigure").objects.get()
        assert (unit.organisation_id, unit.kgce, unit.months) == (filled["org"], 4567.25, 3)
        assert apps.get_model("statistics", "Stamp").objects.get().value == "before"
        with connection.cursor() as cursor:  # the tables carry the store's names now
            tables = set(connection.introspection.table_names(cursor))
        assert {"statistics_energyrecord", "statistics_regionfigure", "statistics_unitfigure"} <= tables
        assert not {"reporting_energyrecord", "dashboard_regionfigure", "dashboard_unitfigure"} & tables
        # new rows get new keys after the rename (the sequences followed the tables)
        record = records.create(
            organisation_id=filled["org"], year=2026, month=1, energy_type="electricity",
            quantity=Decimal("2"), unit="kWh",
        )  # fmt: skip
        assert record.pk > max(r.pk for r in records.exclude(pk=record.pk))
    finally:
        _migrate(latest)
