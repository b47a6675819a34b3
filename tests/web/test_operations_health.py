"""``/healthz`` and the worker's heartbeat: each check fails on its own, and nothing else is said."""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from jieneng.operations import health
from jieneng.operations.heartbeat import Heartbeat
from jieneng.operations.models import WorkerHeartbeat

pytestmark = pytest.mark.django_db


def test_no_worker_is_failing_and_says_only_the_check_names(client):
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {
        "status": "failing",
        "checks": {"database": "ok", "migrations": "ok", "worker": "failing"},
    }
    assert response["Cache-Control"].startswith("max-age=0")


def test_a_recent_heartbeat_is_ok_an_old_one_is_not(client, settings):
    settings.JIENENG = settings.JIENENG.replace(worker_heartbeat_seconds=60)
    WorkerHeartbeat.beat("w1")
    assert client.get("/healthz").status_code == 200
    WorkerHeartbeat.objects.update(beat_at=timezone.now() - timedelta(seconds=61))
    assert client.get("/healthz").json()["checks"]["worker"] == "failing"
    settings.JIENENG = settings.JIENENG.replace(worker_heartbeat_seconds=120)
    assert client.get("/healthz").status_code == 200


def test_an_unapplied_migration_fails(client, monkeypatch):
    WorkerHeartbeat.beat("w1")
    monkeypatch.setattr(MigrationExecutor, "migration_plan", lambda self, targets: [("x", False)])
    assert client.get("/healthz").json()["checks"] == {
        "database": "ok",
        "migrations": "failing",
        "worker": "ok",
    }


def test_a_broken_database_fails_every_check_and_hides_the_error(client, monkeypatch, caplog):
    monkeypatch.setattr(logging.getLogger("jieneng.health"), "handlers", [caplog.handler])  # no propagation

    def broken() -> bool:
        raise RuntimeError("password authentication failed for user jn at db.internal")

    monkeypatch.setattr(health, "database_ok", broken)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert set(response.json()["checks"].values()) == {"failing"}
    assert b"db.internal" not in response.content
    assert "db.internal" in caplog.text  # the reason goes to the log


def test_post_is_not_allowed(client):
    assert client.post("/healthz").status_code == 405


def test_the_worker_beats_when_it_starts_and_the_thread_stops_when_asked():
    beat = Heartbeat("w2", every=30)
    beat.start()  # the first beat is written at once, before the worker takes any task
    row = WorkerHeartbeat.objects.get(pk="w2")
    assert row.pid > 0 and row.started_at <= row.beat_at <= timezone.now()
    beat.stop()
    beat._thread.join(timeout=5)
    assert not beat._thread.is_alive()


def test_a_second_beat_renews_the_same_row():
    WorkerHeartbeat.beat("w3")
    first = WorkerHeartbeat.objects.get(pk="w3")
    WorkerHeartbeat.objects.filter(pk="w3").update(beat_at=first.beat_at - timedelta(minutes=5))
    WorkerHeartbeat.beat("w3")
    again = WorkerHeartbeat.objects.get(pk="w3")
    assert again.beat_at >= first.beat_at and again.started_at == first.started_at
    assert WorkerHeartbeat.objects.count() == 1


def test_old_workers_are_forgotten():
    WorkerHeartbeat.beat("gone")
    WorkerHeartbeat.objects.filter(pk="gone").update(beat_at=timezone.now() - timedelta(days=8))
    WorkerHeartbeat.beat("alive")
    assert WorkerHeartbeat.forget_older_than(timedelta(days=7)) == 1
    assert list(WorkerHeartbeat.objects.values_list("pk", flat=True)) == ["alive"]
