"""The demonstration city's metered buildings (:mod:`jieneng.demo.meters`): 70 organisations of the city
with a main meter each, one with four end-use sub-meters and a virtual meter (main − sub-meters), a
year of hourly readings written straight to the Parquet store, then the roll-ups and alerts computed by
the same services an import uses."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import numpy as np
import polars as pl
from django.contrib.auth.models import User
from django.db import transaction

from jieneng.demo import meters as plan
from jieneng.directory.models import Organisation, Region
from jieneng.directory.services import subtree_ids_of
from jieneng.monitoring import offers, rollups
from jieneng.monitoring.models import Meter
from jieneng.monitoring.store import Plan, partition_columns
from jieneng.reference import load_units
from jieneng.statistics.models import EnergyRecord

OFFERED = 8  # the first buildings whose last month is pre-filled into the form (5 has a gap, 4 a reset)
NAMES = {"total": "总表", "lighting_sockets": "照明插座", "hvac": "空调", "power": "动力", "special": "特殊"}


def clear() -> None:
    """Delete every meter (before the store's organisations go) and the readings' files."""
    Meter.objects.filter(kind=Meter.Kind.VIRTUAL).delete()
    Meter.objects.exclude(parent=None).delete()
    Meter.objects.all().delete()
    store = rollups.store()
    for path in store.root.glob("day=*/group=*/*.parquet") if store.root.is_dir() else []:
        path.unlink()


HOURS_A_YEAR = 8760


def _reported_kwh(organisations: list[int], year: int) -> dict[int, float]:
    """The electricity [kWh] each organisation reported for ``year`` (approved records), so that its
    demonstration meters measure about what it reports."""
    units = load_units()
    kwh = units.parse("kWh").size
    out: dict[int, float] = {}
    records = EnergyRecord.objects.filter(
        organisation_id__in=organisations, year=year, energy_type="electricity"
    ).values_list("organisation_id", "quantity", "unit")
    for org, quantity, unit in records:
        out[org] = out.get(org, 0.0) + float(quantity) * units.parse(unit).size / kwh
    return out


def load(city: str, now: datetime, buildings: int = plan.BUILDINGS) -> int:
    """Meters and a year of readings for ``buildings`` organisations of ``city``; how many meters."""
    region = Region.objects.current().filter(code=city).first()
    if region is None or Meter.objects.exists():
        return 0
    organisations = list(
        Organisation.objects.filter(region_id__in=subtree_ids_of(city)).order_by(
            "region__code", "credit_code"
        )[:buildings]
    )
    reported = _reported_kwh([o.pk for o in organisations], now.year - 1)
    means = [reported.get(o.pk, 0.0) / HOURS_A_YEAR or None for o in organisations]
    series = plan.buildings(now, len(organisations), means=means)
    with transaction.atomic():
        made: dict[str, Meter] = {}
        for s in series:
            org = organisations[s.building]
            main = made.get(f"B{s.building + 1:02d}-M")
            made[s.code] = Meter.objects.create(
                organisation=org,
                building=f"{org.name[:40]}办公楼",
                code=s.code,
                name=f"{NAMES[s.end_use]}电表",
                energy="electricity",
                unit="kWh",
                end_use=s.end_use,
                parent=main if s.end_use != "total" else None,
                kind=s.kind,
                rollover=plan.ROLLOVER if s.kind == "register" else None,
            )
        subs = [s.code for s in series if s.end_use != "total"]
        if subs:
            first = made[subs[0]]
            Meter.objects.create(
                organisation=first.organisation,
                building=first.building,
                code="B01-V",
                name="未分项（总表−分项）",
                energy="electricity",
                unit="kWh",
                end_use="special",
                kind=Meter.Kind.VIRTUAL,
                formula=" - ".join(["B01-M", *subs]),
            )
        frame = pl.concat(
            pl.DataFrame(
                {
                    "meter_id": np.full(s.ts.size, made[s.code].pk, dtype=np.int64),
                    "ts": s.ts,
                    "value": s.value,
                }
            ).with_columns(pl.col("ts").dt.replace_time_zone("UTC"))
            for s in series
        )
        store = rollups.store()
        new = partition_columns(frame)
        store.write(Plan(new, 0, new.clear()), tag="demo")
        first_day, last_day = new["day"].min(), new["day"].max()
        rollups.refresh({m.pk: (str(first_day), str(last_day)) for m in made.values()}, store)
    return len(made) + (1 if subs else 0)


def offer_last_month(today: date, buildings: int = OFFERED) -> int:
    """Last month's metered electricity pre-filled as a draft of the consumption form for the first
    ``buildings`` metered organisations not yet reporting it (a submitted or approved month is left
    alone); how many were pre-filled. Building 5 misses six hours and building 4's register was
    replaced that month: their drafts say the meters did not cover the month."""
    from jieneng.reporting.forms import default_form
    from jieneng.reporting.models import Submission

    month = (today.replace(day=1) - timedelta(days=1)).strftime("%Y-%m")
    platform = User(username="能耗监测平台")  # not saved: the revisions' author, no account
    done = 0
    mains = Meter.objects.filter(parent=None, end_use="total").order_by("code").select_related("organisation")
    for org in list(dict.fromkeys(m.organisation for m in mains))[:buildings]:
        reported = Submission.objects.filter(organisation=org, form=default_form() or "", period=month)
        if reported.exclude(status=Submission.Status.DRAFT).exists():
            continue
        done += offers.offer_for(org, offers.main_meters(org.pk), month, platform, today) is not None
    return done
