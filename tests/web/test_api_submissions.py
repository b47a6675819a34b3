"""The submission endpoints: lists and history as each place sees them, approving and returning by a
reviewer through the review service, and an approval reaching the roll-ups at once."""

from datetime import date
from pathlib import Path

import pytest
from conftest import ORGANISATIONS
from django.test import Client
from django.utils import translation

from jieneng.accounts.models import ApiToken
from jieneng.accounts.roles import CAPABILITIES
from jieneng.dashboard.services import overview
from jieneng.reference import load_coefficient_set
from jieneng.reporting.imports.receive import receive
from jieneng.reporting.imports.run import run_import
from jieneng.reporting.models import ReviewEvent, Submission
from jieneng.statistics.models import RegionFigure

pytestmark = pytest.mark.django_db
HEADER = "统一社会信用代码,单位名称,统计期,电力消费量（千瓦时）,电费（元）,用水量（立方米）\n"
PERIOD = "2026-04"
# kgce/kWh, read from the reference data the roll-ups use
ELECTRICITY = load_coefficient_set("public-institution").coefficients["electricity"].kgce


def bearer(user, capabilities=CAPABILITIES) -> dict[str, str]:
    _token, secret = ApiToken.issue(user, "测试", list(capabilities))
    return {"Authorization": f"Bearer {secret}"}


def zh(text: str, **params) -> str:
    with translation.override("zh-hans"):
        return translation.gettext(text) % params


@pytest.fixture
def april(people, tmp_path: Path, settings) -> dict[int, Submission]:
    """April 2026 reported by a file for 榕城区机关事务服务中心 (org 1) and 揭西县实验小学 (org 5),
    awaiting review; keyed by the ORGANISATIONS index."""
    settings.UPLOADS_DIR = tmp_path / "uploads"
    (_, code1, name1, *_), (_, code5, name5, *_) = ORGANISATIONS[0], ORGANISATIONS[4]
    path = tmp_path / "april.csv"
    path.write_text(
        HEADER + f"{code1},{name1},{PERIOD},10000,8000,500\n{code5},{name5},{PERIOD},3000,2400,150\n",
        encoding="utf-8",
    )
    job = receive(path, path.name, "pi-energy", author="填报员", source="upload")
    run_import(job.pk, today=date(2026, 5, 10))
    found = Submission.objects.filter(period=PERIOD)
    return {1: found.get(organisation_id=people.org[1]), 5: found.get(organisation_id=people.org[5])}


def test_each_place_lists_its_submissions(client, people, april):
    def ids(user, **query):
        response = client.get("/api/v1/submissions", {"limit": 500, **query}, headers=bearer(user))
        assert response.status_code == 200
        body = response.json()
        assert body["count"] == len(body["items"])
        return {row["id"] for row in body["items"]}

    rongcheng = set(
        Submission.objects.filter(organisation__region__code="445202").values_list("pk", flat=True)
    )
    assert ids(people.county_admin) == rongcheng
    assert ids(people.reporter) == set(
        Submission.objects.filter(organisation_id=people.org[2]).values_list("pk", flat=True)
    )
    assert ids(people.nobody) == set()
    assert ids(people.city_admin, status="submitted") == {april[1].pk, april[5].pk}
    assert ids(people.county_admin, status="submitted") == {april[1].pk}
    assert ids(people.city_admin, region="445222", period=PERIOD) == {april[5].pk}
    assert ids(people.city_admin, form="pi-basic") == set()


def test_list_rows_and_their_filters_are_checked(client, people, april):
    headers = bearer(people.city_admin)
    row = client.get(
        "/api/v1/submissions", {"status": "submitted", "region": "445202"}, headers=headers
    ).json()
    assert row["count"] == 1
    item = row["items"][0]
    assert (item["organisation_name"], item["region_code"], item["form"], item["period"]) == (
        "榕城区机关事务服务中心", "445202", "pi-energy", PERIOD,
    )  # fmt: skip
    assert (item["status"], item["status_name"], item["current"], item["approved"]) == (
        "submitted", zh("Submitted"), 1, None,
    )  # fmt: skip
    bad = client.get("/api/v1/submissions", {"status": "lost"}, headers=headers)
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "status"
    page = client.get("/api/v1/submissions", {"limit": 10, "offset": 5}, headers=headers).json()
    assert len(page["items"]) == 10 and page["count"] == Submission.objects.count()


