"""Import jobs of hostile files: a file beyond a limit fails its job naming the limit, an unfilled one is
refused, a huge report keeps a bounded number of problems — and the process goes on serving."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
import xlsxwriter
from conftest import ORGANISATIONS

from jieneng.reporting.imports.receive import REPORT_FILE, receive, upload_dir
from jieneng.reporting.imports.report import KEPT_PER_CODE, problems, summary
from jieneng.reporting.imports.run import run_import
from jieneng.reporting.models import ImportJob, Submission

HEADER = "统一社会信用代码,单位名称,统计期,电力消费量（千瓦时）,电费（元）,用水量（立方米）\n"
TODAY = date(2026, 11, 21)
pytestmark = pytest.mark.django_db


def _import(path: Path) -> ImportJob:
    job = receive(path, path.name, "pi-energy", author="测试员", source="cli")
    return run_import(job.pk, today=TODAY)


def test_a_cell_at_xfd1048576_fails_its_job_naming_the_limit(loaded, tmp_path, settings):
    settings.JIENENG = settings.JIENENG.replace(import_max_columns=100)
    path = tmp_path / "far.xlsx"
    book = xlsxwriter.Workbook(str(path))
    book.add_worksheet().write(1_048_575, 16_383, 1)
    book.close()
    before = Submission.objects.count()
    job = _import(path)
    assert job.status == ImportJob.Status.FAILED
    assert "JIENENG_IMPORT_MAX_COLUMNS" in job.error and "JIENENG_IMPORT_MAX_COLUMNS" in summary(job)
    assert [p.code for p in problems(job)[0]] == ["too_many_columns"]
    assert Submission.objects.count() == before
    good = tmp_path / "good.csv"  # the same process goes on importing
    org = ORGANISATIONS[0]
    good.write_text(HEADER + f"{org[1]},{org[2]},2026-04,100,80,5\n", encoding="utf-8")
    assert _import(good).status == ImportJob.Status.DONE


def test_an_unfilled_template_is_refused(loaded, tmp_path):
    path = tmp_path / "header-only.csv"
    path.write_text("2026年4月 能源资源消费\n" + HEADER, encoding="utf-8")
    job = _import(path)
    assert job.status == ImportJob.Status.BLOCKED
    assert [p.code for p in problems(job)[0]] == ["no_data_rows"]


def test_a_report_keeps_the_first_problems_of_each_code_and_counts_the_rest(loaded, tmp_path):
    rows = "".join(f"9144520000000{i:05d}X,某单位{i},2026-04,100,80,5\n" for i in range(KEPT_PER_CODE + 50))
    path = tmp_path / "unknown-units.csv"
    path.write_text(HEADER + rows, encoding="utf-8")
    job = _import(path)
    assert job.status == ImportJob.Status.BLOCKED and job.blocking >= KEPT_PER_CODE + 50
    data = json.loads((upload_dir(job) / REPORT_FILE).read_text())
    kept = [p["code"] for p in data["problems"]]
    code = max(data["counts"], key=data["counts"].get)
    assert data["counts"][code] >= KEPT_PER_CODE + 50
    assert kept.count(code) == KEPT_PER_CODE and "more_problems" in kept
