"""What the pages, the API and the demo do with targets: store a target (checked by the core, its
changes kept), split it among the places below, and compute where every target stands.

The coverage of the organisation of the work (:func:`coverage`, from :mod:`.coverage`) and the
deployment of tasks (:func:`deploy_task`, from :mod:`.tasks`) are re-exported here for the other
domains (bulletins, assessment).

Progress reads the roll-ups only through :mod:`jieneng.statistics.figures` (the year's sums to date, the
base year's sums of the same months, last year's for the forecast) or, for a counted quantity, the
:class:`~jieneng.targets.models.CountReport` rows, and hands one frame of all targets to
:func:`jieneng.core.targets.progress` and :func:`~jieneng.core.targets.warn`. Each row records the warning
rule (``id@version``) and the coefficient and emission-factor sets of the figures it used.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import polars as pl
from django.db import transaction

from jieneng.core import targets as core
from jieneng.core.problems import Problem
from jieneng.reference.targets import load_warning_rule
from jieneng.statistics import figures
from jieneng.targets import counting
from jieneng.targets.coverage import Coverage, Place, coverage
from jieneng.targets.models import Milestone, Target, TargetChange
from jieneng.targets.tasks import deploy_task

__all__ = [  # the coverage and the tasks are re-exported for the other domains
    "Coverage",
    "Place",
    "coverage",
    "deploy_task",
]

#: the fields whose changes a target's history keeps
TRACKED = (
    "name",
    "indicator",
    "counted_unit",
    "count_source",
    "plan",
    "start_year",
    "end_year",
    "base_year",
    "kind",
    "value",
    "reduction",
    "low",
    "high",
    "binding",
    "tier",
    "parent_id",
    "split_method",
    "split_weight",
    "warning_rule",
)


class TargetRejected(Exception):
    """A target the core would not store: :attr:`problems` say why (nothing was changed)."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        super().__init__("; ".join(p.code for p in problems))
        self.problems = list(problems)


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def save_target(
    target: Target,
    *,
    user: Any = None,
    reason: str = "",
    milestones: Mapping[int, float] | None = None,
) -> Target:
    """Check ``target`` (and its ``milestones``, if given) with the core and store it, keeping a
    :class:`TargetChange` for each tracked field that changed. Raises :class:`TargetRejected`, storing
    nothing, when the core finds a problem."""
    checked = target.core()
    if milestones is not None:
        checked = core.Target(**{**checked.__dict__, "milestones": dict(milestones)})
    problems = core.validate(checked)
    if target.tier == core.Tier.INCENTIVE and target.basic is not None:
        problems += [
            p
            for p in core.validate_pair(target.basic.core(), checked)
            if p.code in ("pair_mismatch", "incentive_not_stricter")
        ]
    if problems:
        raise TargetRejected(problems)
    before = Target.objects.filter(pk=target.pk).values(*TRACKED).first() if target.pk else None
    user_id = getattr(user, "pk", None) if getattr(user, "is_authenticated", False) else None
    with transaction.atomic():
        if target.pk is None and target.created_by_id is None:
            target.created_by_id = user_id
        target.save()
        if milestones is not None:
            target.milestones.all().delete()
            Milestone.objects.bulk_create(
                Milestone(target=target, year=y, value=v) for y, v in sorted(milestones.items())
            )
        now = {name: getattr(target, name) for name in TRACKED}
        changes = [
            TargetChange(
                target=target,
                field=name,
                old=_text(before[name]) if before else "",
                new=_text(now[name]),
                reason=reason,
                user_id=user_id,
            )
            for name in TRACKED
            if (before is None and now[name] not in (None, "")) or (before and before[name] != now[name])
        ]
        TargetChange.objects.bulk_create(changes)
    return target


# --- decomposition ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Share:
    """One child's part of a split: the region it goes to, its weight, and its value or reduction."""

    code: str
    name: str
    weight: float | None
    value: float | None
    reduction: float | None


