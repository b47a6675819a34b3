"""Accounts and roles by place: who sees which accounts, who may give which role where, taking roles
back, deactivating, and the refusals (a place outside, a role not grantable, another place's account)."""

import re

import pytest
from auditlog.models import LogEntry
from conftest import ORGANISATIONS, PASSWORD
from django.contrib.auth.models import User

from jieneng.accounts.models import Membership

pytestmark = pytest.mark.django_db
CREDIT = {index: code for index, code, *_rest in ORGANISATIONS}


def text(response) -> str:
    return response.content.decode()


def names_listed(page: str) -> set[str]:
    return set(re.findall(r'<a href="/accounts/users/\d+/">([^<]+)</a>', page))


# --- the list ----------------------------------------------------------------------------------------


def test_city_admin_sees_the_accounts_of_the_city(client, people):
    client.force_login(people.city_admin)
    response = client.get("/accounts/users/")
    assert response.status_code == 200
    page = text(response)
    assert "账号与角色" in page
    assert names_listed(page) == {
        "city_admin",
        "county_admin",
        "other_county_admin",
        "reviewer",
        "viewer",
        "department",
        "reporter",
        "other_reporter",
        "check_team",
    }
    assert "审核员" in page and "榕城区第一中学" in page


def test_county_admin_sees_only_its_county(client, people):
    client.force_login(people.county_admin)
    listed = names_listed(text(client.get("/accounts/users/")))
    assert listed == {"county_admin", "reviewer", "department", "reporter", "check_team"}


def test_department_sees_itself_and_its_unit(client, people):
    client.force_login(people.department)
    assert names_listed(text(client.get("/accounts/users/"))) == {"department", "reporter"}


def test_superuser_sees_every_account(client, people):
    client.force_login(people.root)
    listed = names_listed(text(client.get("/accounts/users/")))
    assert {"nobody", "root", "city_admin", "other_reporter"} <= listed


def test_search_narrows_the_list(client, people):
    client.force_login(people.city_admin)
    assert names_listed(text(client.get("/accounts/users/", {"q": "report"}))) == {
        "reporter",
        "other_reporter",
    }


@pytest.mark.parametrize("name", ["reviewer", "viewer", "reporter", "check_team", "nobody"])
def test_people_without_the_users_capability_are_refused(client, people, name):
    client.force_login(getattr(people, name))
    response = client.get("/accounts/users/")
    assert response.status_code == 403
    assert "账号管理员" in text(response)
    assert client.get(f"/accounts/users/{people.reporter.pk}/").status_code == 403
    assert client.post(f"/accounts/users/{people.reporter.pk}/active/", {"active": "0"}).status_code == 403
    people.reporter.refresh_from_db()
    assert people.reporter.is_active


def test_anonymous_is_sent_to_sign_in(client, people):
    response = client.get("/accounts/users/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")


def test_another_places_account_is_not_found(client, people):
    client.force_login(people.county_admin)
    other = people.other_reporter
    assert client.get(f"/accounts/users/{other.pk}/").status_code == 404
    assert client.post(f"/accounts/users/{other.pk}/active/", {"active": "0"}).status_code == 404
    assert client.post(f"/accounts/users/{other.pk}/unlock/").status_code == 404
    grant = {"role": "viewer", "place": "445202"}
    assert client.post(f"/accounts/users/{other.pk}/roles/", grant).status_code == 404
    membership = Membership.objects.get(user=other)
    assert client.post(f"/accounts/users/{other.pk}/roles/{membership.pk}/revoke/").status_code == 404
    other.refresh_from_db()
    assert other.is_active
    assert Membership.objects.filter(user=other).count() == 1


# --- creating an account ----------------------------------------------------------------------------


