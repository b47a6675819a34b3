"""A blank cell over a stored value never clears it silently: the value is kept and listed, and clearing
takes the uploader's confirmation (the job page's button, ``clear_blanks`` on upload, ``--clear-blanks``
on the command line). Files are real workbooks written here; the roll-ups equal a rebuild after each step.
"""

from __future__ import annotations

import io
import re
from contextlib import redirect_stderr
from pathlib import Path

import pytest
import xlsxwriter
from django.test import Client
from django.utils import translation
from test_rollups import _assert_equals_rebuild

from jieneng.i18n import render
from jieneng.reporting import review
from jieneng.reporting.imports.receive import again, receive
from jieneng.reporting.imports.report import problems, report_json
from jieneng.reporting.imports.run import run_import
from jieneng.reporting.models import ImportJob, Revision, Submission

pytestmark = pytest.mark.django_db

HEADER = [
    "统一社会信用代码",
    "单位名称",
    "统计期",
    "电力消费量（千瓦时）",
    "电费（元）",
    "水消费量（吨）",
    "填写说明",
]
SCHOOL = ("124452021000000243", "榕城区第一中学")
PERIOD = "2026-09"


@pytest.fixture(autouse=True)
def uploads(settings, tmp_path):
    settings.UPLOADS_DIR = tmp_path / "uploads"


def workbook(path: Path, electricity: float, cost: float, water: float | None) -> Path:
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("能源资源消费")
    sheet.write_row(0, 0, ["公共机构能源资源消费统计表", "统计期：2026年9月"])
    sheet.write_row(2, 0, HEADER)
    sheet.write_row(3, 0, [*SCHOOL, PERIOD, electricity, cost])
    if water is not None:
        sheet.write_number(3, 5, water)
    sheet.write_string(3, 6, "本月部分楼栋停用，用量下降属实")  # the change on last year is explained
    book.close()
    return path


def _import(path: Path, *, clear: bool = False) -> ImportJob:
    job = receive(path, path.name, "pi-energy", author="测试员", source="cli", clear_blanks=clear)
    return run_import(job.pk)


def _current() -> Revision:
    submission = Submission.objects.get(organisation__credit_code=SCHOOL[0], form="pi-energy", period=PERIOD)
    return Revision.objects.get(submission=submission, number=submission.current)


def _approve() -> None:
    submission = _current().submission
    assert review.approve([submission.pk], actor="test") == 1


def test_a_blank_cell_keeps_the_stored_value_until_clearing_is_confirmed(loaded, tmp_path):
    first = _import(workbook(tmp_path / "九月.xlsx", 1000, 800, 50))
    assert first.status == ImportJob.Status.DONE and first.created == 1
    _approve()
    _assert_equals_rebuild()

    blank = _import(workbook(tmp_path / "九月-改.xlsx", 1200, 900, None))  # the water cell left blank
    assert blank.status == ImportJob.Status.DONE and blank.revised == 1
    revision = _current()
    assert revision.values["electricity"] == 1200 and revision.values["water"] == 50  # kept
    (kept,) = [p for p in problems(blank)[0] if p.code.startswith("blank_")]
    assert (kept.code, kept.severity, kept.row, kept.column) == (
        "blank_keeps_value",
        "advisory",
        4,
        HEADER[5],
    )
    with translation.override("zh-hans"):
        text = render(kept)
    assert (
        "榕城区第一中学" in text and PERIOD in text and "水消费量" in text and "50" in text and "吨" in text
    )
    assert "water" not in text
    assert report_json(blank)["blanks_kept"] == 1 and not report_json(blank)["clear_blanks"]
    _approve()
    _assert_equals_rebuild()

    cleared = run_import(again(blank, author="测试员", clear_blanks=True).pk)  # confirmed
    assert cleared.status == ImportJob.Status.DONE and cleared.revised == 1 and cleared.clear_blanks
    assert _current().values["water"] is None and _current().values["electricity"] == 1200
    codes = [p.code for p in problems(cleared)[0]]
    assert codes.count("blank_clears_value") == 1 and "blank_keeps_value" not in codes
    assert "blank_clears_value" in _current().flags  # the reviewer sees that a value was cleared
    _approve()
    _assert_equals_rebuild()


def test_a_column_the_file_lacks_keeps_its_values_even_when_clearing(loaded, tmp_path):
    _import(workbook(tmp_path / "九月.xlsx", 1000, 800, 50))
    path = tmp_path / "只有电.csv"
    path.write_text(f"{','.join(HEADER[:4])}\n{SCHOOL[0]},{SCHOOL[1]},{PERIOD},1500\n", encoding="utf-8")
    job = _import(path, clear=True)
    assert job.status == ImportJob.Status.DONE and job.revised == 1
    values = _current().values
    assert (values["electricity"], values["electricity_cost"], values["water"]) == (1500, 800, 50)
    assert not [p for p in problems(job)[0] if p.code.startswith("blank_")]


def test_an_unchanged_file_with_a_blank_cell_is_unchanged(loaded, tmp_path):
    _import(workbook(tmp_path / "九月.xlsx", 1000, 800, 50))
    job = _import(workbook(tmp_path / "九月-空.xlsx", 1000, 800, None))
    assert (job.created, job.revised, job.unchanged) == (0, 0, 1)


def test_the_job_page_offers_the_confirmed_clearing_and_the_upload_form_takes_it(people, tmp_path):
    client = Client()
    client.force_login(people.department)  # reports for 榕城区第一中学
    with workbook(tmp_path / "九月.xlsx", 1000, 800, 50).open("rb") as handle:
        client.post("/reporting/import/", {"form": "pi-energy", "file": handle})
    with workbook(tmp_path / "九月-改.xlsx", 1200, 900, None).open("rb") as handle:
        response = client.post("/reporting/import/", {"form": "pi-energy", "file": handle})
    job = ImportJob.objects.get(pk=re.findall(r"[0-9a-f-]{36}", response["Location"])[0])
    page = client.get(response["Location"]).content.decode()
    assert "空白单元格" in page and f"/reporting/import/{job.pk}/again/" in page and 'name="confirm"' in page
    assert _current().values["water"] == 50
    rerun = client.post(f"/reporting/import/{job.pk}/again/", {"clear_blanks": "1", "confirm": "1"})
    assert rerun.status_code == 302 and _current().values["water"] is None
    page = client.get(f"/reporting/import/{job.pk}/").content.decode()
    assert f"/reporting/import/{job.pk}/again/" not in page  # run again once: the page links the new run
    assert f"/reporting/import/{job.runs_again.get().pk}/" in page
    with workbook(tmp_path / "九月-再.xlsx", 1300, 900, None).open("rb") as handle:
        response = client.post(
            "/reporting/import/", {"form": "pi-energy", "file": handle, "clear_blanks": "on"}
        )
    newest = ImportJob.objects.get(pk=re.findall(r"[0-9a-f-]{36}", response["Location"])[0])
    assert newest.clear_blanks and _current().values["electricity"] == 1300


def test_the_command_line_takes_clear_blanks(loaded, tmp_path):
    from jieneng.cli import main

    _import(workbook(tmp_path / "九月.xlsx", 1000, 800, 50))
    path = workbook(tmp_path / "九月-改.xlsx", 1200, 900, None)
    with redirect_stderr(io.StringIO()):
        assert main(["import", str(path), "--form", "pi-energy"]) == 0
    assert _current().values["water"] == 50
    with redirect_stderr(io.StringIO()):
        assert main(["import", str(path), "--form", "pi-energy", "--clear-blanks"]) == 0
    assert _current().values["water"] is None
