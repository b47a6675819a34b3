"""The upgrade from the previous release: a database with the schema of 0.2.0 “reporting” (the
migrations that release shipped), filled with rows in every one of its tables, is migrated by
``migrate`` to this release, and every row is still there with every value of every column that
both releases have — under the table's new name where a table moved (CHANGELOG.md, 0.3.0)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

#: the last migration of each of the project's apps in release 0.2.0
RELEASE_0_2_0 = [
    ("accounts", "0001_initial"),
    ("dashboard", "0001_initial"),
    ("directory", "0001_initial"),
    ("reporting", "0003_submission_queue_index"),
]
#: where a table of 0.2.0 lives now
MOVED = {
    "reporting.EnergyRecord": "statistics.EnergyRecord",
    "dashboard.RegionFigure": "statistics.RegionFigure",
    "dashboard.UnitFigure": "statistics.UnitFigure",
}
APPS = {app for app, _ in RELEASE_0_2_0}


def _migrate(targets: list[tuple[str, str]]) -> MigrationExecutor:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return MigrationExecutor(connection)


def _fill(apps: Any) -> None:
    """Rows in every table of the release's apps, through the models as they were then."""
    now = timezone.now()
    user = apps.get_model("auth", "User").objects.create(username="u1", password="!")
    region_model = apps.get_model("directory", "Region")
    province = region_model.objects.create(code="440000", name="广东省", level=1, valid_from=date(1988, 1, 1))
    city = region_model.objects.create(
        code="445200", name="揭阳市", level=2, valid_from=date(1991, 1, 1), parent=province
    )
    orgs = apps.get_model("directory", "Organisation").objects
    office = orgs.create(
        credit_code="11445200100000075H", name="揭阳市机关事务管理局", type_code="01", region=city
    )
    school = orgs.create(
        credit_code="124452021000000243", name="第一中学", type_code="05", region=city, supervisor=office,
        address="进贤门大道",
    )  # fmt: skip
    for org in (office, school):
        apps.get_model("directory", "OrganisationYear").objects.create(
            organisation=org, year=2025, building_area_m2=Decimal("12000.5"), persons=120, vehicles=3
        )
    apps.get_model("accounts", "Membership").objects.create(user=user, role="reviewer", region=city, note="n")
    apps.get_model("accounts", "Membership").objects.create(user=user, role="reporter", organisation=school)
    apps.get_model("accounts", "ApiToken").objects.create(
        user=user, name="statistics", prefix="jn_abcd", digest="d" * 64, capabilities=["view"],
        expires_at=now + timedelta(days=90),
    )  # fmt: skip
    job = apps.get_model("reporting", "ImportJob").objects.create(
        form="pi-energy", file_name="一月.xlsx", sha256="a" * 64, size=2048, source="upload", status="done",
        rows_total=2, rows_done=2, created=2, author="u1", created_at=now, finished_at=now, created_by=user,
    )  # fmt: skip
    for month in (1, 2):
        submission = apps.get_model("reporting", "Submission").objects.create(
            organisation=school, form="pi-energy", period=f"2025-{month:02d}", year=2025, month=month,
            status="approved", current=1, approved=1, updated_at=now,
        )  # fmt: skip
        apps.get_model("reporting", "Revision").objects.create(
            submission=submission, number=1, edition="2022", values={"electricity": 1000.5 * month},
            digest=f"{month:064d}", source="upload", author="u1", created_at=now, created_by=user,
            import_job=job, row=month + 1,
        )  # fmt: skip
        apps.get_model("reporting", "ReviewEvent").objects.create(
            submission=submission, revision=1, action="approved", actor="u1", at=now, actor_user=user
        )
        apps.get_model("reporting", "EnergyRecord").objects.create(
            organisation=school, year=2025, month=month, energy_type="electricity",
            quantity=Decimal("1000.5") * month, unit="kWh", cost=Decimal("800.25"), submission=submission,
            revision=1,
        )  # fmt: skip
    for month in (0, 1, 2):
        apps.get_model("dashboard", "RegionFigure").objects.create(
            region="445200", year=2025, month=month, kgce=123.4 + month, water_m3=3.0, units=1,
            coefficient_set="public-institution@2022.1",
        )  # fmt: skip
    apps.get_model("dashboard", "UnitFigure").objects.create(
        organisation=school, region="445200", type_code="05", year=2025, kgce=246.8, months=2,
        coefficient_set="public-institution@2022.1",
    )  # fmt: skip


def _rows(apps: Any, label: str) -> list[dict[str, Any]]:
    model = apps.get_model(label)
    return list(model.objects.order_by("pk").values())


@pytest.mark.django_db(transaction=True)
def test_a_database_of_the_previous_release_with_data_upgrades_without_loss():
    latest = MigrationExecutor(connection).loader.graph.leaf_nodes()
    try:
        old = _migrate(RELEASE_0_2_0).loader.project_state(RELEASE_0_2_0).apps
        _fill(old)
        labels = [m._meta.label for m in old.get_models() if m._meta.app_label in APPS]
        assert len(labels) == 12
        before = {label: _rows(old, label) for label in labels}
        assert all(before.values()), [label for label, rows in before.items() if not rows]

        call_command("migrate", interactive=False, verbosity=0)  # the one upgrade command
        new = MigrationExecutor(connection).loader.project_state(latest).apps
        for label, rows in before.items():
            after = _rows(new, MOVED.get(label, label))
            assert len(after) == len(rows), label
            kept = set(rows[0]) & set(after[0])
            assert "id" in kept and len(kept) >= len(rows[0]) - 1, (label, set(rows[0]) - kept)
            for was, now in zip(rows, after, strict=True):
                assert {k: now[k] for k in kept} == {k: was[k] for k in kept}, label
        executor = MigrationExecutor(connection)
        assert not executor.migration_plan(executor.loader.graph.leaf_nodes())  # nothing left to apply
    finally:
        _migrate(latest)