def test_create_an_account_with_a_generated_password_shown_once(client, people):
    client.force_login(people.county_admin)
    form = client.get("/accounts/users/new/")
    assert form.status_code == 200 and "新建账号" in text(form)
    response = client.post(
        "/accounts/users/new/",
        {
            "username": "zhang.wei",
            "full_name": "张伟",
            "password": "",
            "role": "reporter",
            "place": CREDIT[3],
        },
    )
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    page = text(response)
    shown = re.search(r'<code id="secret">([^<]+)</code>', page).group(1)
    assert re.fullmatch(r"[A-Za-z2-9]{4}-[A-Za-z2-9]{4}-[A-Za-z2-9]{4}", shown)
    assert "只显示这一次" in page
    user = User.objects.get(username="zhang.wei")
    assert user.first_name == "张伟"
    assert user.check_password(shown)
    assert user.password.startswith("argon2")
    membership = Membership.objects.get(user=user)
    assert (membership.role, membership.organisation_id) == ("reporter", people.org[3])
    assert membership.created_by == people.county_admin
    # the account now appears in the list, and the password is never shown again
    listing = text(client.get("/accounts/users/"))
    assert "zhang.wei" in listing and shown not in listing
    assert shown not in text(client.get(f"/accounts/users/{user.pk}/"))


def test_create_an_account_with_a_typed_password(client, people):
    client.force_login(people.city_admin)
    response = client.post(
        "/accounts/users/new/",
        {
            "username": "li",
            "full_name": "李娜",
            "password": "Qiuyue-2026-jieneng",
            "role": "viewer",
            "place": "445222",
        },
    )
    user = User.objects.get(username="li")
    assert response.status_code == 302 and response["Location"] == f"/accounts/users/{user.pk}/"
    assert user.check_password("Qiuyue-2026-jieneng")
    assert Membership.objects.get(user=user).region.code == "445222"


@pytest.mark.parametrize(
    ("password", "words"),
    [("short1", "太短"), ("12345678901234", "只包含数字"), ("password1234", "太常见")],
)
def test_a_weak_typed_password_is_refused_in_chinese(client, people, password, words):
    client.force_login(people.city_admin)
    response = client.post(
        "/accounts/users/new/",
        {"username": "weak", "full_name": "王", "password": password, "role": "viewer", "place": "445200"},
    )
    assert response.status_code == 200
    assert words in text(response)
    assert not User.objects.filter(username="weak").exists()


def test_refusals_when_creating(client, people):
    client.force_login(people.county_admin)

    def create(**changes) -> str:
        data = {"username": "new1", "full_name": "新人", "password": "", "role": "viewer", "place": "445202"}
        data.update(changes)
        response = client.post("/accounts/users/new/", data)
        assert response.status_code == 200
        return text(response)

    assert "不在您的管辖范围内" in create(place="445222")  # another county
    assert "不在您的管辖范围内" in create(place="445200")  # the city above
    assert "不在您的管辖范围内" in create(place=CREDIT[5])  # an organisation of another county
    assert "不在您的管辖范围内" in create(place="999999")  # no such region
    assert "六位" in create(place="44520")  # not a code at all
    assert "只能在单位" in create(role="reporter")  # a reporter is held at an organisation
    assert "已被使用" in create(username="Reviewer")
    assert "请输入合法的用户名" in create(username="有 空格")
    assert not User.objects.filter(username="new1").exists()


def test_department_may_give_only_its_roles_at_its_units(client, people):
    client.force_login(people.department)
    data = {"username": "teacher", "full_name": "老师", "password": "", "place": CREDIT[2]}
    assert "您无权授予此角色" in text(client.post("/accounts/users/new/", {**data, "role": "office_admin"}))
    outside = text(client.post("/accounts/users/new/", {**data, "role": "viewer", "place": CREDIT[3]}))
    assert "不在您的管辖范围内" in outside
    assert not User.objects.filter(username="teacher").exists()
    response = client.post("/accounts/users/new/", {**data, "role": "reporter"})
    assert response.status_code == 200
    assert Membership.objects.get(user__username="teacher").organisation_id == people.org[2]


