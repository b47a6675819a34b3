"""A hand-made city for the web tests: 揭阳市 with two counties of three organisations each, one
city-level organisation, a county without organisations, and the years 2020 (base), 2024, 2025 and
a partial 2026.

Every month of a year carries the same quantity, so a year is 12 × the monthly figure, scaled by
:data:`YEAR_FACTOR` (2025 × 1, 2024 × 1.25, 2020 × 1.5). The golden values in the tests are computed
by hand from these tables.
"""

from __future__ import annotations

from collections.abc import Iterator
from types import SimpleNamespace
from typing import Any

import polars as pl
import pytest
from django.apps import apps
from django.contrib.auth.hashers import Argon2PasswordHasher
from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.models import Model

from jieneng.reporting.services import load_demo

REGIONS = [
    ("440000", "广东省", 1, None),
    ("445200", "揭阳市", 2, "440000"),
    ("445202", "榕城区", 3, "445200"),
    ("445222", "揭西县", 3, "445200"),
    ("445224", "惠来县", 3, "445200"),  # no organisations
]
# org, credit code, name, type, region, supervisor
ORGANISATIONS = [
    (1, "11445202100000016B", "榕城区机关事务服务中心", "01", "445202", None),
    (2, "124452021000000243", "榕城区第一中学", "021", "445202", 1),
    (3, "12445202100000032X", "榕城区人民医院", "024", "445202", None),
    (4, "11445222100000040T", "揭西县人民政府办公室", "01", "445222", None),
    (5, "12445222100000059L", "揭西县实验小学", "021", "445222", 4),
    (6, "12445222100000067F", "揭西县图书馆", "023", "445222", None),
    (7, "11445200100000075H", "揭阳市机关事务管理局", "01", "445200", None),
]
# org → (energy type, quantity per month in 2025, unit)
MONTHLY: dict[int, list[tuple[str, float, str]]] = {
    1: [("electricity", 10_000, "kWh"), ("gasoline", 100, "L"), ("water", 500, "m3")],
    2: [("electricity", 0.5, "万kWh"), ("natural_gas", 100, "m3"), ("water", 200, "m3")],
    3: [("electricity", 2_000, "kWh"), ("water", 100, "m3")],
    4: [("electricity", 20_000, "kWh"), ("gasoline", 200, "L"), ("water", 1_000, "m3")],
    5: [("electricity", 3_000, "kWh"), ("water", 150, "m3")],
    6: [("electricity", 1_000, "kWh"), ("water", 50, "m3"), ("solar_pv", 500, "kWh")],
    7: [("electricity", 40_000, "kWh"), ("water", 2_000, "m3")],
}
YEAR_FACTOR = {2020: 1.5, 2024: 1.25, 2025: 1.0}
COST_PER_RECORD = 1_000.0  # 元, every monthly record but electricity's
PRICE_PER_KWH = 0.8  # 元: electricity costs its kWh × this (a plausible price for the unit-price check)
# org → (persons, area m²) in 2025; 2024: org 1 has 80 persons; 2020: org 4 has 250 persons
FACTS_2025 = {1: (100, 5_000), 2: (50, 2_000), 3: (50, 1_000), 4: (200, 10_000), 5: (40, 2_000),
              6: (10, 500), 7: (400, 20_000)}  # fmt: skip


def _facts() -> pl.DataFrame:
    rows = []
    for year in (2020, 2024, 2025, 2026):
        for org, (persons_2025, area) in FACTS_2025.items():
            persons = persons_2025
            if year == 2024 and org == 1:
                persons = 80
            if year == 2020 and org == 4:
                persons = 250
            rows.append((org, year, float(area), persons, 1))
    schema = {
        "org": pl.Int32,
        "year": pl.Int16,
        "area_m2": pl.Float64,
        "persons": pl.Int32,
        "vehicles": pl.Int16,
    }
    return pl.DataFrame(rows, schema=schema, orient="row")


def cost_of(energy: str, quantity: float, unit: str) -> float:
    """The 元 of one monthly record: electricity by its kWh, every other energy type the same."""
    if energy != "electricity":
        return COST_PER_RECORD
    return quantity * (10_000 if unit == "万kWh" else 1) * PRICE_PER_KWH


def _records() -> pl.DataFrame:
    region = {org: code for org, _, _, _, code, _ in ORGANISATIONS}
    rows = []
    for year, factor in YEAR_FACTOR.items():
        for org, items in MONTHLY.items():
            for energy, quantity, unit in items:
                cost = cost_of(energy, quantity * factor, unit)
                for month in range(1, 13):
                    rows.append((org, region[org], year, month, energy, quantity * factor, unit, cost))
    for month in (1, 2, 3):  # 2026 so far: three months of org 1's electricity
        cost = cost_of("electricity", 10_000.0, "kWh")
        rows.append((1, "445202", 2026, month, "electricity", 10_000.0, "kWh", cost))
    schema = {
        **{"org": pl.Int32, "region": pl.String, "year": pl.Int16, "month": pl.Int8},
        **{"energy_type": pl.String, "quantity": pl.Float64, "unit": pl.String, "cost": pl.Float64},
    }
    return pl.DataFrame(rows, schema=schema, orient="row")


