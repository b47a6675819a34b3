"""The directory endpoints on the hand-made city: regions and organisations as each place sees them,
filters and pages, yearly facts, and changes by the directory role (audited, carried into the
roll-ups when the type changes)."""

import pytest
from auditlog.models import LogEntry
from conftest import ORGANISATIONS
from django.utils import translation

from jieneng.accounts.models import ApiToken
from jieneng.accounts.roles import CAPABILITIES
from jieneng.directory.models import Organisation
from jieneng.statistics.models import RegionFigure, UnitFigure

pytestmark = pytest.mark.django_db
NAMES = {index: name for index, _code, name, *_rest in ORGANISATIONS}


def bearer(user, capabilities=CAPABILITIES) -> dict[str, str]:
    _token, secret = ApiToken.issue(user, "测试", list(capabilities))
    return {"Authorization": f"Bearer {secret}"}


def zh(text: str, **params) -> str:
    with translation.override("zh-hans"):
        return translation.gettext(text) % params


def names(response) -> set[str]:
    return {row["name"] for row in response.json()["items"]}


# --- regions -----------------------------------------------------------------------------------------


def test_a_city_office_sees_its_city_and_counties(client, people):
    headers = bearer(people.city_admin)
    rows = client.get("/api/v1/regions", headers=headers).json()
    assert [(r["code"], r["name"], r["level"], r["parent_code"]) for r in rows] == [
        ("445200", "揭阳市", 2, "440000"),
        ("445202", "榕城区", 3, "445200"),
        ("445222", "揭西县", 3, "445200"),
        ("445224", "惠来县", 3, "445200"),
    ]
    assert len(client.get("/api/v1/regions", {"level": 3}, headers=headers).json()) == 3
    assert [
        r["code"] for r in client.get("/api/v1/regions", {"parent": "445222"}, headers=headers).json()
    ] == []
    city = client.get("/api/v1/regions/445200", headers=headers).json()
    assert [c["code"] for c in city["children"]] == ["445202", "445222", "445224"]
    assert city["valid_to"] is None


def test_regions_outside_the_place_do_not_exist(client, people):
    headers = bearer(people.county_admin)
    for code in ("445200", "445222", "440000", "999999"):
        response = client.get(f"/api/v1/regions/{code}", headers=headers)
        assert response.status_code == 404
        assert response.json()["detail"] == zh(
            "No region with the code %(code)s is in your place.", code=code
        )
    # a reporting unit holds no region
    assert client.get("/api/v1/regions", headers=bearer(people.reporter)).json() == []
    assert client.get("/api/v1/regions/445202", headers=bearer(people.reporter)).status_code == 404


def test_a_superuser_sees_the_province(client, people):
    client.force_login(people.root)
    assert "440000" in {r["code"] for r in client.get("/api/v1/regions").json()}


# --- organisations -----------------------------------------------------------------------------------


def test_each_place_lists_its_organisations(client, people):
    expected = {
        "city_admin": set(NAMES.values()),
        "county_admin": {NAMES[1], NAMES[2], NAMES[3]},
        "department": {NAMES[1], NAMES[2]},
        "reporter": {NAMES[2]},
        "check_team": {NAMES[3]},
        "nobody": set(),
    }
    for who, wanted in expected.items():
        response = client.get("/api/v1/organisations", headers=bearer(getattr(people, who)))
        assert response.status_code == 200
        assert names(response) == wanted, who
        assert response.json()["count"] == len(wanted)


def test_organisation_filters_and_pages(client, people):
    headers = bearer(people.city_admin)

    def get(**query):
        return client.get("/api/v1/organisations", query, headers=headers)

    assert names(get(region="445222")) == {NAMES[4], NAMES[5], NAMES[6]}
    assert names(get(region="445200")) == set(NAMES.values())  # the city and everything below it
    assert names(get(region="445224")) == set()
    assert names(get(type_code="021")) == {NAMES[2], NAMES[5]}
    assert names(get(q="中学")) == {NAMES[2]}
    assert names(get(q="12445222100000059")) == {NAMES[5]}  # part of a credit code
    first, rest = get(limit=2).json(), get(limit=5, offset=2).json()
    assert (first["count"], len(first["items"]), len(rest["items"])) == (7, 2, 5)
    assert {r["id"] for r in first["items"]}.isdisjoint({r["id"] for r in rest["items"]})
    unknown = get(region="999999")
    assert (unknown.status_code, unknown.json()["detail"]) == (
        400,
        zh("No region has the code %(code)s.", code="999999"),
    )
    too_many = get(limit=501)
    assert too_many.status_code == 422
    assert too_many.json()["errors"][0]["field"] == "limit"
    assert get(type_code="999").status_code == 422


def test_one_organisation_and_its_years(client, people):
    headers = bearer(people.reporter)
    org = people.org[2]
    data = client.get(f"/api/v1/organisations/{org}", headers=headers).json()
    assert (data["name"], data["credit_code"], data["type_code"], data["region_code"]) == (
        "榕城区第一中学", "124452021000000243", "021", "445202",
    )  # fmt: skip
    assert data["supervisor_id"] == people.org[1] and data["address"] == "地址2号"
    assert data["type_name"] == zh("Education")
    years = client.get(f"/api/v1/organisations/{org}/years", headers=headers).json()
    assert [y["year"] for y in years] == [2020, 2024, 2025, 2026]
    assert years[2] == {"year": 2025, "building_area_m2": 2000.0, "persons": 50, "vehicles": 1}


