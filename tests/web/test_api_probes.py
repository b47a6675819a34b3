"""Probes: every endpoint of the API tried against resources of 榕城区 from accounts outside it (404),
with tokens lacking the capability (403), revoked or expired (401), and from a session without the
CSRF token (403). The table of probes must cover every path the OpenAPI document publishes."""

from datetime import date, timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from jieneng.accounts.models import ApiToken
from jieneng.accounts.roles import CAPABILITIES
from jieneng.bulletins import services as bulletins
from jieneng.directory.models import Organisation, Region
from jieneng.monitoring.models import ImportLog, Meter
from jieneng.projects.models import Project
from jieneng.reporting.models import Submission
from jieneng.targets.models import Target

pytestmark = pytest.mark.django_db
# (method, OpenAPI path, the capability it needs, JSON body), filled in with the ids of ``target``
ENDPOINTS = [
    ("get", "/api/v1/regions/{code}", "view", None),
    ("get", "/api/v1/organisations/{organisation_id}", "view", None),
    ("get", "/api/v1/organisations/{organisation_id}/years", "view", None),
    ("patch", "/api/v1/organisations/{organisation_id}", "directory", {"name": "被改掉的名字"}),
    ("get", "/api/v1/submissions/{submission_id}", "view", None),
    ("post", "/api/v1/submissions/{submission_id}/approve", "review", None),
    ("post", "/api/v1/submissions/{submission_id}/return", "review", {"reason": "试图退回"}),
    ("get", "/api/v1/indicators/{region_code}", "view", None),
    ("get", "/api/v1/units/{organisation_id}/figures", "view", None),
    ("get", "/api/v1/projects/{project_id}", "view", None),
    ("get", "/api/v1/targets/{target_id}", "view", None),
    ("get", "/api/v1/meters/{meter_id}/daily", "view", {"start": "2026-01-01", "end": "2026-01-31"}),
    ("get", "/api/v1/documents/{document_id}/file.{fmt}", "view", None),
]
#: the gateway push names its meters in the body: an outsider's reading of 榕城区's meter is refused as
#: an unknown meter (400, nothing stored), not 404; probed by test_a_push_outside_the_place_stores_nothing
PUSH = ("post", "/api/v1/meters/readings", "report")
LISTS = [
    "/api/v1/regions",
    "/api/v1/organisations",
    "/api/v1/submissions",
    "/api/v1/projects",
    "/api/v1/targets",
    "/api/v1/targets/warnings",
    "/api/v1/meters",
    "/api/v1/documents",
]
OUTSIDERS = ("other_county_admin", "other_reporter", "check_team", "nobody")  # none holds 榕城区第一中学


def bearer(user, capabilities=CAPABILITIES, **options) -> dict[str, str]:
    _token, secret = ApiToken.issue(user, "探测", list(capabilities), **options)
    return {"Authorization": f"Bearer {secret}"}


@pytest.fixture
def target(people):
    """The resources probed: 榕城区, 榕城区第一中学 and its latest submission, made to await review."""
    org = people.org[2]
    submission = Submission.objects.filter(organisation_id=org).latest("period")
    submission.status = Submission.Status.SUBMITTED
    submission.save()
    project = Project.objects.create(
        name="榕城区第一中学照明改造",
        kind="indoor_lighting",
        region=Region.objects.current().get(code="445202"),
        owner_id=org, start=date(2025, 3, 1), planned_quantity=100,
    )  # fmt: skip
    goal = Target.objects.create(
        name="榕城区目标", region=Region.objects.current().get(code="445202"), indicator="energy_per_m2",
        start_year=2025, end_year=2025, base_year=2024, kind="reduction", reduction=3.0, binding="binding",
    )  # fmt: skip
    meter = Meter.objects.create(
        organisation_id=org, building="教学楼", code="M01", name="总表", energy="electricity", unit="kWh",
        end_use="total",
    )  # fmt: skip
    document = bulletins.generate("statistics", Region.objects.current().get(code="445202"), "2025")
    return {
        "code": "445202", "region_code": "445202", "organisation_id": org, "submission_id": submission.pk,
        "project_id": project.pk, "target_id": goal.pk, "meter_id": meter.pk, "document_id": document.pk,
        "fmt": "docx", "meter_code": meter.code,
    }  # fmt: skip


def call(client: Client, method: str, path: str, target: dict[str, Any], body, headers: dict[str, str]):
    url = path.format(**target)
    if method == "get":
        return client.get(url, body or {}, headers=headers)
    return getattr(client, method)(url, body or {}, content_type="application/json", headers=headers)


def unchanged(target: dict[str, Any]) -> bool:
    org = Organisation.objects.get(pk=target["organisation_id"])
    return (
        org.name == "榕城区第一中学"
        and Submission.objects.get(pk=target["submission_id"]).status == "submitted"
    )


