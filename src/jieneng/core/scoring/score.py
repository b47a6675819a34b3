"""Scoring many assessed parties at once against a scheme: vectorised with Polars.

:func:`score` takes one row per party (``row`` as the spreadsheet shows it, ``party``, and the
scheme's input columns, :meth:`Scheme.inputs`) and returns their item scores [points], completion
rates, score, bonus, total, grade, veto and its reason, rank, consequences and the scheme's
``id@version``. A hand score outside 0–maximum is a problem (its item scored null, its party not
graded); the caller decides whether to go on.

Completion rate = actual reduction ÷ target reduction (国发〔2007〕36号); both are written as the same
change (−4.8 and −4.0, or 4.8 and 4.0). A range target (“−4.0~−4.5 %”) is met at its lower bound,
the less demanding end: :func:`target_value`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, cast

import polars as pl

from jieneng.core.problems import Problem
from jieneng.core.scoring.scheme import Item, Scheme

_DIGITS = 9  # rates are compared rounded, so that 0.63 / 0.7 is 90 %
_EPSILON = 1e-9
_RANGE = re.compile(r"^\s*([+-]?\d+(?:\.\d+)?)\s*%?\s*(?:[~～至到]\s*([+-]?\d+(?:\.\d+)?))?\s*%?\s*$")


def target_value(text: str | float | int) -> float:
    """The target a party is held to [%]: the number, or of a range the end nearer zero.

    ``"−4.0~−4.5 %"`` → −4.0; ``"4"`` → 4.0. Anything else raises ``ValueError``.
    """
    if isinstance(text, int | float) and not isinstance(text, bool):
        return float(text)
    cleaned = str(text).replace("−", "-").replace("－", "-").replace("％", "%").replace("．", ".")
    match = _RANGE.match(cleaned)
    if not match:
        raise ValueError(text)
    ends = [float(g) for g in match.groups() if g is not None]
    return min(ends, key=abs)


@dataclass(frozen=True)
class Scored:
    frame: pl.DataFrame
    problems: list[Problem]
    scheme: str  # id@version

    @property
    def ok(self) -> bool:
        return not self.problems


def _banded(measure: pl.Expr, item: Item) -> pl.Expr:
    """Points of the band the measure falls in. Rates (``closed == "low"``): a band includes its lower
    bound, so the highest band reached counts; ratios (``"high"``): its upper bound, lowest first."""
    if item.closed == "high":
        tests = [(measure <= b.high if b.high is not None else pl.lit(True), b.points) for b in item.bands]
    else:
        tests = [(measure >= b.low, b.points) for b in reversed(item.bands)]
    return _first(tests, 0.0).cast(pl.Float64)


def _first(cases: Sequence[tuple[pl.Expr, object]], otherwise: object) -> pl.Expr:
    """``when(test).then(value)`` for each case in turn, the first that holds winning."""
    (test, value), rest = cases[0], cases[1:]
    expr: Any = pl.when(test).then(pl.lit(value))
    for test, value in rest:
        expr = expr.when(test).then(pl.lit(value))
    return cast(pl.Expr, expr.otherwise(pl.lit(otherwise)))


def _rate(item: Item) -> pl.Expr:
    rate = pl.col(f"{item.id}_actual") / pl.col(f"{item.id}_target")
    return rate.round(_DIGITS).alias(f"{item.id}_rate")


def _item_score(item: Item) -> tuple[pl.Expr, pl.Expr | None]:
    """The item's score [points] and, for a completion item, its over-achievement bonus."""
    col = pl.col
    if item.method == "completion":
        rate = col(f"{item.id}_rate")
        points = _banded(rate.clip(lower_bound=0.0), item)
        bonus = None
        if item.over is not None:
            steps = ((rate - 1.0) / item.over.step + _EPSILON).floor().clip(lower_bound=0.0)
            bonus = pl.min_horizontal(steps * item.over.points, pl.lit(item.over.max))
            bonus = pl.when(rate.is_null()).then(None).otherwise(bonus)
        return pl.when(rate.is_null()).then(None).otherwise(points), bonus
    if item.method == "ratio":
        ratio = (col(f"{item.id}_value") / col(f"{item.id}_peer")).round(_DIGITS)
        points = pl.when(ratio.is_null()).then(None).otherwise(_banded(ratio, item))
        if item.certified_points is not None:
            certified = col(f"{item.id}_certified").cast(pl.Boolean).fill_null(False)
            points = pl.when(certified).then(pl.lit(item.certified_points)).otherwise(points)
        return points, None
    if item.method == "yes_no":
        answer = col(item.id).cast(pl.Boolean)
        return pl.when(answer).then(pl.lit(item.points)).when(answer.not_()).then(pl.lit(0.0)), None
    if item.method == "count":
        per = item.per or 0.0
        return pl.min_horizontal(col(item.id) * per, pl.lit(item.points)), None
    valid = col(item.id).is_between(0.0, item.points)
    return pl.when(valid).then(col(item.id)), None


