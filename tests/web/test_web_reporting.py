"""The reporting pages with the Django test client on the hand-made city: templates, uploads and their
reports, the review queue and a submission's history, sign-in, permissions and CSRF.

Real files go through the real services: small CSV files written here (the credit codes are those of
the city in ``conftest.py``), imported in the request or by the task worker. The files list the
first two units (榕城区机关事务服务中心 and the school it supervises): they are uploaded by the
department administrator of the first, who reports for both, and reviewed by the reviewer of 榕城区.
"""

from __future__ import annotations

import io
import re
import uuid
from decimal import Decimal
from pathlib import Path
from urllib.parse import quote

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import Client
from python_calamine import CalamineWorkbook

from jieneng.reporting import forms as reporting_forms
from jieneng.reporting.imports.receive import PROGRESS_FILE, receive, upload_dir
from jieneng.reporting.models import ImportJob, ReviewEvent, Revision, Submission
from jieneng.statistics.models import EnergyRecord

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "forms"  # see make_fixtures.py there
HEADER = "统一社会信用代码,单位名称,统计期,电力消费量（千瓦时）,电费（元）\n"
PERIOD = "2026-09"  # after the city's data (2026 has January to March only), before today
EN = {"accept-language": "en"}


# --- helpers --------------------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def uploads(settings, tmp_path):
    settings.UPLOADS_DIR = tmp_path / "uploads"
    return settings.UPLOADS_DIR


@pytest.fixture
def orgs(loaded):
    """(credit code, name, region code) of the city's organisations, in the order of ``conftest.py``."""
    return loaded.organisations.select("credit_code", "name", "region").rows()


def csv_file(tmp_path: Path, name: str, lines: list[str]) -> Path:
    path = tmp_path / name
    path.write_text(HEADER + "".join(line + "\n" for line in lines), encoding="utf-8")
    return path


def explained(tmp_path: Path, name: str, rows: list[str], why: str) -> Path:
    """A CSV of ``rows`` with a 填写说明 column: ``why`` on the first row, empty on the others."""
    path = tmp_path / name
    texts = [f"{row},{why if i == 0 else ''}" for i, row in enumerate(rows)]
    path.write_text(HEADER.rstrip("\n") + ",填写说明\n" + "".join(t + "\n" for t in texts), encoding="utf-8")
    return path


def lines(orgs, electricity="10000", second="5000", period=PERIOD) -> list[str]:
    (code1, name1, _r1), (code2, name2, _r2) = orgs[0], orgs[1]
    return [f"{code1},{name1},{period},{electricity},8000", f"{code2},{name2},{period},{second},4000"]


def signed_in(person: User, **options) -> Client:
    client = Client(**options)
    client.force_login(person)
    return client


@pytest.fixture
def reporter(people) -> Client:
    """The department administrator of unit 1, who reports for units 1 and 2."""
    return signed_in(people.department)


@pytest.fixture
def reviewer(people) -> Client:
    """The reviewer of 榕城区 (units 1, 2 and 3)."""
    return signed_in(people.reviewer)


def upload(client: Client, path: Path, form: str = "pi-energy", headers=None):
    with path.open("rb") as handle:
        return client.post("/reporting/import/", {"form": form, "file": handle}, headers=headers or {})


def job_of(response) -> ImportJob:
    assert response.status_code == 302, response.content.decode()[:2000]
    match = re.fullmatch(r"/reporting/import/([0-9a-f-]{36})/", response["Location"])
    assert match, response["Location"]
    return ImportJob.objects.get(pk=match.group(1))


def page(response) -> str:
    return response.content.decode()


def submission_of(code: str, period: str = PERIOD) -> Submission:
    return Submission.objects.get(organisation__credit_code=code, form="pi-energy", period=period)


# --- sign-in ----------------------------------------------------------------------------------------