def test_the_probes_cover_every_published_path(client, people):
    document = client.get("/api/v1/openapi.json", headers=bearer(people.viewer)).json()
    published = {(method, path) for path, methods in document["paths"].items() for method in methods}
    probed = {(method, path) for method, path, *_rest in ENDPOINTS} | {("get", path) for path in LISTS}
    probed |= {PUSH[:2]}
    assert published == probed


def test_insiders_reach_every_endpoint(client, people, target):
    """The probes are real: the same calls by the county's office administrator succeed."""
    for method, path, _capability, body in ENDPOINTS:
        response = call(client, method, path, target, body, bearer(people.county_admin))
        assert response.status_code == 200, (method, path, response.content)
        if path.endswith("/approve"):  # so that the return after it has something to return
            Submission.objects.filter(pk=target["submission_id"]).update(status="submitted")


@pytest.mark.parametrize("who", OUTSIDERS)
def test_outsiders_get_404_everywhere(client, people, target, who):
    headers = bearer(getattr(people, who))
    for method, path, _capability, body in ENDPOINTS:
        response = call(client, method, path, target, body, headers)
        assert response.status_code == 404, (who, method, path)
        assert response.json()["detail"]
    assert unchanged(target)


@pytest.mark.parametrize("who", OUTSIDERS)
def test_outsiders_find_nothing_of_the_place_in_lists(client, people, target, who):
    headers = bearer(getattr(people, who))
    regions = client.get("/api/v1/regions", headers=headers).json()
    assert "445202" not in {r["code"] for r in regions}
    orgs = client.get("/api/v1/organisations", {"region": "445202", "limit": 500}, headers=headers).json()
    assert target["organisation_id"] not in {row["id"] for row in orgs["items"]}
    subs = client.get(
        "/api/v1/submissions", {"organisation": target["organisation_id"]}, headers=headers
    ).json()
    assert subs == {"items": [], "count": 0}
    found = client.get("/api/v1/projects", {"region": "445202"}, headers=headers).json()
    assert found == {"items": [], "count": 0}
    assert client.get("/api/v1/targets", {"region": "445202"}, headers=headers).json() == []


def test_tokens_without_the_capability_get_403(client, people, target):
    for method, path, capability, body in ENDPOINTS:
        others = [c for c in CAPABILITIES if c != capability]
        response = call(client, method, path, target, body, bearer(people.county_admin, others))
        assert response.status_code == 403, (method, path)
    for path in LISTS:
        response = client.get(path, headers=bearer(people.county_admin, ["review", "directory"]))
        assert response.status_code == 403, path
    assert unchanged(target)


def test_revoked_and_expired_tokens_get_401(client, people, target):
    revoked = bearer(people.county_admin)
    ApiToken.objects.get(user=people.county_admin).revoke()
    expired = bearer(people.county_admin, expires_at=timezone.now() - timedelta(seconds=1))
    for headers in (revoked, expired):
        for method, path, _capability, body in ENDPOINTS:
            assert call(client, method, path, target, body, headers).status_code == 401, (method, path)
        for path in LISTS:
            assert client.get(path, headers=headers).status_code == 401
    assert unchanged(target)


def test_a_session_without_csrf_cannot_change_anything(people, target):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(people.county_admin)
    for method, path, _capability, body in ENDPOINTS:
        response = call(browser, method, path, target, body, {})
        assert response.status_code == (200 if method == "get" else 403), (method, path)
    assert unchanged(target)


def test_anonymous_callers_get_401(client, target):
    for method, path, _capability, body in ENDPOINTS:
        assert call(client, method, path, target, body, {}).status_code == 401, (method, path)
    for path in LISTS:
        assert client.get(path).status_code == 401


def test_a_push_outside_the_place_stores_nothing(client, people, target):
    """The gateway push: an outsider's reading of 榕城区's meter is an unknown meter (400, nothing stored);
    without the capability 403, without a valid token 401, from a session without CSRF 403."""
    body = {"readings": [{"meter": target["meter_code"], "time": "2026-11-01T08:00:00+08:00", "value": 1}]}
    _method, path, capability = PUSH

    def push(headers: dict[str, str], browser: Client = client) -> Any:
        return browser.post(path, body, content_type="application/json", headers=headers)

    for who in OUTSIDERS:
        answer = push(bearer(getattr(people, who)))
        assert answer.status_code in (400, 403), who
        assert answer.status_code == 403 or answer.json()["accepted"] == 0
    others = [c for c in CAPABILITIES if c != capability]
    assert push(bearer(people.county_admin, others)).status_code == 403
    revoked = bearer(people.county_admin)
    ApiToken.objects.filter(user=people.county_admin).order_by("-pk").first().revoke()
    assert push(revoked).status_code == 401 and push({}).status_code == 401
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(people.county_admin)
    assert push({}, browser).status_code == 403
    assert not ImportLog.objects.filter(accepted__gt=0).exists()
