"""The account pages in a real browser: a user name locked out after five wrong passwords; an office
administrator creating an account (the place named as its code is typed), giving a second role, making
an API token and reading the audit trail.

Playwright drives Debian's Chromium against a live server, as in ``test_web_browser.py``; screenshots
are left in ``var/screenshots/`` for a person to look at. Without Chromium the test is skipped on a
developer's machine and fails in CI (``CI`` set), where it must run.
"""

import re

import pytest
from browser import SHOTS, chromium, needs_chromium
from conftest import ORGANISATIONS, PASSWORD
from django.contrib.auth.models import User

from jieneng.accounts.models import ApiToken, Membership

HOSPITAL = ORGANISATIONS[2][1]  # 榕城区人民医院

pytestmark = [
    needs_chromium,
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def browser(monkeypatch):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # the test reads the database between steps
    with chromium() as launched:
        yield launched


def new_page(browser):
    return browser.new_context(viewport={"width": 1366, "height": 768}, locale="zh-CN").new_page()


def shot(page, name: str) -> None:
    page.screenshot(path=str(SHOTS / name), full_page=True)


def sign_in(page, live_server, username: str, password: str = PASSWORD) -> None:
    page.goto(live_server.url + "/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("form.stacked button[type=submit]")
    page.wait_for_load_state()


def test_lockout_page(live_server, browser, people):
    page = new_page(browser)
    page.goto(live_server.url + "/accounts/login/")
    shot(page, "accounts-login.png")
    sign_in(page, live_server, "viewer", "wrong-password")
    assert "用户名或密码不正确" in page.locator("[role=alert]").inner_text()
    shot(page, "accounts-login-error.png")
    for attempt in range(4):
        sign_in(page, live_server, "viewer", f"wrong-{attempt}")
    sign_in(page, live_server, "viewer")
    body = page.locator("main").inner_text()
    assert "登录暂时被锁定" in body and "30 分钟" in body and "账号管理员" in body
    shot(page, "accounts-lockout.png")


def test_office_admin_gives_accounts_and_roles(live_server, browser, people):
    page = new_page(browser)
    sign_in(page, live_server, "city_admin")
    assert "/accounts/login/" not in page.url  # landed on home (the dashboard of the place)
    page.goto(live_server.url + "/accounts/users/")
    assert page.locator("table.users tbody tr").count() == 9
    shot(page, "accounts-users.png")

    # a new account: the place is named back while the code is typed
    page.click("a[href='/accounts/users/new/']")
    page.fill("input[name=username]", "chen.jing")
    page.fill("input[name=full_name]", "陈静")
    page.fill("input[name=place]", "445222")
    page.wait_for_selector(".place-name .place-found")
    assert "揭西县" in page.locator(".place-name").inner_text()
    page.fill("input[name=place]", "445299")
    page.wait_for_selector(".place-name .error")
    page.fill("input[name=place]", "445222")
    page.wait_for_selector(".place-name .place-found")
    page.select_option("select[name=role]", "reviewer")
    shot(page, "accounts-user-new.png")
    page.click("form.stacked button[type=submit]")
    page.wait_for_selector("code#secret")
    password = page.locator("code#secret").inner_text()
    assert User.objects.get(username="chen.jing").check_password(password)
    shot(page, "accounts-user-created.png")

    # a second role at a unit, by its credit code
    page.click("text=打开此账号")
    page.fill("input[name=place]", HOSPITAL)
    page.wait_for_selector(".place-name .place-found")
    page.select_option("select[name=role]", "viewer")
    page.click("form.inline-form button.primary")
    page.wait_for_selector(".message.success")
    assert Membership.objects.filter(user__username="chen.jing").count() == 2
    shot(page, "accounts-user.png")

    # the new account signs in with the shown password and makes a token
    person = new_page(browser)
    sign_in(person, live_server, "chen.jing", password)
    person.goto(live_server.url + "/accounts/tokens/")
    person.fill("input[name=name]", "能耗监测平台")
    person.check("input[value=review]")
    person.click("form.stacked button.primary")
    person.wait_for_selector("code#secret")
    secret = person.locator("code#secret").inner_text()
    assert ApiToken.lookup(secret).user.username == "chen.jing"
    shot(person, "accounts-tokens.png")

    # the audit trail names the administrator as the one who made the account and its roles
    page.goto(live_server.url + "/accounts/audit/")
    trail = page.locator("table.audit").inner_text()
    assert "chen.jing" in trail and "city_admin" in trail
    assert re.search(r"角色\s*：\s*审核员", trail) and "权限：审核、查看" in trail
    shot(page, "accounts-audit.png")
