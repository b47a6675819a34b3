"""Problems in the user's language, and the checks' id@version recorded with every import and shown
wherever the import's report is: its page, its JSON report and ``jieneng import``."""

from __future__ import annotations

import argparse
import io
import json
from pathlib import Path

import pytest
from conftest import ORGANISATIONS
from django.test import Client
from django.utils import translation

from jieneng import i18n
from jieneng.core.problems import Problem, declarations
from jieneng.reference import load_checks
from jieneng.reporting import commands
from jieneng.reporting.imports.receive import receive
from jieneng.reporting.imports.report import report_json
from jieneng.reporting.imports.run import run_import
from jieneng.reporting.models import ImportJob

HEADER = "统一社会信用代码,单位名称,统计期,电力消费量（千瓦时）,电费（元）\n"
PERIOD = "2026-09"


@pytest.mark.parametrize("declared", declarations(), ids=lambda d: f"{d.code}-{d.__name__}")
@pytest.mark.parametrize("language", i18n.LANGUAGES)
def test_every_problem_renders_in_both_languages_with_its_params(declared, language):
    params = {name: f"<{name}>" for name in declared.params}
    problem = Problem(declared.code, 7, "数量", "x", declared.template, params, declared.severity)
    english = declared.template % i18n.display_params(params, "en")  # label: the item's name
    with translation.override(language):
        text = i18n.render(problem)  # a KeyError here: the translation uses an undeclared parameter
        located = i18n.describe(problem)
    assert text in located and "7" in located
    if language == "en":
        assert text == english
    else:
        assert text != english, "no Chinese translation"
        assert "<value>" in text or "value" not in declared.placeholders


@pytest.fixture(autouse=True)
def uploads(settings, tmp_path):
    settings.UPLOADS_DIR = tmp_path / "uploads"
    return settings.UPLOADS_DIR


def _file(tmp_path: Path, name: str, electricity: str = "10000") -> Path:
    (_o1, code1, name1, *_r1), (_o2, code2, name2, *_r2) = ORGANISATIONS[0], ORGANISATIONS[1]
    lines = [f"{code1},{name1},{PERIOD},{electricity},8000", f"{code2},{name2},{PERIOD},5000,4000"]
    path = tmp_path / name
    path.write_text(HEADER + "".join(line + "\n" for line in lines), encoding="utf-8")
    return path


@pytest.mark.django_db
def test_every_import_records_the_checks_it_ran(people, tmp_path):
    ref = load_checks().ref
    checks = load_checks()
    assert ref == f"{checks.id}@{checks.version}+{checks.bounds_ref}+{checks.unit_prices_ref}"
    good = _file(tmp_path, "good.csv")
    done = run_import(receive(good, good.name, "pi-energy", author="测试员").pk)
    bad = _file(tmp_path, "bad.csv", electricity="5千")
    blocked = run_import(receive(bad, bad.name, "pi-energy", author="测试员").pk)
    assert (done.status, blocked.status) == (ImportJob.Status.DONE, ImportJob.Status.BLOCKED)
    for job in (done, blocked):
        assert ImportJob.objects.get(pk=job.pk).checks == ref
        assert report_json(job)["checks"] == ref
    assert ImportJob.objects.get(pk=receive(good, good.name, "pi-energy", author="x").pk).checks == ""


@pytest.mark.django_db
def test_the_import_page_and_its_json_report_show_the_checks(people, tmp_path):
    client = Client()
    client.force_login(people.department)
    with _file(tmp_path, "九月.csv").open("rb") as handle:
        response = client.post("/reporting/import/", {"form": "pi-energy", "file": handle})
    assert response.status_code == 302
    job = ImportJob.objects.get()
    ref = load_checks().ref
    assert job.checks == ref
    text = client.get(f"/reporting/import/{job.pk}/").content.decode()
    assert f"检查规则：{ref}。" in text
    english = client.get(f"/reporting/import/{job.pk}/", headers={"accept-language": "en"}).content.decode()
    assert f"Checks: {ref}." in english
    assert client.get(f"/reporting/import/{job.pk}/report.json").json()["checks"] == ref


@pytest.mark.django_db
def test_jieneng_import_shows_the_checks(people, tmp_path, monkeypatch):
    monkeypatch.setenv("JIENENG_DATA_DIR", str(tmp_path / "data"))
    path = _file(tmp_path, "cli.csv")
    ref = load_checks().ref

    def run(**options):
        args = argparse.Namespace(
            file=str(path), form="pi-energy", author="测试员", json=False, limit=20, annotated=None
        )
        out, err = io.StringIO(), io.StringIO()
        vars(args).update(options)
        with translation.override("zh-hans"):
            status = commands.run_import(args, out, err)
        return status, out.getvalue()

    status, text = run()
    assert status == 0 and text.splitlines()[-1] == f"检查规则：{ref}。"
    status, text = run(json=True)
    assert status == 0 and json.loads(text)["checks"] == ref
    assert set(ImportJob.objects.values_list("checks", flat=True)) == {ref}
