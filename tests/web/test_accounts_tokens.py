"""The signed-in person's own page: roles, and API tokens made within the person's own capabilities,
shown once, listed, revoked; nobody reaches another person's token."""

import re
from datetime import timedelta

import pytest
from auditlog.models import LogEntry
from django.test import Client
from django.utils import timezone

from jieneng.accounts.models import ApiToken

pytestmark = pytest.mark.django_db
URL = "/accounts/tokens/"


def text(response) -> str:
    return response.content.decode()


def test_own_roles_are_shown(client, people):
    client.force_login(people.check_team)
    page = text(client.get(URL))
    assert "我的账号" in page and "我的角色" in page
    assert "检查组成员" in page and "榕城区人民医院" in page and "惠来县" in page
    assert "查看本辖区的数据和报表" in page
    client.force_login(people.nobody)
    assert "您还没有任何角色" in text(client.get(URL))


def test_make_a_token_shown_once(client, people):
    client.force_login(people.reporter)
    page = text(client.get(URL))
    # a reporter may tick only what a reporter may do
    assert 'value="view"' in page and 'value="report"' in page
    assert 'value="review"' not in page and 'value="users"' not in page
    response = client.post(URL, {"name": "能耗监测系统", "capabilities": ["view", "report"], "days": "30"})
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    page = text(response)
    secret = re.search(r'<code id="secret">([^<]+)</code>', page).group(1)
    token = ApiToken.objects.get(user=people.reporter)
    assert secret.startswith(token.prefix + ".")
    assert token.capabilities == ["report", "view"]
    assert token.expires_at is not None
    assert abs(token.expires_at - (timezone.now() + timedelta(days=30))) < timedelta(minutes=1)
    assert ApiToken.lookup(secret) == token
    assert "只显示这一次" in page
    # listed afterwards without the secret
    listing = text(client.get(URL))
    assert "能耗监测系统" in listing and f"{token.prefix}…" in listing and secret not in listing
    entry = LogEntry.objects.get(content_type__model="apitoken", object_id=token.pk, action=0)
    assert entry.actor == people.reporter
    assert "digest" not in entry.changes_dict


def test_token_default_expiry_is_90_days(client, people):
    client.force_login(people.viewer)
    assert 'value="90"' in text(client.get(URL))


@pytest.mark.parametrize(
    ("data", "words"),
    [
        ({"name": "x", "capabilities": ["view", "review"], "days": "30"}, "令牌的权限不能超出您本人的权限"),
        ({"name": "", "capabilities": ["view"], "days": "30"}, "请给令牌起个名称"),
        ({"name": "x", "days": "30"}, "请至少勾选一项"),
        ({"name": "x", "capabilities": ["view"], "days": "0"}, "1至365天"),
        ({"name": "x", "capabilities": ["view"], "days": "400"}, "1至365天"),
        ({"name": "x", "capabilities": ["view"], "days": "三十"}, "整数天数"),
    ],
)
def test_bad_token_requests_are_refused(client, people, data, words):
    client.force_login(people.reporter)
    response = client.post(URL, data)
    assert response.status_code == 400
    assert words in text(response)
    assert '<code id="secret">' not in text(response)
    assert not ApiToken.objects.filter(user=people.reporter).exists()


def test_revoke_own_token_only(client, people):
    token, secret = ApiToken.issue(people.reporter, "旧系统", ["view"])
    other, _ = ApiToken.issue(people.other_reporter, "别人的", ["view"])
    client.force_login(people.reporter)
    assert client.post(f"/accounts/tokens/{other.pk}/revoke/").status_code == 404
    other.refresh_from_db()
    assert other.revoked_at is None
    assert "别人的" not in text(client.get(URL))
    response = client.post(f"/accounts/tokens/{token.pk}/revoke/", follow=True)
    assert "已吊销" in text(response)
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert ApiToken.lookup(secret) is None
    assert LogEntry.objects.filter(
        content_type__model="apitoken", object_id=token.pk, action=1
    ).get().actor == (people.reporter)


def test_token_revoke_needs_csrf_and_sign_in(people):
    token, _ = ApiToken.issue(people.reporter, "t", ["view"])
    anonymous = Client()
    response = anonymous.post(f"/accounts/tokens/{token.pk}/revoke/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(people.reporter)
    assert strict.post(f"/accounts/tokens/{token.pk}/revoke/").status_code == 403
    assert strict.post(URL, {"name": "x", "capabilities": ["view"], "days": "30"}).status_code == 403
    token.refresh_from_db()
    assert token.revoked_at is None
    assert ApiToken.objects.filter(user=people.reporter).count() == 1