def test_every_page_needs_sign_in(client, loaded):
    job = uuid.uuid4()
    for url in (
        "/reporting/",
        "/reporting/template/?form=pi-energy&period=2025-03",
        "/reporting/import/",
        f"/reporting/import/{job}/",
        f"/reporting/import/{job}/status/",
        f"/reporting/import/{job}/report.json",
        f"/reporting/import/{job}/annotated.xlsx",
        "/reporting/review/",
        "/reporting/submission/1/",
        "/reporting/fill/?org=1&form=pi-energy&period=2025-03",
        "/reporting/overdue/",
        "/reporting/overdue.xlsx",
    ):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"] == "/accounts/login/?next=" + quote(url, safe="/"), url
    for url in ("/reporting/review/action/", "/reporting/fill/", "/reporting/fill/check/"):
        response = client.post(url, {"action": "approve", "ids": ["1"], "org": "1"})
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/"), url


def test_sign_in_and_out(client, loaded):
    User.objects.create_user("zhang", password="correct horse battery")
    form = client.get("/accounts/login/?next=/reporting/")
    assert form.status_code == 200 and 'name="password"' in page(form)
    wrong = client.post("/accounts/login/", {"username": "zhang", "password": "nope", "next": "/reporting/"})
    assert wrong.status_code == 200 and 'role="alert"' in page(wrong)
    right = client.post(
        "/accounts/login/", {"username": "zhang", "password": "correct horse battery", "next": "/reporting/"}
    )
    assert right.status_code == 302 and right["Location"] == "/reporting/"
    index = page(client.get("/reporting/"))
    assert "zhang" in index and 'action="/accounts/logout/"' in index
    client.post("/accounts/logout/")
    assert client.get("/reporting/").status_code == 302


# --- the index and templates ----------------------------------------------------------------------


def test_index_shows_the_forms_with_their_legal_marks(reporter, loaded):
    response = reporter.get("/reporting/")
    assert response.status_code == 200
    text = page(response)
    for words in (
        "公共机构能源资源消费状况",
        "公能统2表",
        "国家机关事务管理局",
        "国家统计局",
        "2022–",
        "2017–2021",
    ):
        assert words in text
    assert 'href="/reporting/import/"' in text and 'action="/reporting/template/"' in text


def workbook_cells(response) -> set[str]:
    book = CalamineWorkbook.from_filelike(io.BytesIO(b"".join(response.streaming_content)))
    return {
        str(cell)
        for sheet in book.sheet_names
        for row in book.get_sheet_by_name(sheet).to_python()
        for cell in row
    }


def test_template_is_a_workbook_listing_the_units_of_the_region(people, orgs):
    office = signed_in(people.city_admin)
    response = office.get(
        "/reporting/template/", {"form": "pi-energy", "period": "2025-03", "region": "445222"}
    )
    assert response.status_code == 200
    assert response["Content-Type"] == reporting_forms_xlsx()
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert "filename*=utf-8''" + quote("公共机构能源资源消费状况-2025-03.xlsx") in disposition
    cells = workbook_cells(response)
    in_county = [code for code, _name, region in orgs if region == "445222"]
    elsewhere = [code for code, _name, region in orgs if region != "445222"]
    assert len(in_county) == 3 and all(code in cells for code in in_county)
    assert not any(code in cells for code in elsewhere)
    assert "揭西县图书馆" in cells

    whole = office.get("/reporting/template/", {"form": "pi-energy", "period": "2025Q1"})
    assert whole.status_code == 200 and quote("-2025Q1.xlsx") in whole["Content-Disposition"]
    cells = workbook_cells(whole)
    assert all(code in cells for code, _name, _region in orgs)


