"""Changing the directory through its pages: every change is audited with its actor and old and new
values, a move to another county or type moves the organisation's figures in the roll-ups, new yearly
facts change the per-person and per-m² denominators, and every bad input is refused in Chinese."""

from __future__ import annotations

from datetime import date

import pytest
from auditlog.models import LogEntry
from conftest import ORGANISATIONS
from django.urls import reverse

from jieneng.core import credit_code
from jieneng.directory.models import Organisation, OrganisationYear, Region
from jieneng.statistics.models import RegionFigure, UnitFigure

NAMES = {index: name for index, _code, name, *_rest in ORGANISATIONS}
YEARS = (2020, 2024, 2025)
CHAIN = ("445202", "445200", "440000")  # 榕城区 and the regions above it


def figure(region: str, year: int, type_code: str = "") -> RegionFigure:
    return RegionFigure.objects.get(region=region, year=year, month=0, type_code=type_code, energy="")


def region_of(code: str) -> Region:
    return Region.objects.current().get(code=code)


def edit_data(org: Organisation, **changes: object) -> dict[str, object]:
    data = {
        "name": org.name,
        "type_code": org.type_code,
        "region": org.region_id,
        "supervisor": org.supervisor.credit_code if org.supervisor else "",
        "address": org.address,
    }
    return {**data, **changes}


def errors_of(response) -> str:
    form = response.context["form"]
    return " ".join(str(message) for messages in form.errors.values() for message in messages)


# --- changing an organisation ----------------------------------------------------------------------


