"""Charts of the dashboards: each an ECharts option (plain JSON, drawn by ``static/jieneng/charts.js``)
and the :class:`~jieneng.dashboard.tables.Table` of the same numbers, built together from a service's
result so the picture, the table and the spreadsheet cannot disagree."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.utils.dates import MONTHS_AP
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from jieneng.dashboard.breakdown import Month, TypeFigures
from jieneng.dashboard.ranking import REGIONS, Ranked, Ranking
from jieneng.dashboard.services import Overview
from jieneng.dashboard.tables import CHANGE, NUMBER, TEXT, Column, Row, Table
from jieneng.directory.models import Organisation

ACCENT, SECOND, PEER = "#1d4e89", "#9aa5b1", "#d97706"
PALETTE = ["#1d4e89", "#4f7cac", "#d97706", "#1a7f37", "#8e44ad", "#b42318", "#5f6b76", "#0e7490", "#a16207"]
#: the charts of a region's page and of a unit's page, by the key in their .xlsx address
REGION_CHARTS = ("trend", "composition", "co2_composition", "co2_path", "ranking", "types", "map")
SHORT_BAR = 0.08  # a bar shorter than this share of the longest is labelled beyond its end
SMALL_SHARE = 3.0  # [%] slices of the ring smaller than this are not labelled on the drawing
FONT = '"Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", sans-serif'


@dataclass(frozen=True)
class Chart:
    key: str
    title: str
    option: dict[str, Any]
    table: Table
    download: str = ""  # the .xlsx of the table
    geo: str = ""  # a map's GeoJSON
    height: int = 320  # [px]

    @property
    def element(self) -> str:
        return f"chart-{self.key}"

    @property
    def option_id(self) -> str:
        return f"chart-{self.key}-option"


def labels() -> dict[str, Column]:
    """The indicator columns, translated in the language of the request."""
    return {
        "tce": Column(_("Total energy consumption"), "tce"),
        "kgce_per_person": Column(_("Energy per person"), _("kgce/person")),
        "kgce_per_m2": Column(_("Energy per m² of building area"), "kgce/m²", NUMBER, 3),
        "water_per_person": Column(_("Water per person"), _("m³/person")),
    }


def titled(place: str, year: int | str, title: str) -> str:
    return _("%(place)s, %(year)s: %(title)s") % {"place": place, "year": year, "title": title}


def rounded(value: float | None, decimals: int = 2) -> float | None:
    return None if value is None else round(value, decimals)


def bar_items(
    values: Sequence[float | None], links: Sequence[str], horizontal: bool = False
) -> list[dict[str, Any]]:
    """A bar series' data: each value labelled on its bar (inside a long bar, beyond the end of a
    short one, so that no label covers another bar or a marker) and, where given, the ``link``
    that a click on the bar opens (``charts.js``)."""
    top = max((v for v in values if v is not None), default=0.0)
    items: list[dict[str, Any]] = []
    for value, link in zip(values, links, strict=True):
        item: dict[str, Any] = {"value": rounded(value, 3)}
        if value is not None:
            long = horizontal and top > 0 and value >= SHORT_BAR * top
            item["label"] = {
                "show": True,
                # at the start of a long bar: clear of the peer marker near its end
                "position": ("insideLeft" if long else "right") if horizontal else "top",
                "color": "#fff" if long else "#1f2933",
                "formatter": f"{value:,.2f}",
            }
        if link:
            item["link"] = link
        items.append(item)
    return items


def base_option(**more: Any) -> dict[str, Any]:
    option: dict[str, Any] = {
        "color": PALETTE,
        "textStyle": {"fontFamily": FONT},
        "animation": False,
        "grid": {"left": 8, "right": 24, "top": 40, "bottom": 8, "containLabel": True},
    }
    option.update(more)
    return option


def trend(o: Overview, months: Sequence[Month], download: str = "") -> Chart:
    """Comprehensive energy consumption by month, this year against last year."""
    title = _("Energy consumption by month")
    names = [month_name(m.month) for m in months]
    this, last = str(o.year), str(o.year - 1)
    option = base_option(
        legend={"top": 0},
        tooltip={"trigger": "axis"},
        xAxis={"type": "category", "data": names, "axisLabel": {"interval": 0}},
        yAxis={"type": "value", "name": "tce"},
        series=[
            {
                "name": this,
                "type": "line",
                "data": [rounded(m.tce, 3) for m in months],
                "symbolSize": 7,
                "lineStyle": {"width": 3},
                "color": ACCENT,
            },
            {
                "name": last,
                "type": "line",
                "data": [rounded(m.previous, 3) for m in months],
                "lineStyle": {"type": "dashed"},
                "color": SECOND,
            },
        ],
    )
    columns = (
        Column(_("Month"), kind=TEXT),
        Column(_("%(year)s energy consumption") % {"year": this}, "tce", NUMBER, 3),
        Column(_("%(year)s energy consumption") % {"year": last}, "tce", NUMBER, 3),
        Column(_("Change on last year"), kind=CHANGE),
        Column(_("%(year)s water use") % {"year": this}, "m³", NUMBER, 0),
        Column(_("%(year)s water use") % {"year": last}, "m³", NUMBER, 0),
    )
    rows = tuple(
        Row((name, m.tce, m.previous, m.change, m.water_m3, m.previous_water_m3))
        for name, m in zip(names, months, strict=True)
    )
    table = Table(titled(o.region.name, o.year, title), columns, rows)
    return Chart("trend", title, option, table, download)


def month_name(month: int) -> str:
    """“1月” in Chinese, “Jan.” in English."""
    return str(MONTHS_AP[month]) if _english() else _("Month %(month)s") % {"month": month}


def _english() -> bool:
    return (get_language() or "").startswith("en")


def ring(
    slices: Sequence[tuple[str, float | None, float | None]], unit: str
) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """A ring chart of (name, value [``unit``], share [%]) slices: its data and its option. A slice
    under :data:`SMALL_SHARE` is named in the legend and the table only, not on the ring."""
    data: list[dict[str, Any]] = []
    for name, value, share in slices:
        item: dict[str, Any] = {"name": name, "value": rounded(value, 3)}
        if share is not None and share < SMALL_SHARE:
            item.update(label={"show": False}, labelLine={"show": False})
        data.append(item)
    option = base_option(
        tooltip={"trigger": "item", "formatter": "{b}: {c} " + unit + " ({d}%)"},
        legend={"orient": "vertical", "left": 0, "top": "middle"},
        series=[
            {
                "type": "pie",
                "radius": ["45%", "72%"],
                "center": ["62%", "50%"],
                "data": data,
                "label": {"formatter": "{b}\n{d}%"},
            }
        ],
    )
    return data, option


def composition(o: Overview, download: str = "") -> Chart:
    """Comprehensive energy consumption by energy type [tce], as a ring."""
    title = _("Energy consumption by energy type")
    english = _english()
    slices = [(share.en if english else share.zh, share.tce, share.share) for share in o.composition]
    data, option = ring(slices, "tce")
    columns = (
        Column(_("Energy type"), kind=TEXT),
        Column(_("Standard coal"), "tce", NUMBER, 3),
        Column(_("Share"), "%"),
    )
    rows = tuple(Row((d["name"], s.tce, s.share)) for d, s in zip(data, o.composition, strict=True))
    total = sum(s.tce for s in o.composition)
    foot = (Row((_("Total"), total, 100.0 if total else None)),)
    table = Table(titled(o.region.name, o.year, title), columns, rows, foot)
    return Chart("composition", title, option, table, download)


def ranking(r: Ranking, links: dict[str, str], download: str = "", type_label: str = "") -> Chart:
    """The regions or units below, by energy per m², each with its peer benchmark.

    ``links``: the address of each row's page, by region code, ``"own"`` or ``"unit:<pk>"``.
    """
    regions = r.kind == REGIONS
    title = _("Regions ranked by energy per m²") if regions else _("Units ranked by energy per m²")
    if type_label:
        title = f"{title} · {type_label}"
    titles = [_row_name(r, row) for row in r.rows]
    shown = [(name, row) for name, row in zip(titles, r.rows, strict=True) if row.kgce_per_m2 is not None]
    if r.cut:  # an empty bar where the middle of the list is left out
        gap = Ranked(rank=None, name="")
        shown.insert(r.cut, (_("… %(count)s more …") % {"count": f"{r.omitted:,}"}, gap))
    option = base_option(
        legend={"top": 0},
        tooltip={"trigger": "axis", "axisPointer": {"type": "shadow"}},
        grid={"left": 8, "right": 24, "top": 36, "bottom": 24, "containLabel": True},
        xAxis={"type": "value", "name": "kgce/m²", "nameLocation": "middle", "nameGap": 24},
        yAxis={"type": "category", "inverse": True, "data": [name for name, _row in shown]},
        series=[
            {
                "name": _("Energy per m² of building area"),
                "type": "bar",
                "data": bar_items(
                    [row.kgce_per_m2 for _name, row in shown],
                    [links.get(_link_key(row), "") if row.name else "" for _name, row in shown],
                    horizontal=True,
                ),
                "color": "#4f7cac",
                "barMaxWidth": 22,
            },
            {
                "name": _("Peer benchmark"),
                "type": "scatter",
                "symbol": "rect",
                "symbolSize": [4, 22],
                "data": [rounded(row.benchmark, 3) for _name, row in shown],
                "color": PEER,
            },
        ],
    )
    names = labels()
    first = (
        Column(_("Rank"), kind=NUMBER, decimals=0),
        Column(_("Region") if regions else _("Unit name"), kind=TEXT),
    )
    middle = (
        (Column(_("Units"), kind=NUMBER, decimals=0),)
        if regions
        else (Column(_("Type of unit"), kind=TEXT), Column(_("Months reported"), kind=NUMBER, decimals=0))
    )
    columns = (
        *first,
        *middle,
        names["tce"],
        names["kgce_per_person"],
        names["kgce_per_m2"],
        Column(_("Change on last year"), kind=CHANGE),
        names["water_per_person"],
        Column(_("Peer benchmark"), "kgce/m²", NUMBER, 3),
        Column(_("Against peers"), kind=CHANGE),
    )
    types = dict(Organisation.Type.choices)
    rows = []
    for index, (name, row) in enumerate(zip(titles, r.rows, strict=True)):
        if r.cut and index == r.cut:
            more = _("… %(count)s more in the full list …") % {"count": f"{r.omitted:,}"}
            rows.append(Row(gap=more))
        kind = (row.units,) if regions else (str(types.get(row.type_code, row.type_code)), row.months)
        values = (
            row.rank,
            name,
            *kind,
            row.tce,
            row.kgce_per_person,
            row.kgce_per_m2,
            row.kgce_per_m2_yoy,
            row.water_per_person,
            row.benchmark,
            row.vs_peers,
        )
        css = "own" if row.own else "partial" if row.partial else ""
        rows.append(Row(values, href=links.get(_link_key(row), ""), css=css))
    notes: tuple[str, ...] = (_peer_note(regions),)
    partial = sum(1 for row in r.rows if row.partial)
    if partial:
        notes += (
            ngettext(
                "%(count)s unit reported fewer months than are due: it is listed after the ranking, "
                "without a rank, and left out of the peer medians.",
                "%(count)s units reported fewer months than are due: they are listed after the "
                "ranking, without a rank, and left out of the peer medians.",
                partial,
            )
            % {"count": f"{partial:,}"},
        )
    table = Table(titled(r.place.name, r.year, title), columns, tuple(rows), notes=notes)
    height = max(240, 34 * len(shown) + 70)
    return Chart("ranking", title, option, table, download, height=height)


def _row_name(r: Ranking, row: Ranked) -> str:
    if row.own:
        return _("%(region)s (units directly under it)") % {"region": r.place.name}
    return row.name


def _link_key(row: Ranked) -> str:
    if row.own:
        return "own"
    if row.organisation is not None:
        return f"unit:{row.organisation}"
    return row.region or ""


def _peer_note(regions: bool) -> str:
    if regions:
        return _(
            "Peer benchmark: for each type of unit, the median energy per m² of that type across the "
            "regions listed, weighted by the region's own building area of each type. Against peers: "
            "how far the region is above (↑) or below (↓) that benchmark."
        )
    return _(
        "Peer benchmark: the median energy per m² of the units of the same type in this region. "
        "Against peers: how far the unit is above (↑) or below (↓) that median."
    )


def types(
    o: Overview, figures: Sequence[TypeFigures], download: str = "", links: dict[str, str] | None = None
) -> Chart:
    """The units of each type (单位性质) in the region: energy per m², with the region's as a line.

    ``links``: the region's page for units of each type, by type code (a click on its bar opens it).
    """
    title = _("By type of unit")
    names = labels()
    links = links or {}
    option = base_option(
        grid={"left": 8, "right": 88, "top": 40, "bottom": 8, "containLabel": True},
        tooltip={"trigger": "axis", "axisPointer": {"type": "shadow"}},
        xAxis={"type": "category", "data": [f.label for f in figures], "axisLabel": {"interval": 0}},
        yAxis={"type": "value", "name": "kgce/m²"},
        series=[
            {
                "name": _("Energy per m² of building area"),
                "type": "bar",
                "data": bar_items([f.kgce_per_m2 for f in figures], [links.get(f.code, "") for f in figures]),
                "color": "#4f7cac",
                "barMaxWidth": 48,
                "markLine": {
                    "symbol": "none",
                    # beside the plot, right of the line's end: over no bar
                    "label": {"formatter": _("whole region\n{c}"), "position": "end", "lineHeight": 16},
                    "lineStyle": {"color": PEER, "type": "dashed"},
                    "data": (
                        [{"yAxis": rounded(o.totals.kgce_per_m2.value, 3)}]
                        if o.totals.kgce_per_m2.value is not None
                        else []
                    ),
                },
            }
        ],
    )
    columns = (
        Column(_("Type of unit"), kind=TEXT),
        Column(_("Units"), kind=NUMBER, decimals=0),
        names["tce"],
        Column(_("Share"), "%"),
        names["kgce_per_person"],
        names["kgce_per_m2"],
        Column(_("Change on last year"), kind=CHANGE),
        names["water_per_person"],
    )
    rows = tuple(
        Row(
            (
                f.label,
                f.units,
                f.tce,
                f.share,
                f.kgce_per_person,
                f.kgce_per_m2,
                f.kgce_per_m2_yoy,
                f.water_per_person,
            )
        )
        for f in figures
    )
    t = o.totals
    foot = (
        Row(
            (
                _("Total"),
                t.units,
                t.tce.value,
                100.0 if figures else None,
                t.kgce_per_person.value,
                t.kgce_per_m2.value,
                t.kgce_per_m2.yoy,
                t.water_per_person.value,
            )
        ),
    )
    table = Table(titled(o.region.name, o.year, title), columns, rows, foot)
    return Chart("types", title, option, table, download)


def region_map(o: Overview, geo: str, download: str = "", links: dict[str, str] | None = None) -> Chart:
    """Energy per m² of each region below, coloured on the supplied boundaries; a click on a region
    opens its page in ``links`` (by region code)."""
    links = links or {}
    title = _("Energy per m² on the map")
    children = [c for c in o.children if not c.own]
    values = [c.kgce_per_m2.value for c in children if c.kgce_per_m2.value is not None]
    option = base_option(
        tooltip={"trigger": "item"},
        visualMap={
            "type": "continuous",
            "min": rounded(min(values, default=0.0), 2),
            "max": rounded(max(values, default=1.0), 2),
            "text": [_("high"), _("low")],
            "precision": 2,
            "calculable": True,
            "left": 0,
            "bottom": 0,
            "inRange": {"color": ["#fde8c8", "#f0a35e", "#b45309"]},
        },
        series=[
            {
                "name": _("Energy per m² of building area"),
                "type": "map",
                "map": o.region.code,
                "roam": False,
                "label": {"show": True, "color": "#1f2933", "textBorderColor": "#fff", "textBorderWidth": 2},
                "itemStyle": {"areaColor": "#eef1f4", "borderColor": "#fff", "borderWidth": 1.5},
                "emphasis": {"label": {"color": "#1f2933"}, "itemStyle": {"areaColor": "#9cc3e6"}},
                "data": [
                    {
                        "name": c.region.name,
                        "value": rounded(c.kgce_per_m2.value, 3),
                        **_link(links, c.region.code),
                    }
                    for c in children
                ],
            }
        ],
    )
    columns = (Column(_("Region"), kind=TEXT), labels()["kgce_per_m2"])
    rows = tuple(Row((c.region.name, c.kgce_per_m2.value)) for c in children)
    table = Table(titled(o.region.name, o.year, title), columns, rows)
    return Chart("map", title, option, table, download, geo=geo, height=420)


def _link(links: dict[str, str], key: str) -> dict[str, str]:
    return {"link": links[key]} if links.get(key) else {}
