"""Imports left "running" by a worker that died (killed, out of memory, the machine restarted).

A job is abandoned when it has been running for longer than the heartbeat's failing age
(``JIENENG_WORKER_HEARTBEAT_SECONDS``) and no worker that was already alive when the job started is
still beating: the process that ran it is gone. Such a job is marked failed with a message saying so;
nothing of it was stored (an import stores all or nothing, in one transaction), so the user uploads the
file again. Every live worker looks for abandoned jobs at each heartbeat, so a restarted worker clears
its predecessor's jobs within a quarter of that age.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.utils import timezone

from jieneng import config
from jieneng.operations.models import WorkerHeartbeat
from jieneng.reporting.models import ABANDONED, ImportJob

logger = logging.getLogger("jieneng.worker")


def fail_abandoned(now: datetime | None = None) -> int:
    """Mark the abandoned running imports failed, with :data:`ABANDONED`; how many."""
    now = now or timezone.now()
    age = timedelta(seconds=config.current().worker_heartbeat_seconds)
    live_since = list(
        WorkerHeartbeat.objects.filter(beat_at__gte=now - age).values_list("started_at", flat=True)
    )
    running = ImportJob.objects.filter(status=ImportJob.Status.RUNNING, started_at__lt=now - age)
    if live_since:  # a worker alive since before the job started may still be running it
        running = running.filter(started_at__lt=min(live_since))
    failed = 0
    for job in running.only("pk"):
        failed += ImportJob.objects.filter(pk=job.pk, status=ImportJob.Status.RUNNING).update(
            status=ImportJob.Status.FAILED, error=ABANDONED, phase="", finished_at=now
        )
    if failed:
        logger.warning("marked %s abandoned import(s) failed", failed)
    return failed