def test_a_submission_with_its_revisions_and_events(client, people, april):
    headers = bearer(people.reviewer)
    chosen = april[1]
    client.post(f"/api/v1/submissions/{chosen.pk}/return", {"reason": "电费偏高，请核实"},
                content_type="application/json", headers=headers)  # fmt: skip
    data = client.get(f"/api/v1/submissions/{chosen.pk}", headers=headers).json()
    assert data["status"] == "returned"
    (revision,) = data["revisions"]
    assert (revision["number"], revision["source"], revision["author"]) == (1, "upload", "填报员")
    assert revision["values"]["electricity"] == 10_000 and revision["values"]["water"] == 500
    assert revision["edition"].startswith("pi-energy@")
    (event,) = revision["events"]
    assert (event["action"], event["reason"], event["actor"]) == ("returned", "电费偏高，请核实", "reviewer")


def test_outsiders_do_not_see_a_submission(client, people, april):
    for who in ("other_county_admin", "reporter", "other_reporter", "check_team", "nobody"):
        response = client.get(f"/api/v1/submissions/{april[1].pk}", headers=bearer(getattr(people, who)))
        assert response.status_code == 404, who
        assert response.json()["detail"] == zh(
            "No submission with the id %(id)s is in your place.", id=april[1].pk
        )


def test_approving_through_the_api_reaches_the_rollups(client, people, april):
    def county_2026() -> RegionFigure:
        return RegionFigure.objects.get(region="445202", year=2026, month=0, type_code="", energy="")

    before = county_2026().kgce
    assert not RegionFigure.objects.filter(region="445202", year=2026, month=4).exists()
    response = client.post(f"/api/v1/submissions/{april[1].pk}/approve", headers=bearer(people.reviewer))
    assert response.status_code == 200
    data = response.json()
    assert (data["status"], data["approved"]) == ("approved", 1)
    assert data["revisions"][0]["events"][-1]["action"] == "approved"
    assert county_2026().kgce == pytest.approx(before + 10_000 * ELECTRICITY)
    april_row = RegionFigure.objects.get(region="445202", year=2026, month=4, type_code="", energy="")
    assert april_row.kgce == pytest.approx(10_000 * ELECTRICITY)
    assert overview("445202", 2026).totals.tce.value == pytest.approx((before + 1_229) / 1000)
    event = ReviewEvent.objects.get(submission=april[1], action="approved")
    assert (event.actor, event.actor_user) == ("reviewer", people.reviewer)
    again = client.post(f"/api/v1/submissions/{april[1].pk}/approve", headers=bearer(people.reviewer))
    assert again.status_code == 409
    assert again.json()["detail"] == zh(
        "This submission is not awaiting review: it is “%(status)s”. Nothing was changed.",
        status=zh("Approved"),
    )


def test_returning_needs_a_reason_and_a_submitted_submission(client, people, april):
    headers = bearer(people.other_county_admin)
    url = f"/api/v1/submissions/{april[5].pk}/return"
    missing = client.post(url, {}, content_type="application/json", headers=headers)
    assert missing.status_code == 422 and missing.json()["errors"][0]["field"] == "reason"
    blank = client.post(url, {"reason": "   "}, content_type="application/json", headers=headers)
    assert blank.status_code == 400
    assert blank.json()["detail"] == zh(
        "Say why the submission is returned, so that the reporter can fix it."
    )
    assert Submission.objects.get(pk=april[5].pk).status == "submitted"
    done = client.post(
        url, {"reason": "用水量与上月差异较大"}, content_type="application/json", headers=headers
    )
    assert done.status_code == 200 and done.json()["status"] == "returned"
    again = client.post(url, {"reason": "再次退回"}, content_type="application/json", headers=headers)
    assert again.status_code == 409
    assert again.json()["detail"] == zh(
        "Only a submitted submission can be returned; this one is “%(status)s”. Nothing was changed.",
        status=zh("Returned"),
    )
    # a returned submission may still be approved
    assert client.post(f"/api/v1/submissions/{april[5].pk}/approve", headers=headers).status_code == 200


