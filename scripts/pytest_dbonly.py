"""pytest plugin: keep only the tests that use the database (``-p pytest_dbonly``, scripts/ on sys.path).

`python3 tasks.py test` runs the whole suite on SQLite, then these tests again on PostgreSQL. A test uses
the database when it has the ``django_db`` mark, requests a database fixture (``db``, ``transactional_db``,
``live_server``, ``client`` used with ``db``, … all pull in ``django_db_setup``), or is a Django
``TransactionTestCase``/``TestCase``.
"""

from __future__ import annotations

import pytest

DB_FIXTURES = {"django_db_setup", "_django_db_helper", "db", "transactional_db", "live_server"}


def uses_database(item: pytest.Item) -> bool:
    if item.get_closest_marker("django_db") is not None:
        return True
    if DB_FIXTURES & set(getattr(item, "fixturenames", ())):
        return True
    cls = getattr(item, "cls", None)
    if cls is None:
        return False
    from django.test import TransactionTestCase  # Django is set up by pytest-django by now

    return issubclass(cls, TransactionTestCase)


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    keep: list[pytest.Item] = []
    dropped: list[pytest.Item] = []
    for item in items:
        (keep if uses_database(item) else dropped).append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = keep


def pytest_report_header() -> str:
    return "pytest_dbonly: running only the tests that use the database"
