"""The ECharts options of the monitoring pages (drawn by the dashboards' ``charts.js``): a load profile,
a calendar heat map of daily use, the end-use breakdown, this year against last year, and an alert's
evidence. Each chart carries the rows of its table (the numbers under the chart)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.utils.translation import gettext as _

ACCENT, SECOND, THIRD, WARN = "#1d4e89", "#9aa5b1", "#1a7f37", "#b42318"
FONT = '"Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", sans-serif'


@dataclass(frozen=True)
class Chart:
    key: str
    title: str
    option: dict[str, Any]
    headers: tuple[str, ...] = ()
    rows: list[tuple[Any, ...]] = field(default_factory=list)
    height: int = 320

    @property
    def element(self) -> str:
        return f"chart-{self.key}"

    @property
    def option_id(self) -> str:
        return f"chart-{self.key}-option"


def _base(**extra: Any) -> dict[str, Any]:
    return {
        "textStyle": {"fontFamily": FONT},
        "animation": False,
        "tooltip": {"trigger": "axis"},
        "grid": {"left": 8, "right": 24, "top": 40, "bottom": 8, "containLabel": True},
        **extra,
    }


def profile(
    labels: list[str], values: list[float | None], unit: str, title: str, key: str = "profile"
) -> Chart:
    option = _base(
        color=[ACCENT],
        xAxis={"type": "category", "data": labels},
        yAxis={"type": "value", "name": unit},
        series=[
            {
                "name": _("Consumption"),
                "type": "line" if len(labels) > 40 else "bar",
                "data": values,
                "showSymbol": False,
                "areaStyle": {"opacity": 0.15},
            }
        ],
    )
    rows = list(zip(labels, values, strict=True))
    return Chart(key, title, option, (_("Time"), f"{_('Consumption')} ({unit})"), rows)


def calendar(days: list[tuple[date, float]], year_start: date, year_end: date, unit: str) -> Chart:
    top = max((v for _d, v in days), default=1.0) or 1.0
    option = {
        "textStyle": {"fontFamily": FONT},
        "animation": False,
        "tooltip": {},
        "visualMap": {
            "min": 0,
            "max": round(top, 1),
            "orient": "horizontal",
            "left": "center",
            "bottom": 0,
            "inRange": {"color": ["#eef4fb", ACCENT]},
            "text": [unit, ""],
        },
        "calendar": {
            "range": [year_start.isoformat(), year_end.isoformat()],
            "cellSize": ["auto", 14],
            "top": 30,
            "left": 40,
            "right": 16,
            "dayLabel": {"firstDay": 1},
        },
        "series": [
            {
                "type": "heatmap",
                "coordinateSystem": "calendar",
                "data": [[d.isoformat(), round(v, 1)] for d, v in days],
            }
        ],
    }
    return Chart(
        "calendar",
        _("Daily consumption, calendar"),
        option,
        (_("Day"), unit),
        [(d.isoformat(), v) for d, v in days],
        height=200,
    )


def breakdown(parts: list[tuple[str, float]], unit: str, month: str) -> Chart:
    option = {
        "textStyle": {"fontFamily": FONT},
        "animation": False,
        "tooltip": {"trigger": "item"},
        "legend": {"top": 0},
        "series": [
            {
                "type": "pie",
                "radius": ["35%", "65%"],
                "top": 30,
                "data": [{"name": n, "value": round(v, 1)} for n, v in parts],
            }
        ],
    }
    title = _("End-use breakdown, %(month)s") % {"month": month}
    return Chart("breakdown", title, option, (_("End use"), unit), parts)


def compare(months: list[str], this: list[float | None], last: list[float | None], unit: str) -> Chart:
    option = _base(
        color=[ACCENT, SECOND],
        legend={"top": 0},
        xAxis={"type": "category", "data": months},
        yAxis={"type": "value", "name": unit},
        series=[
            {"name": _("Last 12 months"), "type": "bar", "data": this},
            {"name": _("A year before"), "type": "bar", "data": last},
        ],
    )
    rows = list(zip(months, this, last, strict=True))
    return Chart(
        "compare",
        _("Compared with last year, by month"),
        option,
        (_("Month"), _("Last 12 months"), _("A year before")),
        rows,
    )


def evidence(labels: list[str], values: list[float | None], marked: tuple[str, str], unit: str) -> Chart:
    option = _base(
        color=[ACCENT],
        xAxis={"type": "category", "data": labels},
        yAxis={"type": "value", "name": unit},
        series=[
            {
                "name": _("Consumption"),
                "type": "line",
                "data": values,
                "showSymbol": False,
                "markArea": {
                    "itemStyle": {"color": "rgba(180,35,24,0.12)"},
                    "data": [[{"xAxis": marked[0]}, {"xAxis": marked[1]}]],
                },
            }
        ],
    )
    return Chart(
        "evidence",
        _("Hourly consumption around the alert (the alert's span shaded)"),
        option,
        (_("Time"), f"{_('Consumption')} ({unit})"),
        list(zip(labels, values, strict=True)),
    )
