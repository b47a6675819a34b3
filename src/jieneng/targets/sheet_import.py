"""Pass a target down from a 下达任务指标表 (:mod:`jieneng.io.target_sheet`): every row checked — a region
not directly below, a region twice, an unknown indicator or another than the parent's, a cell that is not
a number — and then the split itself (:func:`jieneng.targets.services.plan_split` by hand). Nothing is
stored unless no problem blocks: the sheet is taken whole or not at all."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from django.utils.translation import override

from jieneng.core import targets as core
from jieneng.core.problems import BLOCKING, Problem
from jieneng.io.target_sheet import COLUMNS, read_shares
from jieneng.targets import services
from jieneng.targets.models import Indicator, Target


def _indicators() -> dict[str, str]:
    """Each indicator by its code and its names in Chinese and English (the part before the unit)."""
    names: dict[str, str] = {}
    for code, label in Indicator.choices:
        names[code.lower()] = code
        for language in ("zh-hans", "en"):
            with override(language):
                text = str(label)
            names[text.lower()] = code
            names[text.split("[", maxsplit=1)[0].split("（", maxsplit=1)[0].strip().lower()] = code
    return names


def plan(
    parent: Target, path: str | Path, children: Mapping[str, str]
) -> tuple[list[services.Share], list[Problem]]:
    """The shares of ``parent`` the sheet at ``path`` gives the regions ``children`` (code → name), and
    every problem of the sheet and of the split."""
    reducing = parent.kind in (core.Kind.REDUCTION, core.Kind.RANGE)
    rows, problems = read_shares(path, reduction=reducing)
    known, seen, by_hand = _indicators(), dict[str, int](), dict[str, float]()
    code_label = COLUMNS[0].label
    for r in rows:
        where: dict[str, Any] = {"row": r.row}
        if r.code not in children:
            name = f"{r.name}{r.code}"
            known_names = "、".join(children.values())
            problems.append(
                Problem.make(
                    "sheet_region_not_below",
                    **where,
                    column=code_label,
                    value=name,
                    parent=parent.owner_name,
                    known=known_names,
                )
            )
            continue
        if r.code in seen:
            problems.append(
                Problem.make(
                    "sheet_region_twice", **where, column=code_label, value=r.code, first=seen[r.code]
                )
            )
            continue
        seen[r.code] = r.row
        if r.indicator:
            found = known.get(r.indicator.strip().lower())
            if found is None:
                problems.append(
                    Problem.make(
                        "sheet_unknown_indicator",
                        **where,
                        value=r.indicator,
                        known="、".join(str(label) for _code, label in Indicator.choices),
                    )
                )
            elif found != parent.indicator:
                problems.append(
                    Problem.make(
                        "sheet_indicator_differs",
                        **where,
                        value=r.indicator,
                        expected=parent.get_indicator_display(),
                    )
                )
        if r.share is not None:
            by_hand[r.code] = r.share
    if any(p.severity == BLOCKING for p in problems):
        return [], problems
    shares, split_problems = services.plan_split(parent, children, core.Method.HAND, by_hand=by_hand)
    return shares, problems + split_problems


def import_sheet(
    parent: Target, path: str | Path, children: Mapping[str, str], *, user: Any = None, reason: str = ""
) -> tuple[list[Target], list[Problem]]:
    """:func:`plan`, then store the children (all of them, or none when a problem blocks)."""
    shares, problems = plan(parent, path, children)
    if not shares or any(p.severity == BLOCKING for p in problems):
        return [], problems
    return services.apply_split(parent, shares, core.Method.HAND, user=user, reason=reason), problems
