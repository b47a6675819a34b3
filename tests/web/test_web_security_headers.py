"""Every page forbids inline script (Content-Security-Policy) and has none; HSTS over HTTPS."""

from __future__ import annotations

import re

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db
PAGES = [
    "/",
    "/reporting/",
    "/reporting/review/",
    "/accounts/tokens/",
    "/accounts/users/",
    "/accounts/audit/",
]
_INLINE = re.compile(r"<script(?![^>]*(\ssrc=|type=\"application/json\"))[^>]*>|\son[a-z]+=\"", re.I)


@pytest.mark.parametrize("path", PAGES)
def test_pages_send_the_policy_and_hold_no_inline_script(loaded, people, path):
    client = Client()
    client.force_login(people.city_admin)
    response = client.get(path, follow=True)
    assert response.status_code == 200
    policy = response["Content-Security-Policy"]
    assert (
        "script-src 'self'" in policy and "'unsafe-inline'" not in policy.split("script-src")[1].split(";")[0]
    )
    assert "frame-ancestors 'none'" in policy
    found = _INLINE.search(response.content.decode())
    assert found is None, found.group(0) if found else ""


def test_the_sign_in_page_has_the_policy_too(db):
    response = Client().get("/accounts/login/")
    assert "script-src 'self'" in response["Content-Security-Policy"]


def test_hsts_is_sent_over_https(db, settings):
    settings.SECURE_HSTS_SECONDS = 31536000
    secure = Client().get("/accounts/login/", secure=True)
    assert secure["Strict-Transport-Security"].startswith("max-age=31536000")
    assert "Strict-Transport-Security" not in Client().get("/accounts/login/")