def _out_of_range(scheme: Scheme, frame: pl.DataFrame, labels: Mapping[str, str]) -> list[Problem]:
    problems: list[Problem] = []
    for item in scheme.items.values():
        if item.method != "hand" or item.id not in frame.columns:
            continue
        bad = frame.filter(~pl.col(item.id).is_between(0.0, item.points))
        for row, value in bad.select("row", item.id).iter_rows():
            problems.append(
                Problem.make(
                    "score_out_of_range",
                    row=row,
                    column=labels.get(item.id, item.id),
                    value=f"{value:g}",
                    item=item.title,
                    maximum=f"{item.points:g}",
                )
            )
    for item in scheme.items.values():
        if item.method != "completion":
            continue
        column = f"{item.id}_target"
        for (row,) in frame.filter(pl.col(column) == 0).select("row").iter_rows():
            problems.append(
                Problem.make(
                    "zero_target", row=row, column=labels.get(column, column), value="0", item=item.title
                )
            )
    return problems


def score(scheme: Scheme, inputs: pl.DataFrame, labels: Mapping[str, str] | None = None) -> Scored:
    """Score every party of ``inputs``; ``labels`` name the input columns as the sheet shows them."""
    labels = labels or {}
    missing = [c for c, _kind, _item in scheme.inputs() if c not in inputs.columns]
    frame = inputs.with_columns(pl.lit(None, dtype=pl.Float64).alias(c) for c in missing)
    frame = frame.with_columns(_rate(i) for i in scheme.items.values() if i.method == "completion")
    problems = _out_of_range(scheme, frame, labels)
    scores, bonuses = [], []
    for item in scheme.items.values():
        points, bonus = _item_score(item)
        scores.append(points.alias(item.id))
        if bonus is not None:
            bonuses.append(bonus.alias(f"{item.id}_over"))
    frame = frame.with_columns(*scores, *bonuses)
    regular = [pl.col(i.id) for i in scheme.items.values() if not i.bonus]
    extra = [pl.col(f"{i.id}_over") for i in scheme.items.values() if i.over is not None]
    extra += [pl.col(i.id) for i in scheme.items.values() if i.bonus]
    complete = pl.all_horizontal(pl.col(i.id).is_not_null() for i in scheme.items.values())
    frame = frame.with_columns(
        pl.when(complete).then(pl.sum_horizontal(regular)).alias("score"),
        pl.when(complete).then(pl.sum_horizontal(extra) if extra else pl.lit(0.0)).alias("bonus"),
    ).with_columns((pl.col("score") + pl.col("bonus")).alias("total"))
    frame = _grade(scheme, frame)
    frame = frame.with_columns(
        pl.col("total").rank("min", descending=True).cast(pl.Int32).alias("rank"),
        pl.lit(scheme.ref).alias("scheme"),
    )
    frame = _consequences(scheme, frame)
    item_columns = [c for i in scheme.items.values() for c in _result_columns(i)]
    keep = ["row", "party", *item_columns, "score", "bonus", "total", "grade", "vetoed", "veto_reason"]
    return Scored(frame.select(*keep, "rank", "consequences", "reward_yuan", "scheme"), problems, scheme.ref)


def _result_columns(item: Item) -> list[str]:
    if item.method == "completion":
        return [f"{item.id}_rate", item.id, *([f"{item.id}_over"] if item.over else [])]
    return [item.id]


def _grade(scheme: Scheme, frame: pl.DataFrame) -> pl.DataFrame:
    """The grade by total, lowered by every veto that applies; the reasons joined."""
    levels = {g.name: index for index, g in enumerate(scheme.grades)}  # 0 the highest
    reached = [(pl.col("total") >= g.min - _EPSILON, index) for index, g in enumerate(scheme.grades)]
    level = _first(reached, len(scheme.grades) - 1)
    caps, reasons = [], []
    for veto in scheme.vetoes:
        for iid in veto.items:
            item = scheme.items[iid]
            missed = pl.col(f"{iid}_rate") < 1.0
            fired = (missed if veto.when == "target_missed" else pl.col(iid) <= _EPSILON).fill_null(False)
            caps.append(pl.when(fired).then(levels[veto.grade]).otherwise(0))
            text = veto.reason.replace("{item}", item.title)
            reasons.append(pl.when(fired).then(pl.lit(text)))
    lowest = pl.max_horizontal(level, *caps) if caps else level
    names = dict(enumerate(g.name for g in scheme.grades))
    reason = pl.concat_str(reasons, separator="；", ignore_nulls=True) if reasons else pl.lit("")
    frame = frame.with_columns(
        lowest.alias("_level"),
        (pl.max_horizontal(*caps) > level).fill_null(False).alias("vetoed")
        if caps
        else pl.lit(False).alias("vetoed"),
        pl.when(reason == "").then(None).otherwise(reason).alias("veto_reason"),
    )
    return frame.with_columns(
        pl.when(pl.col("total").is_null())
        .then(None)
        .otherwise(pl.col("_level").replace_strict(names, return_dtype=pl.String))
        .alias("grade")
    ).drop("_level")


def _consequences(scheme: Scheme, frame: pl.DataFrame) -> pl.DataFrame:
    texts: dict[str, list[str]] = {}
    money: dict[str, float] = {}
    for consequence in scheme.consequences:
        texts.setdefault(consequence.grade, []).append(consequence.text)
        if consequence.reward_yuan is not None:
            money[consequence.grade] = money.get(consequence.grade, 0.0) + float(consequence.reward_yuan)
    joined = {grade: "；".join(t) for grade, t in texts.items()}
    return frame.with_columns(
        pl.col("grade").replace_strict(joined, default=None, return_dtype=pl.String).alias("consequences"),
        pl.col("grade").replace_strict(money, default=None, return_dtype=pl.Float64).alias("reward_yuan"),
    )


__all__ = ["Scored", "score", "target_value"]
