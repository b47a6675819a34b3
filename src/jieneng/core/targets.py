"""Targets and responsibility: the model, the decomposition check, progress, forecast and warning levels.

Pure: plain values and Polars frames, no Django and no I/O. The warning rules are reference data
(``reference/data/warnings/*.toml``, read by :mod:`jieneng.reference.targets`) and every computed
warning records the rule's ``id@version``.

- **The model**: :class:`Target` — an indicator of :data:`INDICATORS`, a :class:`Period` (a year or a
  five-year plan with yearly milestones), a base year, a :class:`Kind` (value, cap, floor, reduction % on
  the base, range of reductions such as −4.0~−4.5 %), binding (约束性) or expected (预期性), and the tier of
  a dual-control pair (基本目标 / 激励目标). :func:`validate` and :func:`validate_pair` return problems of
  the family TARGET (:mod:`jieneng.core.problems.targets`).
- **Decomposition**: :func:`split` shares a parent among its children by weights, equally, in proportion to
  their base-year values, or takes the shares given by hand; :func:`check_split` says whether the children
  together meet the parent — quantities summed; ratios recomputed from the children's base-year numerators
  and denominators, never averaged — and by how much they fall short.
- **Progress**: :func:`progress` over a frame of targets and their sums: the value now, 任务进度 (the share
  of the required change achieved) against 时间进度 (:func:`time_progress`), the year-end forecast from the
  year to date and last year's monthly profile, the completion rate and the shortfall in percentage points.
- **Warnings**: :class:`WarningRule` and :func:`warn` give each target its level (green, yellow, orange,
  red) under a rule.

Percentages are plain numbers (``15.0`` is 15 %); a reduction is written as a positive percentage (the
target "下降 15 %" is ``reduction=15``), a change as signed (a fall of 16.12 % is ``-16.12``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

import polars as pl

from jieneng.core.errors import ReferenceDataError
from jieneng.core.problems import Problem

#: relative tolerance of the decomposition check (float sums of shares)
TOLERANCE = 1e-9


class Kind(StrEnum):
    VALUE = "value"  # reach this value (a counted quantity: LED lamps installed)
    CAP = "cap"  # at most this value (total energy 上限)
    FLOOR = "floor"  # at least this value
    REDUCTION = "reduction"  # fall by this % on the base period
    RANGE = "range"  # fall by low~high % on the base period; met at the lower bound


class Binding(StrEnum):
    BINDING = "binding"  # 约束性
    EXPECTED = "expected"  # 预期性


class Tier(StrEnum):
    SINGLE = "single"
    BASIC = "basic"  # 基本目标
    INCENTIVE = "incentive"  # 激励目标


class Method(StrEnum):
    WEIGHTS = "weights"
    EQUAL = "equal"
    PROPORTIONAL = "proportional"  # to the children's base-year values
    HAND = "hand"


@dataclass(frozen=True)
class Indicator:
    """What a target is on: a quantity (``denominator`` None) or a ratio of two sums of the roll-ups.

    ``numerator`` and ``denominator`` name the sums (the roll-ups' columns, or ``count`` for a
    quantity entered by hand); ``scale`` turns the numerator into the indicator's unit."""

    code: str
    numerator: str
    denominator: str | None
    unit: str
    scale: float = 1.0

    @property
    def is_ratio(self) -> bool:
        return self.denominator is not None


#: the indicators a target can be set on (the sums are those of :mod:`jieneng.core.rollups`)
INDICATORS: dict[str, Indicator] = {
    ind.code: ind
    for ind in (
        Indicator("energy_total", "kgce", None, "tce", 0.001),
        Indicator("energy_per_person", "kgce", "persons", "kgce/人"),
        Indicator("energy_per_m2", "kgce", "area_m2", "kgce/m²"),
        Indicator("energy_per_gdp", "kgce", "gdp_10k_yuan", "tce/万元", 0.001),
        Indicator("water_per_person", "water_m3", "persons", "m³/人"),
        Indicator("co2_total", "kgco2", None, "tCO₂", 0.001),
        Indicator("co2_per_m2", "kgco2", "area_m2", "kgCO₂/m²"),
        Indicator("count", "count", None, ""),
    )
}


