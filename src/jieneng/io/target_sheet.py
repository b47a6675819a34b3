"""Read a 下达任务指标表: the shares of a target passed down, one row per region below.

::

    2026年度节能目标任务分解表
    行政区划代码   地区     指标                    下降率（%）
    445202        榕城区   单位建筑面积能耗          3.2
    445222        揭西县   单位建筑面积能耗          2.8

The region code is required; the name is read for the messages; the indicator column is optional (when
present each row must name the parent's indicator, which the service checks); each row gives a
reduction % (a reduction target) or a value (a cap, floor or count). The file is read through
:func:`jieneng.io.table.read_table` (its type sniffed by content, within the import limits); every cell
it cannot read is a problem naming the row and column.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jieneng.io import cells
from jieneng.io.problems import Problem
from jieneng.io.table import ColumnSpec, RowReader, read_table

COLUMNS = (
    ColumnSpec("code", ("行政区划代码", "区划代码", "地区代码", "代码", "region code", "code")),
    ColumnSpec("name", ("地区名称", "地区", "单位", "region", "name"), required=False),
    ColumnSpec("indicator", ("指标", "指标名称", "indicator"), required=False),
    ColumnSpec(
        "reduction",
        ("下降率（%）", "下降率(%)", "下降率", "降低率", "reduction %", "reduction"),
        required=False,
    ),
    ColumnSpec("value", ("目标值", "分解目标", "上限", "数量", "value", "target"), required=False),
)


@dataclass(frozen=True)
class ShareRow:
    row: int
    code: str
    name: str
    indicator: str | None
    share: float | None
    column: str


def _code(value: Any) -> str | None:
    found = cells.text(value)
    if not found:
        return None
    digits = found.split(".")[0].strip()
    if not (len(digits) == 6 and digits.isdigit()):
        raise ValueError(value)
    return digits


def read_shares(
    path: str | Path, *, reduction: bool, sheet: str | None = None
) -> tuple[list[ShareRow], list[Problem]]:
    """The rows of the sheet and every problem of its cells. ``reduction``: the share is the reduction
    % column (else the value column)."""
    table, problems = read_table(Path(path), COLUMNS, sheet)
    if table is None:
        return [], problems
    wanted = "reduction" if reduction else "value"
    if wanted not in table.headers:
        spec = next(c for c in COLUMNS if c.name == wanted)
        found = "、".join(table.headers.values())
        return [], [
            *problems,
            Problem.make("missing_column", column=spec.label, names="、".join(spec.aliases), found=found),
        ]
    rows = []
    for number, raw in table.rows:
        reader = RowReader(number, raw, table.headers, problems)
        code = reader.get("code", _code, "sheet_bad_region_code")
        share = reader.get(wanted, cells.number, "bad_number")
        name = cells.text(raw.get("name")) or ""
        indicator = cells.text(raw.get("indicator")) or None
        if reader.failed or code is None:
            continue
        rows.append(ShareRow(number, code, name, indicator, share, table.headers[wanted]))
    return rows, problems
