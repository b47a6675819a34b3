"""The month's metered consumption offered to the reporter as a pre-filled statistics form: the sum of
an organisation's main electricity meters for the month, put into the consumption form's electricity
item of a draft (the other values as they were), never submitted for the reporter. The reporter then
confirms or corrects it on the online form; :class:`~.models.MeterOffer` keeps the metered figure and
its source (the meters, the days covered, the days missing or short of hours, register resets) so the
difference to what was reported, and a month the meters did not cover, stay visible — on the building
page, on the online form and on the reviewer's page (through :mod:`jieneng.reporting.notes`)."""

from __future__ import annotations

import calendar
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from django.contrib.auth.models import User
from django.db import transaction
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from jieneng.accounts.scope import Scope
from jieneng.core.meter_coverage import Coverage, DayFigure, coverage
from jieneng.directory.models import Organisation
from jieneng.io.formfile import shown_unit
from jieneng.monitoring import pages
from jieneng.monitoring.models import DailyRollup, Meter, MeterOffer
from jieneng.reference import load_units
from jieneng.reporting import fill
from jieneng.reporting.forms import FillTarget, default_form
from jieneng.reporting.notes import ValueNote

ENERGY = "electricity"
SHOWN_DAYS = 6  # days listed by name in a note; more are counted


@dataclass(frozen=True)
class Total:
    kwh: float
    coverage: Coverage
    meters: tuple[Meter, ...]

    def source(self) -> dict[str, object]:
        return {"meters": [{"id": m.pk, "code": m.code} for m in self.meters], **self.coverage.as_dict()}


def main_meters(organisation: int, scope: Scope | None = None) -> list[Meter]:
    """The organisation's main electricity meters (those counting in its total), within ``scope``."""
    chosen = pages.visible(scope, "report") if scope is not None else Meter.objects.all()
    return [m for m in chosen.filter(organisation_id=organisation, energy=ENERGY) if m.counts]


def month_total(meters: Sequence[Meter], month: str, today: date) -> Total | None:
    """The month's consumption of ``meters`` [kWh] and how completely they cover it (days up to
    yesterday); None when there are no meters or no figures."""
    if not meters:
        return None
    year, number = (int(part) for part in month.split("-"))
    first, last = date(year, number, 1), date(year, number, calendar.monthrange(year, number)[1])
    rows = list(
        DailyRollup.objects.filter(meter__in=meters, day__range=(first, last)).values_list(
            "meter_id", "day", "value", "intervals", "resets"
        )
    )
    if not rows:
        return None
    units = load_units()
    factor = {m.pk: units.parse(m.unit).size / units.parse("kWh").size for m in meters}
    kwh = sum(float(value or 0) * factor[meter] for meter, _d, value, _i, _r in rows)
    figures = [DayFigure(*row) for row in rows]
    covered = coverage([m.pk for m in meters], figures, first, last, today - timedelta(days=1))
    return Total(kwh, covered, tuple(meters))


def offer(
    scope: Scope, organisation: int, month: str, user: User, today: date
) -> tuple[fill.Saved, Total] | None:
    """Put the month's metered electricity into a draft of the consumption form; None when there is
    nothing to offer (no meters, no data, or the form does not take that period)."""
    org = scope.organisations("report").filter(pk=organisation).first()
    if org is None:
        return None
    return offer_for(org, main_meters(organisation, scope), month, user, today)


def offer_for(
    org: Organisation, meters: Sequence[Meter], month: str, user: User, today: date
) -> tuple[fill.Saved, Total] | None:
    """:func:`offer` for meters already chosen (the demo's, or the user's visible ones)."""
    total = month_total(meters, month, today)
    chosen = FillTarget({"org": str(org.pk), "form": default_form() or "", "period": month})
    if total is None or not chosen.is_valid():
        return None
    form, edition, period = chosen.form_period
    target = fill.Target(org, form, edition, period)
    item = next((i for i in target.items() if i.energy == ENERGY and i.kind == "quantity"), None)
    if item is None:
        return None
    units = load_units()
    value = total.kwh * units.parse("kWh").size / units.parse(item.unit).size
    texts = fill.current_texts(fill.submission_of(target))
    texts[item.code] = f"{value:.2f}"
    with transaction.atomic():
        saved = fill.save(target, texts, submit=False, user=user, today=today)
        if saved.outcome in (fill.Outcome.SAVED, fill.Outcome.UNCHANGED):
            who = user if user.pk else None
            MeterOffer.objects.update_or_create(
                organisation=org, form=form.id, period=target.key, item=item.code,
                defaults={"metered": value, "unit": item.unit, "source": total.source(), "offered_by": who},
            )  # fmt: skip
    return saved, total


def offers(organisation: int) -> list[tuple[MeterOffer, float | None, str]]:
    """The months offered, newest first, with the value now in each form (None when not reported) and
    the sentence on their source."""
    out = []
    for o in MeterOffer.objects.filter(organisation_id=organisation).order_by("-period")[:24]:
        chosen = FillTarget({"org": str(organisation), "form": o.form, "period": o.period})
        reported = None
        if chosen.is_valid():
            form, edition, period = chosen.form_period
            texts = fill.current_texts(fill.submission_of(fill.Target(o.organisation, form, edition, period)))
            text = texts.get(o.item)
            reported = float(text) if text not in (None, "") else None
        out.append((o, reported, describe(o.source)))
    return out


def _days(isos: object) -> str:
    days = [str(d)[5:] for d in isos] if isinstance(isos, list) else []
    shown = "、".join(days[:SHOWN_DAYS])
    if len(days) <= SHOWN_DAYS:
        return shown
    return _("%(days)s and %(count)s more") % {"days": shown, "count": len(days) - SHOWN_DAYS}


def describe(source: dict[str, object]) -> str:
    """The source of an offer in a sentence: the meters, the days covered, and what was missing."""
    if not source:
        return _("coverage not recorded")
    meters = source.get("meters")
    codes = (
        "、".join(str(m.get("code")) for m in meters if isinstance(m, dict))
        if isinstance(meters, list)
        else ""
    )
    parts = [
        _("meters %(codes)s: %(covered)s of %(days)s days covered")
        % {"codes": codes, "covered": source.get("covered", 0), "days": source.get("days", 0)}
    ]
    if str(source.get("through", "")) < str(source.get("last", "")):
        parts.append(_("the month was not over when offered"))
    if source.get("missing"):
        parts.append(_("no figure on %(days)s") % {"days": _days(source["missing"])})
    if source.get("short"):
        parts.append(_("hours missing on %(days)s") % {"days": _days(source["short"])})
    if source.get("resets"):
        parts.append(_("register reset or replaced %(count)s time(s)") % {"count": source["resets"]})
    return ("；" if (get_language() or "zh-hans").startswith("zh") else "; ").join(parts)


def notes_for(organisation: int, form: str, period: str) -> list[ValueNote]:
    """The reporting hook: the metered figure offered for this organisation, form and period."""
    lang = get_language() or "zh-hans"
    return [
        ValueNote(
            item=o.item,
            source=_("Meters"),
            value=o.metered,
            unit=shown_unit(o.unit, lang),
            detail=describe(o.source),
            complete=bool(o.source.get("complete")),
        )
        for o in MeterOffer.objects.filter(organisation_id=organisation, form=form, period=period)
    ]