def test_a_template_lists_only_the_units_one_reports_for(people, orgs):
    department = signed_in(people.department)
    cells = workbook_cells(department.get("/reporting/template/", {"form": "pi-energy", "period": "2025-03"}))
    assert {code for code, *_rest in orgs if code in cells} == {orgs[0][0], orgs[1][0]}
    school = signed_in(people.reporter)
    cells = workbook_cells(school.get("/reporting/template/", {"form": "pi-energy", "period": "2025-03"}))
    assert {code for code, *_rest in orgs if code in cells} == {orgs[1][0]}
    elsewhere = school.get(
        "/reporting/template/", {"form": "pi-energy", "period": "2025-03", "region": "445222"}
    )
    cells = workbook_cells(elsewhere)
    assert not {code for code, *_rest in orgs if code in cells}


def reporting_forms_xlsx() -> str:
    return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def test_a_bad_template_request_is_shown_on_the_page(reporter, loaded):
    bad = reporter.get("/reporting/template/", {"form": "pi-energy", "period": "2025-13"}, headers=EN)
    assert bad.status_code == 400 and "text/html" in bad["Content-Type"]
    assert "“2025-13” is not a period" in page(bad)
    old = reporter.get("/reporting/template/", {"form": "pi-energy", "period": "2010"}, headers=EN)
    assert old.status_code == 400 and "2017–" in page(old) and "not for 2010" in page(old)
    region = reporter.get("/reporting/template/", {"form": "pi-energy", "period": "2025", "region": "999999"})
    assert region.status_code == 400 and "999999" in page(region)
    chinese = reporter.get("/reporting/template/", {"form": "pi-energy", "period": "明年"})
    assert chinese.status_code == 400 and '<html lang="zh-hans">' in page(chinese) and "明年" in page(chinese)


# --- uploads --------------------------------------------------------------------------------------


def test_a_good_file_is_imported_at_once(reporter, orgs, tmp_path):
    job = job_of(upload(reporter, csv_file(tmp_path, "九月.csv", lines(orgs))))
    assert job.status == ImportJob.Status.DONE, job.error
    assert (job.created, job.revised, job.unchanged, job.blocking) == (2, 0, 0, 0)
    assert job.author == "department" and job.created_by.username == "department"
    assert submission_of(orgs[0][0]).revisions.get().values["electricity"] == 10_000

    text = page(reporter.get(f"/reporting/import/{job.pk}/"))
    assert "九月.csv" in text and "hx-trigger" not in text
    assert re.search(r"<dd>2</dd>", text)  # two new submissions, counted up front
    assert f'href="/reporting/import/{job.pk}/report.json"' in text
    assert 'href="/reporting/import/?form=pi-energy"' in text
    index = page(reporter.get("/reporting/"))
    assert f'href="/reporting/import/{job.pk}/"' in index and "九月.csv" in index


def test_a_blocking_problem_stores_nothing_and_names_its_row(reporter, orgs, tmp_path):
    before = (Submission.objects.count(), Revision.objects.count(), ReviewEvent.objects.count())
    job = job_of(upload(reporter, csv_file(tmp_path, "bad.csv", lines(orgs, second="5千"))))
    assert job.status == ImportJob.Status.BLOCKED and job.blocking >= 1
    assert (Submission.objects.count(), Revision.objects.count(), ReviewEvent.objects.count()) == before

    text = page(reporter.get(f"/reporting/import/{job.pk}/"))
    assert "5千" in text
    row = re.search(r'<tr class="blocking">(.*?)</tr>', text, re.S)
    assert row and '<td class="num">3</td>' in row.group(1)  # the header is row 1, the second unit row 3
    assert "电力消费量（千瓦时）" in row.group(1)
    assert f'href="/reporting/import/{job.pk}/annotated.xlsx"' in text
    assert "Upload the corrected file" in page(reporter.get(f"/reporting/import/{job.pk}/", headers=EN))
    advisory_only = page(reporter.get(f"/reporting/import/{job.pk}/", {"severity": "advisory"}))
    assert '<tr class="blocking">' not in advisory_only


