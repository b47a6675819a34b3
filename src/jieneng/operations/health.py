"""``/healthz``: whether the database answers, every migration is applied and a task worker is alive.

The answer names each check and says ``ok`` or ``failing``, nothing more (no versions, counts, host
names or error texts: it needs no sign-in, so it must tell an outsider nothing). 200 when every check
is ok, else 503, so that a load balancer or a monitor reads the status code alone.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from jieneng import config

logger = logging.getLogger("jieneng.health")
CHECKS = ("database", "migrations", "worker")


def database_ok() -> bool:
    with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
        cursor.execute("SELECT 1")
        return bool(cursor.fetchone() == (1,))


def migrations_ok() -> bool:
    connection = connections[DEFAULT_DB_ALIAS]
    executor = MigrationExecutor(connection)
    return not executor.migration_plan(executor.loader.graph.leaf_nodes())


def worker_ok() -> bool:
    from jieneng.operations.models import WorkerHeartbeat

    latest = WorkerHeartbeat.latest()
    limit = timedelta(seconds=config.current().worker_heartbeat_seconds)
    return latest is not None and timezone.now() - latest.beat_at <= limit


def run_checks() -> dict[str, bool]:
    """Each check's result; a check that raises has failed (its error goes to the log, not the page)."""
    results: dict[str, bool] = {}
    for name, check in (("database", database_ok), ("migrations", migrations_ok), ("worker", worker_ok)):
        if name != "database" and not results.get("database"):
            results[name] = False  # nothing else can be known without the database
            continue
        try:
            results[name] = check()
        except Exception:
            logger.exception("health check %s failed", name)
            results[name] = False
    return results


@never_cache
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    results = run_checks()
    healthy = all(results.values())
    body = {
        "status": "ok" if healthy else "failing",
        "checks": {name: "ok" if results[name] else "failing" for name in CHECKS},
    }
    return JsonResponse(body, status=200 if healthy else 503)
