"""The task worker's heartbeat: a thread of the worker process that renews its row every quarter of
``JIENENG_WORKER_HEARTBEAT_SECONDS`` (the age after which ``/healthz`` reports the worker failing)."""

from __future__ import annotations

import logging
import os
import socket
import threading
from datetime import timedelta

from django.db import close_old_connections, connection
from django.utils import timezone

from jieneng import config

logger = logging.getLogger("jieneng.worker")
FORGET_AFTER = timedelta(days=7)  # rows of workers stopped this long ago are deleted


class Heartbeat:
    def __init__(self, worker_id: str, every: float | None = None) -> None:
        self.worker_id = worker_id
        self.every = every if every is not None else config.current().worker_heartbeat_seconds / 4
        self.started_at = timezone.now()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="jieneng-heartbeat", daemon=True)

    def beat(self) -> None:
        from jieneng.operations.models import WorkerHeartbeat

        WorkerHeartbeat.beat(
            self.worker_id, host=socket.gethostname()[:255], pid=os.getpid(), started_at=self.started_at
        )

    def start(self) -> None:
        """The first beat at once (an error here stops the worker's start), then one per period."""
        from jieneng.operations.models import WorkerHeartbeat

        WorkerHeartbeat.forget_older_than(FORGET_AFTER)
        self.beat()
        _fail_abandoned()
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()

    def _run(self) -> None:
        try:
            while not self._stop.wait(self.every):
                try:
                    close_old_connections()
                    self.beat()
                    _fail_abandoned()  # the jobs of workers that died
                except Exception:  # the database may be away for a moment: beat again next time
                    logger.exception("heartbeat failed")
        finally:
            connection.close()


def _fail_abandoned() -> None:
    from jieneng.operations.recovery import fail_abandoned

    fail_abandoned()
