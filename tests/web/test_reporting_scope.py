"""Probes of every reporting URL from accounts outside the resource's place: 404 for what lies outside
the user's view (as if it did not exist), 403 for what the user may see but not act on, the login page
for anonymous visitors; and imports that refuse rows of units the uploader does not report for,
inline and in the task worker."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
from conftest import ORGANISATIONS
from django.test import Client
from django.utils import translation
from django.utils.translation import gettext

from jieneng.core.problems import BLOCKING
from jieneng.core.problems.checks import OutsideYourPlace
from jieneng.reporting.imports.receive import receive
from jieneng.reporting.imports.report import problems
from jieneng.reporting.imports.run import run_import
from jieneng.reporting.models import ImportJob, ReviewEvent, Submission

pytestmark = pytest.mark.django_db

PERIOD = "2026-09"
EN = {"accept-language": "en"}
HEADER = "统一社会信用代码,单位名称,统计期,电力消费量（千瓦时）,电费（元）,填写说明\n"


def signed_in(person) -> Client:
    client = Client()
    client.force_login(person)
    return client


def csv(tmp_path: Path, *indexes: int, period: str = PERIOD) -> Path:
    """A file with one row of each unit of ``ORGANISATIONS`` (1-based ``indexes``)."""
    rows = [f"{ORGANISATIONS[i - 1][1]},{ORGANISATIONS[i - 1][2]},{period},1000,800,已核实" for i in indexes]
    path = tmp_path / f"units-{'-'.join(map(str, indexes))}.csv"
    path.write_text(HEADER + "\n".join(rows) + "\n", encoding="utf-8")
    return path


@pytest.fixture(autouse=True)
def uploads(settings, tmp_path):
    settings.UPLOADS_DIR = tmp_path / "uploads"


@pytest.fixture
def submitted(people, tmp_path) -> dict[int, Submission]:
    """Submissions awaiting review for 2026-09 of every unit (imported by the city office)."""
    path = csv(tmp_path, *range(1, 8))
    job = receive(path, path.name, "pi-energy", author="city_admin", user=people.city_admin)
    assert run_import(job.pk).status == ImportJob.Status.DONE
    return {i: Submission.objects.get(organisation_id=people.org[i], period=PERIOD) for i in range(1, 8)}


def test_anonymous_visitors_are_sent_to_the_login_page(client, loaded):
    job = uuid.uuid4()
    urls = [
        "/reporting/",
        "/reporting/template/?form=pi-energy&period=2025-03",
        "/reporting/import/",
        f"/reporting/import/{job}/",
        f"/reporting/import/{job}/status/",
        f"/reporting/import/{job}/report.json",
        f"/reporting/import/{job}/annotated.xlsx",
        "/reporting/fill/?org=1&form=pi-energy&period=2025-03",
        "/reporting/review/",
        "/reporting/submission/1/",
        "/reporting/overdue/",
        "/reporting/overdue.xlsx",
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/?next="), url
    for url in (
        "/reporting/import/",
        "/reporting/fill/",
        "/reporting/fill/check/",
        "/reporting/review/action/",
    ):
        response = client.post(url, {"action": "approve", "ids": ["1"], "org": "1"})
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/"), url


def test_a_reviewer_cannot_open_or_approve_a_submission_of_another_county(people, submitted):
    reviewer = signed_in(people.reviewer)  # 榕城区
    other = submitted[5]  # 揭西县实验小学
    events = ReviewEvent.objects.count()
    assert reviewer.get(f"/reporting/submission/{other.pk}/").status_code == 404
    for action in ("approve", "return"):
        response = reviewer.post(
            "/reporting/review/action/", {"action": action, "ids": [other.pk], "reason": "x"}
        )
        assert response.status_code == 404, action
    # a bulk request with one submission of the other county does nothing at all
    mixed = reviewer.post(
        "/reporting/review/action/", {"action": "approve", "ids": [submitted[2].pk, other.pk]}
    )
    assert mixed.status_code == 404
    assert ReviewEvent.objects.count() == events
    assert set(Submission.objects.filter(period=PERIOD).values_list("status", flat=True)) == {"submitted"}
    # the queue lists only 榕城区's units
    listed = reviewer.get("/reporting/review/", {"period": PERIOD}).content.decode()
    assert "榕城区第一中学" in listed and "揭西县" not in listed and "揭阳市机关事务管理局" not in listed
    # and its own county's submission it may approve
    done = reviewer.post("/reporting/review/action/", {"action": "approve", "ids": [submitted[2].pk]})
    assert done.status_code == 302 and Submission.objects.get(pk=submitted[2].pk).status == "approved"


def test_a_viewer_may_read_but_not_approve(people, submitted):
    viewer = signed_in(people.viewer)  # 揭阳市, view only
    school = submitted[2]
    assert viewer.get(f"/reporting/submission/{school.pk}/").status_code == 200
    page = viewer.get(f"/reporting/submission/{school.pk}/").content.decode()
    assert 'value="approve"' not in page
    for action in ("approve", "return"):
        refused = viewer.post(
            "/reporting/review/action/", {"action": action, "ids": [school.pk], "reason": "x"}, headers=EN
        )
        assert (
            refused.status_code == 403 and "Only reviewers may approve or return" in refused.content.decode()
        )
    assert viewer.get("/reporting/review/").status_code == 200  # read-only list
    assert 'name="ids"' not in viewer.get("/reporting/review/", {"period": PERIOD}).content.decode()
    assert viewer.get("/reporting/overdue/").status_code == 403
    assert viewer.get("/reporting/overdue.xlsx").status_code == 403
    assert viewer.get("/reporting/import/").status_code == 403  # no unit to report for
    assert Submission.objects.get(pk=school.pk).status == "submitted"


def test_the_office_of_another_county_reviews_only_there(people, submitted):
    """The office of 揭西县 reviews its units; those of 榕城区 and of the city it cannot see."""
    office = signed_in(people.other_county_admin)
    assert office.get(f"/reporting/submission/{submitted[2].pk}/").status_code == 404
    assert office.get(f"/reporting/submission/{submitted[5].pk}/").status_code == 200
    both = office.post(
        "/reporting/review/action/", {"action": "approve", "ids": [submitted[5].pk, submitted[7].pk]}
    )
    assert both.status_code == 404
    ok = office.post(
        "/reporting/review/action/", {"action": "approve", "ids": [submitted[5].pk, submitted[6].pk]}
    )
    assert ok.status_code == 302
    assert Submission.objects.get(pk=submitted[5].pk).status == "approved"


def test_others_cannot_see_a_unit_s_submission(people, submitted):
    for name, expected in (
        ("other_reporter", 404),
        ("nobody", 404),
        ("check_team", 404),
        ("reporter", 200),
        ("department", 200),
        ("root", 200),
    ):
        response = signed_in(getattr(people, name)).get(f"/reporting/submission/{submitted[2].pk}/")
        assert response.status_code == expected, name
    hospital = signed_in(people.check_team).get(f"/reporting/submission/{submitted[3].pk}/")
    assert hospital.status_code == 200  # the check team's assigned unit


def test_a_reporter_cannot_upload_rows_of_another_unit(people, tmp_path):
    school = signed_in(people.reporter)  # 榕城区第一中学 (unit 2)
    with csv(tmp_path, 2, 5).open("rb") as handle:
        response = school.post("/reporting/import/", {"form": "pi-energy", "file": handle})
    job = ImportJob.objects.get()
    assert response.status_code == 302 and job.status == ImportJob.Status.BLOCKED
    assert not Submission.objects.filter(period=PERIOD).exists()  # not even the school's own row
    report = school.get(f"/reporting/import/{job.pk}/report.json").json()
    outside = [p for p in report["problems"] if p["code"] == "outside_your_place"]
    assert len(outside) == 1
    problem = outside[0]
    assert (problem["severity"], problem["row"], problem["value"]) == (BLOCKING, 3, ORGANISATIONS[4][1])
    assert problem["column"] == "统一社会信用代码"
    assert ORGANISATIONS[4][1] in problem["message"]
    with translation.override("zh-hans"):
        translated = gettext(OutsideYourPlace.template) != OutsideYourPlace.template
    if translated:  # once the catalogue has the message
        assert "不是您负责填报的单位" in problem["message"] and "节能主管部门" in problem["message"]
    english = school.get(f"/reporting/import/{job.pk}/report.json", headers=EN).json()
    message = next(p["message"] for p in english["problems"] if p["code"] == "outside_your_place")
    assert "is not one of the units you report for" in message
    # checks that would compare with the other unit's figures are not run on its row
    assert all(p["row"] != 3 for p in report["problems"] if p["code"] != "outside_your_place")


def test_the_worker_applies_the_same_rule_from_the_uploader(people, tmp_path):
    path = csv(tmp_path, 1, 2, 5)
    job = receive(path, path.name, "pi-energy", author="department", user=people.department)
    finished = run_import(job.pk)  # what the task worker runs, with no request
    assert finished.status == ImportJob.Status.BLOCKED and finished.blocking == 1
    found, _sheet, _header = problems(finished)
    assert [(p.code, p.row) for p in found if p.severity == BLOCKING] == [("outside_your_place", 4)]

    allowed = csv(tmp_path, 1, 2)  # the department reports for itself and the school it supervises
    job = receive(allowed, allowed.name, "pi-energy", author="department", user=people.department)
    assert run_import(job.pk).status == ImportJob.Status.DONE
    office = receive(path, path.name, "pi-energy", author="city_admin", user=people.city_admin)
    assert run_import(office.pk).status == ImportJob.Status.DONE  # the city reports for all
    command_line = receive(path, path.name, "pi-energy", author="operator")  # no user: the CLI
    assert run_import(command_line.pk).status == ImportJob.Status.DONE


def test_the_home_page_lists_only_one_s_own_units(people):
    school = signed_in(people.reporter).get("/reporting/", {"period": PERIOD}).content.decode()
    assert "榕城区第一中学" in school and "揭西县实验小学" not in school and "榕城区人民医院" not in school
    department = signed_in(people.department).get("/reporting/", {"period": PERIOD}).content.decode()
    assert "榕城区机关事务服务中心" in department and "榕城区第一中学" in department
    assert "榕城区人民医院" not in department
    reviewer = signed_in(people.reviewer).get("/reporting/").content.decode()
    assert 'id="my-units"' not in reviewer and 'href="/reporting/review/"' in reviewer


def test_upload_needs_a_unit_to_report_for(people):
    for name in ("reviewer", "viewer", "check_team", "nobody"):
        response = signed_in(getattr(people, name)).get("/reporting/import/", headers=EN)
        assert response.status_code == 403, name
        assert "may upload forms" in response.content.decode()
    assert signed_in(people.reporter).get("/reporting/import/").status_code == 200