def plan_split(
    parent: Target,
    children: Mapping[str, str],
    method: str,
    *,
    weights: Mapping[str, float] | None = None,
    by_hand: Mapping[str, float] | None = None,
) -> tuple[list[Share], list[Problem]]:
    """The shares of ``parent`` for the regions ``children`` (code → name) by ``method``, or the
    problems of the split. Reductions are split as amounts of the numerator to save on the children's
    base-year sums (:func:`jieneng.core.targets.reduction_amount`); caps, floors and values as the value."""
    codes = list(children)
    indicator = core.INDICATORS[parent.indicator]
    reducing = parent.kind in (core.Kind.REDUCTION, core.Kind.RANGE)
    base: dict[str, float] = {}
    if reducing or method == core.Method.PROPORTIONAL:
        year = parent.base_year or parent.start_year - 1
        frame, _used = figures.region_sums(codes, [year])
        sums = {r["region"]: r for r in frame.iter_rows(named=True)}
        base = {c: float(sums[c][indicator.numerator] or 0.0) for c in codes if c in sums}
    if reducing:
        required = parent.core().required_reduction or 0.0
        amount = core.reduction_amount(required, sum(base.values()))
        hand = by_hand
        if method == core.Method.HAND and by_hand is not None:  # typed as each child's reduction %
            hand = {c: core.reduction_amount(r, base.get(c, 0.0)) for c, r in by_hand.items()}
        # a child without base-year figures saves nothing of the amount: it gets the parent's rate
        counted = [c for c in codes if base.get(c)] if method != core.Method.WEIGHTS else codes
        result = core.split(amount, counted, method, weights=weights, base=base, by_hand=hand)
        if result.problems:
            return [], result.problems
        with_base = {c: s for c, s in result.shares.items() if base.get(c)}
        reductions = core.reductions_from_amounts(with_base, base)
        shares = [
            Share(c, children[c], (weights or {}).get(c), None, reductions.get(c, required)) for c in codes
        ]
        return shares, []
    result = core.split(parent.value or 0.0, codes, method, weights=weights, base=base, by_hand=by_hand)
    if result.problems:
        return [], result.problems
    return [Share(c, children[c], (weights or {}).get(c), result.shares[c], None) for c in codes], []


def apply_split(
    parent: Target, shares: Sequence[Share], method: str, *, user: Any = None, reason: str = ""
) -> list[Target]:
    """Store the children of ``parent`` (one per share, replacing an earlier child of the same region)."""
    from jieneng.directory.models import Region

    regions = {r.code: r for r in Region.objects.current().filter(code__in=[s.code for s in shares])}
    stored = []
    with transaction.atomic():
        for share in shares:
            child = parent.children.filter(region__code=share.code).first() or Target(parent=parent)
            for name in (
                "indicator",
                "counted_unit",
                "count_source",
                "plan",
                "start_year",
                "end_year",
                "base_year",
            ):
                setattr(child, name, getattr(parent, name))
            for name in ("binding", "tier", "warning_rule"):
                setattr(child, name, getattr(parent, name))
            child.region = regions[share.code]
            child.name = f"{parent.name} · {share.name}"
            if share.reduction is not None:
                child.kind, child.reduction = core.Kind.REDUCTION, share.reduction
                child.value = child.low = child.high = None
            else:
                child.kind, child.value = parent.kind, share.value
            child.split_method, child.split_weight = method, share.weight
            stored.append(save_target(child, user=user, reason=reason))
    return stored


def check_children(parent: Target) -> core.SplitCheck | None:
    """Whether the stored children of ``parent`` together meet it (None: no children with regions)."""
    children = list(parent.children.filter(region__isnull=False).select_related("region"))
    if not children:
        return None
    indicator = core.INDICATORS[parent.indicator]
    rows: list[dict[str, Any]] = []
    needs_base = indicator.is_ratio or parent.kind in (core.Kind.REDUCTION, core.Kind.RANGE)
    sums: dict[str, dict[str, Any]] = {}
    if needs_base:
        year = parent.base_year or parent.start_year - 1
        frame, _used = figures.region_sums([c.region.code for c in children if c.region], [year])
        sums = {r["region"]: r for r in frame.iter_rows(named=True)}
    for child in children:
        code = child.region.code if child.region else ""
        row = sums.get(code, {})
        rows.append(
            {
                "reduction": child.core().required_reduction,
                "value": child.value if child.kind not in (core.Kind.REDUCTION, core.Kind.RANGE) else None,
                "base_num": row.get(indicator.numerator),
                "base_den": row.get(indicator.denominator) if indicator.denominator else None,
            }
        )
    frame = pl.DataFrame(
        rows, schema=dict.fromkeys(("reduction", "value", "base_num", "base_den"), pl.Float64)
    )
    try:
        return core.check_split(parent.core(), frame)
    except ValueError:
        return None