def test_the_json_report(reporter, orgs, tmp_path):
    job = job_of(upload(reporter, csv_file(tmp_path, "bad.csv", lines(orgs, second="5千"))))
    response = reporter.get(f"/reporting/import/{job.pk}/report.json", headers=EN)
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    data = response.json()
    assert data["id"] == str(job.pk) and data["status"] == "blocked" and data["file"] == "bad.csv"
    assert {"created", "revised", "unchanged", "blocking", "advisory", "rows", "problems"} <= set(data)
    problem = next(p for p in data["problems"] if p["severity"] == "blocking")
    assert (problem["row"], problem["column"], problem["value"]) == (3, "电力消费量（千瓦时）", "5千")
    assert problem["code"] and "Row 3" in problem["message"]


def test_the_annotated_workbook_opens_and_lists_the_problems(reporter, orgs, tmp_path):
    job = job_of(upload(reporter, csv_file(tmp_path, "bad.csv", lines(orgs, second="5千"))))
    response = reporter.get(f"/reporting/import/{job.pk}/annotated.xlsx")
    assert response.status_code == 200 and response["Content-Type"] == reporting_forms_xlsx()
    assert "attachment" in response["Content-Disposition"]
    book = CalamineWorkbook.from_filelike(io.BytesIO(b"".join(response.streaming_content)))
    assert len(book.sheet_names) == 2  # the list of problems first, then the user's sheet
    listing = book.get_sheet_by_index(0).to_python()
    line = next(row for row in listing if "5千" in [str(cell) for cell in row])
    assert "电力消费量（千瓦时）" in line and any(str(cell) in ("3", "3.0") for cell in line)
    data = book.get_sheet_by_index(1).to_python()
    assert any(orgs[1][0] == str(cell) for row in data for cell in row)


def test_the_shared_workbooks_good_and_broken(people):
    reporter = signed_in(people.city_admin)  # the workbooks list every unit of the city
    good = job_of(upload(reporter, FIXTURES / "good-monthly.xlsx"))
    assert good.status == ImportJob.Status.DONE and good.blocking == 0, good.error
    assert good.rows_total == good.created + good.revised + good.unchanged == 21

    bad = job_of(upload(reporter, FIXTURES / "unparseable-number.xlsx"))
    assert bad.status == ImportJob.Status.BLOCKED and bad.blocking >= 5
    text = page(reporter.get(f"/reporting/import/{bad.pk}/"))
    assert text.count('<tr class="blocking">') == bad.blocking
    assert "1.2.3" in text
    response = reporter.get(f"/reporting/import/{bad.pk}/annotated.xlsx")
    book = CalamineWorkbook.from_filelike(io.BytesIO(response.getvalue()))  # the streamed content, joined
    assert len(book.get_sheet_by_index(0).to_python()) == 1 + bad.blocking + bad.advisory  # header + problems


def test_the_same_file_twice_changes_nothing(reporter, orgs, tmp_path):
    path = csv_file(tmp_path, "九月.csv", lines(orgs))
    job_of(upload(reporter, path))
    revisions = Revision.objects.count()
    again = job_of(upload(reporter, path))
    assert again.status == ImportJob.Status.DONE
    assert (again.created, again.revised, again.unchanged) == (0, 0, 2)
    assert Revision.objects.count() == revisions


def test_a_corrected_file_adds_a_revision_and_the_old_one_stays_readable(reporter, orgs, tmp_path):
    job_of(upload(reporter, csv_file(tmp_path, "九月.csv", lines(orgs))))
    fixed = job_of(upload(reporter, csv_file(tmp_path, "九月-改.csv", lines(orgs, electricity="12345.5"))))
    assert (fixed.created, fixed.revised, fixed.unchanged) == (0, 1, 1)
    submission = submission_of(orgs[0][0])
    assert submission.current == 2

    current = page(reporter.get(f"/reporting/submission/{submission.pk}/"))
    assert "12,345.5" in current and "10,000" in current  # the new value, the old one beside it
    assert 'href="?revision=1"' in current and 'class="changed"' in current
    first = page(reporter.get(f"/reporting/submission/{submission.pk}/", {"revision": "1"}))
    assert "10,000" in first and "12,345.5" not in first.split("All revisions")[0].split("<table")[1]
    assert 'href="?revision=2"' in first
    assert reporter.get(f"/reporting/submission/{submission.pk}/", {"revision": "9"}).status_code == 404


