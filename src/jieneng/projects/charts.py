"""The measured-savings chart of a project page: baseline model against actual use by month and the
cumulative savings, as an ECharts option drawn by the dashboards' ``charts.js`` (the same way the
dashboards draw theirs), with the table of the same numbers."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from jieneng.projects.models import MeasuredSavings

ACCENT, SECOND, THIRD = "#1d4e89", "#9aa5b1", "#1a7f37"
FONT = '"Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", sans-serif'


@dataclass(frozen=True)
class SavingsChart:
    key: str
    title: str
    option: dict[str, Any]
    rows: list[tuple[str, float, float, float]]  # month, predicted, observed, cumulative savings
    height: int = 340

    @property
    def element(self) -> str:
        return f"chart-{self.key}"

    @property
    def option_id(self) -> str:
        return f"chart-{self.key}-option"


MIN_DAYS = 20  # a month of daily data with fewer days is left out of the chart (a partial last month)


def monthly(measured: MeasuredSavings) -> list[tuple[str, float, float, float]]:
    """The reporting periods summed by month: predicted, observed and the cumulative savings; for
    daily data a month with fewer than :data:`MIN_DAYS` days is left out."""
    series = measured.detail.get("series", {})
    months: dict[str, list[float]] = {}
    for start, pred, obs in zip(
        series.get("start", []), series.get("predicted", []), series.get("observed", []), strict=False
    ):
        if pred in (None, "None", "nan") or obs in (None, "None", "nan"):
            continue
        p, o = float(pred), float(obs)
        row = months.setdefault(str(start)[:7], [0.0, 0.0, 0.0])
        row[0] += p
        row[1] += o
        row[2] += 1
    out, running = [], 0.0
    for month in sorted(months):
        p, o, days = months[month]
        if measured.interval == "daily" and days < MIN_DAYS:
            continue
        running += p - o
        out.append((month, p, o, running))
    return out


def savings_chart(measured: MeasuredSavings) -> SavingsChart:
    rows = monthly(measured)
    names = [r[0] for r in rows]
    option: dict[str, Any] = {
        "color": [ACCENT, SECOND, THIRD],
        "textStyle": {"fontFamily": FONT},
        "animation": False,
        "grid": {"left": 8, "right": 24, "top": 40, "bottom": 8, "containLabel": True},
        "legend": {"top": 0},
        "tooltip": {"trigger": "axis"},
        "xAxis": {"type": "category", "data": names},
        "yAxis": [{"type": "value", "name": "kWh"}, {"type": "value", "name": _("cumulative kWh")}],
        "series": [
            {"name": _("Baseline model"), "type": "line", "data": [round(r[1], 1) for r in rows],
             "color": SECOND, "lineStyle": {"type": "dashed"}},
            {"name": _("Actual use"), "type": "line", "data": [round(r[2], 1) for r in rows], "color": ACCENT,
             "lineStyle": {"width": 3}},
            {"name": _("Cumulative savings"), "type": "bar", "yAxisIndex": 1,
             "data": [round(r[3], 1) for r in rows], "color": THIRD, "itemStyle": {"opacity": 0.35}},
        ],
    }  # fmt: skip
    return SavingsChart("savings", _("Measured savings: baseline model against actual use"), option, rows)
