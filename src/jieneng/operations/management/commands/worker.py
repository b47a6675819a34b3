"""``jieneng manage worker``: the task worker (django-tasks-db's ``db_worker``, same options) with a
heartbeat in the database, which ``/healthz`` reads. Run it as its own service (docs/deploy.md)."""

from __future__ import annotations

from typing import Any

from django_tasks_db.management.commands.db_worker import Command as DbWorker

from jieneng.operations.heartbeat import Heartbeat


class Command(DbWorker):
    help = "Run the background task worker (large imports), writing a heartbeat for /healthz."

    def handle(self, *args: Any, **options: Any) -> None:
        heartbeat = Heartbeat(str(options["worker_id"]))
        heartbeat.start()
        try:
            super().handle(*args, **options)
        finally:
            heartbeat.stop()
