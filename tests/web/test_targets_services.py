"""The targets domain against the hand-made city (conftest): storing is checked by the core and keeps a
history, splits are stored and checked, and progress and warnings come from the real roll-ups.

Expected figures are derived from the city's definition (each year is the 2025 year × YEAR_FACTOR, the
area the same every year), not typed in."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace

import pytest
from auditlog.models import LogEntry
from conftest import YEAR_FACTOR

from jieneng.directory.models import Region
from jieneng.statistics import figures
from jieneng.targets import services
from jieneng.targets.models import CountReport, Target, TargetChange

pytestmark = pytest.mark.django_db


def region(code: str) -> Region:
    return Region.objects.current().get(code=code)


def target(**fields: object) -> Target:
    values: dict[str, object] = {
        "name": "单位面积能耗下降",
        "region": region("445200"),
        "indicator": "energy_per_m2",
        "start_year": 2025,
        "end_year": 2025,
        "base_year": 2024,
        "kind": "reduction",
        "reduction": 10.0,
        "binding": "binding",
    }
    values.update(fields)
    return Target(**values)


@pytest.mark.parametrize(
    ("fields", "code"),
    [
        ({"kind": "range", "reduction": None, "low": 4.5, "high": 4.0}, "range_reversed"),
        ({"base_year": 2025}, "base_after_period"),
        ({"indicator": "happiness"}, "unknown_indicator"),
        ({"reduction": None}, "missing_target_value"),
    ],
)
def test_a_bad_target_is_refused_and_nothing_is_stored(
    loaded: SimpleNamespace, fields: dict[str, object], code: str
) -> None:
    with pytest.raises(services.TargetRejected) as refused:
        services.save_target(target(**fields), reason="test")
    assert code in [p.code for p in refused.value.problems]
    assert not Target.objects.exists() and not TargetChange.objects.exists()


def test_a_change_is_kept_with_who_and_why_and_audited(people: SimpleNamespace) -> None:
    stored = services.save_target(target(), user=people.city_admin, reason="下达")
    stored.reduction = 12.0
    services.save_target(stored, user=people.county_admin, reason="省里调高")
    change = TargetChange.objects.get(target=stored, field="reduction", reason="省里调高")
    assert (change.old, change.new, change.user) == ("10.0", "12.0", people.county_admin)
    assert TargetChange.objects.filter(target=stored, reason="下达", field="kind").exists()
    assert LogEntry.objects.get_for_object(stored).count() == 2


def test_milestones_outside_the_period_are_refused(loaded: SimpleNamespace) -> None:
    plan = target(plan="十四五", start_year=2021, end_year=2025, base_year=2020, reduction=15.0)
    with pytest.raises(services.TargetRejected) as refused:
        services.save_target(plan, milestones={2021: 3.0, 2026: 15.0})
    assert [p.code for p in refused.value.problems] == ["milestone_outside_period"]
    stored = services.save_target(plan, milestones={y: 3.0 * (y - 2020) for y in range(2021, 2026)})
    assert [m.year for m in stored.milestones.all()] == [2021, 2022, 2023, 2024, 2025]


def test_progress_of_a_reduction_comes_from_the_roll_ups(loaded: SimpleNamespace) -> None:
    stored = services.save_target(target())
    row = services.progress([stored], date(2025, 12, 31)).row(0, named=True)
    fall = 100 * (1 - YEAR_FACTOR[2025] / YEAR_FACTOR[2024])  # the same area in both years
    assert row["months"] == 12 and row["time_progress"] == pytest.approx(100)
    assert row["change"] == pytest.approx(-fall)
    assert row["task_progress"] == pytest.approx(100 * fall / 10)
    assert row["warning"] == "green" and row["warning_rule"].startswith("ndrc-2021-629@")
    _frame, used = figures.region_sums(["445200"], [2025])
    assert used and used in row["figures_used"]


def test_a_cap_forecast_above_the_cap_is_red_and_ranks_first(loaded: SimpleNamespace) -> None:
    frame, _used = figures.region_sums(["445202", "445222"], [2025])
    tce = {r["region"]: r["kgce"] / 1000 for r in frame.iter_rows(named=True)}
    over = services.save_target(
        target(
            region=region("445202"),
            indicator="energy_total",
            kind="cap",
            reduction=None,
            base_year=None,
            value=tce["445202"] * 0.9,
        )
    )
    under = services.save_target(
        target(
            region=region("445222"),
            indicator="energy_total",
            kind="cap",
            reduction=None,
            base_year=None,
            value=tce["445222"] * 2,
        )
    )
    ranked = services.warning_list([under, over], date(2025, 12, 31))
    assert ranked["target"].to_list() == [str(over.pk)]
    assert ranked["warning"].to_list() == ["red"]


@pytest.mark.parametrize(("monthly", "level"), [(10, "green"), (5, "yellow")])
def test_a_counted_target_progresses_with_its_reports(
    loaded: SimpleNamespace, monthly: int, level: str
) -> None:
    lamps = services.save_target(
        target(
            indicator="count",
            counted_unit="盏",
            kind="value",
            reduction=None,
            base_year=None,
            value=100.0,
            start_year=2026,
            end_year=2026,
        )
    )
    for month in (1, 2, 3, 4):
        CountReport.objects.create(target=lamps, year=2026, month=month, count=monthly)
    row = services.progress([lamps], date(2026, 3, 31)).row(0, named=True)  # April not yet
    assert row["now"] == 3 * monthly and row["time_progress"] == pytest.approx(25)
    assert row["task_progress"] == pytest.approx(3 * monthly) and row["warning"] == level


def test_a_split_among_counties_is_stored_and_checked(loaded: SimpleNamespace) -> None:
    parent = services.save_target(target())
    counties = {"445202": "榕城区", "445222": "揭西县"}
    shares, problems = services.plan_split(parent, counties, "equal")
    assert not problems
    services.apply_split(parent, shares, "equal", reason="分解")
    check = services.check_children(parent)
    assert check is not None and check.met and check.reached == pytest.approx(10)
    child = parent.children.get(region__code="445202")
    child.reduction = 1.0
    services.save_target(child, reason="县里少报")
    short = services.check_children(parent)
    assert short is not None and not short.met and short.shortfall > 0
    assert [p.code for p in short.problems] == ["split_short"]


def test_weights_that_do_not_sum_store_nothing(loaded: SimpleNamespace) -> None:
    parent = services.save_target(target())
    counties = {"445202": "榕城区", "445222": "揭西县"}
    shares, problems = services.plan_split(
        parent, counties, "weights", weights={"445202": 0.5, "445222": 0.3}
    )
    assert shares == [] and [p.code for p in problems] == ["weights_do_not_sum"]
    assert not parent.children.exists()