def city_data() -> SimpleNamespace:
    """The frames in the shape of ``jieneng.demo.generator.DemoData``."""
    regions = pl.DataFrame(
        REGIONS,
        schema={"code": pl.String, "name": pl.String, "level": pl.Int8, "parent_code": pl.String},
        orient="row",
    )
    organisations = pl.DataFrame(
        [(*row[:5], row[5], f"地址{row[0]}号") for row in ORGANISATIONS],
        schema={
            "org": pl.Int32,
            "credit_code": pl.String,
            "name": pl.String,
            "type_code": pl.String,
            "region": pl.String,
            "supervisor": pl.Int32,
            "address": pl.String,
        },
        orient="row",
    )
    return SimpleNamespace(
        regions=regions, organisations=organisations, facts=_facts(), records=_records(), planted=()
    )


@pytest.fixture
def city() -> SimpleNamespace:
    return city_data()


Rows = list[tuple[type[Model], list[Model]]]


@pytest.fixture(scope="session")
def city_rows(django_db_setup: None, django_db_blocker: Any) -> Rows:
    """What :func:`load_demo` writes for the hand-made city, row by row, model by model: loaded once a
    session through the real path (checks, review, roll-ups) in a transaction that is rolled back."""
    models = apps.get_models(include_auto_created=True)
    rows: Rows = []
    with django_db_blocker.unblock(), transaction.atomic():
        before = {model: set(model._base_manager.values_list("pk", flat=True)) for model in models}
        load_demo(city_data(), progress=lambda _message: None)
        for model in models:
            new = [row for row in model._base_manager.order_by("pk") if row.pk not in before[model]]
            if new:
                rows.append((model, new))
        transaction.set_rollback(True)
    return rows


def insert_city(rows: Rows) -> bool:
    """Write the rows of :func:`city_rows` again, sequences moved past them; False (nothing written)
    when a table they go to is not empty (or a row they point to is missing): then load afresh."""
    if any(model._base_manager.exists() for model, _rows in rows):
        return False
    for model, _rows in rows:
        for field in model._meta.concrete_fields:
            target = field.related_model if field.is_relation else None
            if target is not None and all(target is not other for other, _ in rows):
                wanted = {getattr(row, field.attname) for row in _rows} - {None}
                if wanted and target._base_manager.filter(pk__in=wanted).count() != len(wanted):
                    return False
    with transaction.atomic():
        for model, objects in rows:
            model._base_manager.bulk_create(objects)
        with connection.cursor() as cursor:
            for statement in connection.ops.sequence_reset_sql(no_style(), [model for model, _ in rows]):
                cursor.execute(statement)
    return True


@pytest.fixture
def loaded(db: None, city: SimpleNamespace, city_rows: Rows) -> SimpleNamespace:
    """The hand-made city, loaded into the test database (the rows of one load, written again)."""
    if not insert_city(city_rows):
        load_demo(city, progress=lambda _message: None)
    return city


# --- accounts at places of the hand-made city, for the scoping tests --------------------------------
PASSWORD = "Jieneng-test-2026"
# name → (role, region code or organisation index of ORGANISATIONS)
PEOPLE: dict[str, tuple[str, str | int]] = {
    "city_admin": ("office_admin", "445200"),
    "county_admin": ("office_admin", "445202"),
    "other_county_admin": ("office_admin", "445222"),
    "reviewer": ("reviewer", "445202"),
    "viewer": ("viewer", "445200"),
    "department": ("department_admin", 1),  # 榕城区机关事务服务中心, supervises 榕城区第一中学
    "reporter": ("reporter", 2),  # 榕城区第一中学
    "other_reporter": ("reporter", 5),  # 揭西县实验小学
    "check_team": ("check_team", 3),  # 榕城区人民医院 (and 惠来县, below)
}


@pytest.fixture
def people(loaded: SimpleNamespace) -> SimpleNamespace:
    """A user for each entry of :data:`PEOPLE` (password :data:`PASSWORD`), plus ``nobody`` (no
    membership) and ``root`` (superuser); ``org`` maps ORGANISATIONS' index to the stored id."""
    from django.contrib.auth import get_user_model

    from jieneng.accounts.models import Membership
    from jieneng.directory.models import Organisation, Region

    users = get_user_model()
    org = {index: Organisation.objects.get(credit_code=code).pk for index, code, *_rest in ORGANISATIONS}
    out = SimpleNamespace(org=org)
    for name, (role, place) in PEOPLE.items():
        user = users.objects.create_user(username=name, password=PASSWORD)
        if isinstance(place, str):
            Membership.objects.create(user=user, role=role, region=Region.objects.current().get(code=place))
        else:
            Membership.objects.create(user=user, role=role, organisation_id=org[place])
        setattr(out, name, user)
    Membership.objects.create(
        user=out.check_team, role="check_team", region=Region.objects.current().get(code="445224")
    )
    out.nobody = users.objects.create_user(username="nobody", password=PASSWORD)
    out.root = users.objects.create_superuser(username="root", password=PASSWORD)
    return out


class FastArgon2PasswordHasher(Argon2PasswordHasher):
    """Argon2 with the smallest costs: the same algorithm and hash format, without a second per hash."""

    time_cost = 1
    memory_cost = 8
    parallelism = 1


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: object) -> None:
    settings.PASSWORD_HASHERS = ["conftest.FastArgon2PasswordHasher"]  # type: ignore[attr-defined]


@pytest.fixture(autouse=True)
def _fresh_dashboard_cache() -> None:
    """Each test starts with no cached dashboard: test databases are rolled back, stamps with them."""
    from django.core.cache import cache

    cache.clear()


# --- the browser tests' page ---------------------------------------------------------------------


@pytest.fixture
def page(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """A page of Chromium (tests/web/browser.py) in Chinese at 1366 × 768."""
    from browser import chromium

    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with chromium() as browser:
        context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="zh-CN")
        yield context.new_page()