@dataclass(frozen=True)
class Period:
    """A target period: one year (``start == end``) or a plan such as 十四五 (2021, 2025)."""

    start: int
    end: int
    name: str = ""

    @classmethod
    def year(cls, year: int) -> Period:
        return cls(year, year)

    @property
    def years(self) -> int:
        return self.end - self.start + 1

    def __str__(self) -> str:
        label = str(self.start) if self.start == self.end else f"{self.start}–{self.end}"
        return f"{self.name} {label}" if self.name else label


FIVE_YEAR_PLANS = {
    "十二五": Period(2011, 2015, "十二五"),
    "十三五": Period(2016, 2020, "十三五"),
    "十四五": Period(2021, 2025, "十四五"),
}


@dataclass(frozen=True)
class Target:
    """One target. ``value`` is the goal of a value, cap or floor; ``reduction`` the % of a reduction;
    ``low`` and ``high`` the bounds of a range of reductions; ``milestones`` the yearly values (or
    reductions) of a plan, by year."""

    id: str
    indicator: str
    period: Period
    kind: Kind
    value: float | None = None
    reduction: float | None = None
    low: float | None = None
    high: float | None = None
    base_year: int | None = None
    binding: Binding = Binding.BINDING
    tier: Tier = Tier.SINGLE
    milestones: Mapping[int, float] = field(default_factory=dict)

    @property
    def required_reduction(self) -> float | None:
        """The reduction % that meets the target (a range: its lower bound)."""
        if self.kind is Kind.REDUCTION:
            return self.reduction
        if self.kind is Kind.RANGE:
            return self.low
        return None

    def row(self) -> dict[str, Any]:
        """The target as a row of the frames :func:`progress` and :func:`warn` take."""
        return {
            "target": self.id,
            "indicator": self.indicator,
            "kind": str(self.kind),
            "value": self.value,
            "required": self.required_reduction,
            "base_year": self.base_year,
            "start": self.period.start,
            "end": self.period.end,
        }


_NEEDS = {Kind.VALUE: "value", Kind.CAP: "value", Kind.FLOOR: "value", Kind.REDUCTION: "reduction"}


def validate(target: Target) -> list[Problem]:
    """The problems of one target (empty: it can be stored)."""
    found: list[Problem] = []
    tid, period = target.id, str(target.period)
    if target.indicator not in INDICATORS:
        known = ", ".join(INDICATORS)
        found.append(Problem.make("unknown_indicator", target=tid, indicator=target.indicator, known=known))
    if target.period.end < target.period.start:
        found.append(Problem.make("target_period_reversed", target=tid, period=period))
    if target.kind in _NEEDS:
        if getattr(target, _NEEDS[target.kind]) is None:
            found.append(Problem.make("missing_target_value", target=tid, kind=str(target.kind)))
    elif target.low is None or target.high is None:
        found.append(Problem.make("missing_target_value", target=tid, kind=str(target.kind)))
    elif target.low > target.high:
        found.append(Problem.make("range_reversed", target=tid, low=target.low, high=target.high))
    if target.kind in (Kind.REDUCTION, Kind.RANGE) and target.base_year is None:
        found.append(Problem.make("missing_base", target=tid))
    if target.base_year is not None and target.base_year >= target.period.start:
        found.append(Problem.make("base_after_period", target=tid, base=target.base_year, period=period))
    for year in sorted(target.milestones):
        if not target.period.start <= year <= target.period.end:
            found.append(Problem.make("milestone_outside_period", target=tid, year=year, period=period))
    return found


