"""The work report to the level above (工作情况汇报): the region's own targets and where they stand
(:mod:`jieneng.targets.services`), and its energy-saving projects (:mod:`jieneng.projects.services`)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jieneng.bulletins.kinds import Kind, Snapshot, document, register
from jieneng.core import wording
from jieneng.core.document import Document, Table
from jieneng.core.fill import fill
from jieneng.directory.models import Region
from jieneng.directory.services import subtree_ids_of
from jieneng.projects import services as projects
from jieneng.projects.models import Project
from jieneng.reference.bulletins import load_rounding
from jieneng.targets import services as targets
from jieneng.targets.models import Target

FIELDS = (
    "region", "parent", "year", "targets", "target_lines", "level_word", "projects", "completed",
    "under_way", "investment", "fiscal", "kwh", "tce",
)  # fmt: skip
MARKERS = ("targets", "projects")
#: the word for the whole of a region of a level in "全市", "全县"
LEVEL_WORDS = {1: "省", 2: "市", 3: "县"}
#: the most projects listed in the table (the largest investments first)
LISTED = 20


def _num(value: Any) -> float | None:
    return None if value is None else float(value)


def snapshot(code: str, period: str) -> Snapshot:
    year = int(period)
    region = Region.objects.current().select_related("parent").get(code=code)
    today = timezone.localdate()
    day = today if year >= today.year else date(year, 12, 31)
    own = list(Target.objects.filter(region=region, start_year__lte=year, end_year__gte=year).order_by("pk"))
    frame = targets.progress(own, day)
    by_id = {r["target"]: r for r in frame.iter_rows(named=True)} if frame.height else {}
    rows = [
        {"name": t.name, **{k: _num((by_id.get(str(t.pk)) or {}).get(k)) for k in
         ("required", "reached", "task_progress", "time_progress")},
         "warning": (by_id.get(str(t.pk)) or {}).get("warning"),
         "counted": t.counted_unit if t.indicator == "count" else "", "value": t.value}
        for t in own
    ]  # fmt: skip
    listed = Project.objects.filter(region_id__in=subtree_ids_of(code), start__year__lte=year)
    totals = projects.register_totals(listed)
    statuses = {
        s: listed.filter(status=s).count() for s in (Project.Status.COMPLETED, Project.Status.UNDER_WAY)
    }
    biggest = [
        {"name": p.name, "region": p.region.name, "status": str(p.get_status_display()),
         "investment": float(p.investment_yuan), "percent": _num(projects.progress(p, day).percent)}
        for p in listed.select_related("region").order_by("-investment_yuan", "pk")[:LISTED]
    ]  # fmt: skip
    return {
        "kind": "work-report",
        "year": year,
        "today": day.isoformat(),
        "region": {"code": region.code, "name": region.name, "level": region.level},
        "parent": region.parent.name if region.parent else "",
        "targets": rows,
        "projects": {
            "count": totals["count"],
            "completed": statuses[Project.Status.COMPLETED],
            "under_way": statuses[Project.Status.UNDER_WAY],
            **{k: _num(totals.get(k)) or 0.0 for k in ("investment", "fiscal", "kwh", "tce")},
        },
        "biggest": biggest,
        "rounding": load_rounding().ref,
    }


LEVELS = {"red": "一级预警", "yellow": "二级预警", "green": "进展顺利"}


def compose(data: Snapshot, template: Mapping[str, Any]) -> Document:
    r = load_rounding()
    p = data["projects"]

    def pct(value: float | None) -> str:
        return wording.figure(value, "rate", r)

    def required(row: Mapping[str, Any]) -> str:
        """A reduction in per cent; a counted quantity in its unit (6500 盏)."""
        if row.get("counted"):
            return f"{wording.fixed(row.get('value') or 0, 0)} {row['counted']}"
        return f"{pct(row['required'])}%"

    def reached(row: Mapping[str, Any]) -> str:
        if row.get("counted"):
            return f"{wording.fixed(row['reached'] or 0, 0)} {row['counted']}"
        return f"{pct(row['reached'])}%"

    lines = "".join(
        f"{row['name']}：要求 {required(row)}，已完成 {reached(row)}，"
        f"任务进度 {pct(row['task_progress'])}%、时间进度 {pct(row['time_progress'])}%，"
        f"{LEVELS.get(row['warning'] or '', '暂无数据')}。"
        for row in data["targets"]
    )
    values = {
        "region": data["region"]["name"],
        "parent": data["parent"] or "上级",
        "year": str(data["year"]),
        "targets": str(len(data["targets"])),
        "target_lines": lines,
        "level_word": LEVEL_WORDS.get(data["region"]["level"], "区"),
        "projects": str(p["count"]),
        "completed": str(p["completed"]),
        "under_way": str(p["under_way"]),
        "investment": wording.amount(p["investment"], "yuan", r, "money"),
        "fiscal": wording.amount(p["fiscal"], "yuan", r, "money"),
        "kwh": wording.amount(p["kwh"], "kWh", r),
        "tce": wording.amount(p["tce"] * 1000, "kgce", r),
    }
    tables = {
        "targets": Table(
            caption="表1  节能目标完成情况",
            columns=("目标", "要求", "已完成", "任务进度（%）", "时间进度（%）", "预警"),
            rows=[[row["name"], required(row), reached(row), pct(row["task_progress"]),
                   pct(row["time_progress"]), LEVELS.get(row["warning"] or "", "—")]
                  for row in data["targets"]],
            widths=(3.2, 1.1, 1.1, 1.1, 1.1, 1.2), numeric=(1, 2, 3, 4),
        ),
        "projects": Table(
            caption="表2  重点节能改造项目",
            columns=("项目", "地区", "状态", "投资（万元）", "完成（%）"),
            rows=[[b["name"], b["region"], b["status"], wording.fixed(b["investment"] / 10_000, 2),
                   pct(b["percent"])] for b in data["biggest"]],
            widths=(3.4, 1.3, 1.1, 1.3, 1.0), numeric=(3, 4),
        ),
    }  # fmt: skip
    if not data["targets"]:
        tables.pop("targets")
    if not data["biggest"]:
        tables.pop("projects")
    blocks = fill(template["blocks"], values, tables, {})
    fmt = {**values}
    return document(template, fmt, blocks, data)


KIND = register(
    Kind(
        code="work-report",
        name=_("Work report to the level above"),
        fields=FIELDS,
        markers=MARKERS,
        snapshot=snapshot,
        compose=compose,
        period_help=_("A year, e.g. 2026."),
    )
)