def test_a_change_is_audited_with_its_actor_and_old_and_new_values(client, people):
    org = Organisation.objects.get(pk=people.org[3])
    client.force_login(people.county_admin)
    response = client.post(
        reverse("directory:edit", args=[org.pk]),
        edit_data(org, name="榕城区人民医院（新院区）", address="新路1号"),
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("directory:organisation", args=[org.pk])
    org.refresh_from_db()
    assert (org.name, org.address) == ("榕城区人民医院（新院区）", "新路1号")

    entry = LogEntry.objects.get_for_object(org).filter(action=LogEntry.Action.UPDATE).get()
    assert entry.actor == people.county_admin
    assert entry.changes_dict == {
        "name": ["榕城区人民医院", "榕城区人民医院（新院区）"],
        "address": ["地址3号", "新路1号"],
    }

    page = client.get(response["Location"]).content.decode()
    assert "修改记录" in page and "county_admin" in page
    assert "榕城区人民医院（新院区）" in page and "地址3号" in page and "新路1号" in page
    assert "已保存：名称、地址。" in page


def test_moving_an_organisation_to_another_county_moves_its_figures(client, people):
    org = Organisation.objects.get(pk=people.org[3])  # 榕城区人民医院, 445202
    unit = {f.year: f.kgce for f in UnitFigure.objects.filter(organisation=org)}
    assert set(unit) >= set(YEARS) and all(kgce > 0 for kgce in unit.values())
    before = {(code, y): figure(code, y).kgce for code in ("445202", "445222", "445200") for y in YEARS}
    units_before = figure("445222", 2025).units

    client.force_login(people.city_admin)
    response = client.post(
        reverse("directory:edit", args=[org.pk]), edit_data(org, region=region_of("445222").pk)
    )
    assert response.status_code == 302
    for y in YEARS:
        assert figure("445202", y).kgce == pytest.approx(before[("445202", y)] - unit[y])
        assert figure("445222", y).kgce == pytest.approx(before[("445222", y)] + unit[y])
        assert figure("445200", y).kgce == pytest.approx(before[("445200", y)])  # the city is unchanged
    assert figure("445222", 2025).units == units_before + 1
    assert set(UnitFigure.objects.filter(organisation=org).values_list("region", flat=True)) == {"445222"}
    entry = LogEntry.objects.get_for_object(org).filter(action=LogEntry.Action.UPDATE).get()
    assert entry.actor == people.city_admin
    assert entry.changes_dict["region"] == [str(region_of("445202").pk), str(region_of("445222").pk)]
    page = client.get(reverse("directory:organisation", args=[org.pk])).content.decode()
    assert "揭西县" in page and "榕城区" in page  # the history shows names, not ids


def test_a_new_type_moves_the_figures_between_types(client, people):
    org = Organisation.objects.get(pk=people.org[3])  # 024 卫生
    unit = UnitFigure.objects.get(organisation=org, year=2025).kgce
    education, total = figure("445202", 2025, "021").kgce, figure("445202", 2025).kgce
    client.force_login(people.county_admin)
    client.post(reverse("directory:edit", args=[org.pk]), edit_data(org, type_code="021"))
    assert not RegionFigure.objects.filter(region="445202", year=2025, type_code="024").exists()
    assert figure("445202", 2025, "021").kgce == pytest.approx(education + unit)
    assert figure("445202", 2025).kgce == pytest.approx(total)
    assert UnitFigure.objects.get(organisation=org, year=2025).type_code == "021"


def test_a_county_office_cannot_move_a_unit_out_of_its_county(client, people):
    org = Organisation.objects.get(pk=people.org[3])
    client.force_login(people.county_admin)
    response = client.post(
        reverse("directory:edit", args=[org.pk]), edit_data(org, region=region_of("445222").pk)
    )
    assert response.status_code == 200
    assert "该地区不在您的管辖范围内，请从列表中选择地区。" in errors_of(response)
    org.refresh_from_db()
    assert org.region.code == "445202"


def test_a_unit_cannot_supervise_its_supervisor(client, people):
    supervisor = Organisation.objects.get(pk=people.org[1])
    client.force_login(people.county_admin)
    school = ORGANISATIONS[1][1]
    response = client.post(
        reverse("directory:edit", args=[supervisor.pk]), edit_data(supervisor, supervisor=school)
    )
    assert "由本单位主管，不能同时作为本单位的主管部门" in errors_of(response)
    response = client.post(
        reverse("directory:edit", args=[supervisor.pk]), edit_data(supervisor, supervisor=ORGANISATIONS[4][1])
    )  # 揭西县实验小学: outside 榕城区
    assert "您的管辖范围内没有统一社会信用代码为" in errors_of(response)


def test_the_department_keeps_its_units_under_itself(client, people):
    school = Organisation.objects.get(pk=people.org[2])
    client.force_login(people.department)
    response = client.post(reverse("directory:edit", args=[school.pk]), edit_data(school, supervisor=""))
    assert "只能在本部门（榕城区机关事务服务中心）下登记单位" in errors_of(response)
    response = client.post(reverse("directory:edit", args=[school.pk]), edit_data(school, name="榕城一中"))
    assert response.status_code == 302
    assert Organisation.objects.get(pk=school.pk).name == "榕城一中"


# --- registering an organisation -------------------------------------------------------------------

NEW_CODE = credit_code.make("1", "2", "445202", "20000001")


def new_org(**changes: object) -> dict[str, object]:
    data = {
        "credit_code": NEW_CODE,
        "name": "榕城区第二中学",
        "type_code": "021",
        "region": region_of("445202").pk,
        "supervisor": "",
        "address": "榕城区学院路2号",
    }
    return {**data, **changes}


def test_register_an_organisation(client, people):
    client.force_login(people.county_admin)
    response = client.post(reverse("directory:register"), new_org(credit_code=NEW_CODE.lower()))
    org = Organisation.objects.get(credit_code=NEW_CODE)
    assert response["Location"] == reverse("directory:organisation", args=[org.pk])
    assert (org.name, org.type_code, org.region.code) == ("榕城区第二中学", "021", "445202")
    entry = LogEntry.objects.get_for_object(org).get()
    assert (entry.action, entry.actor) == (LogEntry.Action.CREATE, people.county_admin)
    response = client.post(reverse("directory:register"), new_org(name="重复"))
    assert f"名录库中已有统一社会信用代码为 {NEW_CODE} 的单位。" in errors_of(response)


def test_a_department_registers_units_under_itself_only(client, people):
    client.force_login(people.department)
    form = client.get(reverse("directory:register")).context["form"]
    assert form.initial["supervisor"] == ORGANISATIONS[0][1]  # its own department, filled in
    response = client.post(reverse("directory:register"), new_org())
    assert "只能在本部门（榕城区机关事务服务中心）下登记单位" in errors_of(response)
    assert not Organisation.objects.filter(credit_code=NEW_CODE).exists()
    response = client.post(reverse("directory:register"), new_org(supervisor=ORGANISATIONS[0][1]))
    assert response.status_code == 302
    assert Organisation.objects.get(credit_code=NEW_CODE).supervisor_id == people.org[1]


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"credit_code": NEW_CODE[:-1] + ("0" if NEW_CODE[-1] != "0" else "1")}, "校验码"),
        ({"credit_code": "1244520"}, "有 7 位"),
        ({"credit_code": ""}, "请填写单位的统一社会信用代码。"),
        ({"name": ""}, "请填写单位名称。"),
        ({"type_code": ""}, "请选择单位性质。"),
        ({"region": "445222"}, "该地区不在您的管辖范围内"),  # not even an id
        ({"supervisor": "91440300MA5XXXXXXX"}, "统一社会信用代码"),
    ],
)
def test_register_refuses_bad_input_in_chinese(client, people, changes, message):
    client.force_login(people.county_admin)
    data = new_org(**changes)
    if changes.get("region") == "445222":
        data["region"] = region_of("445222").pk  # a real region, outside 榕城区
    response = client.post(reverse("directory:register"), data)
    assert response.status_code == 200
    assert message in errors_of(response), errors_of(response)
    assert "请更正下面标出的内容。" in response.content.decode()
    assert not Organisation.objects.filter(name="榕城区第二中学").exists()