def _strictness(target: Target) -> float | None:
    """A number that grows as the target asks more (a cap asks more as it falls)."""
    if target.kind in (Kind.REDUCTION, Kind.RANGE):
        return target.required_reduction
    if target.value is None:
        return None
    return -target.value if target.kind is Kind.CAP else target.value


def validate_pair(basic: Target, incentive: Target) -> list[Problem]:
    """The problems of a dual-control pair (基本目标 / 激励目标): each target's, then the pair's."""
    found = validate(basic) + validate(incentive)
    differ = [
        n for n in ("indicator", "period", "base_year", "kind") if getattr(basic, n) != getattr(incentive, n)
    ]
    if differ:
        found.append(
            Problem.make("pair_mismatch", basic=basic.id, incentive=incentive.id, field=", ".join(differ))
        )
    low, high = _strictness(basic), _strictness(incentive)
    if low is not None and high is not None and high <= low:
        found.append(Problem.make("incentive_not_stricter", basic=basic.id, incentive=incentive.id))
    return found


# --- time progress ----------------------------------------------------------------------------------


def time_progress(start: int, end: int, year: int, months: int = 12) -> float:
    """时间进度 [%]: months with data ÷ 12 in a one-year target; in a plan, 20/40/60/80/100 % by year
    (a year under way counts its months: the third year of 十四五 after 6 months is 50 %)."""
    years = end - start + 1
    done = min(max(year - start, 0), years) + (months / 12 if start <= year <= end else 0)
    return 100 * min(done, years) / years


def _time_progress_expr() -> pl.Expr:
    years = pl.col("end") - pl.col("start") + 1
    elapsed = (pl.col("year") - pl.col("start")).clip(0, None).cast(pl.Float64)
    within = (pl.col("year") >= pl.col("start")) & (pl.col("year") <= pl.col("end"))
    done = elapsed + pl.when(within).then(pl.col("months") / 12).otherwise(0.0)
    return (100 * pl.min_horizontal(done, years) / years).alias("time_progress")


# --- decomposition ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Split:
    """The children's shares of a parent's amount (in the parent's terms), or the problems of the split."""

    shares: dict[str, float]
    problems: list[Problem]


def split(
    amount: float,
    children: Sequence[str],
    method: Method | str,
    *,
    weights: Mapping[str, float] | None = None,
    base: Mapping[str, float] | None = None,
    by_hand: Mapping[str, float] | None = None,
) -> Split:
    """Share ``amount`` among ``children``.

    ``amount`` is what the parent asks: a cap or a count to share, or — for a reduction — the amount of
    the numerator to save (:func:`reduction_amount`). ``weights`` sum to 1 (or to 100); ``base`` are the
    children's base-year values (numerators, for a ratio); ``by_hand`` the shares as typed. Problems:
    ``weights_do_not_sum``, ``bad_weight``.
    """
    method = Method(method)
    if method is Method.HAND:
        given = dict(by_hand or {})
        bad = [c for c in children if c not in given or given[c] < 0]
        return Split(given, [Problem.make("bad_weight", child=c, weight=given.get(c)) for c in bad])
    if method is Method.EQUAL:
        raw = dict.fromkeys(children, 1.0)
    else:
        raw = dict((weights if method is Method.WEIGHTS else base) or {})
    bad = [c for c in children if raw.get(c) is None or raw[c] < 0]
    if bad:
        return Split({}, [Problem.make("bad_weight", child=c, weight=raw.get(c)) for c in bad])
    total = sum(raw[c] for c in children)
    if method is Method.WEIGHTS:
        expected = 100.0 if abs(total - 100) < 1e-6 * 100 else 1.0
        if abs(total - expected) > 1e-6 * expected:
            return Split({}, [Problem.make("weights_do_not_sum", total=round(total, 6), expected=1)])
        total = expected
    if total == 0:
        return Split({}, [Problem.make("bad_weight", child=c, weight=0) for c in children])
    return Split({c: amount * raw[c] / total for c in children}, [])


