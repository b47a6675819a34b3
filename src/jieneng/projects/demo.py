"""The demonstration projects in the store: the city's LED street-light project and a building retrofit
(:mod:`jieneng.demo.projects`), with every figure computed by the core (estimate, measured savings,
contract periods, subsidy)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import numpy as np
from django.db import transaction

from jieneng.core.savings.measure import measure_daily
from jieneng.demo import projects as plan
from jieneng.directory.models import Organisation, Region
from jieneng.projects import services
from jieneng.projects.models import LampClass, ProgressEntry, Project
from jieneng.reference.savings import load_method

LED_NAME = "城区路灯LED节能改造项目"
BUILDING_NAME = "市行政中心大楼节能改造（合同能源管理）"


def clear() -> None:
    """Delete every project (before the store's regions and organisations go)."""
    Project.objects.all().delete()


@transaction.atomic
def load(city: str, today: date) -> int:
    """Store the demonstration projects of ``city`` (GB/T 2260) as they stand on ``today``; how many."""
    region = Region.objects.valid_on(today).filter(code=city).first()
    if region is None or Project.objects.filter(name=LED_NAME).exists():
        return 0
    owner = Organisation.objects.filter(region=region, type_code="01").order_by("credit_code").first()
    progress = plan.led_progress(today)
    led = Project.objects.create(
        name=LED_NAME, kind="street_lighting", region=region, owner=owner, site="城区主次干道",
        start=progress[0][0].replace(day=1), end=today.replace(month=12, day=31),
        status=Project.Status.UNDER_WAY, planned_quantity=plan.LED_LAMPS, investment_yuan=Decimal("12800000"),
        emc_yuan=Decimal("12800000"), esco="揭阳绿光节能服务有限公司",
        contract_type=Project.Contract.SHARED_SAVINGS, esco_share=Decimal("0.8"),
        contract_years=8, tariff=Decimal("0.68"), coefficient_set="electricity-equal-value-031",
    )  # fmt: skip
    for on, done in progress:
        ProgressEntry.objects.create(project=led, on=on, quantity_done=done)
    for name, count, old, new in plan.LED_CLASSES:
        LampClass.objects.create(
            project=led, name=name, count=count, old_watts=old, new_watts=new, hours=plan.LED_HOURS
        )
    services.refresh(led)
    meter = plan.building_meter(today)
    building = Project.objects.create(
        name=BUILDING_NAME, kind="hvac", region=region, owner=owner, site="市行政中心主楼",
        start=meter.retrofit - timedelta(days=90), end=meter.retrofit - timedelta(days=1),
        status=Project.Status.COMPLETED, planned_quantity=Decimal("46000"),
        investment_yuan=Decimal("6800000"),
        fiscal_yuan=Decimal("1800000"), emc_yuan=Decimal("5000000"), esco="广东粤能合同能源管理有限公司",
        contract_type=Project.Contract.GUARANTEED_SAVINGS, guaranteed_kwh=Decimal("150000"), contract_years=6,
        tariff=Decimal("0.75"), coefficient_set="electricity-equal-value-031",
    )  # fmt: skip
    ProgressEntry.objects.create(project=building, on=meter.retrofit - timedelta(days=1), quantity_done=46000)
    result = measure_daily(
        meter.days, meter.use, meter.temperature,
        baseline=(np.datetime64(meter.baseline[0]), np.datetime64(meter.baseline[1])),
        reporting=(np.datetime64(meter.reporting[0]), np.datetime64(meter.reporting[1])),
        method=load_method("daily"),
    )  # fmt: skip
    if result.ok:
        services.record_measured(building, result)
    services.refresh(building)
    return 2