# --- yearly facts ----------------------------------------------------------------------------------


def test_correcting_facts_updates_the_denominators_and_is_audited(client, people):
    school = people.org[2]
    before = {code: figure(code, 2025) for code in CHAIN}
    client.force_login(people.county_admin)
    form = client.get(reverse("directory:facts", args=[school]), {"year": 2025}).context["form"]
    assert (form.initial["persons"], form.initial["building_area_m2"]) == (50, 2000)
    response = client.post(
        reverse("directory:facts", args=[school]),
        {"year": 2025, "building_area_m2": "2500.5", "persons": "70", "vehicles": "2"},
    )
    assert response.status_code == 302
    for code in CHAIN:
        after = figure(code, 2025)
        assert after.persons == pytest.approx(before[code].persons + 20)
        assert after.area_m2 == pytest.approx(before[code].area_m2 + 500.5)
        assert after.kgce == pytest.approx(before[code].kgce)
    unit = UnitFigure.objects.get(organisation_id=school, year=2025)
    assert (unit.persons, unit.area_m2) == (70, 2500.5)
    assert figure("445202", 2024).persons == pytest.approx(
        sum(
            f.persons for f in OrganisationYear.objects.filter(year=2024, organisation__region__code="445202")
        )
    )
    fact = OrganisationYear.objects.get(organisation_id=school, year=2025)
    entry = LogEntry.objects.get_for_object(fact).get()
    assert entry.actor == people.county_admin
    assert entry.changes_dict["persons"] == ["50", "70"]
    page = client.get(reverse("directory:organisation", args=[school])).content.decode()
    assert "2025 年度基本信息" in page and "用能人数" in page and "2025 年度基本信息已保存。" in page


def test_adding_a_year_without_records_leaves_the_figures(client, people):
    figures = list(RegionFigure.objects.order_by("pk").values_list("kgce", "persons", "area_m2"))
    client.force_login(people.county_admin)
    response = client.post(
        reverse("directory:facts", args=[people.org[3]]),
        {"year": 2023, "building_area_m2": "900", "persons": "45", "vehicles": ""},
    )
    assert response.status_code == 302
    fact = OrganisationYear.objects.get(organisation_id=people.org[3], year=2023)
    assert (fact.persons, fact.vehicles) == (45, 0)
    assert list(RegionFigure.objects.order_by("pk").values_list("kgce", "persons", "area_m2")) == figures


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"building_area_m2": "-5"}, "建筑面积不能为负数。"),
        ({"building_area_m2": "5千"}, "建筑面积请填写平方米数"),
        ({"persons": "12.5"}, "用能人数请填写整数，例如 120。"),
        ({"persons": "-1"}, "用能人数不能为负数。"),
        ({"year": str(date.today().year + 1)}, "年尚未到来"),
        ({"year": "二〇二五"}, "年度请填写四位数字"),
        ({"vehicles": "1.5"}, "公务用车数量请填写整数"),
    ],
)
def test_facts_refuse_bad_input_in_chinese(client, people, data, message):
    client.force_login(people.county_admin)
    stored = list(OrganisationYear.objects.order_by("pk").values_list("building_area_m2", "persons"))
    good = {"year": "2025", "building_area_m2": "2000", "persons": "50", "vehicles": "1"}
    response = client.post(reverse("directory:facts", args=[people.org[2]]), {**good, **data})
    assert response.status_code == 200
    assert message in errors_of(response), errors_of(response)
    assert list(OrganisationYear.objects.order_by("pk").values_list("building_area_m2", "persons")) == stored