def reduction_amount(reduction: float, base_numerator: float) -> float:
    """What a reduction of ``reduction`` % on the base asks, in the numerator's terms, denominators held."""
    return base_numerator * reduction / 100


def reductions_from_amounts(
    shares: Mapping[str, float], base_numerators: Mapping[str, float]
) -> dict[str, float]:
    """Each child's reduction % from its share of the amount to save and its base-year numerator."""
    return {c: 100 * shares[c] / base_numerators[c] for c in shares}


@dataclass(frozen=True)
class SplitCheck:
    """Whether the children together meet the parent: ``reached`` against ``required`` (a reduction %, or
    a value in the indicator's unit), ``shortfall`` (≥ 0, in percentage points or the unit) and ``met``;
    ``parent_base`` and ``parent_target`` are the parent's values recomputed from the children's sums."""

    reached: float
    required: float
    shortfall: float
    met: bool
    parent_base: float | None
    parent_target: float | None
    problems: list[Problem]


def check_split(parent: Target, children: pl.DataFrame) -> SplitCheck:
    """Do the children together meet ``parent``?

    ``children`` has one row per child with ``reduction`` [%] or ``value`` (its target), and for a
    reduction or a ratio its base-year sums ``base_num`` and, for a ratio, ``base_den``; ``den`` is the
    denominator expected in the target year (defaults to ``base_den``: people and area held). Quantities
    are summed; a ratio is recomputed as Σ numerators ÷ Σ denominators — never an average of ratios.
    """
    indicator = INDICATORS[parent.indicator]
    frame = children.lazy()
    names = frame.collect_schema().names()
    col = {n: pl.col(n) if n in names else pl.lit(None, dtype=pl.Float64) for n in ("reduction", "value")}
    den_base = pl.col("base_den") if indicator.is_ratio else pl.lit(1.0)
    den = pl.col("den").fill_null(den_base) if "den" in names else den_base
    by_value = col["value"] / indicator.scale * den if indicator.is_ratio else col["value"] / indicator.scale
    base_num = pl.col("base_num") if "base_num" in names else pl.lit(None, dtype=pl.Float64)
    target_num = pl.when(col["reduction"].is_not_null()).then(base_num * (1 - col["reduction"] / 100))
    sums = (
        frame.select(
            target_num.otherwise(by_value).sum().alias("target_num"),
            base_num.sum().alias("base_num"),
            den_base.sum().alias("base_den"),
            den.sum().alias("den"),
        )
        .collect()
        .row(0, named=True)
    )
    base_value = (
        sums["base_num"] / sums["base_den"] * indicator.scale
        if sums["base_num"] and sums["base_den"]
        else None
    )
    target_value = sums["target_num"] / sums["den"] * indicator.scale if sums["den"] else None
    required_reduction = parent.required_reduction
    if required_reduction is not None:
        if not base_value or target_value is None:
            raise ValueError(f"{parent.id}: a reduction is checked against the children's base-year sums")
        reached = 100 * (1 - target_value / base_value)
        required, unit = required_reduction, "pp"
        shortfall = max(required - reached, 0.0)
    else:
        if parent.value is None or target_value is None:
            raise ValueError(f"{parent.id}: the parent has no value to check against")
        reached, required, unit = target_value, parent.value, indicator.unit
        shortfall = max(reached - required, 0.0) if parent.kind is Kind.CAP else max(required - reached, 0.0)
    met = shortfall <= TOLERANCE * max(abs(required), 1.0)
    problems = [] if met else [_short(reached, required, shortfall, unit)]
    return SplitCheck(reached, required, 0.0 if met else shortfall, met, base_value, target_value, problems)


def _short(reached: float, required: float, shortfall: float, unit: str) -> Problem:
    return Problem.make(
        "split_short", reached=round(reached, 4), required=required, shortfall=round(shortfall, 4), unit=unit
    )


# --- progress ---------------------------------------------------------------------------------------

