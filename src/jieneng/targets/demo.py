"""Demonstration targets for the loaded demonstration city, relative to ``today``: the province's 十四五
targets (2021–2025 on 2020) passed to the city and split among its counties in proportion to their base
year, the city's targets of this year on last year passed down the same way, an LED street-light
target counted from the project register (the street-lighting projects' quantities done) and a target
on demonstration units counted by hand, a count in some of the closed months. The warning list that follows
is computed from the stored figures under the rules, not written here. Made once: nothing is made when
targets exist or when the store holds no city."""

from __future__ import annotations

from datetime import date

from jieneng.core import targets as core
from jieneng.demo import projects as demo_projects
from jieneng.directory.models import Region
from jieneng.statistics import figures
from jieneng.targets import demo_work, services
from jieneng.targets.models import CountReport, Target

#: (name, indicator, reduction %) of the province's 十四五 targets on 2020 (国管局 公共机构 十四五 goals)
PLAN = (
    ("“十四五”单位建筑面积能耗下降", "energy_per_m2", 5.0),
    ("“十四五”人均综合能耗下降", "energy_per_person", 6.0),
    ("“十四五”单位建筑面积碳排放下降", "co2_per_m2", 7.0),
)
#: this year's targets on last year: keep last year's pace (the city's own reduction last year)
YEARLY = (("年度单位建筑面积能耗下降", "energy_per_m2"),)
#: the city's demonstration units (节约型公共机构示范单位) to create this year, and the months back one was
DEMO_UNITS, DEMO_UNITS_MONTHS_BACK = 4, (8, 5, 2)
REASON = "演示数据"


def _target(region: Region, name: str, indicator: str, *, start: int, end: int, reduction: float) -> Target:
    return Target(
        name=f"{region.name}{name}",
        region=region,
        indicator=indicator,
        plan="十四五" if end > start else "",
        start_year=start,
        end_year=end,
        base_year=start - 1,
        kind=core.Kind.REDUCTION,
        reduction=reduction,
        binding=core.Binding.BINDING,
    )


def _pace(code: str, indicator: str, year: int) -> float:
    """The region's reduction [%] of ``indicator`` in ``year`` on the year before (at least 0.5 %)."""
    ind = core.INDICATORS[indicator]
    frame, _used = figures.region_sums([code], [year - 1, year])
    rows = {r["year"]: r for r in frame.iter_rows(named=True)}
    if ind.denominator is None or len(rows) < 2 or not all(r[ind.denominator] for r in rows.values()):
        return 1.0
    before, after = (rows[y][ind.numerator] / rows[y][ind.denominator] for y in (year - 1, year))
    return float(max(round(100 * (1 - after / before), 1), 0.5))


def _pass_down(parent: Target, below: list[Region]) -> None:
    shares, problems = services.plan_split(parent, {r.code: r.name for r in below}, core.Method.PROPORTIONAL)
    if not problems:
        services.apply_split(parent, shares, core.Method.PROPORTIONAL, reason=REASON)


def ensure(today: date) -> int:
    """Make the demonstration targets unless there are targets already, then the organisation of the
    work (:mod:`.demo_work`); how many targets were made."""
    made = _targets(today)
    demo_work.ensure(today)
    return made


def _targets(today: date) -> int:
    if Target.objects.exists():
        return 0
    city = Region.objects.current().filter(level=Region.Level.PREFECTURE).order_by("code").first()
    if city is None or city.parent is None:
        return 0
    counties = list(Region.objects.current().filter(parent=city).order_by("code"))
    for name, indicator, reduction in PLAN:
        province = services.save_target(
            _target(city.parent, name, indicator, start=2021, end=2025, reduction=reduction), reason=REASON
        )
        _pass_down(province, [city])
        for child in province.children.all():
            _pass_down(child, counties)
    for name, indicator in YEARLY:
        reduction = _pace(city.code, indicator, today.year - 1)
        yearly = services.save_target(
            _target(
                city, f"{today.year}{name}", indicator, start=today.year, end=today.year, reduction=reduction
            ),
            reason=REASON,
        )
        _pass_down(yearly, counties)
    services.save_target(
        Target(
            name=f"{city.name}LED路灯改造",
            region=city,
            indicator="count",
            counted_unit="盏",
            count_source="projects:street_lighting",
            start_year=today.year,
            end_year=today.year,
            kind=core.Kind.VALUE,
            value=demo_projects.LED_LAMPS,
            binding=core.Binding.EXPECTED,
        ),
        reason=REASON,
    )
    units = services.save_target(
        Target(
            name=f"{city.name}节约型公共机构示范单位创建",
            region=city,
            indicator="count",
            counted_unit="家",
            start_year=today.year,
            end_year=today.year,
            kind=core.Kind.VALUE,
            value=DEMO_UNITS,
            binding=core.Binding.EXPECTED,
        ),
        reason=REASON,
    )
    CountReport.objects.bulk_create(
        CountReport(target=units, year=today.year, month=today.month - back, count=1.0, note="验收通过")
        for back in DEMO_UNITS_MONTHS_BACK
        if today.month - back >= 1
    )
    return Target.objects.count()


def forget() -> None:
    """Delete the organisation of the work and every target (children first: a parent is protected by
    its children)."""
    demo_work.forget()
    while Target.objects.exists():
        Target.objects.filter(children__isnull=True).delete()
