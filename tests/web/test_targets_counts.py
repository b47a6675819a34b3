"""Targets on a counted quantity: counted from the project register (the street-lighting projects'
quantities done in the region and below, by closed month, passed down with the target) or reported by
hand on the target's page (one count a month, bad input refused with a message, only by the owner)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.test import Client
from django.utils import timezone

from jieneng.directory.models import Region
from jieneng.projects.models import ProgressEntry, Project
from jieneng.targets import counting, services
from jieneng.targets.models import CountReport, Target

pytestmark = pytest.mark.django_db
ZH = {"Accept-Language": "zh-hans"}
TODAY = date(2026, 12, 2)


def lamps_target(year: int = 2026, source: str = "projects:street_lighting", code: str = "445200") -> Target:
    return Target.objects.create(
        name="LED路灯改造",
        region=Region.objects.current().get(code=code),
        indicator="count",
        counted_unit="盏",
        count_source=source,
        start_year=year,
        end_year=year,
        kind="value",
        value=9016.0,
        binding="expected",
    )


def lights(code: str, entries: list[tuple[date, int]], kind: str = "street_lighting") -> Project:
    project = Project.objects.create(
        name=f"{code}路灯改造",
        kind=kind,
        region=Region.objects.current().get(code=code),
        start=date(2025, 6, 1),
        planned_quantity=Decimal(9016),
    )
    for on, done in entries:
        ProgressEntry.objects.create(project=project, on=on, quantity_done=Decimal(done))
    return project


def test_every_kind_of_project_is_offered_as_a_source() -> None:
    codes = {code for code, _title in counting.choices()}
    assert {"projects:street_lighting", "projects:heat_pump"} <= codes
    assert "project-kinds@" in counting.get("projects:street_lighting").ref


def test_a_target_counts_the_lamps_done_in_its_period_by_closed_month(people: SimpleNamespace) -> None:
    lights("445202", [(date(2025, 12, 20), 500), (date(2026, 3, 31), 2000), (date(2026, 11, 30), 6500)])
    lights("445222", [(date(2026, 5, 1), 300)])
    lights("445222", [(date(2026, 5, 1), 40)], kind="heat_pump")  # another kind: not counted
    lights("445202", [(date(2026, 12, 1), 100)])  # this month is not closed yet on TODAY
    target = lamps_target()
    months = services.counted_months(target, TODAY)
    assert [(y, m) for y, m, _c in months] == [(2026, m) for m in range(1, 12)]
    by_month = {m: c for _y, m, c in months}
    assert by_month[3] == 1500 and by_month[5] == 300 and by_month[11] == 4500 and by_month[1] == 0
    assert sum(by_month.values()) == 6500 + 300 - 500  # the lamps done before the period are not counted
    row = services.progress([target], TODAY).row(0, named=True)
    assert row["num"] == 6300 and row["months"] == 11 and row["figures_used"].startswith("project-kinds@")
    county = lamps_target(code="445222")
    assert sum(c for _y, _m, c in services.counted_months(county, TODAY)) == 300


def test_a_split_passes_the_source_down(people: SimpleNamespace, client: Client) -> None:
    target = lamps_target()
    client.force_login(people.city_admin)
    client.post(f"/targets/{target.pk}/split/", {"method": "equal", "reason": "分解"})
    child = target.children.get(region__code="445202")
    assert child.count_source == "projects:street_lighting" and child.counted_unit == "盏"


def test_the_page_says_where_the_counts_come_from_and_offers_no_form(
    people: SimpleNamespace, client: Client
) -> None:
    today = timezone.localdate()
    closed = today.replace(day=1) - timedelta(days=1)
    lights("445202", [(closed, 1234)])
    target = lamps_target(year=closed.year)
    client.force_login(people.city_admin)
    page = client.get(f"/targets/{target.pk}/", headers=ZH).content.decode()
    assert "项目台账：路灯改造" in page and "1,234" in page and "9,016" in page and "1,234.00" not in page
    assert "记录某月数量" not in page and f"/targets/{target.pk}/count/" not in page
    refused = client.post(f"/targets/{target.pk}/count/", {"year": closed.year, "month": 1, "count": 5})
    assert refused.status_code == 403 and not CountReport.objects.exists()


def test_a_count_by_hand_is_recorded_replaced_and_bad_ones_refused(
    people: SimpleNamespace, client: Client
) -> None:
    today = timezone.localdate()
    target = lamps_target(year=today.year, source="")
    client.force_login(people.city_admin)
    url = f"/targets/{target.pk}/count/"
    assert "记录某月数量" in client.get(f"/targets/{target.pk}/", headers=ZH).content.decode()
    assert client.post(url, {"year": today.year, "month": 1, "count": 120, "note": "首批"}).status_code == 302
    assert client.post(url, {"year": today.year, "month": 1, "count": 150, "note": "更正"}).status_code == 302
    assert list(CountReport.objects.values_list("month", "count", "note")) == [(1, 150.0, "更正")]
    assert CountReport.objects.get().reported_by == people.city_admin
    bad = {
        "month": ({"year": today.year, "month": 13, "count": 1}, "月份为 1 至 12"),
        "year": ({"year": today.year + 1, "month": 1, "count": 1}, "不在目标期限内"),
        "negative": ({"year": today.year, "month": 1, "count": -5}, "不小于 0"),
        "nan": ({"year": today.year, "month": 1, "count": "nan"}, ""),
    }
    for name, (data, message) in bad.items():
        response = client.post(url, data, headers=ZH)
        assert response.status_code == 400, name
        assert message in response.content.decode(), name
    if today.month < 12:
        future = client.post(url, {"year": today.year, "month": today.month + 1, "count": 1}, headers=ZH)
        assert future.status_code == 400 and "尚未开始" in future.content.decode()
    assert CountReport.objects.get().count == 150.0  # nothing of the refused posts was kept


def test_only_the_owner_records_a_count(people: SimpleNamespace, client: Client) -> None:
    today = timezone.localdate()
    target = lamps_target(year=today.year, source="", code="445202")
    url = f"/targets/{target.pk}/count/"
    data = {"year": today.year, "month": 1, "count": 1}
    for user in (people.other_county_admin, people.viewer, people.nobody):
        client.force_login(user)
        assert client.post(url, data).status_code in (403, 404), user.username
    client.force_login(people.viewer)
    assert "记录某月数量" not in client.get(f"/targets/{target.pk}/", headers=ZH).content.decode()
    assert not CountReport.objects.exists()
    client.force_login(people.county_admin)
    assert client.post(url, data).status_code == 302


def test_a_source_needs_a_counted_quantity(people: SimpleNamespace, client: Client) -> None:
    client.force_login(people.city_admin)
    data = {
        "name": "市能耗总量上限", "indicator": "energy_total", "start_year": "2026", "end_year": "2026",
        "kind": "cap", "value": "100", "binding": "binding", "tier": "single",
        "warning_rule": "ndrc-2021-629", "region": "445200", "count_source": "projects:street_lighting",
    }  # fmt: skip
    response = client.post("/targets/new/?region=445200", data, headers=ZH)
    assert response.status_code in (200, 400) and "只有计数类指标" in response.content.decode()
    assert not Target.objects.exists()


def test_the_demonstration_counts_the_led_project_and_units_by_hand(people: SimpleNamespace) -> None:
    from jieneng.projects import demo as projects_demo
    from jieneng.targets import demo

    projects_demo.load("445200", TODAY)
    demo.ensure(TODAY)
    lamps = Target.objects.get(count_source="projects:street_lighting", parent=None)
    assert sum(c for _y, _m, c in services.counted_months(lamps, TODAY)) == 6500  # 72 % of 9,016
    row = services.progress([lamps], TODAY).row(0, named=True)
    assert row["value"] == 9016 and row["months"] == 11
    units = Target.objects.get(name__endswith="示范单位创建")
    assert [(m, c) for _y, m, c in services.counted_months(units, TODAY)] == [(4, 1.0), (7, 1.0), (10, 1.0)]