def test_a_role_is_given_only_where_the_actor_may_give_it(client, people):
    """Office administrator of 揭西县 and department administrator of 榕城区机关事务服务中心: it may give
    an office administrator in 揭西县 but not at the department's unit."""
    from jieneng.directory.models import Region

    Membership.objects.create(
        user=people.department, role="office_admin", region=Region.objects.current().get(code="445222")
    )
    client.force_login(people.department)
    data = {"username": "teacher", "full_name": "老师", "password": "", "role": "office_admin"}
    page = text(client.post("/accounts/users/new/", {**data, "place": CREDIT[2]}))
    assert "您不能在榕城区第一中学授予“节能办管理员”角色" in page
    assert "您在这里可以授予：部门管理员、填报员、查看员" in page
    assert not User.objects.filter(username="teacher").exists()
    client.post("/accounts/users/new/", {**data, "place": CREDIT[5]})
    assert Membership.objects.get(user__username="teacher").organisation_id == people.org[5]


# --- giving and taking back roles -------------------------------------------------------------------


def test_grant_a_second_place_to_a_check_team_member(client, people):
    client.force_login(people.city_admin)
    url = f"/accounts/users/{people.check_team.pk}/roles/"
    response = client.post(url, {"role": "check_team", "place": CREDIT[6], "note": "2026 年节能检查"})
    assert response.status_code == 302
    assert set(Membership.objects.filter(user=people.check_team).values_list("role", flat=True)) == {
        "check_team"
    }
    assert Membership.objects.filter(user=people.check_team).count() == 3
    page = text(client.get(response["Location"]))
    assert "揭西县图书馆" in page and "2026 年节能检查" in page
    again = client.post(url, {"role": "check_team", "place": CREDIT[6]})
    assert again.status_code == 400 and "已在揭西县图书馆担任此角色" in text(again)


def test_grant_refusals_are_form_errors(client, people):
    client.force_login(people.county_admin)
    url = f"/accounts/users/{people.reporter.pk}/roles/"
    outside = client.post(url, {"role": "viewer", "place": "445222"})
    assert outside.status_code == 400 and "不在您的管辖范围内" in text(outside)
    no_role = client.post(url, {"role": "", "place": "445202"})
    assert no_role.status_code == 400 and "请选择角色" in text(no_role)
    assert Membership.objects.filter(user=people.reporter).count() == 1


def test_revoke_a_role(client, people):
    client.force_login(people.city_admin)
    membership = Membership.objects.get(user=people.viewer)
    response = client.post(f"/accounts/users/{people.viewer.pk}/roles/{membership.pk}/revoke/")
    assert response.status_code == 302
    assert not Membership.objects.filter(pk=membership.pk).exists()
    assert response["Location"] == "/accounts/users/"  # no role left in the place: back to the list


def test_a_department_may_not_take_back_a_role_it_could_not_give(client, people):
    from jieneng.directory.models import Organisation

    office = Membership.objects.create(
        user=people.reporter, role="office_admin", organisation=Organisation.objects.get(pk=people.org[2])
    )
    client.force_login(people.department)
    response = client.post(f"/accounts/users/{people.reporter.pk}/roles/{office.pk}/revoke/", follow=True)
    assert "只能收回您自己可以授予的角色" in text(response)
    assert Membership.objects.filter(pk=office.pk).exists()
    # and so may not deactivate the account either
    response = client.post(f"/accounts/users/{people.reporter.pk}/active/", {"active": "0"}, follow=True)
    assert "更大范围的管理员" in text(response)
    people.reporter.refresh_from_db()
    assert people.reporter.is_active


def test_no_one_takes_back_their_own_role(client, people):
    client.force_login(people.county_admin)
    own = Membership.objects.get(user=people.county_admin)
    response = client.post(f"/accounts/users/{people.county_admin.pk}/roles/{own.pk}/revoke/", follow=True)
    assert "不能收回自己的角色" in text(response)
    assert Membership.objects.filter(pk=own.pk).exists()


# --- deactivating ------------------------------------------------------------------------------------


def test_deactivate_and_reactivate(client, people):
    client.force_login(people.county_admin)
    url = f"/accounts/users/{people.reporter.pk}/active/"
    response = client.post(url, {"active": "0"}, follow=True)
    assert "已停用" in text(response)
    people.reporter.refresh_from_db()
    assert not people.reporter.is_active
    other = client.__class__()
    assert other.post("/accounts/login/", {"username": "reporter", "password": PASSWORD}).status_code == 200
    client.post(url, {"active": "1"})
    people.reporter.refresh_from_db()
    assert people.reporter.is_active


