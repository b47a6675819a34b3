"""The charts and tables of a unit's page: its figures by year against its peers, and the units a
department supervises (see :mod:`jieneng.dashboard.charts`)."""

from __future__ import annotations

import json

from django.urls import reverse
from django.utils.translation import gettext as _

from jieneng.core.problems import problem_type
from jieneng.dashboard.carbon import convention_text, refs
from jieneng.dashboard.charts import PEER, Chart, bar_items, base_option, labels, rounded, titled
from jieneng.dashboard.organisation import Supervised, Unit
from jieneng.dashboard.tables import CHANGE, NUMBER, TEXT, Column, Row, Table
from jieneng.directory.models import Organisation


def unit_figures(u: Unit, download: str = "") -> Chart:
    """A unit's energy per m² by year against the median of its peers."""
    title = _("Figures by year")
    years = [str(y.year) for y in u.years]
    categories = [
        str(y.year)
        if y.months >= 12
        else _("%(year)s (%(months)s months)") % {"year": y.year, "months": y.months}
        for y in u.years
    ]
    option = base_option(
        legend={"top": 0},
        tooltip={"trigger": "axis"},
        xAxis={"type": "category", "data": categories},
        yAxis={"type": "value", "name": "kgce/m²"},
        series=[
            {
                "name": _("Energy per m² of building area"),
                "type": "bar",
                "data": bar_items([y.kgce_per_m2 for y in u.years], ["" for _y in u.years]),
                "color": "#4f7cac",
                "barMaxWidth": 40,
            },
            {
                "name": _("Median of peers"),
                "type": "line",
                "data": [rounded(y.peer_kgce_per_m2, 3) for y in u.years],
                "color": PEER,
                "symbolSize": 8,
            },
        ],
    )
    names = labels()
    columns = (
        Column(_("Year"), kind=TEXT),
        Column(_("Months reported"), kind=NUMBER, decimals=0),
        Column(_("Energy-using persons"), _("persons"), NUMBER, 0),
        Column(_("Building area"), "m²", NUMBER, 0),
        names["tce"],
        names["kgce_per_person"],
        Column(_("Median of peers"), _("kgce/person")),
        names["kgce_per_m2"],
        Column(_("Change on last year"), kind=CHANGE),
        Column(_("Median of peers"), "kgce/m²", NUMBER, 3),
        Column(_("Against peers"), kind=CHANGE),
        names["water_per_person"],
        Column(_("Median of peers"), _("m³/person")),
        Column(_("CO₂ emissions"), "tCO₂", NUMBER, 3),
        Column(_("CO₂ per person"), _("kgCO₂/person")),
        Column(_("CO₂ per m² of building area"), "kgCO₂/m²", NUMBER, 3),
        Column(_("Change on last year"), kind=CHANGE),
        Column(_("Why there is no CO₂ figure"), kind=TEXT),
        Column(_("Energy cost"), _("yuan"), NUMBER, 0),
    )
    rows = tuple(
        Row(
            (
                str(y.year),
                y.months,
                y.persons,
                y.area_m2,
                y.tce,
                y.kgce_per_person,
                y.peer_kgce_per_person,
                y.kgce_per_m2,
                y.kgce_per_m2_yoy,
                y.peer_kgce_per_m2,
                y.vs_peers,
                y.water_per_person,
                y.peer_water_per_person,
                y.tco2,
                y.kgco2_per_person,
                y.kgco2_per_m2,
                y.kgco2_per_m2_yoy,
                co2_reason(y.co2_problem),
                y.cost,
            )
        )
        for y in u.years
    )
    note = _("Peers: the units of the same type (%(type)s) in %(region)s.") % {
        "type": u.type_label,
        "region": u.region.name,
    }
    notes = [note]
    for label in dict.fromkeys(y.emission_factors for y in u.years if y.emission_factors):
        notes.append(
            _("CO₂ factors: %(refs)s; %(convention)s.")
            % {"refs": refs(label), "convention": convention_text(label)}
        )
    table = Table(
        titled(u.name, f"{years[0]}–{years[-1]}" if years else "", title), columns, rows, notes=tuple(notes)
    )
    return Chart("figures", title, option, table, download)


def co2_reason(problem: str) -> str:
    """A unit-year's recorded CO₂ problem (JSON of its code and parameters) in the user's language."""
    if not problem:
        return ""
    found = json.loads(problem)
    try:
        declared = problem_type(found["code"])
    except KeyError:
        return str(found["code"])
    return str(_(declared.template) % found.get("params", {}))


def supervised(s: Supervised) -> Table:
    """The units a department supervises with their figures in ``s.year``, each linking to its page."""
    names = labels()
    types = dict(Organisation.Type.choices)
    columns = (
        Column(_("Unit name"), kind=TEXT),
        Column(_("Type of unit"), kind=TEXT),
        Column(_("Months reported"), kind=NUMBER, decimals=0),
        names["tce"],
        names["kgce_per_person"],
        names["kgce_per_m2"],
        names["water_per_person"],
    )
    rows = tuple(
        Row(
            (
                r.name,
                str(types.get(r.type_code, r.type_code)),
                r.months,
                r.tce,
                r.kgce_per_person,
                r.kgce_per_m2,
                r.water_per_person,
            ),
            href=reverse("unit", args=[r.organisation]),
        )
        for r in s.rows
    )
    title = _("Units it supervises, %(year)s") % {"year": s.year} if s.year else _("Units it supervises")
    return Table(title, columns, rows)
