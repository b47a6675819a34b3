"""The demonstration accounts of ``jieneng demo``: one per role at realistic places of the loaded city,
one password printed once, made once, none without data."""

import pytest
from django.contrib.auth.models import User

from jieneng.accounts import demo
from jieneng.accounts.models import Membership
from jieneng.accounts.scope import Scope
from jieneng.web.launch import _ensure_demo_accounts

pytestmark = pytest.mark.django_db


def places(username: str) -> list[tuple[str, str]]:
    return [
        (m.role, m.region.name if m.region else m.organisation.name)
        for m in Membership.objects.filter(user__username=username).select_related("region", "organisation")
    ]


def test_one_account_per_role_at_places_of_the_city(loaded):
    lines = _ensure_demo_accounts()
    assert places("city_admin") == [("office_admin", "揭阳市")]
    assert places("county_admin") == [("office_admin", "榕城区")]  # the county with the most units
    assert places("dept_admin") == [("department_admin", "榕城区机关事务服务中心")]  # supervises a unit
    assert places("reporter") == [("reporter", "榕城区第一中学")]  # that unit
    assert places("reviewer") == [("reviewer", "揭阳市")]
    assert places("viewer") == [("viewer", "揭阳市")]
    assert sorted(places("check_team")) == [
        ("check_team", "揭阳市机关事务管理局"),
        ("check_team", "榕城区人民医院"),
    ]
    # one password, printed once, that signs every account in
    password = lines[0].split("密码均为 ")[1].split("（")[0]
    assert all(u.check_password(password) for u in User.objects.filter(username__in=demo.ACCOUNTS))
    assert all(u.password.startswith("argon2") for u in User.objects.filter(username__in=demo.ACCOUNTS))
    text = "\n".join(lines)
    assert "city_admin" in text and "揭阳市 节能办管理员" in text and "开设账号、授予角色" in text
    assert "reporter" in text and "填报并提交报表" in text
    assert len(lines) == 1 + len(demo.ACCOUNTS)
    # the scopes follow: the reporter sees its unit only, the department its unit too
    reporter = Scope(User.objects.get(username="reporter"))
    assert list(reporter.organisations().values_list("name", flat=True)) == ["榕城区第一中学"]
    department = Scope(User.objects.get(username="dept_admin"))
    assert set(department.organisations("report").values_list("name", flat=True)) == {
        "榕城区机关事务服务中心",
        "榕城区第一中学",
    }


def test_made_only_once(loaded):
    first = _ensure_demo_accounts()
    assert first
    assert _ensure_demo_accounts() == []
    assert User.objects.filter(username__in=demo.ACCOUNTS).count() == len(demo.ACCOUNTS)
    assert Membership.objects.filter(user__username="check_team").count() == 2


def test_none_without_data(db):
    assert _ensure_demo_accounts() == []
    assert not User.objects.filter(username__in=demo.ACCOUNTS).exists()


def test_forget_before_a_reset(loaded):
    _ensure_demo_accounts()
    demo.forget()
    assert not Membership.objects.exists()
    assert not User.objects.filter(username__in=demo.ACCOUNTS).exists()
    assert _ensure_demo_accounts()  # made again