#: the columns :func:`progress` needs; ``value`` and ``required`` as :meth:`Target.row` gives them
PROGRESS_INPUT = ("target", "indicator", "kind", "value", "required", "start", "end", "year", "months", "num")
#: optional columns: base-year sums for the same months, denominators, and last year's profile
PROGRESS_OPTIONAL = (
    "den",
    "base_num",
    "base_den",
    "prev_num",
    "prev_num_to_date",
    "prev_den",
    "prev_den_to_date",
)


def progress(frame: pl.DataFrame | pl.LazyFrame) -> pl.DataFrame:
    """Where each target stands, one row per target, vectorised over any number of targets.

    Input (one row per target; :data:`PROGRESS_INPUT`, :data:`PROGRESS_OPTIONAL`): the target's
    ``indicator``, ``kind``, ``value`` (value, cap, floor) or ``required`` (the reduction %, a range's lower
    bound), its period ``start``–``end``; ``year`` and ``months`` (months with data in that year); the
    sums to date ``num`` and ``den``; the base-year sums of the same months ``base_num``, ``base_den``
    (a reduction's base; a counted quantity's starting level, 0 when absent); and last year's whole-year and
    same-months sums ``prev_num``, ``prev_num_to_date`` (and ``prev_den``, ``prev_den_to_date`` for a
    denominator that accumulates through the year, such as GDP; people and area are stocks).

    Output adds: ``now`` (the value to date, in the indicator's unit), ``base`` (the base value), ``change``
    [%] on the base, ``reached`` (the reduction achieved [%], or the value), ``task_progress`` [%] (the share
    of the required change achieved; a cap: the share of the cap used), ``time_progress`` [%],
    ``forecast`` (the year-end value from the year to date and last year's monthly profile),
    ``completion_rate`` [%] (reduction achieved ÷ reduction required; value ÷ target for a value or floor),
    ``shortfall_pp`` (required − achieved reduction, percentage points, ≥ 0) and ``met``.
    """
    lazy = frame.lazy()
    names = lazy.collect_schema().names()
    missing = [n for n in PROGRESS_INPUT if n not in names]
    if missing:
        raise ValueError(f"progress needs the columns {', '.join(missing)}")
    absent = [pl.lit(None, dtype=pl.Float64).alias(n) for n in PROGRESS_OPTIONAL if n not in names]
    unknown = sorted(set(lazy.select("indicator").unique().collect()["indicator"]) - set(INDICATORS))
    if unknown:
        raise ValueError(f"no indicator {', '.join(unknown)}")
    scales = {code: ind.scale for code, ind in INDICATORS.items()}
    ratios = {code: ind.is_ratio for code, ind in INDICATORS.items()}
    lazy = lazy.with_columns(absent).with_columns(
        pl.col("indicator").replace_strict(scales, return_dtype=pl.Float64).alias("_scale"),
        pl.col("indicator").replace_strict(ratios, return_dtype=pl.Boolean).alias("_ratio"),
    )
    ratio = pl.col("_ratio")
    den = pl.when(ratio).then(pl.col("den")).otherwise(1.0)
    base_den = pl.when(ratio).then(pl.col("base_den")).otherwise(1.0)
    now = pl.col("num") / den * pl.col("_scale")
    base = pl.col("base_num") / base_den * pl.col("_scale")
    profile = pl.col("prev_num") / pl.col("prev_num_to_date")
    den_profile = (pl.col("prev_den") / pl.col("prev_den_to_date")).fill_null(1.0)
    forecast_num = pl.col("num") * pl.when(pl.col("months") >= 12).then(1.0).otherwise(profile)
    forecast_den = den * pl.when(pl.col("months") >= 12).then(1.0).otherwise(den_profile)
    reducing = pl.col("kind").is_in([str(Kind.REDUCTION), str(Kind.RANGE)])
    out = lazy.with_columns(
        now.alias("now"),
        pl.when(reducing | pl.col("base_num").is_not_null()).then(base).alias("base"),
        (forecast_num / forecast_den * pl.col("_scale")).alias("forecast"),
        _time_progress_expr(),
    ).with_columns(
        (100 * (pl.col("now") / pl.col("base") - 1)).alias("change"),
    )
    achieved = -pl.col("change")
    start = pl.col("base").fill_null(0.0)
    goal_progress = 100 * (pl.col("now") - start) / (pl.col("value") - start)
    kind = pl.col("kind")
    out = out.with_columns(
        pl.when(reducing).then(achieved).otherwise(pl.col("now")).alias("reached"),
        pl.when(reducing)
        .then(100 * achieved / pl.col("required"))
        .when(kind == str(Kind.CAP))
        .then(100 * pl.col("now") / pl.col("value"))
        .otherwise(goal_progress)
        .alias("task_progress"),
        pl.when(reducing)
        .then(100 * achieved / pl.col("required"))
        .when(kind.is_in([str(Kind.VALUE), str(Kind.FLOOR)]))
        .then(goal_progress)
        .alias("completion_rate"),
        pl.when(reducing).then((pl.col("required") - achieved).clip(0, None)).alias("shortfall_pp"),
        pl.when(reducing)
        .then(achieved >= pl.col("required"))
        .when(kind == str(Kind.CAP))
        .then(pl.col("forecast") <= pl.col("value"))
        .otherwise(pl.col("now") >= pl.col("value"))
        .alias("met"),
    )
    return out.drop("_scale", "_ratio").collect()