def test_refused_uploads_say_why(reporter, orgs, tmp_path, monkeypatch):
    notes = tmp_path / "notes.txt"
    notes.write_text("hello", encoding="utf-8")
    response = upload(reporter, notes, headers=EN)
    assert response.status_code == 400 and "“notes.txt” is not a spreadsheet" in page(response)
    monkeypatch.setattr(reporting_forms, "MAX_UPLOAD_BYTES", 10)
    response = upload(reporter, csv_file(tmp_path, "九月.csv", lines(orgs)), headers=EN)
    assert response.status_code == 400 and "at most 200 MB" in page(response)
    assert upload(reporter, csv_file(tmp_path, "x.csv", lines(orgs)), form="no-such-form").status_code == 400
    assert not ImportJob.objects.exists()


@pytest.mark.django_db(transaction=True)  # the worker closes the connection at the end of its task
def test_large_files_go_to_the_worker_and_the_page_polls_until_done(reporter, orgs, tmp_path, settings):
    settings.JIENENG = settings.JIENENG.replace(inline_import_bytes=10)
    job = job_of(upload(reporter, csv_file(tmp_path, "九月.csv", lines(orgs))))
    assert job.status == ImportJob.Status.QUEUED
    running = page(reporter.get(f"/reporting/import/{job.pk}/"))
    assert f'hx-get="/reporting/import/{job.pk}/status/"' in running and 'hx-trigger="every 1s"' in running
    assert "<progress" in running and "htmx.min.js" in running
    fragment = page(reporter.get(f"/reporting/import/{job.pk}/status/"))
    assert 'hx-trigger="every 1s"' in fragment and "<html" not in fragment

    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE and job.created == 2
    finished = page(reporter.get(f"/reporting/import/{job.pk}/status/"))
    assert "hx-trigger" not in finished and "<dd>2</dd>" in finished


def test_a_running_import_shows_its_phase_and_rows(reporter, orgs, tmp_path):
    path = csv_file(tmp_path, "九月.csv", lines(orgs))
    job = receive(
        path, path.name, "pi-energy", author="department", user=User.objects.get(username="department")
    )
    job.status, job.phase, job.rows_total = ImportJob.Status.RUNNING, "storing", 10
    job.save()
    (upload_dir(job) / PROGRESS_FILE).write_text('{"phase": "storing", "done": 4, "total": 10}')
    fragment = page(reporter.get(f"/reporting/import/{job.pk}/status/", headers=EN))
    assert 'hx-trigger="every 1s"' in fragment and '<progress max="10" value="4">' in fragment
    assert "Saving" in fragment and "4 of 10 rows" in fragment


def test_an_import_is_seen_only_by_its_uploader_and_superusers(people, reporter, reviewer, orgs, tmp_path):
    job = job_of(upload(reporter, csv_file(tmp_path, "bad.csv", lines(orgs, second="5千"))))
    root = signed_in(people.root)
    for name in ("reporter", "county_admin", "nobody"):
        other = signed_in(getattr(people, name))
        for suffix in ("", "status/", "report.json", "annotated.xlsx"):
            assert other.get(f"/reporting/import/{job.pk}/{suffix}").status_code == 404, (name, suffix)
        assert f"/reporting/import/{job.pk}/" not in page(other.get("/reporting/"))
    for suffix in ("", "status/", "report.json", "annotated.xlsx"):
        assert reviewer.get(f"/reporting/import/{job.pk}/{suffix}").status_code == 404, suffix
        assert root.get(f"/reporting/import/{job.pk}/{suffix}").status_code == 200, suffix
        assert reporter.get(f"/reporting/import/{job.pk}/{suffix}").status_code == 200, suffix