# --- regions ---------------------------------------------------------------------------------------


def test_regions_page_counts_organisations_in_each_subtree(client, people):
    client.force_login(people.city_admin)
    response = client.get(reverse("directory:regions"))
    rows = {r.region.code: r for r in response.context["rows"]}
    assert list(rows) == ["445200", "445202", "445222", "445224"]
    assert {code: r.organisations for code, r in rows.items()} == {
        "445200": 7,
        "445202": 3,
        "445222": 3,
        "445224": 0,
    }
    assert {code for code, r in rows.items() if r.renamable} == {"445202", "445222", "445224"}


def test_a_county_office_sees_its_county_and_renames_nothing(client, people):
    client.force_login(people.county_admin)
    rows = client.get(reverse("directory:regions")).context["rows"]
    assert [(r.region.code, r.organisations, r.renamable) for r in rows] == [("445202", 3, False)]
    county = region_of("445202")
    response = client.post(reverse("directory:rename_region", args=[county.pk]), {"name": "榕城"})
    assert response.status_code == 403
    assert "只有揭阳市节能主管部门的管理员可以修改该地区的名称" in response.content.decode()
    other = region_of("445222")
    assert client.get(reverse("directory:rename_region", args=[other.pk])).status_code == 404
    assert client.get(reverse("directory:regions"), {"code": "445222"}).status_code == 404


def test_the_city_office_renames_a_county_and_it_is_audited(client, people):
    county = region_of("445224")
    client.force_login(people.city_admin)
    response = client.post(reverse("directory:rename_region", args=[county.pk]), {"name": "惠来县（新）"})
    assert response.status_code == 302
    county.refresh_from_db()
    assert county.name == "惠来县（新）"
    entry = LogEntry.objects.get_for_object(county).get()
    assert entry.actor == people.city_admin and entry.changes_dict["name"] == ["惠来县", "惠来县（新）"]
    response = client.post(reverse("directory:rename_region", args=[county.pk]), {"name": " "})
    assert "请填写地区的新名称。" in errors_of(response)


def test_a_viewer_may_not_rename(client, people):
    client.force_login(people.viewer)
    assert client.get(reverse("directory:rename_region", args=[region_of("445202").pk])).status_code == 403


def test_an_organisation_account_has_no_region_tree(client, people):
    client.force_login(people.reporter)
    response = client.get(reverse("directory:regions"))
    assert response.context["rows"] == []
    assert "您的账号属于单位而不是地区" in response.content.decode()


# --- the admin ----------------------------------------------------------------------------------------


def test_staff_without_superuser_cannot_use_the_directory_admin(client, people):
    from django.contrib.auth.models import Permission

    staff = people.nobody
    staff.is_staff = True
    staff.save()
    staff.user_permissions.add(*Permission.objects.filter(content_type__app_label="directory"))
    client.force_login(staff)
    org = people.org[1]
    assert client.get(reverse("admin:directory_organisation_changelist")).status_code == 403
    assert client.get(reverse("admin:directory_organisation_change", args=[org])).status_code == 403
    response = client.post(
        reverse("admin:directory_organisationyear_add"), {"organisation": org, "year": 2023}
    )
    assert response.status_code == 403
    assert not OrganisationYear.objects.filter(organisation_id=org, year=2023).exists()


def test_facts_changed_in_the_admin_keep_the_figures(client, people):
    fact = OrganisationYear.objects.get(organisation_id=people.org[2], year=2025)
    before = figure("445202", 2025).persons
    client.force_login(people.root)
    response = client.post(
        reverse("admin:directory_organisationyear_change", args=[fact.pk]),
        {"year": 2025, "building_area_m2": "2000", "persons": "80", "vehicles": "1"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert figure("445202", 2025).persons == pytest.approx(before + 30)
    assert LogEntry.objects.get_for_object(fact).get().actor == people.root
