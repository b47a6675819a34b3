"""The month's metered consumption offered to the reporter as a pre-filled statistics form: the sum of
an organisation's main electricity meters for the month, put into the consumption form's electricity
item of a draft (the other values as they were), never submitted for the reporter. The reporter then
confirms or corrects it on the online form; :class:`~.models.MeterOffer` keeps the metered figure so
the difference to what was reported stays visible."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date

from django.contrib.auth.models import User
from django.db import transaction

from jieneng.accounts.scope import Scope
from jieneng.monitoring import pages, rollups
from jieneng.monitoring.models import MeterOffer
from jieneng.reference import load_units
from jieneng.reporting import fill
from jieneng.reporting.forms import FillTarget, default_form

ENERGY = "electricity"


@dataclass(frozen=True)
class Offer:
    metered: float
    unit: str
    reported: float | None  # the value in the form's current revision, once the reporter saved one


def month_total(scope: Scope, organisation: int, month: str) -> tuple[float, int] | None:
    """The month's consumption of the organisation's main electricity meters [kWh] and the days with data."""
    meters = [
        m
        for m in pages.visible(scope, "report").filter(organisation_id=organisation, energy=ENERGY)
        if m.counts
    ]
    if not meters:
        return None
    year, number = (int(part) for part in month.split("-"))
    first, last = date(year, number, 1), date(year, number, calendar.monthrange(year, number)[1])
    frame = rollups.daily_frame([m.pk for m in meters], first, last)
    if frame.is_empty():
        return None
    units = load_units()
    kwh = sum(
        float(v or 0) * units.parse(next(m.unit for m in meters if m.pk == i)).size / units.parse("kWh").size
        for i, _d, v in frame.iter_rows()
    )
    return kwh, frame["day"].n_unique()


def offer(scope: Scope, organisation: int, month: str, user: User, today: date) -> fill.Saved | None:
    """Put the month's metered electricity into a draft of the consumption form; None when there is
    nothing to offer (no meters, no data, or the form does not take that period)."""
    total = month_total(scope, organisation, month)
    chosen = FillTarget({"org": str(organisation), "form": default_form() or "", "period": month})
    if total is None or not chosen.is_valid():
        return None
    org = scope.organisations("report").filter(pk=organisation).first()
    if org is None:
        return None
    form, edition, period = chosen.form_period
    target = fill.Target(org, form, edition, period)
    item = next((i for i in target.items() if i.energy == ENERGY and i.kind == "quantity"), None)
    if item is None:
        return None
    units = load_units()
    value = total[0] * units.parse("kWh").size / units.parse(item.unit).size
    texts = fill.current_texts(fill.submission_of(target))
    texts[item.code] = f"{value:.2f}"
    with transaction.atomic():
        saved = fill.save(target, texts, submit=False, user=user, today=today)
        if saved.outcome in (fill.Outcome.SAVED, fill.Outcome.UNCHANGED):
            who = user if user.pk else None
            MeterOffer.objects.update_or_create(
                organisation=org, form=form.id, period=target.key, item=item.code,
                defaults={"metered": value, "unit": item.unit, "offered_by": who},
            )  # fmt: skip
    return saved


def offers(organisation: int) -> list[tuple[MeterOffer, float | None]]:
    """The months offered, newest first, with the value now in each form (None when not reported)."""
    out = []
    for o in MeterOffer.objects.filter(organisation_id=organisation).order_by("-period")[:24]:
        chosen = FillTarget({"org": str(organisation), "form": o.form, "period": o.period})
        reported = None
        if chosen.is_valid():
            form, edition, period = chosen.form_period
            texts = fill.current_texts(fill.submission_of(fill.Target(o.organisation, form, edition, period)))
            text = texts.get(o.item)
            reported = float(text) if text not in (None, "") else None
        out.append((o, reported))
    return out