# --- review ---------------------------------------------------------------------------------------


def test_the_queue_has_tabs_filters_and_the_flags_first(reviewer, reporter, orgs, tmp_path):
    # 2025-09 of the first unit had 10,000 kWh: 30,000 is a change worth a flag, explained in the file
    why = "九月起新增空调机组投入使用"
    job_of(upload(reporter, explained(tmp_path, "九月.csv", lines(orgs, electricity="30000"), why)))
    response = reviewer.get("/reporting/review/", {"period": PERIOD}, headers=EN)
    assert response.status_code == 200
    text = page(response)
    names = re.findall(r'<a href="/reporting/submission/\d+/">([^<]+)</a>', text)
    assert names == [orgs[0][1], orgs[1][1]]  # the more flagged one first
    assert "Big change on last year" in text
    assert re.search(r"Submitted <span class=\"n\">2</span>", text)
    assert 'name="ids"' in text and 'value="approve"' in text and 'value="return"' in text

    elsewhere = reviewer.get("/reporting/review/", {"region": "445222"}, headers=EN)
    assert "“445222” is not a region whose submissions you review" in page(elsewhere)
    county = page(reviewer.get("/reporting/review/", {"region": "445202", "period": PERIOD}))
    assert orgs[0][1] in county and orgs[1][1] in county
    other_period = page(reviewer.get("/reporting/review/", {"period": "2026年8月"}))
    assert orgs[0][1] not in other_period
    approved = page(reviewer.get("/reporting/review/", {"status": "approved", "period": "2025-09"}))
    assert orgs[0][1] in approved and 'value="approve"' not in approved  # the city's data is approved
    bad = reviewer.get("/reporting/review/", {"period": "soon"}, headers=EN)
    assert bad.status_code == 200 and "“soon” is not a period" in page(bad)

    plain = page(reporter.get("/reporting/review/", {"period": PERIOD}))
    assert orgs[0][1] in plain and 'name="ids"' not in plain  # a reporter sees the list, not the buttons


def test_review_needs_the_capability(reporter, orgs, tmp_path):
    job_of(upload(reporter, csv_file(tmp_path, "九月.csv", lines(orgs))))
    submission = submission_of(orgs[0][0])
    events = submission.events.count()
    for action in ("approve", "return"):
        response = reporter.post(
            "/reporting/review/action/", {"action": action, "ids": [submission.pk], "reason": "请核实"}
        )
        assert response.status_code == 403
    submission.refresh_from_db()
    assert submission.status == Submission.Status.SUBMITTED and submission.events.count() == events
    assert 'value="approve"' not in page(reporter.get(f"/reporting/submission/{submission.pk}/"))


def test_approve_and_return_with_a_reason(reviewer, reporter, orgs, tmp_path):
    job_of(upload(reporter, csv_file(tmp_path, "九月.csv", lines(orgs))))
    first, second = submission_of(orgs[0][0]), submission_of(orgs[1][0])
    url = f"/reporting/submission/{first.pk}/"
    assert 'value="approve"' in page(reviewer.get(url))

    blank = reviewer.post(
        "/reporting/review/action/", {"action": "return", "ids": [first.pk], "reason": "  ", "next": url}
    )
    assert blank.status_code == 302 and blank["Location"] == url
    first.refresh_from_db()
    assert first.status == Submission.Status.SUBMITTED
    assert 'class="message error"' in page(reviewer.get(url))

    reviewer.post(
        "/reporting/review/action/",
        {"action": "return", "ids": [first.pk], "reason": "电量比去年同期高两倍，请核实", "next": url},
    )
    first.refresh_from_db()
    assert first.status == Submission.Status.RETURNED
    text = page(reviewer.get(url))
    assert "电量比去年同期高两倍，请核实" in text and "reviewer" in text

    done = reviewer.post("/reporting/review/action/", {"action": "approve", "ids": [second.pk]})
    assert done.status_code == 302 and done["Location"] == "/reporting/review/"
    second.refresh_from_db()
    assert (second.status, second.approved) == (Submission.Status.APPROVED, 1)
    record = EnergyRecord.objects.get(
        organisation__credit_code=orgs[1][0], year=2026, month=9, energy_type="electricity"
    )
    assert record.quantity == Decimal("5000")
    assert 'class="message success"' in page(reviewer.get("/reporting/review/"))
    nothing = reviewer.post("/reporting/review/action/", {"action": "approve"}, follow=True)
    assert 'class="message warning"' in page(nothing)
    elsewhere = reviewer.post(
        "/reporting/review/action/", {"action": "approve", "ids": [first.pk], "next": "https://example.com/"}
    )
    assert elsewhere["Location"] == "/reporting/review/"  # never sent to another site


