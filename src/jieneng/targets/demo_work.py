"""The demonstration city's organisation of the work this year, relative to ``today``: a leadership group
in the city and each county (the last county without a dedicated agency), the city's deployment meeting
in April and the counties' (one has held none), this year's responsibility letters signed on 6
September with the last two counties missing, the implementation plans due on 20 September (some late,
one still not in), the LED street-light task tied to the counted target, and the monthly work reports
of every closed month (the last month's missing for two counties), and the city's action plan
(:mod:`.demo_plans`). Made once, like :mod:`.demo`."""

from __future__ import annotations

import hashlib
from datetime import date, timedelta

from jieneng.directory.models import Region
from jieneng.targets import demo_plans, organising, tasks
from jieneng.targets.models import (
    Assignment,
    Attachment,
    Deployment,
    Evidence,
    Group,
    Letter,
    Meeting,
    Notice,
    Target,
)

#: a one-page PDF standing for a scanned signed letter
SCAN = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


def _file(name: str) -> Attachment:
    return Attachment.objects.create(
        name=name, kind="pdf", size=len(SCAN), sha256=hashlib.sha256(SCAN).hexdigest(), data=SCAN
    )


def _groups(city: Region, counties: list[Region], today: date) -> None:
    for i, place in enumerate([city, *counties]):
        last = place is counties[-1]
        Group.objects.create(
            region=place,
            leader=f"{place.name}常务副{'市' if place is city else '县'}长",
            deputies=f"{place.name}政府副秘书长、机关事务管理局局长",
            members="\n".join(
                f"{place.name}{m}" for m in ("发展改革局", "财政局", "机关事务管理局", "教育局")
            ),
            joint_meeting=not last,
            agency="" if last else f"{place.name}公共机构节能办公室",
            staff=0 if last else 3 + i % 3,
            established=date(today.year - 3, 3, 15),
        )
    Meeting.objects.create(
        region=city,
        kind=Meeting.Kind.DEPLOYMENT,
        held_on=date(today.year, 4, 25),
        topic=f"{today.year}年公共机构节能工作部署会",
        decisions="分解下达年度节能目标；9月6日签订目标责任书；9月20日前报送实施方案。",
        minutes=_file(f"{today.year}年节能工作部署会纪要.pdf"),
    )
    for place in counties[:-1]:
        Meeting.objects.create(
            region=place,
            kind=Meeting.Kind.GROUP,
            held_on=date(today.year, 5, 8),
            topic=f"{place.name}节能工作领导小组会议",
            decisions="落实市下达的节能目标，分解到各部门。",
        )


def _letters(city: Region, counties: list[Region], today: date) -> None:
    covered = Target.objects.filter(region__in=counties, start_year__lte=today.year, end_year__gte=today.year)
    letters = organising.issue_letters(city, today.year, "节能目标责任书", regions=counties, targets=covered)
    for letter in letters[:-2]:  # the last two counties have not signed yet
        letter.signed_on = date(today.year, 9, 6)
        letter.scan = _file(f"{letter.title}（签字盖章）.pdf")
        letter.save()


def _plans(city: Region, counties: list[Region], today: date) -> None:
    deployed = date(today.year, 9, 6)
    plan = tasks.deploy_task(
        city,
        f"报送{today.year}年节能目标责任实施方案",
        date(today.year, 9, 20),
        counties,
        description="各县（区）在9月20日前报送实施方案，明确责任单位和完成时限。",
        today=deployed,
    )
    rows = list(plan.assignments.order_by("region__code"))
    for n, assignment in enumerate(rows):
        if n == len(rows) - 1:  # still not in: reminded once
            Notice.objects.create(assignment=assignment, text=f"提醒：“{plan.title}”已逾期，请尽快报送。")
            continue
        late = n > 0 and n >= len(rows) - 3
        assignment.done_on = date(today.year, 9, 27 if late else 18)
        assignment.note = "实施方案已印发。"
        assignment.save()
        Evidence.objects.create(assignment=assignment, file=_file(f"{assignment.region.name}实施方案.pdf"))
    lamps = Target.objects.filter(
        region=city, indicator="count", count_source__startswith="projects:"
    ).first()
    tasks.deploy_task(
        city,
        "LED路灯改造：逐月更新项目台账完成量",
        date(today.year, 12, 31),
        counties,
        target=lamps,
        description="各县（区）每月在节能项目台账中更新LED路灯改造完成盏数，年底前完成全市改造任务。",
        today=deployed,
    )


def _monthly(city: Region, counties: list[Region], today: date) -> None:
    last_closed = (today.replace(day=1) - timedelta(days=1)).month if today.month > 1 else 0
    for month in range(1, last_closed + 1):
        report = tasks.ensure_monthly_report(city, today.year, month, counties)
        end = tasks.month_end(today.year, month)
        missing = counties[-2:] if month == last_closed else []
        Assignment.objects.filter(deployment=report).exclude(region__in=missing).update(
            done_on=end - timedelta(days=2), note=f"{month}月工作情况：按计划推进。"
        )


def ensure(today: date) -> int:
    """Make the demonstration organisation of the work unless there is some; how many groups were made."""
    if Group.objects.exists():
        return 0
    city = Region.objects.current().filter(level=Region.Level.PREFECTURE).order_by("code").first()
    if city is None:
        return 0
    counties = list(Region.objects.current().filter(parent=city).order_by("code"))
    if len(counties) < 3:
        return 0
    _groups(city, counties, today)
    _letters(city, counties, today)
    _plans(city, counties, today)
    _monthly(city, counties, today)
    demo_plans.ensure(city, today)
    return Group.objects.count()


def forget() -> None:
    """Delete every row of the organisation of the work (they name the store's regions)."""
    demo_plans.forget()
    Deployment.objects.all().delete()
    Letter.objects.all().delete()
    Meeting.objects.all().delete()
    Group.objects.all().delete()
    Attachment.objects.all().delete()