# --- warning levels ---------------------------------------------------------------------------------


class Level(StrEnum):
    GREEN = "green"
    YELLOW = "yellow"
    ORANGE = "orange"
    RED = "red"


#: worse levels rank higher (a warning list sorts by it)
LEVEL_RANK = {Level.GREEN: 0, Level.YELLOW: 1, Level.ORANGE: 2, Level.RED: 3}


@dataclass(frozen=True)
class Band:
    """A band of a measure: ``level`` when the measure is above ``above`` (strictly) or at least
    ``at_least``; a band with neither bound catches the rest. Bands are tried in order."""

    level: Level
    at_least: float | None = None
    above: float | None = None


@dataclass(frozen=True)
class Checkpoint:
    """The bands that apply from ``months`` months of data on."""

    months: int
    bands: tuple[Band, ...]


RULE_KINDS = ("national", "shortfall_pp", "completion_rate")


@dataclass(frozen=True)
class WarningRule:
    """A warning rule (``reference/data/warnings/<id>.toml``).

    ``national``: red when the indicator moved the wrong way (intensity rose; a cap's forecast exceeds
    it), yellow when 任务进度 lags 时间进度, green otherwise. ``shortfall_pp``: bands of the shortfall in
    percentage points against the annual reduction, by checkpoint (months of data). ``completion_rate``:
    bands of the completion rate [%].
    """

    id: str
    version: str
    title: str
    source: str
    kind: str
    checkpoints: tuple[Checkpoint, ...] = ()
    labels: Mapping[str, str] = field(default_factory=dict)
    to_confirm: tuple[str, ...] = ()

    @property
    def ref(self) -> str:
        return f"{self.id}@{self.version}"

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> WarningRule:
        ident = str(data.get("id", "?"))
        try:
            kind = str(data["kind"])
            if kind not in RULE_KINDS:
                raise ReferenceDataError(table=ident, problem=f"kind {kind!r} is not one of {RULE_KINDS}")
            checkpoints = tuple(
                Checkpoint(
                    int(point.get("months", 0)),
                    tuple(
                        Band(
                            Level(band["level"]),
                            None if band.get("at_least") is None else float(band["at_least"]),
                            None if band.get("above") is None else float(band["above"]),
                        )
                        for band in point["bands"]
                    ),
                )
                for point in data.get("checkpoints", ())
            )
            rule = cls(
                id=ident,
                version=str(data["version"]),
                title=str(data.get("title", "")),
                source=str(data["source"]),
                kind=kind,
                checkpoints=tuple(sorted(checkpoints, key=lambda p: p.months)),
                labels={str(k): str(v) for k, v in data.get("labels", {}).items()},
                to_confirm=tuple(str(t) for t in data.get("to_confirm", ())),
            )
        except KeyError as exc:
            raise ReferenceDataError(table=ident, problem=f"the key “{exc.args[0]}” is missing") from exc
        except ValueError as exc:
            raise ReferenceDataError(table=ident, problem=str(exc)) from exc
        if kind != "national" and not rule.checkpoints:
            raise ReferenceDataError(table=ident, problem="a banded rule needs its checkpoints")
        for point in rule.checkpoints:
            if point.bands[-1].at_least is not None or point.bands[-1].above is not None:
                raise ReferenceDataError(
                    table=ident, problem=f"the last band at {point.months} months has a bound"
                )
        return rule


