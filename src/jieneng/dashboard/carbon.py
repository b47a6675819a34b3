"""CO₂ on the dashboards: the composition of a region's CO₂ by energy type and its CO₂ per m² against
the 十四五 path, each an ECharts option with its table (and so its .xlsx), like :mod:`.charts`; and the
words that name the emission-factor set's convention in the user's language.

The figures come from :class:`~jieneng.dashboard.services.Overview`, computed from the kept roll-ups;
this module only draws and words them.
"""

from __future__ import annotations

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from jieneng.dashboard.charts import ACCENT, PEER, Chart, base_option, ring, rounded, titled
from jieneng.dashboard.services import Overview
from jieneng.dashboard.tables import CHANGE, NUMBER, TEXT, Column, Row, Table
from jieneng.io.co2 import BASIS_LABELS

#: the CO₂ charts of a region's page, by the key in their .xlsx address
CO2_CHARTS = ("co2_composition", "co2_path")


def _english() -> bool:
    return (get_language() or "").startswith("en")


def convention_text(label: str) -> str:
    """The convention of a roll-up's ``emission_factors`` (``id@version basis rule``, comma separated)
    in words: “location-based …; latest data year not after the reporting year”."""
    out = []
    for part in filter(None, (p.strip() for p in label.split(","))):
        pieces = part.split()
        if len(pieces) != 3:
            continue
        _ref, basis, rule = pieces
        basis_text = _(BASIS_LABELS[basis]) if basis in BASIS_LABELS else basis
        if rule == "latest":
            rule_text = _("electricity factors of the latest data year not after the reporting year")
        elif rule.startswith("lag"):
            rule_text = _("electricity factors of the reporting year minus %(lag)s") % {"lag": rule[3:]}
        else:
            rule_text = _("electricity factors of data year %(year)s for every year") % {
                "year": rule.removeprefix("fixed")
            }
        out.append(f"{basis_text}; {rule_text}")
    return " / ".join(dict.fromkeys(out))


def refs(label: str) -> str:
    """The ``id@version`` of the sets of a roll-up's ``emission_factors``."""
    return ", ".join(dict.fromkeys(p.split()[0] for p in label.split(",") if p.strip()))


def co2_composition(o: Overview, download: str = "") -> Chart:
    """CO₂ [tCO₂] by energy type, as a ring (electricity: indirect emissions)."""
    title = _("CO₂ by energy type")
    english = _english()
    shown = [s for s in o.co2_composition if s.tco2]
    _data, option = ring([(s.en if english else s.zh, s.tco2, s.share) for s in shown], "tCO₂")
    columns = (
        Column(_("Energy type"), kind=TEXT),
        Column(_("CO₂ emissions"), "tCO₂", NUMBER, 3),
        Column(_("Share"), "%"),
        Column(_("Units without a CO₂ figure"), kind=NUMBER, decimals=0),
    )
    rows = tuple(
        Row((s.en if english else s.zh, s.tco2, s.share, s.missing))
        for s in o.co2_composition
        if s.tco2 or s.missing
    )
    missing = sum(s.missing for s in o.co2_composition)
    total = None if missing else sum(s.tco2 or 0.0 for s in o.co2_composition)
    foot = (Row((_("Total"), total, 100.0 if total else None, missing)),)
    notes = (
        _("CO₂ factors: %(title)s (%(refs)s); %(convention)s.")
        % {
            "title": o.emission_title,
            "refs": refs(o.emission_factors),
            "convention": convention_text(o.emission_factors),
        },
    )
    table = Table(titled(o.region.name, o.year, title), columns, rows, foot, notes=notes)
    return Chart("co2_composition", title, option, table, download)


def co2_path(o: Overview, download: str = "") -> Chart:
    """CO₂ per m² by year against the plan's straight line to its target (十四五: −7 % on 2020)."""
    p = o.co2_path
    title = _("CO₂ per m² against the 14th Five-Year path")
    years = [str(y.year) for y in p.years] if p else []
    option = base_option(
        legend={"top": 0},
        tooltip={"trigger": "axis"},
        xAxis={"type": "category", "data": years},
        yAxis={"type": "value", "name": "kgCO₂/m²", "scale": True, "nameTextStyle": {"align": "left"}},
        series=[
            {
                "name": _("CO₂ per m²"),
                "type": "line",
                "data": [rounded(y.value, 3) for y in p.years] if p else [],
                "symbolSize": 7,
                "lineStyle": {"width": 3},
                "color": ACCENT,
            },
            {
                "name": _("Plan path"),
                "type": "line",
                "data": [rounded(y.allowed, 3) for y in p.years] if p else [],
                "lineStyle": {"type": "dashed"},
                "color": PEER,
            },
        ],
    )
    columns = (
        Column(_("Year"), kind=TEXT),
        Column(_("CO₂ per m²"), "kgCO₂/m²", NUMBER, 3),
        Column(_("Plan path"), "kgCO₂/m²", NUMBER, 3),
        Column(_("Against the path"), kind=CHANGE),
    )
    rows = tuple(Row((str(y.year), y.value, y.allowed, y.against)) for y in p.years) if p else ()
    notes: tuple[str, ...] = ()
    if p:
        notes = (
            _("%(title)s (%(ref)s): CO₂ per m² %(change)s %% by %(end)s on %(base)s (%(clause)s).")
            % {
                "title": p.title,
                "ref": p.plan,
                "change": f"{p.change:+g}",
                "end": p.end_year,
                "base": p.base_year,
                "clause": p.clause,
            },
        )
    table = Table(titled(o.region.name, o.year, title), columns, rows, notes=notes)
    return Chart("co2_path", title, option, table, download)
