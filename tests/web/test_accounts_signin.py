"""Sign-in: the page in Chinese, clear errors, landing on ``home``; the lockout after five wrong
passwords (per user name and address) with its own page; Argon2 hashes; changing one's password."""

import pytest
from conftest import PASSWORD
from django.contrib.auth.models import User
from django.test import Client

pytestmark = pytest.mark.django_db
LOGIN = "/accounts/login/"


def text(response) -> str:
    return response.content.decode()


def sign_in(client: Client, username: str, password: str, address: str = "10.0.0.1"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address)


def test_the_sign_in_page_is_in_chinese(client, db):
    response = client.get(LOGIN)
    assert response.status_code == 200
    page = text(response)
    assert "<h1>登录</h1>" in page and "用户名" in page and "密码" in page
    assert "csrfmiddlewaretoken" in page


def test_a_wrong_password_is_said_plainly(client, people):
    response = sign_in(client, "reporter", "not-the-password")
    assert response.status_code == 200
    page = text(response)
    assert "用户名或密码不正确" in page
    assert "连续输错 5 次，登录将被锁定 30 分钟" in page
    assert "_auth_user_id" not in client.session


def test_signing_in_lands_on_home(client, people):
    response = sign_in(client, "reporter", PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert int(client.session["_auth_user_id"]) == people.reporter.pk


def test_five_wrong_passwords_lock_the_user_name_out(client, people):
    for attempt in range(4):
        assert sign_in(client, "reporter", f"wrong-{attempt}").status_code == 200
    fifth = sign_in(client, "reporter", "wrong-4")
    assert fifth.status_code == 429
    right = sign_in(client, "reporter", PASSWORD)
    assert right.status_code == 429
    page = text(right)
    assert "登录暂时被锁定" in page
    assert "已连续 5 次输错密码" in page and "锁定 30 分钟" in page
    assert "账号管理员" in page  # whom to ask
    assert "_auth_user_id" not in client.session
    # another user at the same address, and the same user from another address, are not affected
    other = Client()
    assert sign_in(other, "reviewer", PASSWORD).status_code == 302
    elsewhere = Client()
    assert sign_in(elsewhere, "reporter", PASSWORD, address="10.0.0.2").status_code == 302


def test_a_success_resets_the_count(client, people):
    for attempt in range(4):
        sign_in(client, "reporter", f"wrong-{attempt}")
    assert sign_in(client, "reporter", PASSWORD).status_code == 302
    client.logout()
    for attempt in range(4):
        assert sign_in(client, "reporter", f"wrong-again-{attempt}").status_code == 200
    assert sign_in(client, "reporter", PASSWORD).status_code == 302


def test_an_administrator_sees_the_lock_and_lifts_it(client, people):
    for attempt in range(5):
        sign_in(Client(), "reporter", f"wrong-{attempt}")
    client.force_login(people.county_admin)
    page = text(client.get(f"/accounts/users/{people.reporter.pk}/"))
    assert "登录已锁定" in page and "立即解除登录锁定" in page
    response = client.post(f"/accounts/users/{people.reporter.pk}/unlock/", follow=True)
    assert "现在可以重新登录了" in text(response)
    assert sign_in(Client(), "reporter", PASSWORD).status_code == 302


def test_passwords_are_stored_as_argon2(people):
    assert User.objects.get(username="reporter").password.startswith("argon2")


def test_change_password(client, people):
    client.force_login(people.reporter)
    form = client.get("/accounts/password_change/")
    assert form.status_code == 200
    page = text(form)
    assert "修改我的密码" in page and "至少10个字符" in page
    refused = client.post(
        "/accounts/password_change/",
        {"old_password": "wrong", "new_password1": "12345", "new_password2": "12345"},
    )
    assert refused.status_code == 200
    assert "旧密码不正确" in text(refused) or "你的旧密码不正确" in text(refused)
    short = client.post(
        "/accounts/password_change/",
        {"old_password": PASSWORD, "new_password1": "abc123", "new_password2": "abc123"},
    )
    assert "这个密码太短，至少要有 10 个字符" in text(short)
    done = client.post(
        "/accounts/password_change/",
        {
            "old_password": PASSWORD,
            "new_password1": "Meiyou-cuowu-2027",
            "new_password2": "Meiyou-cuowu-2027",
        },
    )
    assert done.status_code == 302 and done["Location"] == "/accounts/password_change/done/"
    assert "您的密码已修改" in text(client.get(done["Location"]))
    user = User.objects.get(username="reporter")
    assert user.check_password("Meiyou-cuowu-2027") and user.password.startswith("argon2")


def test_sign_in_refuses_a_post_without_csrf_token(people):
    client = Client(enforce_csrf_checks=True)
    response = client.post(LOGIN, {"username": "reporter", "password": PASSWORD})
    assert response.status_code == 403
    assert "_auth_user_id" not in client.session


def test_the_sign_in_page_in_english(client, db):
    client.cookies["django_language"] = "en"
    page = text(client.get(LOGIN))
    assert "Sign in" in page and "User name" in page