def test_organisations_outside_the_place_do_not_exist(client, people):
    for who, index in (("reporter", 3), ("department", 3), ("county_admin", 5), ("other_reporter", 2)):
        headers = bearer(getattr(people, who))
        org = people.org[index]
        for url in (f"/api/v1/organisations/{org}", f"/api/v1/organisations/{org}/years"):
            response = client.get(url, headers=headers)
            assert response.status_code == 404, (who, url)
            assert response.json()["detail"] == zh(
                "No organisation with the id %(id)s is in your place.", id=org
            )
    assert client.get("/api/v1/organisations/999999", headers=bearer(people.root)).status_code == 404


# --- changes -----------------------------------------------------------------------------------------


def test_the_directory_role_changes_name_and_address(client, people):
    org = people.org[5]
    response = client.patch(
        f"/api/v1/organisations/{org}",
        {"name": " 揭西县实验小学（新校区） ", "address": "河婆街道1号"},
        content_type="application/json",
        headers=bearer(people.other_county_admin),
    )
    assert response.status_code == 200
    assert (response.json()["name"], response.json()["address"]) == (
        "揭西县实验小学（新校区）",
        "河婆街道1号",
    )
    stored = Organisation.objects.get(pk=org)
    assert (stored.name, stored.address, stored.type_code) == (
        "揭西县实验小学（新校区）",
        "河婆街道1号",
        "021",
    )
    entry = LogEntry.objects.get_for_object(stored).latest("timestamp")
    assert entry.actor == people.other_county_admin
    assert set(entry.changes_dict) == {"name", "address"}


def test_the_trail_records_which_token_made_a_change(client, people):
    token, secret = ApiToken.issue(people.other_county_admin, "夜间同步", list(CAPABILITIES))
    org = people.org[5]
    response = client.patch(
        f"/api/v1/organisations/{org}",
        {"address": "河婆街道2号"},
        content_type="application/json",
        headers={"Authorization": f"Bearer {secret}"},
    )
    assert response.status_code == 200
    entry = LogEntry.objects.get_for_object(Organisation.objects.get(pk=org)).latest("timestamp")
    assert entry.actor == people.other_county_admin and entry.cid == f"api-token:{token.pk}"
    client.force_login(people.other_county_admin)
    page = client.get("/accounts/audit/", headers={"Accept-Language": "zh-hans"}).content.decode()
    assert "（API 令牌“夜间同步”）" in page
    client.patch(
        f"/api/v1/organisations/{org}", {"address": "河婆街道3号"}, content_type="application/json"
    )  # the session: no token
    latest = LogEntry.objects.get_for_object(Organisation.objects.get(pk=org)).latest("timestamp")
    assert not (latest.cid or "").startswith("api-token:")


def test_a_change_of_type_moves_the_figures_in_the_rollups(client, people):
    org = people.org[2]  # the only education unit of 榕城区
    unit_2025 = UnitFigure.objects.get(organisation_id=org, year=2025)
    health_before = RegionFigure.objects.get(region="445202", year=2025, month=0, type_code="024", energy="")
    response = client.patch(
        f"/api/v1/organisations/{org}", {"type_code": "024"}, content_type="application/json",
        headers=bearer(people.county_admin),
    )  # fmt: skip
    assert response.status_code == 200 and response.json()["type_code"] == "024"
    assert not RegionFigure.objects.filter(region="445202", year=2025, month=0, type_code="021").exists()
    health = RegionFigure.objects.get(region="445202", year=2025, month=0, type_code="024", energy="")
    assert health.kgce == pytest.approx(health_before.kgce + unit_2025.kgce)
    assert health.units == health_before.units + 1
    assert set(UnitFigure.objects.filter(organisation_id=org).values_list("type_code", flat=True)) == {"024"}
    city_education = RegionFigure.objects.get(region="445200", year=2025, month=0, type_code="021", energy="")
    assert city_education.units == 1  # only 揭西县实验小学 is left
    # the totals do not move
    total = RegionFigure.objects.get(region="445202", year=2025, month=0, type_code="", energy="")
    assert total.units == 3


def test_changes_need_the_directory_role_and_good_values(client, people):
    org = people.org[2]

    def patch(user, body, capabilities=CAPABILITIES):
        return client.patch(
            f"/api/v1/organisations/{org}",
            body,
            content_type="application/json",
            headers=bearer(user, capabilities),
        )

    refused = zh("You may see this organisation but not change it: that needs the directory role.")
    for who in ("viewer", "reporter", "reviewer"):
        response = patch(getattr(people, who), {"name": "改名"})
        assert (response.status_code, response.json()["detail"]) == (403, refused), who
    response = patch(people.county_admin, {"name": "改名"}, capabilities=["view"])
    assert response.status_code == 403
    with translation.override("zh-hans"):
        capability = translation.pgettext("capability", "maintain the directory")
    assert response.json()["detail"] == zh(
        "This API token does not allow “%(capability)s”. "
        "Make one that has it on the page “My account” (/accounts/tokens/).",
        capability=capability,
    )
    for who in ("other_county_admin", "other_reporter", "nobody"):
        assert patch(getattr(people, who), {"name": "改名"}).status_code == 404, who
    for body in ({"name": "  "}, {"name": None}, {"type_code": "999"}, {"name": "长" * 201}):
        response = patch(people.county_admin, body)
        assert response.status_code == 422, body
        assert response.json()["errors"][0]["location"] == "body"
    assert Organisation.objects.get(pk=org).name == "榕城区第一中学"
    blank = patch(people.county_admin, {"name": ""})
    assert blank.json()["errors"][0]["message"] == zh("This value cannot be empty.")