# --- progress ---------------------------------------------------------------------------------------


def _year_of(target: Target, today: date) -> int:
    return min(max(today.year, target.start_year), target.end_year)


#: a month counts as reported when this share of the year's most units have records in it
COMPLETE_SHARE = 0.98


def _complete_months(months: dict[int, dict[str, Any]]) -> list[int]:
    """The months from January while they are complete: a month whose units with records fall below
    :data:`COMPLETE_SHARE` of the year's most (reports not yet in or approved) ends the year to date,
    so that a year to date is never compared with more of the base year than it holds."""
    most = max((row["units"] or 0 for row in months.values()), default=0)
    span = []
    for month in range(1, 13):
        row = months.get(month)
        if row is None or (row["units"] or 0) < COMPLETE_SHARE * most:
            break
        span.append(month)
    return span


def _region_rows(targets: Sequence[Target], today: date) -> tuple[list[dict[str, Any]], dict[str, str]]:
    """The progress input of the region targets on computed indicators, and each region's sets used."""
    codes = sorted({t.region.code for t in targets if t.region is not None})
    years = {y for t in targets for y in (_year_of(t, today), _year_of(t, today) - 1, t.base_year) if y}
    if not codes:
        return [], {}
    whole, used, emissions = figures.region_sums_and_sets(codes, sorted(years))
    yearly = {(r["region"], r["year"]): r for r in whole.iter_rows(named=True)}
    months: dict[tuple[str, int], dict[int, dict[str, Any]]] = {}
    for code in codes:
        for row in figures.monthly_series(code, sorted(years)).iter_rows(named=True):
            months.setdefault((code, row["year"]), {})[row["month"]] = row
    sets = {code: "; ".join(s for s in (used, emissions) if s) for code in codes}
    rows = []
    for target in targets:
        assert target.region is not None
        code, year = target.region.code, _year_of(target, today)
        ind = core.INDICATORS[target.indicator]
        now, have = yearly.get((code, year)), months.get((code, year), {})
        if now is None and year > target.start_year and (code, year - 1) in yearly:
            year, now, have = year - 1, yearly[(code, year - 1)], months.get((code, year - 1), {})
        span = _complete_months(have)
        count = len(span) if span else (12 if now is not None else 0)

        def same_months(y: int, name: str | None, code: str = code, span: list[int] = span) -> float | None:
            if name is None:
                return None
            rows_of = months.get((code, y), {})
            if span and all(m in rows_of for m in span):
                return float(sum(rows_of[m][name] or 0.0 for m in span))
            whole_row = yearly.get((code, y))
            if whole_row is None or whole_row[name] is None:
                return None
            return float(whole_row[name]) * (len(span) / 12 if span else 1.0)

        def whole_of(y: int, name: str | None, code: str = code) -> float | None:
            row = yearly.get((code, y))
            return None if name is None or row is None or row[name] is None else float(row[name])

        base = target.base_year
        rows.append(
            {
                **target.core().row(),
                "year": year,
                "months": count,
                "num": same_months(year, ind.numerator) if now is not None else None,
                "den": whole_of(year, ind.denominator),
                "base_num": same_months(base, ind.numerator) if base else None,
                "base_den": whole_of(base, ind.denominator) if base else None,
                "prev_num": whole_of(year - 1, ind.numerator),
                "prev_num_to_date": same_months(year - 1, ind.numerator),
            }
        )
    return rows, sets


