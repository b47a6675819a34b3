"""Read an action plan (行动计划) sheet: one row per numbered action, with an optional goal on a counted
quantity.

::

    创新行动计划（2008—2012年）
    序号  行动            牵头单位    配合单位   完成时限    指标      单位 基期年 基期值 目标年 目标值
    1    专利申请倍增行动  知识产权局  科技局    2012-12-31 专利申请量 件   2007  563   2012  1160

The number, the action and the lead department are required; the deadline and the goal columns are
optional. Read through :func:`jieneng.io.table.read_table` (the type sniffed by content, within the
import limits); every cell it cannot read is a problem naming the row and column.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from jieneng.io import cells
from jieneng.io.problems import Problem
from jieneng.io.savings import _date
from jieneng.io.table import ColumnSpec, RowReader, read_table

COLUMNS = (
    ColumnSpec("number", ("序号", "编号", "行动编号", "number", "no.")),
    ColumnSpec("title", ("行动", "行动名称", "主要任务", "任务", "工作任务", "action")),
    ColumnSpec("lead", ("牵头单位", "牵头部门", "责任单位", "lead")),
    ColumnSpec("partners", ("配合单位", "协办单位", "配合部门", "partners"), required=False),
    ColumnSpec("deadline", ("完成时限", "完成时间", "时限", "deadline"), required=False),
    ColumnSpec("quantity", ("指标", "目标指标", "量化指标", "quantity"), required=False),
    ColumnSpec("unit", ("单位", "计量单位", "unit"), required=False),
    ColumnSpec("base_year", ("基期年", "基准年", "base year"), required=False),
    ColumnSpec("base", ("基期值", "基准值", "base value"), required=False),
    ColumnSpec("year", ("目标年", "target year"), required=False),
    ColumnSpec("target", ("目标值", "target value"), required=False),
)
GOAL = ("base_year", "base", "year", "target")


@dataclass(frozen=True)
class ActionRow:
    row: int
    number: int
    title: str
    lead: str
    partners: str
    deadline: date | None
    quantity: str | None
    unit: str
    goal: dict[str, float | None]


def _whole(value: Any) -> int | None:
    found = cells.number(value)
    if found is None:
        return None
    if found != int(found) or found < 1:
        raise ValueError(value)
    return int(found)


def read_actions(path: str | Path, sheet: str | None = None) -> tuple[list[ActionRow], list[Problem]]:
    """The actions of the sheet and every problem of its cells."""
    table, problems = read_table(Path(path), COLUMNS, sheet)
    if table is None:
        return [], problems
    rows = []
    for number, raw in table.rows:
        reader = RowReader(number, raw, table.headers, problems)
        action = reader.get("number", _whole, "not_whole_number")
        title = reader.get("title", cells.text)
        lead = reader.get("lead", cells.text)
        deadline = reader.get("deadline", _date, "bad_date", required=False)
        goal = {name: reader.get(name, cells.number, "bad_number", required=False) for name in GOAL}
        if reader.failed or action is None:
            continue
        rows.append(
            ActionRow(
                row=number,
                number=action,
                title=title,
                lead=lead,
                partners=cells.text(raw.get("partners")) or "",
                deadline=deadline,
                quantity=cells.text(raw.get("quantity")) or None,
                unit=cells.text(raw.get("unit")) or "",
                goal=goal,
            )
        )
    return rows, problems
