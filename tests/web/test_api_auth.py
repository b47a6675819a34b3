"""The API's sign-in: tokens (scoped, revocable, expiring), the browser session with CSRF on changes,
messages in the request's language, the token's user in the audit trail, and the published OpenAPI
document and docs page (served from the project's static files, nothing from elsewhere)."""

import json
import re
from datetime import timedelta

import pytest
from auditlog.models import LogEntry
from django.contrib.staticfiles import finders
from django.test import Client
from django.utils import timezone, translation

from jieneng.accounts.models import ApiToken
from jieneng.accounts.roles import CAPABILITIES
from jieneng.directory.models import Organisation

pytestmark = pytest.mark.django_db
PATHS = {
    ("get", "/api/v1/regions"),
    ("get", "/api/v1/regions/{code}"),
    ("get", "/api/v1/organisations"),
    ("get", "/api/v1/organisations/{organisation_id}"),
    ("patch", "/api/v1/organisations/{organisation_id}"),
    ("get", "/api/v1/organisations/{organisation_id}/years"),
    ("get", "/api/v1/submissions"),
    ("get", "/api/v1/submissions/{submission_id}"),
    ("post", "/api/v1/submissions/{submission_id}/approve"),
    ("post", "/api/v1/submissions/{submission_id}/return"),
    ("get", "/api/v1/indicators/{region_code}"),
    ("get", "/api/v1/units/{organisation_id}/figures"),
    ("get", "/api/v1/projects"),
    ("get", "/api/v1/projects/{project_id}"),
    ("get", "/api/v1/targets"),
    ("get", "/api/v1/targets/warnings"),
    ("get", "/api/v1/targets/{target_id}"),
    ("post", "/api/v1/meters/readings"),
    ("get", "/api/v1/meters"),
    ("get", "/api/v1/meters/{meter_id}/daily"),
    ("get", "/api/v1/documents"),
    ("get", "/api/v1/documents/{document_id}/file.{fmt}"),
}
CSRF = "k" * 32  # a CSRF secret as the cookie holds it


def bearer(user, capabilities=CAPABILITIES, **options) -> dict[str, str]:
    _token, secret = ApiToken.issue(user, "测试", list(capabilities), **options)
    return {"Authorization": f"Bearer {secret}"}


def zh(text: str, **params) -> str:
    """``text`` as the Chinese catalogue renders it (the message a default request gets)."""
    with translation.override("zh-hans"):
        return translation.gettext(text) % params if params else translation.gettext(text)


def test_a_token_reads_as_its_user(client, people):
    response = client.get("/api/v1/regions", headers=bearer(people.county_admin))
    assert response.status_code == 200
    assert [r["code"] for r in response.json()] == ["445202"]
    token = ApiToken.objects.get(user=people.county_admin)
    assert token.last_used_at is not None


def test_no_credentials_revoked_expired_and_garbled_tokens_answer_401(client, people):
    response = client.get("/api/v1/organisations")
    assert response.status_code == 401 and response["WWW-Authenticate"].startswith("Bearer")
    assert response.json()["detail"] == zh(
        "Sign in first, or send an API token in the header “Authorization: Bearer <token>”."
    )
    revoked = bearer(people.city_admin)
    ApiToken.objects.get(user=people.city_admin).revoke()
    expired = bearer(people.county_admin, expires_at=timezone.now() - timedelta(minutes=1))
    bad_token = zh(
        "This API token is not valid: it may have been revoked or have expired. "
        "Make a new one under “API tokens” on the page “My account” (/accounts/tokens/)."
    )
    for headers in (revoked, expired, {"Authorization": "Bearer nonsense"}, {"Authorization": "Bearer "}):
        response = client.get("/api/v1/organisations", headers=headers)
        assert (response.status_code, response.json()["detail"]) == (401, bad_token)
    assert client.get("/api/v1/organisations", headers={"Authorization": "Basic dTpw"}).status_code == 401


def test_a_bad_token_is_refused_even_with_a_session(client, people):
    """A caller who sends a token means that token: no falling back to the browser's session."""
    client.force_login(people.city_admin)
    response = client.get("/api/v1/regions", headers={"Authorization": "Bearer wrong.secret"})
    assert response.status_code == 401


def test_a_token_of_an_inactive_user_is_refused(client, people):
    headers = bearer(people.county_admin)
    people.county_admin.is_active = False
    people.county_admin.save()
    assert client.get("/api/v1/regions", headers=headers).status_code == 401


