"""The demonstration city's action plan, relative to ``today``: a three-year 行动方案 of eight numbered
actions with lead departments, partners and deadlines — two done, one done late, two late, two under way,
one not started — goals on counted quantities (LED lamps, 节约型机关, rooftop PV) and their progress
reports. Made once, from :mod:`.demo_work`."""

from __future__ import annotations

from datetime import date

from jieneng.directory.models import Region
from jieneng.targets import plans
from jieneng.targets.models import Action, ActionGoal, ActionPlan

#: number, action, lead, partners, deadline (months from 1 January this year), status, goal
ACTIONS = (
    (1, "公共机构节能管理制度完善行动", "市机关事务管理局", "市司法局", 3, "done", None),
    (2, "道路照明LED改造行动", "市城市管理局", "市财政局、各县（市、区）政府", 11, "under_way",
     ("LED路灯", "盏", 1200, 9016, 6500)),
    (3, "节约型机关创建行动", "市机关事务管理局", "各县（市、区）机关事务部门", 18, "under_way",
     ("节约型机关", "家", 120, 260, 171)),
    (4, "公共建筑能耗监测平台建设行动", "市住房城乡建设局", "市工业和信息化局", 6, "done", None),
    (5, "屋顶分布式光伏推广行动", "市发展改革局", "市机关事务管理局、供电局", 9, "under_way",
     ("屋顶光伏装机", "千瓦", 3200, 12000, 4100)),
    (6, "学校节能改造行动", "市教育局", "市财政局", 8, "done_late", None),
    (7, "医院合同能源管理试点行动", "市卫生健康局", "市发展改革局", 24, "not_started", None),
    (8, "节能宣传周活动", "市机关事务管理局", "市委宣传部", 14, "under_way", None),
)  # fmt: skip


def _month(today: date, months: int) -> date:
    year, month = today.year + (months - 1) // 12, (months - 1) % 12 + 1
    return date(year, month, 28)


def ensure(city: Region, today: date) -> int:
    """Make the plan unless there is one; how many actions were made."""
    if ActionPlan.objects.exists():
        return 0
    plan = ActionPlan.objects.create(
        region=city,
        title=f"{city.name}公共机构节能降碳行动方案（{today.year - 1}—{today.year + 1}年）",
        start_year=today.year - 1,
        end_year=today.year + 1,
        source="行动方案任务分工表.xlsx",
    )
    for number, title, lead, partners, months, status, goal in ACTIONS:
        deadline = _month(today, months)
        action = Action.objects.create(
            plan=plan, number=number, title=title, lead=lead, partners=partners, deadline=deadline
        )
        if goal is not None:
            quantity, unit, base, target, _now = goal
            ActionGoal.objects.create(
                action=action, quantity=quantity, unit=unit, base_year=today.year - 2, base=base,
                year=today.year + 1, target=target,
            )  # fmt: skip
        if status == "done":
            plans.report(action, "done", date(deadline.year, deadline.month, 20), note="已按期完成。")
        elif status == "done_late":
            plans.report(action, "done", date(deadline.year, deadline.month + 1, 15), note="延期完成。")
        elif status == "under_way":
            value = goal[4] if goal is not None else None
            reported = date(today.year, max(today.month - 1, 1), 30 if today.month != 3 else 28)
            plans.report(action, "under_way", reported, note="按计划推进。", value=value)
    return plan.actions.count()


def forget() -> None:
    ActionPlan.objects.all().delete()
