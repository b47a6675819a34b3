"""A killed worker's imports do not stay "running": a live worker marks them failed, the page says why."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from conftest import ORGANISATIONS
from django.test import Client
from django.utils import timezone

from jieneng import config
from jieneng.operations.heartbeat import Heartbeat
from jieneng.operations.models import WorkerHeartbeat
from jieneng.operations.recovery import fail_abandoned
from jieneng.reporting.imports.receive import receive
from jieneng.reporting.models import ImportJob

pytestmark = pytest.mark.django_db
HEADER = "统一社会信用代码,单位名称,统计期,电力消费量（千瓦时）,电费（元）\n"


@pytest.fixture
def running(people, tmp_path: Path, settings) -> ImportJob:
    """An import its worker had started a while ago, as a killed worker leaves it."""
    settings.UPLOADS_DIR = tmp_path / "uploads"
    (_o, code, name, *_r) = ORGANISATIONS[0]
    path = tmp_path / "九月.csv"
    path.write_text(HEADER + f"{code},{name},2026-09,100,80\n", encoding="utf-8")
    job = receive(path, path.name, "pi-energy", author="填报员", source="upload", user=people.department)
    age = timedelta(seconds=config.current().worker_heartbeat_seconds)
    started = timezone.now() - 3 * age
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.RUNNING, started_at=started)
    job.refresh_from_db()
    return job


def test_a_worker_alive_since_before_the_job_keeps_it_running(running):
    WorkerHeartbeat.beat("old", started_at=running.started_at - timedelta(seconds=1))
    assert fail_abandoned() == 0
    running.refresh_from_db()
    assert running.status == ImportJob.Status.RUNNING


def test_a_restarted_worker_fails_the_dead_workers_job_and_the_page_says_why(running, people):
    WorkerHeartbeat.objects.create(
        worker_id="dead", started_at=running.started_at, beat_at=running.started_at + timedelta(seconds=1)
    )
    heartbeat = Heartbeat("new", every=3600)
    heartbeat.start()  # its first beat looks for abandoned jobs
    heartbeat.stop()
    running.refresh_from_db()
    assert running.status == ImportJob.Status.FAILED and running.abandoned and running.finished_at
    client = Client()
    client.force_login(people.department)
    page = client.get(f"/reporting/import/{running.pk}/", headers={"Accept-Language": "zh-hans"})
    assert "执行此次导入的后台进程在完成前已停止" in page.content.decode()
    assert fail_abandoned() == 0  # once


def test_a_recent_job_is_left_alone(running):
    ImportJob.objects.filter(pk=running.pk).update(started_at=timezone.now())
    assert fail_abandoned() == 0