def test_csrf_is_enforced(orgs, reporter, tmp_path):
    job_of(upload(reporter, csv_file(tmp_path, "九月.csv", lines(orgs))))
    submission = submission_of(orgs[0][0])
    strict = signed_in(User.objects.get(username="county_admin"), enforce_csrf_checks=True)
    forged = strict.post("/reporting/review/action/", {"action": "approve", "ids": [submission.pk]})
    assert forged.status_code == 403
    submission.refresh_from_db()
    assert submission.status == Submission.Status.SUBMITTED
    assert upload(strict, csv_file(tmp_path, "x.csv", lines(orgs))).status_code == 403

    text = page(strict.get(f"/reporting/submission/{submission.pk}/"))
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', text).group(1)
    real = strict.post(
        "/reporting/review/action/",
        {"action": "approve", "ids": [submission.pk], "csrfmiddlewaretoken": token},
    )
    assert real.status_code == 302
    submission.refresh_from_db()
    assert submission.status == Submission.Status.APPROVED


def test_the_submission_page_shows_values_flags_and_history(reviewer, reporter, orgs, tmp_path):
    why = "九月起新增空调机组投入使用"
    job = job_of(upload(reporter, explained(tmp_path, "九月.csv", lines(orgs, electricity="30000"), why)))
    submission = submission_of(orgs[0][0])
    response = reviewer.get(f"/reporting/submission/{submission.pk}/", headers=EN)
    assert response.status_code == 200
    text = page(response)
    for words in (orgs[0][1], orgs[0][0], "榕城区", "Electricity", "30,000", "kWh", "8,000", "yuan"):
        assert words in text, words
    assert "Big change on last year" in text
    assert "The unit's explanation" in text and why in text
    assert "Uploaded file" in text and "department" in text and "Submitted" in text
    assert "row 2 of the file" in text and job.rows_total == 2
    zh = page(reviewer.get(f"/reporting/submission/{submission.pk}/"))
    assert "电力消费量" in zh and "千瓦时" in zh
    assert reviewer.get("/reporting/submission/999999/").status_code == 404


def test_the_template_uploaded_as_generated_is_refused_and_changes_nothing(people, reporter, orgs, tmp_path):
    before = (Submission.objects.count(), Revision.objects.count())
    template = reporter.get("/reporting/template/", {"form": "pi-energy", "period": "2025-03"})
    assert template.status_code == 200
    path = tmp_path / "模板.xlsx"
    path.write_bytes(b"".join(template.streaming_content))
    job = job_of(upload(reporter, path))
    job.refresh_from_db()
    assert job.status == ImportJob.Status.BLOCKED
    assert (Submission.objects.count(), Revision.objects.count()) == before
    shown = page(reporter.get(f"/reporting/import/{job.pk}/", headers={"Accept-Language": "zh-hans"}))
    assert "文件中没有数据" in shown


