"""The progress bulletin (进展情况通报): where the targets of the regions below stand, with the laggards
named from the records.

The laggard groups (:data:`GROUPS`) come from :mod:`jieneng.targets.services`: the regions warned
yellow or red, those without a target for the year, those that have not passed their target down, and
from :mod:`jieneng.targets.coverage` those that have not signed their responsibility letters or held a
meeting. A further group is one more entry in the snapshot's ``laggards`` and one more ``[actions]``
line of the template: :func:`problem_sentences` writes every group it is given.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, timedelta
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jieneng.bulletins.kinds import Kind, Snapshot, document, register
from jieneng.core import wording
from jieneng.core.document import Document, Table
from jieneng.core.fill import fill
from jieneng.directory.models import Region
from jieneng.reference.bulletins import load_rounding
from jieneng.targets import coverage, services
from jieneng.targets.models import Target

FIELDS = (
    "region", "year", "measure", "below", "today", "targets", "green", "warned", "problems", "deadline",
)  # fmt: skip
MARKERS = ("progress",)
#: the laggard groups this kind finds, in the order the problems paragraph names them
GROUPS = ("no_target", "not_passed_down", "not_signed", "not_held_meeting", "warned")
#: days from the bulletin's date to the deadline of its requirements
DEADLINE_DAYS = 30


def _day(year: int) -> date:
    today = timezone.localdate()
    return today if year >= today.year else date(year, 12, 31)


def _organising(region: Region, year: int) -> dict[str, list[str]]:
    """The regions below that have not signed the letters issued to them this year, and — when the
    office records its regions' meetings at all — those that have held none (targets.coverage)."""
    found = coverage.coverage(region, year)
    recorded = len(found.no_meeting) < len(found.places)  # at least one meeting recorded below
    return {
        "not_signed": [p.name for p in found.not_signed],
        "not_held_meeting": [p.name for p in found.no_meeting] if recorded else [],
    }


def snapshot(code: str, period: str) -> Snapshot:
    year = int(period)
    region = Region.objects.current().get(code=code)
    children = list(Region.objects.current().filter(parent=region).order_by("code"))
    has_grandchildren = Region.objects.current().filter(parent__in=children).exists()
    targets = list(
        Target.objects.filter(region__in=children, start_year__lte=year, end_year__gte=year)
        .select_related("region")
        .order_by("region__code", "pk")
    )
    day = _day(year)
    frame = services.progress(targets, day)
    by_id = {r["target"]: r for r in frame.iter_rows(named=True)} if frame.height else {}
    rows = []
    for t in targets:
        p = by_id.get(str(t.pk), {})
        rows.append({
            "region": t.region.name if t.region else "", "name": t.name,
            "required": p.get("required"), "reached": p.get("reached"),
            "task_progress": p.get("task_progress"), "time_progress": p.get("time_progress"),
            "warning": p.get("warning"),
        })  # fmt: skip
    with_target = {t.region_id for t in targets}
    split = set(Target.objects.filter(parent__in=targets).values_list("parent__region_id", flat=True))
    warned = {
        t.region_id for t in targets if (by_id.get(str(t.pk)) or {}).get("warning") in ("red", "yellow")
    }
    laggards = {
        "no_target": [c.name for c in children if c.pk not in with_target],
        "not_passed_down": [c.name for c in children if c.pk in with_target and c.pk not in split]
        if has_grandchildren
        else [],
        **_organising(region, year),
        "warned": [c.name for c in children if c.pk in warned],
    }
    return {
        "kind": "progress",
        "year": year,
        "today": day.isoformat(),
        "region": {"code": region.code, "name": region.name, "level": region.level},
        "level": region.level + 1,
        "rows": rows,
        "laggards": laggards,
        "rounding": load_rounding().ref,
    }


def problem_sentences(
    laggards: Mapping[str, Sequence[str]], actions: Mapping[str, str], measure: str, values: Mapping[str, str]
) -> list[str]:
    """One sentence per group of laggards with an action in the template:
    ``还有甲、乙、丙 3 个市尚未…``."""
    out = []
    for group, names in laggards.items():
        action = actions.get(group)
        if action and names:
            out.append(wording.laggards_sentence(names, measure, action.format_map(values)))
    return out


def _pct(value: float | None) -> str:
    return wording.figure(value, "rate", load_rounding())


LEVELS = {"red": "一级预警", "yellow": "二级预警", "green": "进展顺利", None: "—"}


def compose(data: Snapshot, template: Mapping[str, Any]) -> Document:
    r = load_rounding()
    measure = r.measures.get(data["level"], "地区")
    today = date.fromisoformat(data["today"])
    rows = data["rows"]
    values = {
        "region": data["region"]["name"],
        "year": str(data["year"]),
        "measure": measure,
        "below": r.measures.get(data["level"] + 1, "地区"),
        "today": wording.chinese_date(today),
        "targets": str(len(rows)),
        "green": str(sum(1 for row in rows if row["warning"] == "green")),
        "warned": str(sum(1 for row in rows if row["warning"] in ("red", "yellow"))),
        "deadline": wording.chinese_date(today + timedelta(days=DEADLINE_DAYS)),
    }
    sentences = problem_sentences(data["laggards"], template.get("actions", {}), measure, values)
    values["problems"] = "".join(sentences) or "各地均按要求推进，未发现突出问题。"
    table = Table(
        caption=f"表1  各{measure}{data['year']}年节能目标进展情况",
        columns=("地区", "目标", "要求（%）", "已完成（%）", "任务进度（%）", "时间进度（%）", "预警"),
        rows=[
            [
                row["region"],
                row["name"],
                _pct(row["required"]),
                _pct(row["reached"]),
                _pct(row["task_progress"]),
                _pct(row["time_progress"]),
                LEVELS.get(row["warning"], "—"),
            ]
            for row in rows
        ],
        widths=(1.4, 2.6, 1.1, 1.1, 1.1, 1.1, 1.2),
        numeric=(2, 3, 4, 5),
    )
    blocks = fill(template["blocks"], values, {"progress": table}, {})
    return document(template, values, blocks, data)


KIND = register(
    Kind(
        code="progress",
        name=_("Progress bulletin"),
        fields=FIELDS,
        markers=MARKERS,
        snapshot=snapshot,
        compose=compose,
        period_help=_("The year of the targets, e.g. 2026."),
    )
)
