"""The import and review services on the hand-made city: all or nothing, idempotent, every revision
kept, only approved values in the statistics. Runs on SQLite and on PostgreSQL."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import ORGANISATIONS

from jieneng.reporting import review
from jieneng.reporting.imports.receive import receive
from jieneng.reporting.imports.report import report_json
from jieneng.reporting.imports.run import run_import
from jieneng.reporting.models import ImportJob, ReviewEvent, Revision, Submission
from jieneng.statistics.models import EnergyRecord

HEADER = "统一社会信用代码,单位名称,统计期,电力消费量（千瓦时）,电费（元）,用水量（立方米）\n"
TODAY = date(2026, 11, 21)
pytestmark = pytest.mark.django_db


def _file(tmp_path: Path, name: str, lines: list[str]) -> Path:
    path = tmp_path / name
    path.write_text(HEADER + "".join(line + "\n" for line in lines), encoding="utf-8")
    return path


def _import(path: Path) -> ImportJob:
    job = receive(path, path.name, "pi-energy", author="测试员", source="cli")
    return run_import(job.pk, today=TODAY)


def _record(submission: Submission, energy: str) -> EnergyRecord:
    return EnergyRecord.objects.get(
        organisation=submission.organisation, year=2026, month=4, energy_type=energy
    )


def _rows(month: str, electricity: float = 10_000) -> list[str]:
    org1, org2 = ORGANISATIONS[0], ORGANISATIONS[1]
    return [
        f"{org1[1]},{org1[2]},{month},{electricity},8000,500",
        f"{org2[1]},{org2[2]},{month},5000,4000,200",
    ]


def test_a_good_file_creates_submitted_revisions_that_do_not_count_until_approved(loaded, tmp_path):
    records_before = EnergyRecord.objects.count()
    job = _import(_file(tmp_path, "april.csv", _rows("2026-04")))
    assert job.status == ImportJob.Status.DONE, report_json(job)["problems"]
    assert (job.created, job.revised, job.unchanged, job.blocking) == (2, 0, 0, 0)
    submission = Submission.objects.get(organisation__credit_code=ORGANISATIONS[0][1], period="2026-04")
    assert submission.status == Submission.Status.SUBMITTED
    assert submission.revisions.get().values["electricity"] == 10_000
    revision = submission.revisions.get()
    assert (revision.author, revision.source, revision.row) == ("测试员", "cli", 2)  # who, how, where from
    assert EnergyRecord.objects.count() == records_before  # not approved: not in the statistics

    assert review.approve([submission.pk], actor="审核员") == 1
    record = _record(submission, "electricity")
    assert (record.quantity, record.unit, record.cost) == (Decimal("10000"), "kWh", Decimal("8000"))
    water = _record(submission, "water")
    assert (water.quantity, water.unit) == (Decimal("500"), "t")  # m³ of water reported as t


def test_importing_the_same_file_twice_changes_nothing(loaded, tmp_path):
    path = _file(tmp_path, "april.csv", _rows("2026-04"))
    _import(path)
    revisions, events = Revision.objects.count(), ReviewEvent.objects.count()
    again = _import(path)
    assert (again.created, again.revised, again.unchanged) == (0, 0, 2)
    assert (Revision.objects.count(), ReviewEvent.objects.count()) == (revisions, events)


def test_a_corrected_file_adds_a_revision_and_keeps_the_old_one(loaded, tmp_path):
    _import(_file(tmp_path, "april.csv", _rows("2026-04")))
    submission = Submission.objects.get(organisation__credit_code=ORGANISATIONS[0][1], period="2026-04")
    review.approve([submission.pk], actor="审核员")
    fixed = _import(_file(tmp_path, "april-fixed.csv", _rows("2026-04", electricity=12_000)))
    assert (fixed.created, fixed.revised, fixed.unchanged) == (0, 1, 1)
    submission.refresh_from_db()
    assert (submission.current, submission.approved, submission.status) == (2, 1, Submission.Status.SUBMITTED)
    old, new = submission.revisions.order_by("number")
    assert (old.values["electricity"], new.values["electricity"]) == (10_000, 12_000)
    assert old.author == new.author == "测试员" and old.import_job_id != new.import_job_id
    # the approved revision still feeds the statistics until the new one is approved
    record = _record(submission, "electricity")
    assert record.quantity == Decimal("10000") and record.revision == 1
    review.approve([submission.pk], actor="审核员")
    record = _record(submission, "electricity")
    assert record.quantity == Decimal("12000") and record.revision == 2


def test_a_file_with_a_blocking_problem_stores_nothing(loaded, tmp_path):
    counts = (Submission.objects.count(), Revision.objects.count(), ReviewEvent.objects.count())
    lines = [*_rows("2026-04"), "91440000MA00000000,不存在的单位,2026-04,100,80,1"]
    job = _import(_file(tmp_path, "unknown.csv", lines))
    assert job.status == ImportJob.Status.BLOCKED and job.blocking >= 1
    assert (Submission.objects.count(), Revision.objects.count(), ReviewEvent.objects.count()) == counts
    problem = next(
        p for p in report_json(job)["problems"] if p["code"] == "mistyped_credit_code"
    )  # its check character is wrong
    assert problem["row"] == 4 and problem["severity"] == "blocking"


def test_a_negative_quantity_blocks_and_names_its_cell(loaded, tmp_path):
    job = _import(_file(tmp_path, "negative.csv", _rows("2026-04", electricity=-5)))
    assert job.status == ImportJob.Status.BLOCKED
    problem = next(p for p in report_json(job)["problems"] if p["code"] == "negative_quantity")
    assert (problem["row"], problem["column"], problem["value"]) == (2, "电力消费量（千瓦时）", "-5")


def test_returning_needs_a_reason_and_is_recorded(loaded, tmp_path):
    _import(_file(tmp_path, "april.csv", _rows("2026-04")))
    submission = Submission.objects.filter(period="2026-04").first()
    with pytest.raises(review.ReviewError):
        review.return_([submission.pk], reason="  ", actor="审核员")
    assert review.return_([submission.pk], reason="电量比去年同期低一半，请核实", actor="审核员") == 1
    submission.refresh_from_db()
    assert submission.status == Submission.Status.RETURNED
    event = submission.events.latest("at")
    assert (event.action, event.reason, event.actor) == ("returned", "电量比去年同期低一半，请核实", "审核员")
    assert review.approve([submission.pk], actor="审核员") == 1  # a reviewer may still approve it


def test_the_demo_data_went_through_submissions(loaded):
    assert Submission.objects.filter(form="pi-energy").exists()
    assert not EnergyRecord.objects.filter(submission_id__isnull=True).exists()
    approved = Submission.objects.filter(status=Submission.Status.APPROVED).count()
    assert approved == Submission.objects.count()  # the hand-made city has nothing to flag
