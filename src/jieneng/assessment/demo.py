"""The demonstration assessment: the city's assessment of its counties for last year under the
public-institution scheme. Trainings are recorded as events; the round opens, the items with data are
filled from it (the targets and the approved statistics, the reports on time, the trainings); each
county scores the rest by hand and submits; the check team lowers two items of one county with its
reasons; one county that used more water than its target allowed is vetoed; the office finalises.
Every score is computed by the services and the core, not written here. Made once: nothing is made
when a round exists or when the store holds no city."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import numpy as np
from django.utils import timezone

from jieneng.assessment import services
from jieneng.assessment.models import Application, Entry, Event, EventKind, Level, Round, UnitKind
from jieneng.assessment.services import ItemInput
from jieneng.assessment.units import apply
from jieneng.core.scoring import Item
from jieneng.directory.models import Organisation, Region

SCHEME = "public-institution"
#: the county that missed its water target: its reduction reached this share of the target
MISSED_SHARE = 0.91
#: what the check team found on site at one county: item → (share of the points kept, reason)
LOWERED = {
    "retrofits": (0.6, "现场核查：空调改造尚未完工，按完成部分计分"),
    "publicity_week": (0.5, "宣传周活动材料不全，仅见照片，无签到表"),
}


def _by_hand(entry: Entry, item: Item, rng: np.random.Generator, county: int) -> ItemInput:
    """A county's own score of an item the data does not give."""
    method, points = item.method, item.points
    if method == "completion":
        target = 6.0 if "water" in entry.item else 3.0
        share = (
            MISSED_SHARE if (county == 1 and entry.item == "water_per_person") else 1.0 + 0.2 * rng.random()
        )
        return ItemInput(inputs={"target": target, "actual": round(target * share, 2)}, note="统计局核定数")
    if method == "yes_no":
        return ItemInput(value=1.0, note="见目标责任书")
    if method == "count":
        return ItemInput(value=float(rng.integers(2, 5)), note="见培训通知和签到表")
    return ItemInput(value=round(points * (0.75 + 0.25 * rng.random()), 1), note="见自查报告")


def ensure(today: date) -> int:
    """Make the demonstration round unless a round exists; the number of parties assessed."""
    if Round.objects.exists():
        return 0
    city = Region.objects.current().filter(level=Region.Level.PREFECTURE).order_by("code").first()
    counties = list(Region.objects.current().filter(parent=city).order_by("code")) if city else []
    if city is None or len(counties) < 2:
        return 0
    year = today.year - 1
    rng = np.random.default_rng(year)
    for index, county in enumerate(counties):
        Event.objects.bulk_create(
            Event(
                region=county,
                on=date(year, 3 + 3 * n, 10 + index % 10),
                kind=EventKind.TRAINING,
                title=f"{county.name}公共机构节能培训（第{n + 1}期）",
                participants=int(rng.integers(30, 120)),
                materials=int(rng.integers(50, 300)),
            )
            for n in range(2 + index % 3)
        )
    round_ = services.open_round(
        region=city,
        title=f"{city.name}{year}年度公共机构节能目标责任评价考核",
        scheme_ref=SCHEME,
        year=year,
        parties=counties,
        self_check_due=date(year + 1, 3, 31),
        verification_due=date(year + 1, 8, 27),
    )
    services.advance(round_, None, today)
    built = services.scheme(round_)
    for number, party in enumerate(round_.parties.order_by("pk")):
        given = {}
        for entry in Entry.objects.filter(party=party):
            item = built.items[entry.item]
            if entry.source:  # from the data
                continue
            given[entry.item] = _by_hand(entry, item, rng, number)
        services.save_self_check(party, given, submit=True, user=None)
    services.advance(round_, None, today)
    checked = round_.parties.order_by("pk")[2 % len(counties)]
    lowered = {}
    for iid, (share, reason) in LOWERED.items():
        entry = Entry.objects.get(party=checked, item=iid)
        lowered[iid] = ItemInput(value=round((entry.value or 0.0) * share, 1), reason=reason)
    services.verify(checked, lowered, user=None)
    services.advance(round_, None, today)
    finalised = datetime.combine(round_.verification_due + timedelta(days=7), time(10), tzinfo=UTC)
    Round.objects.filter(pk=round_.pk).update(finalised_at=min(finalised, timezone.now()))
    _units(today)
    return round_.parties.count()


def _units(today: date) -> None:
    """Three units applying to be demonstration units: two accepted, one with a starred item at 0."""
    if Application.objects.exists():
        return
    from jieneng.reference.schemes import load_scheme

    scheme = load_scheme("demonstration-unit")
    units = list(Organisation.objects.order_by("credit_code")[:3])
    for index, unit in enumerate(units):
        inputs: dict[str, object] = {}
        for column, kind, item in scheme.inputs():
            if kind == "value":
                inputs[column] = 0.85 + 0.1 * index
            elif kind == "peer":
                inputs[column] = 1.0
            elif kind == "certified":
                inputs[column] = index == 0
            elif kind in ("yes_no",):
                inputs[column] = True
            else:
                inputs[column] = item.points * (0.95 if index < 2 else 1.0)
        if index == 2:
            inputs["statistics"] = 0.0
        level = (Level.PROVINCIAL, Level.CITY, Level.CITY)[index]
        kind = (UnitKind.SAVING, UnitKind.WATER, UnitKind.SAVING)[index]
        apply(unit, year=today.year - 1, level=level, kind=kind, inputs=inputs)


def forget() -> None:
    """Delete every round, event and application (before the store is deleted)."""
    Round.objects.all().delete()
    Event.objects.all().delete()
    Application.objects.all().delete()