def test_review_needs_the_reviewer_role_there(client, people, april):
    url = f"/api/v1/submissions/{april[1].pk}/approve"
    refused = zh("You may see this submission but not review it: that needs a reviewer's role.")
    for who in ("viewer", "department"):  # see 榕城区机关事务服务中心's submissions, may not review them
        response = client.post(url, headers=bearer(getattr(people, who)))
        assert (response.status_code, response.json()["detail"]) == (403, refused), who
    view_only = client.post(url, headers=bearer(people.county_admin, ["view"]))
    assert view_only.status_code == 403
    for who in ("other_county_admin", "other_reporter", "check_team", "nobody"):
        assert client.post(url, headers=bearer(getattr(people, who))).status_code == 404, who
    assert Submission.objects.get(pk=april[1].pk).status == "submitted"


def test_a_session_reviews_with_csrf_only(people, april):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(people.reviewer)
    url = f"/api/v1/submissions/{april[1].pk}/approve"
    assert browser.post(url).status_code == 403
    assert Submission.objects.get(pk=april[1].pk).status == "submitted"
    browser.cookies["csrftoken"] = "c" * 32
    assert browser.post(url, headers={"X-CSRFToken": "c" * 32}).status_code == 200
    assert Submission.objects.get(pk=april[1].pk).status == "approved"


def _newer_revision(tmp_path: Path, people, electricity: int) -> None:
    """A second upload for 榕城区机关事务服务中心 in April: its revision 2, awaiting review (explained, so
    that a change the verification checks flag is handed in, not kept as a draft)."""
    (_, code1, name1, *_) = ORGANISATIONS[0]
    path = tmp_path / "april-again.csv"
    row = f"{code1},{name1},{PERIOD},{electricity},{electricity * 0.8:g},500,新增空调机组\n"
    path.write_text(HEADER.rstrip("\n") + ",填写说明\n" + row, encoding="utf-8")
    job = receive(path, path.name, "pi-energy", author="填报员", source="upload")
    run_import(job.pk, today=date(2026, 5, 10))


def test_approving_a_revision_that_is_no_longer_current_answers_409_with_the_difference(
    client, people, april, tmp_path
):
    _newer_revision(tmp_path, people, 90_000)
    april[1].refresh_from_db()
    assert april[1].current == 2
    url = f"/api/v1/submissions/{april[1].pk}/approve"
    stale = client.post(f"{url}?revision=1", headers=bearer(people.reviewer))
    assert stale.status_code == 409
    body = stale.json()
    assert (body["revision"], body["current"]) == (1, 2)
    assert {"item": "electricity", "seen": 10000, "current": 90000} in body["changes"]
    assert "第1版" in body["detail"]
    april[1].refresh_from_db()
    assert april[1].status == Submission.Status.SUBMITTED and april[1].approved is None
    returned = client.post(
        f"/api/v1/submissions/{april[1].pk}/return",
        {"reason": "请核实", "revision": 1},
        content_type="application/json",
        headers=bearer(people.reviewer),
    )
    assert returned.status_code == 409
    assert client.post(f"{url}?revision=2", headers=bearer(people.reviewer)).status_code == 200


def test_the_queue_page_refuses_a_decision_on_an_older_revision_and_shows_what_changed(
    client, people, april, tmp_path
):
    _newer_revision(tmp_path, people, 90_000)
    client.force_login(people.reviewer)
    response = client.post(
        "/reporting/review/action/",
        {"action": "approve", "ids": [april[1].pk], "seen": [f"{april[1].pk}:1"]},
        follow=True,
        headers={"Accept-Language": "zh-hans"},
    )
    text = response.content.decode()
    assert "在您审核的版本之后又提交了新的版本" in text
    assert "电力消费量 10000 → 90000" in text
    april[1].refresh_from_db()
    assert april[1].status == Submission.Status.SUBMITTED
    response = client.post(
        "/reporting/review/action/", {"action": "approve", "ids": [april[1].pk], "seen": [f"{april[1].pk}:2"]}
    )
    april[1].refresh_from_db()
    assert april[1].status == Submission.Status.APPROVED and april[1].approved == 2