def _banded(measure: pl.Expr, bands: Sequence[Band]) -> pl.Expr:
    """The level of the first band whose bound the measure meets (tried in order); null for a null."""
    result = pl.lit(None, dtype=pl.String)
    for band in reversed(bands):
        if band.at_least is not None:
            cond = measure >= band.at_least
        elif band.above is not None:
            cond = measure > band.above
        else:
            cond = measure.is_not_null()
        result = pl.when(cond).then(pl.lit(str(band.level))).otherwise(result)
    return result


def _by_checkpoint(measure: pl.Expr, rule: WarningRule) -> pl.Expr:
    """The level from the bands of the latest checkpoint reached; null before the first."""
    result = pl.lit(None, dtype=pl.String)
    for point in rule.checkpoints:  # ascending: a later checkpoint wraps the earlier ones
        result = (
            pl.when(pl.col("months") >= point.months).then(_banded(measure, point.bands)).otherwise(result)
        )
    return result


def warn(progressed: pl.DataFrame, rule: WarningRule) -> pl.DataFrame:
    """Add ``warning`` (a :class:`Level`, null where the rule does not rate the target), ``warning_rank``
    and ``warning_rule`` (the rule's id@version) to the output of :func:`progress`."""
    kind = pl.col("kind")
    reducing = kind.is_in([str(Kind.REDUCTION), str(Kind.RANGE)])
    red, yellow, green = (pl.lit(str(level)) for level in (Level.RED, Level.YELLOW, Level.GREEN))
    if rule.kind == "national":
        wrong_way = (
            pl.when(reducing)
            .then(pl.col("change") > 0)
            .otherwise((kind == str(Kind.CAP)) & (pl.col("forecast") > pl.col("value")))
        )
        level = (
            pl.when(pl.col("now").is_null())
            .then(pl.lit(None, dtype=pl.String))
            .when(wrong_way)
            .then(red)
            .when(
                pl.when(kind == str(Kind.CAP))
                .then(pl.col("task_progress") > pl.col("time_progress"))
                .otherwise(pl.col("task_progress") < pl.col("time_progress"))
            )
            .then(yellow)
            .otherwise(green)
        )
    elif rule.kind == "shortfall_pp":
        level = pl.when(reducing).then(_by_checkpoint(pl.col("shortfall_pp"), rule))
    else:
        level = _by_checkpoint(pl.col("completion_rate"), rule)
    ranks = {str(k): v for k, v in LEVEL_RANK.items()}
    return progressed.with_columns(level.alias("warning")).with_columns(
        pl.col("warning").replace_strict(ranks, default=None, return_dtype=pl.Int8).alias("warning_rank"),
        pl.lit(rule.ref).alias("warning_rule"),
    )


def warning_list(warned: pl.DataFrame) -> pl.DataFrame:
    """The targets rated yellow or worse, worst first (then the largest shortfall, the least progress)."""
    return warned.filter(pl.col("warning_rank") >= 1).sort(
        ["warning_rank", "shortfall_pp", "task_progress"], descending=[True, True, False], nulls_last=True
    )
