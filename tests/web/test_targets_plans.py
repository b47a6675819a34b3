"""Action plans: a sheet of numbered actions imports every action with its goals; a sheet with a number
twice, a goal without its base or a bad date stores nothing and names each row; progress reported per
action; the plan's summary (done, late, not started) on a day; the pages are scoped by place."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from types import SimpleNamespace

import pytest
import xlsxwriter
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from jieneng.directory.models import Region
from jieneng.targets import plans
from jieneng.targets.models import Action, ActionPlan, ActionReport

pytestmark = pytest.mark.django_db
ZH = {"Accept-Language": "zh-hans"}
HEADER = [
    "序号",
    "行动",
    "牵头单位",
    "配合单位",
    "完成时限",
    "指标",
    "单位",
    "基期年",
    "基期值",
    "目标年",
    "目标值",
]
GOOD = [
    [1, "专利申请倍增行动", "知识产权局", "科技局、财政局", "2012-12-31",
     "专利申请量", "件", 2007, 563, 2012, 1160],
    [2, "创新平台建设行动", "科技局", "发展改革局", "2026-09-30", "", "", "", "", "", ""],
    [3, "人才引进行动", "人力资源社会保障局", "", "2027年6月30日", "", "", "", "", "", ""],
]  # fmt: skip


def workbook(path: Path, rows: list[list[object]]) -> Path:
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("行动计划")
    sheet.write_row(0, 0, ["创新行动计划（2008—2012年）"])
    sheet.write_row(1, 0, HEADER)
    for n, row in enumerate(rows, start=2):
        sheet.write_row(n, 0, row)
    book.close()
    return path


def city() -> Region:
    return Region.objects.current().get(code="445200")


def test_a_good_sheet_imports_every_action(loaded: SimpleNamespace, tmp_path: Path) -> None:
    plan, problems = plans.import_plan(
        city(), "创新行动计划", 2008, 2012, workbook(tmp_path / "p.xlsx", GOOD)
    )
    assert plan is not None and problems == []
    first, second, third = plan.actions.order_by("number")
    assert (first.lead, first.partners, first.deadline) == (
        "知识产权局",
        "科技局、财政局",
        date(2012, 12, 31),
    )
    goal = first.goals.get()
    assert (goal.quantity, goal.base_year, goal.base, goal.year, goal.target) == (
        "专利申请量",
        2007,
        563,
        2012,
        1160,
    )
    assert third.deadline == date(2027, 6, 30) and not second.goals.exists()
    found = plans.summary(plan, date(2026, 12, 2))
    assert (found.total, found.late, found.not_started, found.finished) == (3, 2, 1, 0)


def test_every_bad_row_is_named_and_nothing_is_stored(loaded: SimpleNamespace, tmp_path: Path) -> None:
    rows = [
        GOOD[0],
        [1, "重复编号", "科技局", "", "", "", "", "", "", "", ""],
        [4, "缺基期", "科技局", "", "2026-01-01", "专利授权量", "件", "", "", 2012, 500],
        [5, "年份颠倒", "科技局", "", "2026-01-01", "专利授权量", "件", 2013, 1, 2012, 500],
        [6, "日期错", "科技局", "", "明年", "", "", "", "", "", ""],
        [7, "", "科技局", "", "", "", "", "", "", "", ""],
    ]
    plan, problems = plans.import_plan(city(), "坏计划", 2008, 2012, workbook(tmp_path / "p.xlsx", rows))
    assert plan is None and not ActionPlan.objects.exists() and not Action.objects.exists()
    assert [(p.code, p.row) for p in problems] == [
        ("bad_date", 7),
        ("empty_cell", 8),
        ("action_number_twice", 4),
        ("action_goal_incomplete", 5),
        ("action_goal_years", 6),
    ]


def test_a_sheet_without_actions(loaded: SimpleNamespace, tmp_path: Path) -> None:
    plan, problems = plans.import_plan(city(), "空", 2008, 2012, workbook(tmp_path / "p.xlsx", []))
    assert plan is None and [p.code for p in problems] == ["plan_without_actions"]


def test_progress_reported_per_action(loaded: SimpleNamespace, tmp_path: Path) -> None:
    plan, _problems = plans.import_plan(
        city(), "创新行动计划", 2008, 2012, workbook(tmp_path / "p.xlsx", GOOD)
    )
    assert plan is not None
    first = plan.actions.get(number=1)
    plans.report(first, "under_way", date(2026, 6, 30), value=861.5, note="过半")
    plans.report(plan.actions.get(number=3), "done", date(2026, 11, 30))
    rows = {r.action.number: r for r in plans.rows(plan, date(2026, 12, 2))}
    assert rows[1].goals[0][1] == pytest.approx(50.0) and rows[1].state == "late"
    assert rows[3].state == "done" and rows[2].state == "late"
    assert ActionReport.objects.filter(action=first).get().note == "过半"
    with pytest.raises(ValueError):
        plans.report(first, "finished", date(2026, 6, 30))


def test_the_pages_import_report_and_are_scoped(
    people: SimpleNamespace, client: Client, tmp_path: Path
) -> None:
    client.force_login(people.city_admin)
    bad = workbook(tmp_path / "bad.xlsx", [GOOD[0], GOOD[0]])
    with bad.open("rb") as f:
        upload = SimpleUploadedFile("行动计划.xlsx", f.read())
    form = {"region": "445200", "title": "创新行动计划", "start_year": 2008, "end_year": 2012}
    page = client.post("/targets/plans/new/", {**form, "sheet": upload}, headers=ZH)
    assert page.status_code == 400
    assert "第 4 行“序号”列：行动 1 重复；首次出现在第 3 行。" in page.content.decode()
    assert not ActionPlan.objects.exists()
    with workbook(tmp_path / "good.xlsx", GOOD).open("rb") as f:
        upload = SimpleUploadedFile("行动计划.xlsx", f.read())
    page = client.post("/targets/plans/new/", {**form, "sheet": upload}, headers=ZH)
    plan = ActionPlan.objects.get()
    assert page.status_code == 302 and page["Location"] == f"/targets/plans/{plan.pk}/"
    text = client.get(f"/targets/plans/{plan.pk}/", headers=ZH).content.decode()
    assert "专利申请倍增行动" in text and "知识产权局" in text and "1,160" in text
    assert "创新行动计划" in client.get("/targets/plans/", headers=ZH).content.decode()
    action = plan.actions.get(number=1)
    report = {"status": "done", "reported_on": "2026-11-30", "value": "1200", "note": ""}
    assert client.post(f"/targets/plans/actions/{action.pk}/report/", report).status_code == 302
    action.refresh_from_db()
    assert action.status == "done" and action.goals.get().current == 1200
    county = Client()
    county.force_login(people.county_admin)
    assert county.get(f"/targets/plans/{plan.pk}/").status_code == 404
    assert "创新行动计划" not in county.get("/targets/plans/", headers=ZH).content.decode()
    assert county.post(f"/targets/plans/actions/{action.pk}/report/", report).status_code == 404
    assert county.get("/targets/plans/new/?region=445200").status_code == 404


def test_the_demonstration_plan_in_december(loaded: SimpleNamespace) -> None:
    from jieneng.targets import demo_plans

    today = date(2026, 12, 2)
    assert demo_plans.ensure(city(), today) == 8 and demo_plans.ensure(city(), today) == 0
    plan = ActionPlan.objects.get()
    found = plans.summary(plan, today)
    assert (found.done, found.done_late, found.late, found.under_way, found.not_started) == (2, 1, 2, 2, 1)
    led = {r.action.number: r for r in plans.rows(plan, today)}[2].goals[0]
    assert led[0].current == 6500 and led[1] is not None and 0 < led[1] < 100
    demo_plans.forget()
    assert not ActionPlan.objects.exists() and not Action.objects.exists()