def test_a_row_without_values_is_left_out_and_its_stored_values_stay(people, reporter, orgs, tmp_path):
    (code1, name1, _r1), (code2, name2, _r2) = orgs[0], orgs[1]
    first = job_of(upload(reporter, csv_file(tmp_path, "first.csv", lines(orgs))))
    first.refresh_from_db()
    assert first.status == ImportJob.Status.DONE
    kept = Revision.objects.filter(submission=submission_of(code2)).count()
    blank = csv_file(
        tmp_path, "blank.csv", [f"{code1},{name1},{PERIOD},20000,9000", f"{code2},{name2},{PERIOD},,"]
    )
    second = job_of(upload(reporter, blank))
    second.refresh_from_db()
    assert second.status == ImportJob.Status.DONE and second.revised == 1
    assert Revision.objects.filter(submission=submission_of(code2)).count() == kept
    assert submission_of(code1).current == 2


# --- verification checks (核实性): explained, or kept as drafts -----------------------------------


def test_a_flagged_row_without_an_explanation_is_kept_as_a_draft_until_explained_online(
    reporter, reviewer, orgs, tmp_path
):
    job = job_of(upload(reporter, csv_file(tmp_path, "九月.csv", lines(orgs, electricity="30000"))))
    job.refresh_from_db()
    assert (job.status, job.created, job.held) == (ImportJob.Status.DONE, 2, 1)
    flagged, clean = submission_of(orgs[0][0]), submission_of(orgs[1][0])
    assert (flagged.status, clean.status) == (Submission.Status.DRAFT, Submission.Status.SUBMITTED)
    report = page(reporter.get(f"/reporting/import/{job.pk}/"))
    assert "1 行" in report and "填写说明" in report and "草稿" in report
    assert reporter.get(f"/reporting/import/{job.pk}/report.json").json()["held_as_drafts"] == 1
    queue = page(reviewer.get("/reporting/review/", {"period": PERIOD}))
    assert orgs[1][1] in queue and orgs[0][1] not in queue
    assert "尚未说明" in page(reviewer.get(f"/reporting/submission/{flagged.pk}/"))

    fill = {"org": str(flagged.organisation_id), "form": "pi-energy", "period": PERIOD}
    fill |= {"v_electricity": "30000", "v_electricity_cost": "8000", "action": "submit"}
    refused = reporter.post("/reporting/fill/", fill)
    assert refused.status_code == 400 and "填写说明" in page(refused)
    flagged.refresh_from_db()
    assert flagged.status == Submission.Status.DRAFT
    handed = reporter.post("/reporting/fill/", fill | {"explanation": "  九月起新增空调机组投入使用 "})
    assert handed.status_code == 302
    flagged.refresh_from_db()
    assert flagged.status == Submission.Status.SUBMITTED and flagged.current == 2
    current = Revision.objects.get(submission=flagged, number=2)
    assert (
        current.explanation == "九月起新增空调机组投入使用"
        and current.values == Revision.objects.get(submission=flagged, number=1).values
    )
    assert "九月起新增空调机组投入使用" in page(reviewer.get(f"/reporting/submission/{flagged.pk}/"))


def test_the_same_file_with_its_explanation_hands_the_draft_in(reporter, orgs, tmp_path):
    rows = lines(orgs, electricity="30000")
    job_of(upload(reporter, csv_file(tmp_path, "九月.csv", rows)))
    assert submission_of(orgs[0][0]).status == Submission.Status.DRAFT
    again = job_of(upload(reporter, explained(tmp_path, "九月说明.csv", rows, "新增空调机组")))
    again.refresh_from_db()
    assert (again.revised, again.unchanged, again.held) == (1, 1, 0)
    flagged = submission_of(orgs[0][0])
    assert flagged.status == Submission.Status.SUBMITTED
    assert Revision.objects.get(submission=flagged, number=flagged.current).explanation == "新增空调机组"
    # and once more: nothing new (same values, same explanation)
    third = job_of(upload(reporter, explained(tmp_path, "九月说明2.csv", rows, "新增空调机组")))
    third.refresh_from_db()
    assert (third.created, third.revised, third.unchanged) == (0, 0, 2)