def counted_months(target: Target, today: date) -> list[tuple[int, int, float]]:
    """A counted target's months so far (year, month, count): from its source where it has one (the
    closed months, :mod:`jieneng.targets.counting`), else the counts reported by hand."""
    source = counting.get(target.count_source)
    if source is not None and target.region is not None:
        return counting.months(source, target.region.code, target.start_year, target.end_year, today)
    return [
        (r.year, r.month, r.count)
        for r in target.counts.all()
        if (r.year, r.month) <= (today.year, today.month)
    ]


def _count_rows(targets: Sequence[Target], today: date) -> list[dict[str, Any]]:
    """The progress input of the targets on a counted quantity: the counts reported so far."""
    rows = []
    for target in targets:
        year = _year_of(target, today)
        in_period = [(y, m, c) for y, m, c in counted_months(target, today) if target.start_year <= y <= year]
        this_year = [m for y, m, _c in in_period if y == year]
        total = sum(c for _y, _m, c in in_period) if in_period else None
        rows.append(
            {
                **target.core().row(),
                "year": year,
                "months": max(this_year, default=0),
                "num": total,
                "den": None,
                "base_num": None,
                "base_den": None,
                "prev_num": None,
                "prev_num_to_date": None,
            }
        )
    return rows


PROGRESS_SCHEMA = {
    "target": pl.String,
    "indicator": pl.String,
    "kind": pl.String,
    "value": pl.Float64,
    "required": pl.Float64,
    "base_year": pl.Int32,
    "start": pl.Int32,
    "end": pl.Int32,
    "year": pl.Int32,
    "months": pl.Int32,
    **dict.fromkeys(("num", "den", "base_num", "base_den", "prev_num", "prev_num_to_date"), pl.Float64),
}


def progress(targets: Iterable[Target], today: date) -> pl.DataFrame:
    """Where each target stands on ``today``: the output of :func:`jieneng.core.targets.progress` and
    :func:`~jieneng.core.targets.warn` (under each target's own rule), one row per target, with
    ``figures_used`` (the coefficient and emission-factor sets of its figures)."""
    items = list(targets)
    counted = [t for t in items if t.indicator == core.INDICATORS["count"].code]
    computed = [
        t
        for t in items
        if t.indicator != core.INDICATORS["count"].code  # not a membership test: models compare slowly
        and t.region is not None
        and core.INDICATORS[t.indicator].denominator != "gdp_10k_yuan"
    ]
    region_rows, sets = _region_rows(computed, today)
    rows = region_rows + _count_rows(counted, today)
    used = {str(t.pk): sets.get(t.region.code, "") if t.region else "" for t in computed}
    used |= {str(t.pk): source.ref for t in counted if (source := counting.get(t.count_source))}
    if not rows:
        return pl.DataFrame()
    frame = pl.DataFrame(rows, schema=PROGRESS_SCHEMA, orient="row")
    computed_frame = core.progress(frame)
    by_rule: dict[str, list[str]] = {}
    for t in items:
        by_rule.setdefault(t.warning_rule, []).append(str(t.pk))
    parts = [
        core.warn(computed_frame.filter(pl.col("target").is_in(ids)), load_warning_rule(rule))
        for rule, ids in by_rule.items()
    ]
    warned = pl.concat([p for p in parts if p.height], how="vertical_relaxed")
    return warned.with_columns(
        pl.col("target").replace_strict(used, default="", return_dtype=pl.String).alias("figures_used")
    )


def warning_list(targets: Iterable[Target], today: date) -> pl.DataFrame:
    """The targets likely to miss, worst first (:func:`jieneng.core.targets.warning_list`)."""
    warned = progress(targets, today)
    return core.warning_list(warned) if warned.height else warned


def region_targets(codes: Iterable[str], indicator: str, year: int) -> dict[str, Target]:
    """The binding target on ``indicator`` of each region of ``codes`` whose period ends in ``year``
    (the one assessed that year), the latest set when there are several; for the assessment."""
    found: dict[str, Target] = {}
    rows = Target.objects.filter(
        region__code__in=list(codes), indicator=indicator, end_year=year, binding=core.Binding.BINDING
    ).select_related("region")
    for target in rows.order_by("pk"):
        if target.region is not None:
            found[target.region.code] = target
    return found
