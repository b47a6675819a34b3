"""An import whose worker died: its page says it was marked failed and offers to run it again; the new
run imports the kept file and the two pages link each other. A job failed on a reading limit offers no
such button (the same file would fail again)."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import xlsxwriter
from django.test import Client
from django.utils import timezone
from test_reporting_blanks import _current, workbook

from jieneng.operations.recovery import fail_abandoned
from jieneng.reporting.imports.receive import receive
from jieneng.reporting.imports.run import run_import
from jieneng.reporting.models import ImportJob

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def uploads(settings, tmp_path):
    settings.UPLOADS_DIR = tmp_path / "uploads"


def test_an_abandoned_job_is_marked_failed_and_run_again_with_a_button(people, tmp_path):
    client = Client()
    client.force_login(people.department)
    path = workbook(tmp_path / "九月.xlsx", 1000, 800, 50)
    job = receive(path, path.name, "pi-energy", author="department", user=people.department)
    started = timezone.now() - timedelta(hours=1)
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.RUNNING, started_at=started)
    assert fail_abandoned() == 1
    page = client.get(f"/reporting/import/{job.pk}/").content.decode()
    assert "已标记为失败" in page and "重新执行本次导入" in page
    assert "This is a fault of the site" not in page and "网站故障" not in page
    response = client.post(f"/reporting/import/{job.pk}/again/")
    assert response.status_code == 302
    rerun = ImportJob.objects.get(pk=re.findall(r"[0-9a-f-]{36}", response["Location"])[0])
    assert rerun.again_of_id == job.pk and rerun.status == ImportJob.Status.DONE and rerun.created == 1
    assert _current().values["electricity"] == 1000
    old = client.get(f"/reporting/import/{job.pk}/").content.decode()
    assert f"/reporting/import/{rerun.pk}/" in old and "重新执行本次导入" not in old
    new = client.get(f"/reporting/import/{rerun.pk}/").content.decode()
    assert f"/reporting/import/{job.pk}/" in new and "重新导入" in new


def test_a_job_failed_on_a_limit_is_not_offered_again(people, tmp_path, settings):
    settings.JIENENG = settings.JIENENG.replace(import_max_columns=100)
    client = Client()
    client.force_login(people.department)
    path = tmp_path / "far.xlsx"
    book = xlsxwriter.Workbook(str(path))
    book.add_worksheet().write(1_048_575, 16_383, 1)
    book.close()
    job = run_import(receive(path, path.name, "pi-energy", author="department", user=people.department).pk)
    assert job.status == ImportJob.Status.FAILED
    page = client.get(f"/reporting/import/{job.pk}/").content.decode()
    assert "JIENENG_IMPORT_MAX_COLUMNS" in page and "重新执行本次导入" not in page
    annotated = client.get(f"/reporting/import/{job.pk}/annotated.xlsx")  # the list alone, no crash
    assert annotated.status_code == 200


def test_only_the_uploader_may_run_a_job_again(people, tmp_path):
    path = workbook(tmp_path / "九月.xlsx", 1000, 800, 50)
    job = run_import(receive(path, path.name, "pi-energy", author="department", user=people.department).pk)
    other = Client()
    other.force_login(people.other_reporter)
    assert other.post(f"/reporting/import/{job.pk}/again/").status_code == 404
    assert other.get(f"/reporting/import/{job.pk}/again/").status_code in (404, 405)
    assert not ImportJob.objects.filter(again_of=job).exists()
