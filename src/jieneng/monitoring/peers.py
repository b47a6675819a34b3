"""A building's metered electricity per m² over the year to a day, against the metered organisations of
the same kind (单位性质) that the user may see: its rank (1 = the least per m²), the median and the
quartiles (:func:`jieneng.core.peers.standing`).

The figure is the organisation's: the sum of its main electricity meters (those counting in its
total) over the 365 days to the day shown, divided by the building area of its latest yearly facts
up to that year. An organisation whose meters have a figure on fewer than :data:`MIN_DAYS` of those
days, or that has no building area, is left out of the comparison."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Count, Sum

from jieneng.accounts.scope import Scope
from jieneng.core.peers import Standing, standing
from jieneng.directory.models import Organisation, OrganisationYear
from jieneng.monitoring import pages
from jieneng.monitoring.models import DailyRollup, Meter
from jieneng.reference import load_units

WINDOW = 365  # days
MIN_DAYS = 330  # days of the window with a figure for an organisation to be compared


@dataclass(frozen=True)
class Peers:
    standing: Standing
    first: date
    last: date


def per_m2(scope: Scope, organisation: Organisation, on: date) -> dict[int, float | None]:
    """Each visible metered organisation of ``organisation``'s kind: kWh per m² over the window."""
    first = on - timedelta(days=WINDOW - 1)
    meters = (
        pages.visible(scope)
        .filter(organisation__type_code=organisation.type_code, energy="electricity", parent=None)
        .exclude(kind=Meter.Kind.VIRTUAL)
    )
    rows = (
        DailyRollup.objects.filter(meter__in=meters, day__range=(first, on))
        .values("meter__organisation_id", "meter__unit")
        .annotate(total=Sum("value"), days=Count("day", distinct=True))
    )
    units = load_units()
    kwh: dict[int, float] = {}
    days: dict[int, int] = {}
    for r in rows:
        org = r["meter__organisation_id"]
        factor = units.parse(r["meter__unit"]).size / units.parse("kWh").size
        kwh[org] = kwh.get(org, 0.0) + float(r["total"] or 0) * factor
        days[org] = max(days.get(org, 0), r["days"])
    areas: dict[int, float] = {}
    for org, area in (
        OrganisationYear.objects.filter(organisation_id__in=list(kwh), year__lte=on.year)
        .order_by("organisation_id", "year")
        .values_list("organisation_id", "building_area_m2")
    ):
        areas[org] = float(area)  # the latest year wins
    return {
        org: total / areas[org] if areas.get(org) and days[org] >= MIN_DAYS else None
        for org, total in kwh.items()
    }


def of(scope: Scope, organisation: Organisation, on: date) -> Peers | None:
    """Where ``organisation`` stands among its visible peers; None without enough figures."""
    found = standing(organisation.pk, per_m2(scope, organisation, on))
    return Peers(found, on - timedelta(days=WINDOW - 1), on) if found else None
