"""Items scored from the data where the data exists. A scheme item names its source with ``data``:

- ``target:<indicator>``: a completion item; the party's binding target on the indicator whose period
  ends in the year assessed (:func:`jieneng.targets.services.region_targets`) and where it stands at
  the year's end from the approved statistics (:func:`jieneng.targets.services.progress`): target =
  the reduction required [%], actual = the reduction reached [%];
- ``statistics_on_time``: yes when no unit of the party is missing a monthly report of the year
  after its deadline (:mod:`jieneng.reporting.deadlines`);
- ``events:<kind>``: the number of events of that kind (training, publicity, meeting) the party
  recorded in the year;
- ``decomposition``: :func:`decomposition_done`, whether the party's targets were passed down.

Each source returns ``(value or inputs, what it read)``, or ``None`` when there is no data: the item is
then scored by hand with evidence."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from django.utils.translation import gettext as _

from jieneng.assessment.models import Event, Party
from jieneng.core.scoring import Item
from jieneng.directory.models import Organisation
from jieneng.io.cells import Period
from jieneng.reference import load_forms
from jieneng.reporting import deadlines
from jieneng.reporting.forms import default_form
from jieneng.targets import coverage
from jieneng.targets import services as targets

Found = tuple[Any, str]


def decomposition_done(parties: Sequence[Party], year: int) -> dict[int, Found]:
    """Whether each region party passed its targets of ``year`` down to the regions or units below
    (the ``decomposition`` items, from :func:`jieneng.targets.coverage.decomposed`): ``1.0`` yes, ``0.0``
    no. A party without targets in force, or an organisation, is left out: scored by hand."""
    regions = {p.region_id: p for p in parties if p.region is not None}
    done = coverage.decomposed([p.region for p in regions.values() if p.region is not None], year)
    return {
        regions[pk].pk: (
            1.0 if ok else 0.0,
            _("targets of %(year)s passed down") % {"year": year}
            if ok
            else _("a target of %(year)s not yet passed down") % {"year": year},
        )
        for pk, ok in done.items()
    }


def _completion(parties: Sequence[Party], item: Item, year: int) -> dict[int, Found]:
    indicator = item.data.removeprefix("target:")
    codes = {p.region.code: p for p in parties if p.region is not None}
    found = targets.region_targets(codes, indicator, year)
    if not found:
        return {}
    frame = targets.progress(list(found.values()), date(year, 12, 31))
    rows = {r["target"]: r for r in frame.iter_rows(named=True)} if frame.height else {}
    out: dict[int, Found] = {}
    for code, target in found.items():
        row = rows.get(str(target.pk))
        if row is None or row.get("reached") is None or not row.get("required"):
            continue
        inputs = {"target": round(float(row["required"]), 3), "actual": round(float(row["reached"]), 3)}
        out[codes[code].pk] = (inputs, _("target “%(name)s” and the approved statistics") % {"name": target})
    return out


def _on_time(parties: Sequence[Party], year: int, today: date) -> dict[int, Found]:
    form_id = default_form()
    if form_id is None:
        return {}
    form = load_forms()[form_id]
    out: dict[int, Found] = {}
    for party in parties:
        if party.region is not None:
            units = Organisation.objects.filter(region__code=party.region.code)
        else:
            units = Organisation.objects.filter(pk=party.organisation_id or 0)
        if not units.exists():
            continue
        late = 0
        for month in range(1, 13):
            state = deadlines.overdue(units, form, Period(year, month), today)
            late += state.missing if state.passed else 0
        what = _("monthly reports of %(year)s: %(late)s missing after the deadline")
        out[party.pk] = (1.0 if late == 0 else 0.0, what % {"year": year, "late": late})
    return out


def _events(parties: Sequence[Party], item: Item, year: int) -> dict[int, Found]:
    kind = item.data.removeprefix("events:")
    out: dict[int, Found] = {}
    for party in parties:
        events = Event.objects.filter(kind=kind, on__year=year)
        if party.region is not None:
            events = events.filter(region__code=party.region.code)
        else:
            events = events.filter(organisation_id=party.organisation_id or 0)
        count = events.count()
        if count:
            out[party.pk] = (float(count), _("%(count)s events recorded") % {"count": count})
    return out


def read(parties: Sequence[Party], item: Item, year: int, today: date) -> dict[int, Found]:
    """What the data says of ``item`` for each party (party pk → found); absent: by hand."""
    if item.data.startswith("target:") and item.method == "completion":
        return _completion(parties, item, year)
    if item.data == "statistics_on_time" and item.method == "yes_no":
        return _on_time(parties, year, today)
    if item.data.startswith("events:") and item.method == "count":
        return _events(parties, item, year)
    if item.data == "decomposition":
        return decomposition_done(parties, year)
    return {}