def test_reactivating_an_account_does_not_bring_back_its_tokens(client, people):
    from jieneng.accounts.models import ApiToken

    _token, secret = ApiToken.issue(people.reporter, "脚本", ["view"])
    headers = {"Authorization": f"Bearer {secret}"}
    api = client.__class__()
    assert api.get("/api/v1/submissions", headers=headers).status_code == 200
    client.force_login(people.county_admin)
    url = f"/accounts/users/{people.reporter.pk}/active/"
    client.post(url, {"active": "0"})
    assert api.get("/api/v1/submissions", headers=headers).status_code == 401
    client.post(url, {"active": "1"})
    people.reporter.refresh_from_db()
    assert people.reporter.is_active
    assert api.get("/api/v1/submissions", headers=headers).status_code == 401
    assert not ApiToken.objects.active().filter(user=people.reporter).exists()


def test_an_account_with_roles_elsewhere_is_not_deactivated_by_a_county(client, people):
    client.force_login(people.county_admin)
    response = client.post(f"/accounts/users/{people.check_team.pk}/active/", {"active": "0"}, follow=True)
    assert "更大范围的管理员" in text(response)
    people.check_team.refresh_from_db()
    assert people.check_team.is_active
    page = text(client.get(f"/accounts/users/{people.check_team.pk}/"))
    assert "惠来县" not in page  # the role outside the county is not shown
    assert "另有 1 个角色" in page


def test_no_one_deactivates_themselves(client, people):
    client.force_login(people.city_admin)
    client.post(f"/accounts/users/{people.city_admin.pk}/active/", {"active": "0"})
    people.city_admin.refresh_from_db()
    assert people.city_admin.is_active


# --- the place lookup --------------------------------------------------------------------------------


def test_place_lookup_names_places_inside_only(client, people):
    client.force_login(people.county_admin)
    inside = text(client.get("/accounts/place/", {"place": CREDIT[2]}))
    assert "榕城区第一中学" in inside and "填报员" in inside
    region = text(client.get("/accounts/place/", {"place": "445202"}))
    assert "榕城区" in region and "填报员" not in region  # a reporter is not held at a region
    outside = text(client.get("/accounts/place/", {"place": CREDIT[5]}))
    assert "揭西县实验小学" not in outside and "不在您的管辖范围内" in outside
    client.force_login(people.reporter)
    assert client.get("/accounts/place/", {"place": CREDIT[2]}).status_code == 403


# --- audit and CSRF ----------------------------------------------------------------------------------


def test_changes_are_audited_with_the_actor(client, people):
    client.force_login(people.county_admin)
    client.post(
        "/accounts/users/new/",
        {"username": "audited", "full_name": "审计", "password": "", "role": "viewer", "place": "445202"},
    )
    user = User.objects.get(username="audited")
    membership = Membership.objects.get(user=user)
    client.post(f"/accounts/users/{user.pk}/active/", {"active": "0"})
    client.post(f"/accounts/users/{user.pk}/roles/{membership.pk}/revoke/")
    entries = LogEntry.objects.filter(actor=people.county_admin)
    user_entries = entries.filter(content_type__model="user", object_id=user.pk)
    assert list(user_entries.order_by("pk").values_list("action", flat=True)) == [0, 1]
    assert user_entries.get(action=1).changes_dict == {"is_active": ["True", "False"]}
    membership_entries = entries.filter(content_type__model="membership", object_id=membership.pk)
    assert sorted(membership_entries.values_list("action", flat=True)) == [0, 2]


def test_a_post_without_csrf_token_is_refused(people):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(people.city_admin)
    response = client.post(f"/accounts/users/{people.viewer.pk}/active/", {"active": "0"})
    assert response.status_code == 403
    response = client.post(
        "/accounts/users/new/",
        {"username": "csrf", "full_name": "x", "password": "", "role": "viewer", "place": "445200"},
    )
    assert response.status_code == 403
    people.viewer.refresh_from_db()
    assert people.viewer.is_active
    assert not User.objects.filter(username="csrf").exists()