def test_messages_follow_the_request_language(client, people):
    response = client.get("/api/v1/organisations", headers={"accept-language": "en"})
    assert response.json()["detail"] == (
        "Sign in first, or send an API token in the header “Authorization: Bearer <token>”."
    )
    headers = {**bearer(people.county_admin), "accept-language": "en"}
    response = client.get("/api/v1/regions/445222", headers=headers)
    assert response.status_code == 404
    assert response.json()["detail"] == "No region with the code 445222 is in your place."
    response = client.get("/api/v1/organisations", {"limit": "many"}, headers=headers)
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"location": "query", "field": "limit", "message": "Enter a whole number."}
    ]


def test_a_session_reads_without_csrf_but_changes_need_it(people):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(people.county_admin)
    org = people.org[2]
    assert browser.get(f"/api/v1/organisations/{org}").status_code == 200
    response = browser.patch(
        f"/api/v1/organisations/{org}", {"address": "新地址"}, content_type="application/json"
    )
    assert response.status_code == 403
    assert response.json()["detail"] == zh(
        "The request has no valid CSRF token. Send the csrftoken cookie's value in the "
        "X-CSRFToken header, or use an API token."
    )
    assert Organisation.objects.get(pk=org).address == "地址2号"
    browser.cookies["csrftoken"] = CSRF
    response = browser.patch(
        f"/api/v1/organisations/{org}",
        {"address": "新地址"},
        content_type="application/json",
        headers={"X-CSRFToken": CSRF},
    )
    assert response.status_code == 200 and response.json()["address"] == "新地址"


def test_a_token_needs_no_csrf(people):
    machine = Client(enforce_csrf_checks=True)
    org = people.org[2]
    response = machine.patch(
        f"/api/v1/organisations/{org}",
        {"address": "榕城区新兴路1号"},
        content_type="application/json",
        headers=bearer(people.county_admin),
    )
    assert response.status_code == 200


def test_the_token_user_is_the_actor_in_the_audit_trail(client, people):
    org = people.org[2]
    response = client.patch(
        f"/api/v1/organisations/{org}",
        {"name": "揭阳市榕城区第一中学"},
        content_type="application/json",
        headers=bearer(people.department),
    )
    assert response.status_code == 200 and response.json()["name"] == "揭阳市榕城区第一中学"
    entry = LogEntry.objects.get_for_object(Organisation.objects.get(pk=org)).latest("timestamp")
    assert entry.actor == people.department
    assert entry.changes_dict["name"] == ["榕城区第一中学", "揭阳市榕城区第一中学"]


def test_the_openapi_document_lists_every_path_with_units(client, people):
    assert client.get("/api/v1/openapi.json").status_code == 401
    response = client.get("/api/v1/openapi.json", headers=bearer(people.viewer))
    assert response.status_code == 200
    document = response.json()
    found = {(method, path) for path, methods in document["paths"].items() for method in methods}
    assert found == PATHS
    for _path, methods in document["paths"].items():
        for operation in methods.values():
            assert operation["security"] == [{"TokenAuth": []}, {"SessionAuth": []}]
            assert {"401", "403", "404"} <= set(operation["responses"])
    text = json.dumps(document, ensure_ascii=False)
    for unit in ("kgce", "tce", "m²", "m³", "元"):
        assert unit in text
    assert document["components"]["securitySchemes"]["TokenAuth"] == {"type": "http", "scheme": "bearer"}


def test_the_docs_page_uses_the_bundled_files_only(client, people):
    assert client.get("/api/v1/docs")["Location"].startswith("/accounts/login/")
    client.force_login(people.viewer)
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    page = response.content.decode()
    links = re.findall(r'(?:src|href)="([^"]+)"', page)
    assert links and all(link.startswith("/static/ninja/") for link in links), links
    for link in links:
        assert finders.find(link.removeprefix("/static/")), link
    # no other site anywhere on the page (the CSRF token is random text, so look for addresses, not words)
    assert "//" not in "".join(links) and not re.search(r"https?://|cdn\.|jsdelivr|unpkg", page), page
    assert '"validatorUrl": null' in page  # Swagger UI would otherwise call its validator's site
    assert '"url": "/api/v1/openapi.json"' in page
    assert 'data-api-csrf="true"' in page  # "Try it out" sends the session's CSRF token on changes


def test_the_docs_page_and_document_speak_the_users_language(client, people):
    client.force_login(people.viewer)
    page = client.get("/api/v1/docs", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "<title>节能工作平台接口</title>" in page
    chinese = client.get("/api/v1/openapi.json", HTTP_ACCEPT_LANGUAGE="zh-hans").json()["info"]
    assert chinese["title"] == "节能工作平台接口" and "标准煤" in chinese["description"]
    english = client.get("/api/v1/openapi.json", HTTP_ACCEPT_LANGUAGE="en").json()["info"]
    assert english["title"] == "jieneng API" and "standard coal" in english["description"]
