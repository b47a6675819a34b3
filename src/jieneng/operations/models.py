"""The task worker's heartbeat: each worker process keeps one row, renewed while it runs.

Not audited: it records no one's work, only that a process is alive."""

from __future__ import annotations

from datetime import timedelta

from django.db import models
from django.utils import timezone


class WorkerHeartbeat(models.Model):
    worker_id = models.CharField(max_length=64, primary_key=True)
    host = models.CharField(max_length=255, blank=True, default="")
    pid = models.PositiveIntegerField(default=0)
    started_at = models.DateTimeField()
    beat_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"{self.worker_id} {self.beat_at:%Y-%m-%d %H:%M:%S}"

    @classmethod
    def beat(cls, worker_id: str, *, host: str = "", pid: int = 0, started_at: object = None) -> None:
        """Renew ``worker_id``'s row (made on its first beat)."""
        now = timezone.now()
        cls.objects.update_or_create(
            worker_id=worker_id,
            defaults={"beat_at": now, "host": host, "pid": pid},
            create_defaults={"beat_at": now, "host": host, "pid": pid, "started_at": started_at or now},
        )

    @classmethod
    def forget_older_than(cls, age: timedelta) -> int:
        """Delete the rows of workers gone for longer than ``age``; how many."""
        deleted, _by_model = cls.objects.filter(beat_at__lt=timezone.now() - age).delete()
        return deleted

    @classmethod
    def latest(cls) -> WorkerHeartbeat | None:
        return cls.objects.order_by("-beat_at").first()
