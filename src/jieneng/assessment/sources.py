"""Items scored from the data where the data exists. A scheme item names its source with ``data``:

- ``target:<indicator>``: a completion item; the party's binding target on the indicator whose period
  ends in the year assessed (:func:`jieneng.targets.services.region_targets`) and where it stands at
  the year's end from the approved statistics (:func:`jieneng.targets.services.progress`): target =
  the reduction required [%], actual = the reduction reached [%];
- ``statistics_on_time``: yes when no unit of the party is missing a monthly report of the year
  after its deadline (:mod:`jieneng.reporting.deadlines`);
- ``events:<kind>``: the number of events of that kind (training, publicity, meeting) the party
  recorded in the year;
- ``decomposition``: :func:`decomposition_done`, whether the party's targets were passed down;
- ``demonstration_units``: the number of the party's units (a region's: its units and those below)
  accepted as demonstration units in the year (:class:`~jieneng.assessment.models.Application`);
- ``peer:<ratio>``: a ratio item; a unit party's ratio (``kgce_per_m2``, ``kgce_per_person``,
  ``water_per_person``) of the year from the approved statistics
  (:func:`jieneng.statistics.figures.unit_figures`) and its peers' average, the province's units of the
  same type (:func:`jieneng.statistics.figures.region_types`); the bands are the scheme's; the average
  is the ``peer`` input and the coefficient sets (``id@version``) are named in what was read
  (:func:`peer_inputs`).

Each source returns ``(value or inputs, what it read)``, or ``None`` when there is no data: the item is
then scored by hand with evidence."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from django.utils.translation import gettext as _

from jieneng.assessment.models import Application, Event, Party
from jieneng.core.indicators import with_ratios
from jieneng.core.scoring import Item
from jieneng.directory.models import Organisation, Region
from jieneng.directory.services import subtree_ids_of
from jieneng.io.cells import Period
from jieneng.reference import load_forms
from jieneng.reporting import deadlines
from jieneng.reporting.forms import default_form
from jieneng.statistics import figures
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


def _demonstration_units(parties: Sequence[Party], item: Item, year: int) -> dict[int, Found]:
    out: dict[int, Found] = {}
    for party in parties:
        accepted = Application.objects.filter(year=year, accepted=True)
        if party.region is not None:
            accepted = accepted.filter(organisation__region_id__in=subtree_ids_of(party.region.code))
        else:
            accepted = accepted.filter(organisation_id=party.organisation_id or 0)
        count = accepted.count()
        what = _("%(count)s demonstration units accepted in %(year)s") % {"count": count, "year": year}
        out[party.pk] = (float(count), what)
    return out


#: the ratios a ``peer:<ratio>`` item may name (:func:`jieneng.core.indicators.with_ratios`)
PEER_RATIOS = ("kgce_per_m2", "kgce_per_person", "water_per_person")


def _province(code: str) -> str:
    region = Region.objects.current().filter(code=code).select_related("parent").first()
    while region is not None and region.parent is not None:
        region = region.parent
    return region.code if region is not None else code


def peer_inputs(organisation_ids: Sequence[int], ratio: str, year: int) -> dict[int, Found]:
    """Each unit's ``ratio`` in ``year`` and the average of the province's units of its type, from the
    roll-ups: ``{"value", "peer"}`` and what was read (the average and the coefficient sets); a unit
    without figures or a province without a peer figure is left out (scored by hand)."""
    if ratio not in PEER_RATIOS:
        return {}
    units, used = figures.unit_figures(organisations=list(organisation_ids), years=[year])
    if units.height == 0:
        return {}
    units = with_ratios(units)
    provinces = {code: _province(code) for code in set(units["region"].to_list())}
    peers, peer_used = figures.region_types(sorted(set(provinces.values())), [year])
    peers = with_ratios(peers)
    averages = {(r["region"], r["type_code"]): r[ratio] for r in peers.iter_rows(named=True)}
    sets = "、".join(sorted({s for s in (*used.split(", "), *peer_used.split(", ")) if s}))
    out: dict[int, Found] = {}
    for row in units.iter_rows(named=True):
        province = provinces[row["region"]]
        peer = averages.get((province, row["type_code"]))
        if row[ratio] is None or not peer:
            continue
        inputs = {"value": round(float(row[ratio]), 4), "peer": round(float(peer), 4)}
        what = _("%(year)s statistics; the province's average for the same type %(peer)s (%(sets)s)")
        out[row["org"]] = (inputs, what % {"year": year, "peer": inputs["peer"], "sets": sets})
    return out


def _peer(parties: Sequence[Party], item: Item, year: int) -> dict[int, Found]:
    units = {p.organisation_id: p for p in parties if p.organisation_id is not None}
    found = peer_inputs(list(units), item.data.removeprefix("peer:"), year)
    return {units[org].pk: value for org, value in found.items()}


#: the sources of count items, by the part of ``data`` before its colon
COUNTERS = {"events": _events, "demonstration_units": _demonstration_units}


def read(parties: Sequence[Party], item: Item, year: int, today: date) -> dict[int, Found]:
    """What the data says of ``item`` for each party (party pk → found); absent: by hand."""
    if item.data.startswith("target:") and item.method == "completion":
        return _completion(parties, item, year)
    if item.data == "statistics_on_time" and item.method == "yes_no":
        return _on_time(parties, year, today)
    if item.method == "count" and (counter := COUNTERS.get(item.data.split(":")[0])):
        return counter(parties, item, year)
    if item.data == "decomposition":
        return decomposition_done(parties, year)
    if item.data.startswith("peer:") and item.method == "ratio":
        return _peer(parties, item, year)
    return {}
