"""Checks of an uploaded statistics form, before anything is stored: a report, never an exception.

A reader turns the uploaded file into a frame (one row per organisation and period, one column per
item of the form) and the service resolves the organisations against the directory. This module
checks that frame against the :class:`~jieneng.core.forms.Form`, against what is already stored
(:class:`Context`) and against thresholds kept as reference data (:class:`Checks`), and returns
:class:`~jieneng.core.problems.Problem` records (their ``item`` set, their ``column`` not: the
service knows the headers) sorted by row and code; the codes are declared in
:mod:`jieneng.core.problems.checks`:

* **blocking** findings (unknown organisation, negative value, period or item the form does not
  ask for, conflicting duplicate, overlapping frequencies, unknown 单位性质 code) prevent the
  submission;
* **advisory** findings (change on last year, a likely 万 mix-up, per-m² outlier against peers,
  missing months, identical duplicate row) are shown to the unit and to the reviewer.

Every check is a small vectorised function returning a frame of findings (``row``, ``code``,
``item``, ``value`` and one ``p_<name>`` column per parameter its declaration lists); they are
concatenated and turned into records at the end; a file of 200,000 rows is checked in under a second.
The core never translates: a record carries its declaration's English template (the gettext msgid)
whose ``%(name)s`` parameters are its ``params``; numbers in ``value`` and ``params`` are given as
text, ready to print.

Note on ``type_code``: the frame's ``type_code`` column is the organisation's 单位性质 from the
directory, except on a form that has a ``type_code`` item (``pi-basic``), where the column holds the
item as written and is checked against :attr:`Context.type_codes`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import polars as pl

from jieneng.core import credit_code
from jieneng.core.errors import ReferenceDataError
from jieneng.core.forms import FREQUENCIES, Form, Item
from jieneng.core.problems import Problem, problem_type

#: columns the reader and the service give, with their types; item columns follow
BASE_SCHEMA: dict[str, pl.DataType] = {
    "row": pl.Int32(),
    "org": pl.String(),
    "org_id": pl.Int64(),
    "type_code": pl.String(),
    "period": pl.String(),
    "frequency": pl.String(),
    "year": pl.Int16(),
    "quarter": pl.Int8(),
    "month": pl.Int8(),
}
#: period columns of ``history`` and ``existing``
PERIOD_SCHEMA: dict[str, pl.DataType] = {
    "org_id": pl.Int64(),
    "period": pl.String(),
    "frequency": pl.String(),
    "year": pl.Int16(),
    "quarter": pl.Int8(),
    "month": pl.Int8(),
}
AREA_SCHEMA: dict[str, pl.DataType] = {"org_id": pl.Int64(), "year": pl.Int16(), "area_m2": pl.Float64()}
PEER_SCHEMA: dict[str, pl.DataType] = {
    "type_code": pl.String(),
    "frequency": pl.String(),
    "item": pl.String(),
    "per_m2": pl.Float64(),
}

_I = "__i"  # position of the row in the uploaded frame: the join key inside this module
_FREQUENCY_CODES = {f: n for n, f in enumerate(FREQUENCIES)}
_STEPS = {"month": 12, "quarter": 4, "year": 1}  # periods in a year


@dataclass(frozen=True, eq=False)  # frames do not compare to a bool
class Context:
    """What is already known about the organisations of the file.

    ``history``: approved values (``org_id``, ``period``, ``frequency``, ``year``, ``quarter``,
    ``month`` and item columns); ``existing``: submissions of this form already stored, any status
    (the same period columns); ``areas``: ``org_id``, ``year``, ``area_m2``; ``peer_medians``:
    ``type_code``, ``frequency``, ``item``, ``per_m2``; ``type_codes``: the valid 单位性质 codes.
    Missing columns are read as empty.
    """

    today: date
    history: pl.DataFrame
    existing: pl.DataFrame
    areas: pl.DataFrame
    peer_medians: pl.DataFrame
    type_codes: frozenset[str]

    @classmethod
    def empty(cls, today: date, type_codes: Iterable[str] = ()) -> Context:
        """A context with nothing stored yet: the first upload of a new installation."""
        return cls(
            today,
            pl.DataFrame(schema=PERIOD_SCHEMA),
            pl.DataFrame(schema=PERIOD_SCHEMA),
            pl.DataFrame(schema=AREA_SCHEMA),
            pl.DataFrame(schema=PEER_SCHEMA),
            frozenset(type_codes),
        )


@dataclass(frozen=True)
class Checks:
    """Thresholds of the advisory checks, read from ``reference/data/validation/checks.toml``."""

    id: str
    version: str
    source: str
    yoy_ratio_high: float
    yoy_ratio_low: float
    ten_thousand_low: float
    ten_thousand_high: float
    per_m2_factor: float
    min_peers: int
    min_value_for_ratio: float
    #: the physical bound of a value by the unit its item is stored in (``validation/bounds.toml``)
    bounds: Mapping[str, float] = field(default_factory=dict)
    bounds_ref: str = ""
    #: energy type → (unit of its quantity, lowest and highest 元 per unit) (``validation/unit-prices.toml``)
    unit_prices: Mapping[str, tuple[str, float, float]] = field(default_factory=dict)
    unit_prices_ref: str = ""

    @property
    def ref(self) -> str:
        """``id@version`` (and ``+bounds@version+unit-prices@version``): recorded with every import the
        checks were run on."""
        return "+".join(r for r in (f"{self.id}@{self.version}", self.bounds_ref, self.unit_prices_ref) if r)

    def with_unit_prices(self, data: Mapping[str, Any]) -> Checks:
        """These checks with the price ranges of the parsed ``unit-prices.toml``; a range that is not
        0 < low < high, or a row without its unit, raises."""
        table = str(data.get("id") or "unit-prices")
        for key in ("id", "version", "source"):
            if not data.get(key):
                raise ReferenceDataError(table=table, problem=f"the key “{key}” is missing")
        rows = data.get("price")
        if not isinstance(rows, Mapping) or not rows:
            raise ReferenceDataError(table=table, problem="the table “price” is missing")
        prices: dict[str, tuple[str, float, float]] = {}
        for energy, row in rows.items():
            low, high = (row.get(k) if isinstance(row, Mapping) else None for k in ("low", "high"))
            numbers = all(isinstance(x, int | float) and not isinstance(x, bool) for x in (low, high))
            if not numbers or not 0 < float(low) < float(high) < float("inf"):  # type: ignore[arg-type]
                raise ReferenceDataError(table=table, problem=f"“{energy}” needs 0 < low < high")
            if not isinstance(row.get("unit"), str) or not row["unit"]:
                raise ReferenceDataError(table=table, problem=f"“{energy}” needs the unit of its quantity")
            prices[str(energy)] = (row["unit"], float(low), float(high))  # type: ignore[arg-type]
        values = {k: getattr(self, k) for k in self.__dataclass_fields__}
        values.update(unit_prices=prices, unit_prices_ref=f"{data['id']}@{data['version']}")
        return Checks(**values)

    def with_bounds(self, data: Mapping[str, Any]) -> Checks:
        """These checks with the bounds of the parsed ``bounds.toml``; a bound that is not a positive
        finite number raises."""
        table = str(data.get("id") or "bounds")
        for key in ("id", "version", "source"):
            if not data.get(key):
                raise ReferenceDataError(table=table, problem=f"the key “{key}” is missing")
        maximum = data.get("maximum")
        if not isinstance(maximum, Mapping) or not maximum:
            raise ReferenceDataError(table=table, problem="the table “maximum” is missing")
        bounds: dict[str, float] = {}
        for unit, bound in maximum.items():
            if isinstance(bound, bool) or not isinstance(bound, int | float) or not 0 < bound < float("inf"):
                raise ReferenceDataError(
                    table=table, problem=f"the bound of “{unit}” must be a positive number"
                )
            bounds[str(unit)] = float(bound)
        values = {k: getattr(self, k) for k in self.__dataclass_fields__}
        values.update(bounds=bounds, bounds_ref=f"{data['id']}@{data['version']}")
        return Checks(**values)

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> Checks:
        """Build from the parsed TOML; a missing key or an impossible threshold raises."""
        table = str(data.get("id") or "checks")
        values: dict[str, Any] = {}
        for key in ("id", "version", "source"):
            if not data.get(key):
                raise ReferenceDataError(table=table, problem=f"the key “{key}” is missing")
            values[key] = str(data[key])
        for key in (
            "yoy_ratio_high",
            "yoy_ratio_low",
            "ten_thousand_low",
            "ten_thousand_high",
            "per_m2_factor",
            "min_value_for_ratio",
        ):
            if not isinstance(data.get(key), int | float) or isinstance(data.get(key), bool):
                raise ReferenceDataError(table=table, problem=f"the key “{key}” must be a number")
            values[key] = float(data[key])
        if not isinstance(data.get("min_peers"), int) or data["min_peers"] < 1:
            raise ReferenceDataError(table=table, problem="the key “min_peers” must be a positive integer")
        values["min_peers"] = int(data["min_peers"])
        checks = cls(**values)
        if not 0 <= checks.yoy_ratio_low < 1 < checks.yoy_ratio_high:
            raise ReferenceDataError(table=table, problem="yoy_ratio_low < 1 < yoy_ratio_high is required")
        if not 1 < checks.ten_thousand_low < checks.ten_thousand_high:
            raise ReferenceDataError(
                table=table, problem="1 < ten_thousand_low < ten_thousand_high is required"
            )
        if not checks.per_m2_factor > 1 or checks.min_value_for_ratio < 0:
            raise ReferenceDataError(
                table=table, problem="per_m2_factor > 1 and min_value_for_ratio ≥ 0 required"
            )
        return checks


# --- public functions --------------------------------------------------------------------------


def editions(rows: pl.DataFrame, form: Form) -> pl.DataFrame:
    """Add an ``edition`` column: the :attr:`Edition.ref` in force in the row's year, null if none."""
    return rows.with_columns(_edition_expr(form))


def has_values(rows: pl.DataFrame, form: Form) -> pl.Expr:
    """True for the rows with a value for at least one item of ``form`` (the others are left out)."""
    present = [code for code in rows.columns if code in form.items]
    return pl.any_horizontal(pl.col(code).is_not_null() for code in present) if present else pl.lit(False)


def drop_identical_duplicates(rows: pl.DataFrame) -> pl.DataFrame:
    """The frame without the later rows that repeat an earlier row of the same (org, period) exactly.

    These are the rows :func:`validate` reports as ``duplicate_row``; only the first is stored.
    """
    frame = _conform(rows).with_row_index(_I)
    repeated = _duplicates(frame).filter(pl.col("same"))
    keep = ~pl.int_range(pl.len()).is_in(repeated[_I].implode())
    return rows.filter(keep)


def validate(rows: pl.DataFrame, form: Form, context: Context, checks: Checks) -> list[Problem]:
    """Check an uploaded frame against the form, the stored context and the thresholds.

    Returns the findings sorted by row, then code (then item); never raises on a frame of the
    documented schema, whatever its values (empty, all null, missing item columns, zero areas).
    """
    frame = _edition_frame(rows, form)
    present = [form.items[c] for c in frame.columns if c in form.items]
    numeric = [i for i in present if i.numeric]
    impossible = [_not_finite(frame, numeric), _beyond_bounds(frame, numeric, checks)]
    # an impossible value is refused above; the other checks see it as absent
    frame = frame.with_columns(_possible(i, checks).alias(i.code) for i in numeric)
    known = frame.filter(pl.col("org_id").is_not_null())
    duplicates = _duplicates(frame)
    # rows that repeat an earlier one are dropped by the service: advise on the first one only
    known_unique = known.filter(~pl.col(_I).is_in(duplicates.filter(pl.col("same"))[_I].implode()))
    history = _keyed(_conform_context(context.history, PERIOD_SCHEMA, [i.code for i in numeric]))
    existing = _conform_context(context.existing, PERIOD_SCHEMA, [])
    keyed = _keyed(known_unique)
    parts = [
        _unknown_organisation(frame),
        _no_values(frame, present),
        *impossible,
        _negative(frame, numeric),
        _period_outside_form(frame, form, context.today),
        _item_not_in_edition(frame, form, present),
        _duplicate_findings(duplicates),
        _period_overlap(known, existing),
        _unknown_type_code(frame, form, context.type_codes),
        _last_year_checks(keyed, history, {i.code: i for i in numeric}, checks),
        _per_m2_outliers(keyed, context, {i.code: i for i in numeric if i.kind == "quantity"}, checks),
        _unit_prices(known_unique, present, checks),
        _missing_months(known_unique, existing),
    ]
    return _to_findings(parts)


# --- preparation -------------------------------------------------------------------------------


def _edition_expr(form: Form) -> pl.Expr:
    expr = pl.lit(None, dtype=pl.String)
    year = pl.col("year").cast(pl.Int32)
    for edition in reversed(form.editions):
        covers = year >= edition.first_year
        if edition.last_year is not None:
            covers = covers & (year <= edition.last_year)
        expr = pl.when(covers).then(pl.lit(edition.ref)).otherwise(expr)
    return expr.alias("edition")


def _conform(rows: pl.DataFrame) -> pl.DataFrame:
    """The base columns with their documented types, added as null where missing."""
    return rows.with_columns(
        (pl.col(name).cast(dtype, strict=False) if name in rows.columns else pl.lit(None, dtype=dtype)).alias(
            name
        )
        for name, dtype in BASE_SCHEMA.items()
    )


def _edition_frame(rows: pl.DataFrame, form: Form) -> pl.DataFrame:
    """Conformed rows with the row position, the edition, item columns typed as the form says."""
    frame = _conform(rows)
    typed = [
        pl.col(code).cast(pl.Float64, strict=False)
        if form.items[code].numeric
        else pl.col(code).cast(pl.String, strict=False)
        for code in frame.columns
        if code in form.items
    ]
    return frame.with_columns(typed).with_columns(_edition_expr(form)).with_row_index(_I)


def _conform_context(
    frame: pl.DataFrame, schema: Mapping[str, pl.DataType], items: list[str]
) -> pl.DataFrame:
    """A context frame with the given columns typed, missing ones null, NaN read as null; other
    columns dropped."""
    columns = [
        (
            pl.col(name).cast(dtype, strict=False) if name in frame.columns else pl.lit(None, dtype=dtype)
        ).alias(name)
        for name, dtype in schema.items()
    ]
    columns += [
        (
            pl.col(c).cast(pl.Float64, strict=False).fill_nan(None)
            if c in frame.columns
            else pl.lit(None, pl.Float64)
        ).alias(c)
        for c in items
    ]
    return frame.select(columns)


def _period_key(year: pl.Expr) -> pl.Expr:
    """``2025-03``, ``2025Q1`` or ``2025`` from the period columns, with ``year`` given."""
    text = year.cast(pl.String)
    frequency = pl.col("frequency")
    return (
        pl.when(frequency == "month")
        .then(pl.format("{}-{}", text, pl.col("month").cast(pl.String).str.zfill(2)))
        .when(frequency == "quarter")
        .then(pl.format("{}Q{}", text, pl.col("quarter")))
        .when(frequency == "year")
        .then(text)
    )


def _num(expr: pl.Expr) -> pl.Expr:
    """A number as text: 12 significant digits, no trailing ``.0``."""
    return expr.round_sig_figs(12).cast(pl.String).str.strip_suffix(".0")


def _short(expr: pl.Expr) -> pl.Expr:
    """A ratio as text: 2 decimals, or 2 significant digits below 1."""
    return _num(pl.when(expr.abs() >= 1).then(expr.round(2)).otherwise(expr.round_sig_figs(2)))


def _labels(item: Item) -> dict[str, str]:
    return {"label": item.code, "item_zh": item.zh, "item_en": item.en}


def _emit(
    frame: pl.DataFrame, code: str, item: pl.Expr | str | None, value: pl.Expr | None, /, **params: Any
) -> pl.DataFrame:
    """The findings frame of ``code`` for every row of ``frame``; constants are broadcast."""

    def expr(x: Any) -> pl.Expr:
        return (
            x
            if isinstance(x, pl.Expr)
            else pl.lit(x, dtype=pl.String if x is None or isinstance(x, str) else None)
        )

    assert set(params) == set(problem_type(code).params), code
    if frame.is_empty():
        return _none()
    return frame.select(
        pl.col("row").cast(pl.Int64),
        pl.lit(code).alias("code"),
        expr(item).cast(pl.String).alias("item"),
        expr(value).cast(pl.String).alias("value"),
        *(expr(v).alias(f"p_{k}") for k, v in params.items()),
    )


# --- blocking checks ---------------------------------------------------------------------------


def _unknown_organisation(frame: pl.DataFrame) -> pl.DataFrame:
    """Rows whose organisation was not found in the directory."""
    org = pl.col("org").fill_null("")
    unknown = frame.filter(pl.col("org_id").is_null())
    expected = org.map_elements(_mistyped_check, return_dtype=pl.String)
    unknown = unknown.with_columns(expected.alias("__expected"))
    mistyped = unknown.filter(pl.col("__expected").is_not_null())
    return _concat(
        [
            _emit(
                unknown.filter(pl.col("__expected").is_null()), "unknown_organisation", "org", org, org=org
            ),
            _emit(
                mistyped,
                "mistyped_credit_code",
                "org",
                org,
                org=org,
                found=org.map_elements(lambda t: credit_code.normalise(t)[-1:], return_dtype=pl.String),
                expected=pl.col("__expected"),
            ),
        ]
    )


def _mistyped_check(text: str) -> str | None:
    """The right check character of a credit code whose only fault is its check character, else None."""
    found = credit_code.problem(credit_code.normalise(text))
    return found.params["expected"] if isinstance(found, credit_code.CreditCodeWrongCheck) else None


def _no_values(frame: pl.DataFrame, present: list[Item]) -> pl.DataFrame:
    """Rows without any value are left out (advisory); a frame with rows but no value at all is
    refused (blocking ``no_data``, on its first row), as the online form refuses "no data"."""
    empty = (
        ~pl.any_horizontal(
            pl.col(i.code).is_not_null() & (pl.col(i.code).is_finite() if i.numeric else pl.lit(True))
            for i in present
        )
        if present
        else pl.lit(True)
    )
    blank = frame.filter(empty)
    if frame.is_empty() or blank.is_empty():
        return _none()
    if len(blank) == len(frame):
        return _concat([_emit(frame.head(1), "no_data", None, None)])
    org, period = pl.col("org").fill_null(""), pl.col("period").fill_null("")
    return _concat([_emit(blank, "empty_row", None, None, org=org, period=period)])


def _possible(item: Item, checks: Checks) -> pl.Expr:
    """The item's column with the non-finite values and those beyond the item's bound as null."""
    value = pl.col(item.code)
    bound = checks.bounds.get(item.unit)
    keep = value.is_finite() if bound is None else value.is_finite() & (value.abs() <= bound)
    return pl.when(keep).then(value)


def _not_finite(frame: pl.DataFrame, numeric: list[Item]) -> pl.DataFrame:
    """One finding per numeric cell that is NaN or infinite: it can never be stored or summed."""
    return _concat(
        _emit(
            frame.filter(pl.col(i.code).is_not_null() & ~pl.col(i.code).is_finite()),
            "not_finite",
            i.code,
            pl.col(i.code).cast(pl.String),
            **_labels(i),
            value=pl.col(i.code).cast(pl.String),
        )
        for i in numeric
    )


def _beyond_bounds(frame: pl.DataFrame, numeric: list[Item], checks: Checks) -> pl.DataFrame:
    """One finding per finite numeric cell whose size is above the physical bound of its unit."""
    parts = []
    for item in numeric:
        bound = checks.bounds.get(item.unit)
        if bound is None:
            continue
        value = pl.col(item.code)
        parts.append(
            _emit(
                frame.filter(value.is_finite() & (value.abs() > bound)),
                "beyond_bounds",
                item.code,
                _num(value),
                **_labels(item),
                value=_num(value),
                unit=item.unit,
                maximum=_num(pl.lit(bound)),
                bounds=checks.bounds_ref,
            )
        )
    return _concat(parts)


def _negative(frame: pl.DataFrame, numeric: list[Item]) -> pl.DataFrame:
    """One finding per numeric cell below zero: no consumption, cost or fact is negative."""
    return _concat(
        _emit(
            frame.filter(pl.col(i.code) < 0),
            "negative_quantity",
            i.code,
            _num(pl.col(i.code)),
            **_labels(i),
            value=_num(pl.col(i.code)),
        )
        for i in numeric
    )


def _period_outside_form(frame: pl.DataFrame, form: Form, today: date) -> pl.DataFrame:
    """Rows of a year no edition covers, of a frequency the edition does not take, or in the future.

    A period is in the future when it starts after the current month (``2025Q2`` is accepted from
    April 2025; the year 2025 from January 2025).
    """
    allowed = pl.lit(False)
    frequencies = pl.lit(", ".join(f for f in FREQUENCIES if any(f in e.frequencies for e in form.editions)))
    for edition in form.editions:
        is_it = pl.col("edition") == edition.ref
        allowed = pl.when(is_it).then(pl.col("frequency").is_in(list(edition.frequencies))).otherwise(allowed)
        frequencies = pl.when(is_it).then(pl.lit(", ".join(edition.frequencies))).otherwise(frequencies)
    frequency = pl.col("frequency")
    start_month = (
        pl.when(frequency == "month")
        .then(pl.col("month").cast(pl.Int32))
        .when(frequency == "quarter")
        .then((pl.col("quarter").cast(pl.Int32) - 1) * 3 + 1)
        .otherwise(1)
    )
    start = pl.col("year").cast(pl.Int32) * 12 + start_month - 1
    reason = (
        pl.when(pl.col("edition").is_null())
        .then(pl.lit("year"))
        .when(~allowed.fill_null(False))
        .then(pl.lit("frequency"))
        .when(start > today.year * 12 + today.month - 1)
        .then(pl.lit("future"))
    )
    bad = frame.with_columns(reason.alias("reason"), frequencies.alias("frequencies")).filter(
        pl.col("reason").is_not_null()
    )
    period = pl.col("period").fill_null("")
    return _emit(
        bad,
        "period_outside_form",
        "period",
        pl.col("period"),
        period=period,
        reason=pl.col("reason"),
        form=form.zh,
        years=form.years,
        frequencies=pl.col("frequencies"),
        latest=f"{today.year}-{today.month:02d}",
    )


def _item_not_in_edition(frame: pl.DataFrame, form: Form, present: list[Item]) -> pl.DataFrame:
    """Values given for an item the row's edition does not ask for (太阳能光电系统发电量 in 2019)."""
    years = pl.col("edition").replace_strict(
        {e.ref: e.years for e in form.editions}, default=None, return_dtype=pl.String
    )
    parts = []
    for item in present:
        lacking = [e.ref for e in form.editions if item.code not in e.items]
        if not lacking:
            continue
        value = _num(pl.col(item.code)) if item.numeric else pl.col(item.code)
        bad = frame.filter(pl.col("edition").is_in(lacking) & pl.col(item.code).is_not_null())
        parts.append(
            _emit(
                bad,
                "item_not_in_edition",
                item.code,
                value,
                **_labels(item),
                value=value,
                edition=pl.col("edition"),
                years=years,
            )
        )
    return _concat(parts)


def _duplicates(frame: pl.DataFrame) -> pl.DataFrame:
    """Later rows of an (org, period) seen before: ``__i``, ``row``, ``org``, ``period``, ``first``
    (the first row's number) and ``same`` (all values equal to the first row's, nulls equal).

    Values are every column but the row number, the organisation as written and the period
    columns; rows of unknown organisations are left out (they are refused anyway).
    """
    key = ["org_id", "period"]
    ignored = {_I, "row", "org", "edition", *key, "frequency", "year", "quarter", "month"}
    values = [c for c in frame.columns if c not in ignored]
    known = frame.filter(pl.col("org_id").is_not_null() & pl.col("period").is_not_null())
    repeated = known.filter(pl.len().over(key) > 1)
    schema = {
        _I: pl.UInt32(),
        "row": pl.Int32(),
        "org": pl.String(),
        "period": pl.String(),
        "first": pl.Int32(),
    }
    if repeated.is_empty():
        return pl.DataFrame(schema={**schema, "same": pl.Boolean()})
    repeated = repeated.sort(_I)
    firsts = repeated.group_by(key, maintain_order=True).first().select(*key, _I, "row", *values)
    joined = repeated.join(firsts, on=key, suffix="__first", maintain_order="left").filter(
        pl.col(_I) != pl.col(f"{_I}__first")
    )
    same = pl.all_horizontal(pl.lit(True), *(pl.col(c).eq_missing(pl.col(f"{c}__first")) for c in values))
    return joined.select(
        _I,
        "row",
        pl.col("org").fill_null(""),
        "period",
        pl.col("row__first").alias("first"),
        same.alias("same"),
    ).sort(_I)


def _duplicate_findings(duplicates: pl.DataFrame) -> pl.DataFrame:
    """``conflicting_duplicate`` (blocking) or ``duplicate_row`` (advisory) on each later row."""

    def emit(part: pl.DataFrame, code: str) -> pl.DataFrame:
        return _emit(
            part,
            code,
            None,
            pl.col("period"),
            org=pl.col("org"),
            period=pl.col("period"),
            first=pl.col("first").cast(pl.Int64),
        )

    return _concat(
        [
            emit(duplicates.filter(~pl.col("same")), "conflicting_duplicate"),
            emit(duplicates.filter(pl.col("same")), "duplicate_row"),
        ]
    )


def _period_overlap(known: pl.DataFrame, existing: pl.DataFrame) -> pl.DataFrame:
    """Rows whose organisation has, in the same year, periods of another frequency in the file or
    stored: months with quarters or the year, quarters with the year; totals would count twice."""
    cols = ["org_id", "year", "frequency", "period"]
    valid = pl.col("frequency").is_in(list(FREQUENCIES)) & pl.col("year").is_not_null()
    mine = known.filter(valid & pl.col("period").is_not_null())
    pool = pl.concat(
        [mine.select(cols), existing.filter(valid & pl.col("period").is_not_null()).select(cols)]
    )
    others = pool.group_by("org_id", "year", "frequency").agg(pl.col("period").min().alias("other"))
    clashes = (
        mine.join(others, on=["org_id", "year"], suffix="__other")
        .filter(pl.col("frequency") != pl.col("frequency__other"))
        .sort(_I, "other")
        .unique(_I, keep="first", maintain_order=True)
    )
    return _emit(
        clashes,
        "period_overlap",
        "period",
        pl.col("period"),
        period=pl.col("period"),
        other=pl.col("other"),
        year=pl.col("year").cast(pl.String),
    )


def _unknown_type_code(frame: pl.DataFrame, form: Form, codes: frozenset[str]) -> pl.DataFrame:
    """The 单位性质 item, when the form has it, must be one of the valid codes."""
    item = form.items.get("type_code")
    if item is None or "type_code" not in frame.columns:
        return _none()
    bad = frame.filter(pl.col("type_code").is_not_null() & ~pl.col("type_code").is_in(sorted(codes)))
    value = pl.col("type_code")
    return _emit(
        bad,
        "unknown_type_code",
        "type_code",
        value,
        **_labels(item),
        value=value,
        codes=", ".join(sorted(codes)),
    )


# --- advisory checks ---------------------------------------------------------------------------


def _keyed(frame: pl.DataFrame) -> pl.DataFrame:
    """Rows of a known organisation and a well-formed period, with integer keys that keep the joins
    fast: ``g`` (organisation and frequency), ``k`` (``g`` and the period, months and quarters
    counted from year 0) and ``last_k`` (the same period a year earlier).

    Organisation ids are database keys: ids outside [0, 2⁴⁰) and years outside 1–9999 are left out.
    """
    year = pl.col("year").cast(pl.Int64)
    month, quarter = pl.col("month").cast(pl.Int64), pl.col("quarter").cast(pl.Int64)
    frequency = pl.col("frequency")
    pidx = (
        pl.when((frequency == "month") & month.is_between(1, 12))
        .then(year * 12 + month - 1)
        .when((frequency == "quarter") & quarter.is_between(1, 4))
        .then(year * 4 + quarter - 1)
        .when(frequency == "year")
        .then(year)
    )
    code = frequency.replace_strict(_FREQUENCY_CODES, default=None, return_dtype=pl.Int64)
    step = frequency.replace_strict(_STEPS, default=None, return_dtype=pl.Int64)
    valid = pl.col("org_id").is_between(0, 2**40 - 1) & year.is_between(1, 9999)
    return (
        frame.filter(valid)
        .with_columns((pl.col("org_id") * 4 + code).alias("g"), pidx.alias("pidx"), step.alias("step"))
        .filter(pl.col("g").is_not_null() & pl.col("pidx").is_not_null())
        .with_columns((pl.col("g") * 2**20 + pl.col("pidx")).alias("k"))
        .with_columns((pl.col("k") - pl.col("step")).alias("last_k"))
    )


def _last_year(rows: pl.DataFrame, periods: pl.DataFrame, codes: list[str]) -> pl.DataFrame:
    """``rows`` with ``last__<item>``: the same period a year earlier in :func:`_periods`."""
    renamed = periods.select("k", *(pl.col(c).alias(f"last__{c}") for c in codes))
    return rows.join(renamed, left_on="last_k", right_on="k", how="left", maintain_order="left")


def _periods(rows: pl.DataFrame, history: pl.DataFrame, codes: list[str]) -> pl.DataFrame:
    """One row per organisation, frequency and period (``g``, ``k`` and the items) from the file
    (which may hold both years), then from ``history`` for periods the file does not hold: a
    stored period the file holds again is replaced by it."""
    own = rows.select("g", "k", *codes).filter(pl.col("k").is_first_distinct())
    past = history.select("g", "k", *codes).join(own, on="k", how="anti")
    return pl.concat([own, past.filter(pl.col("k").is_first_distinct())])


def _own_medians(periods: pl.DataFrame, codes: list[str]) -> pl.DataFrame:
    """Per organisation and frequency (``g``), for each item: ``n__<item>``, ``sum__<item>`` and
    ``median__<item>`` of the organisation's positive values of :func:`_periods`.

    The median is taken on a log scale (an even count gives the geometric mean of the two middle
    values), so that one value 10,000 times off does not pull it halfway; :func:`_reference` leaves
    the cell itself out.
    """
    positive = (
        periods.select("g", *(pl.when(pl.col(c) > 0).then(pl.col(c)).alias(c) for c in codes))
        .with_columns(pl.col(c).log().alias(f"log__{c}") for c in codes)
        .sort("g")  # sorted groups are contiguous slices: twice as fast to aggregate
    )
    return positive.group_by("g", maintain_order=True).agg(
        *(pl.col(c).count().alias(f"n__{c}") for c in codes),
        *(pl.col(c).sum().alias(f"sum__{c}") for c in codes),
        *(pl.col(f"log__{c}").median().exp().alias(f"median__{c}") for c in codes),
    )


def _reference(code: str, minimum: float) -> pl.Expr:
    """The 万 reference of a cell: last year's value when usable, else the median of the
    organisation's other positive values (with one other, that value; with two or more others,
    the median of all, which the cell, if 10,000 times off, does not move)."""
    value, last, n = pl.col(code), pl.col(f"last__{code}"), pl.col(f"n__{code}")
    others = pl.when(n == 2).then(pl.col(f"sum__{code}") - value).when(n >= 3).then(pl.col(f"median__{code}"))
    return pl.when(last.abs() >= minimum).then(last).otherwise(others)


def _last_year_checks(
    rows: pl.DataFrame, history: pl.DataFrame, numeric: Mapping[str, Item], checks: Checks
) -> pl.DataFrame:
    """``ten_thousand_off`` for numeric cells, ``yoy_change`` for quantities (not both on a cell).

    ``yoy_change``: ``|value / last year|`` outside [``yoy_ratio_low``, ``yoy_ratio_high``].
    ``ten_thousand_off``: ``value / reference`` or its inverse in [``ten_thousand_low``,
    ``ten_thousand_high``]; see :func:`_reference`. References below ``min_value_for_ratio``
    give no ratio.
    """
    codes = list(numeric)
    if rows.is_empty() or not codes:
        return _none()
    minimum = checks.min_value_for_ratio
    periods = _periods(rows, history, codes)
    frame = _last_year(rows, periods, codes)
    needs_median = pl.any_horizontal(
        ((pl.col(c) > 0) & ~(pl.col(f"last__{c}").abs() >= minimum).fill_null(False)) for c in codes
    )
    wanted = frame.filter(needs_median).select("g").unique()
    frame = frame.join(
        _own_medians(periods.join(wanted, on="g", how="semi"), codes),
        on="g",
        how="left",
        maintain_order="left",
    )
    low, high = checks.ten_thousand_low, checks.ten_thousand_high
    flags = []
    for code, item in numeric.items():
        value, last, ref = pl.col(code), pl.col(f"last__{code}"), _reference(code, minimum)
        off = (
            (value > 0)
            & (ref >= minimum)
            & ((value / ref).is_between(low, high) | (ref / value).is_between(low, high))
        )
        off = off.fill_null(False)
        moved = (last.abs() >= minimum) & ~(value / last).abs().is_between(
            checks.yoy_ratio_low, checks.yoy_ratio_high
        )
        # a negative value is refused anyway (negative_quantity): no advice on it
        moved = (moved & (value >= 0)).fill_null(False) & ~off & (item.kind == "quantity")
        flags += [off.alias(f"off__{code}"), moved.alias(f"moved__{code}"), ref.alias(f"ref__{code}")]
    # lazily, so that the ratios shared by the flags are computed once
    frame = (
        frame.lazy()
        .with_columns(flags)
        .filter(pl.any_horizontal(pl.col(f"{flag}__{c}") for c in codes for flag in ("off", "moved")))
        .collect()
    )
    last_period = _period_key(pl.col("year") - 1)
    parts = []
    for code, item in numeric.items():
        value, last, ref = pl.col(code), pl.col(f"last__{code}"), pl.col(f"ref__{code}")
        up, down = value / ref, ref / value
        ratio = pl.when(up >= 1).then(_num(up.round(0))).otherwise(pl.format("1/{}", _num(down.round(0))))
        parts.append(
            _emit(
                frame.filter(pl.col(f"off__{code}")),
                "ten_thousand_off",
                code,
                _num(value),
                **_labels(item),
                value=_num(value),
                reference=_num(ref),
                ratio=ratio,
            )
        )
        percent = (value / last - 1) * 100
        sign = pl.when(percent > 0).then(pl.lit("+")).otherwise(pl.lit(""))
        parts.append(
            _emit(
                frame.filter(pl.col(f"moved__{code}")),
                "yoy_change",
                code,
                _num(value),
                **_labels(item),
                value=_num(value),
                last=_num(last),
                last_period=last_period,
                change=pl.format("{}{}", sign, percent.round(1)),
            )
        )
    return _concat(parts)


def _areas(rows: pl.DataFrame, areas: pl.DataFrame) -> pl.DataFrame:
    """``org_id``, ``year``, ``area_m2``: the latest positive area of a year up to the row's year."""
    wanted = rows.select("org_id", "year").drop_nulls().unique().sort("year")
    usable = (
        _conform_context(areas, AREA_SCHEMA, [])
        .filter(pl.col("org_id").is_not_null() & pl.col("year").is_not_null() & (pl.col("area_m2") > 0))
        .sort("year")
    )
    return wanted.join_asof(
        usable, on="year", by="org_id", strategy="backward", check_sortedness=False
    ).filter(pl.col("area_m2").is_not_null())


def _stored_medians(peer_medians: pl.DataFrame, codes: list[str]) -> pl.DataFrame:
    """``type_code``, ``frequency`` and ``stored__<item>``: the stored peer medians, one column per item."""
    stored = _conform_context(peer_medians, PEER_SCHEMA, [])
    return stored.group_by("type_code", "frequency").agg(
        pl.col("per_m2").filter(pl.col("item") == c).first().alias(f"stored__{c}") for c in codes
    )


def _per_m2_outliers(
    rows: pl.DataFrame, context: Context, quantities: Mapping[str, Item], checks: Checks
) -> pl.DataFrame:
    """Quantities per m² outside [median / factor, median × factor] of the peers of the same 单位性质.

    The median is the file's own, by type, item and period, when the file has at least
    ``min_peers`` values of that type for them; otherwise the stored median by type, frequency and
    item. Rows without a positive building area, or without a type, and negative values (refused
    anyway) are not compared.
    """
    codes = list(quantities)
    rows = rows.filter(pl.col("type_code").is_not_null())
    if rows.is_empty() or not codes:
        return _none()
    frame = rows.join(_areas(rows, context.areas), on=["org_id", "year"], maintain_order="left")
    # a negative value is refused anyway (negative_quantity): neither a peer nor advised on
    frame = frame.with_columns(
        pl.when(pl.col(c) >= 0).then(pl.col(c) / pl.col("area_m2")).alias(f"pm2__{c}") for c in codes
    )
    group = ["type_code", "frequency", "pidx"]
    own = frame.group_by(group).agg(
        *(pl.col(f"pm2__{c}").median().alias(f"own__{c}") for c in codes),
        *(pl.col(f"pm2__{c}").count().alias(f"peers__{c}") for c in codes),
    )
    frame = frame.join(own, on=group, how="left", maintain_order="left").join(
        _stored_medians(context.peer_medians, codes),
        on=["type_code", "frequency"],
        how="left",
        maintain_order="left",
    )
    factor = checks.per_m2_factor
    medians, flags = [], []
    for code in codes:
        median = pl.when(pl.col(f"peers__{code}") >= checks.min_peers).then(pl.col(f"own__{code}"))
        medians.append(median.otherwise(pl.col(f"stored__{code}")).alias(f"median__{code}"))
        per, med = pl.col(f"pm2__{code}"), pl.col(f"median__{code}")
        flags.append(
            ((med > 0) & ((per > med * factor) | (per < med / factor))).fill_null(False).alias(f"out__{code}")
        )
    frame = (
        frame.with_columns(medians)
        .with_columns(flags)
        .filter(pl.any_horizontal(pl.col(f"out__{c}") for c in codes))
    )
    return _concat(
        [
            _emit(
                frame.filter(pl.col(f"out__{code}")),
                "per_m2_outlier",
                code,
                _num(pl.col(code)),
                **_labels(item),
                value=_num(pl.col(code)),
                unit=item.unit,
                per_m2=_short(pl.col(f"pm2__{code}")),
                median=_short(pl.col(f"median__{code}")),
                type_code=pl.col("type_code"),
                area_m2=_num(pl.col("area_m2")),
            )
            for code, item in quantities.items()
        ]
    )


def _unit_prices(frame: pl.DataFrame, present: list[Item], checks: Checks) -> pl.DataFrame:
    """Cost ÷ quantity of each energy type outside its plausible range (``unit_price_outlier``).

    Compared only where both are positive and the quantity is stored in the unit the range is for;
    a quantity or cost too small for a meaningful price (below ``min_value_for_ratio``) is skipped.
    """
    codes = {i.code for i in present}
    costs = {i.energy: i for i in present if i.kind == "cost" and i.energy}
    parts = []
    for item in present:
        priced = checks.unit_prices.get(item.energy or "")
        cost = costs.get(item.energy or "") if item.kind == "quantity" else None
        if priced is None or cost is None or priced[0] != item.unit or cost.code not in codes:
            continue
        unit, low, high = priced
        quantity, paid = pl.col(item.code), pl.col(cost.code)
        price = paid / quantity
        least = checks.min_value_for_ratio
        out = frame.filter(
            (quantity >= least) & (paid >= least) & ((price < low) | (price > high)).fill_null(False)
        )
        parts.append(
            _emit(
                out,
                "unit_price_outlier",
                item.code,
                _num(quantity),
                **_labels(item),
                value=_num(quantity),
                cost=_num(paid),
                price=_short(price),
                unit=unit,
                low=_num(pl.lit(low)),
                high=_num(pl.lit(high)),
            )
        )
    return _concat(parts)


def _missing_months(known: pl.DataFrame, existing: pl.DataFrame) -> pl.DataFrame:
    """For an organisation and year reported by month, the months before the latest one (in the
    file or stored) found in neither; one finding on the file's row of its latest month.

    Months present are kept as bits of one integer per organisation and year (bit ``m`` for month
    ``m``), so that no list is built.
    """
    monthly = (
        (pl.col("frequency") == "month") & pl.col("month").is_between(1, 12) & pl.col("year").is_not_null()
    )
    group = ["org_id", "year"]
    mine = known.filter(monthly)
    if mine.is_empty():
        return _none()
    bits = (2 ** pl.col("month").cast(pl.Int32)).cast(pl.Int32).alias("bit")
    stored = existing.filter(monthly).join(mine.select(group).unique(), on=group, how="semi")
    pool = pl.concat([mine.select(*group, bits), stored.select(*group, bits)])
    present = pool.group_by(group).agg(
        pl.col("bit").bitwise_or().alias("bits"), pl.col("bit").max().alias("latest")
    )
    # bits 1 … latest-1 that are not present
    missing = present.with_columns(((pl.col("latest") - 2) & ~pl.col("bits")).alias("missing")).filter(
        pl.col("missing") != 0
    )
    if missing.is_empty():
        return _none()
    months = pl.concat_str(
        [pl.when((pl.col("missing") & 2**m) != 0).then(pl.lit(str(m))) for m in range(1, 13)],
        separator=", ",
        ignore_nulls=True,
    )
    target = (
        mine.join(missing.select(group), on=group, how="semi")
        .sort(["month", _I], descending=[True, False])
        .unique(group, keep="first")
    )
    frame = target.join(missing.with_columns(months.alias("months")), on=group)
    return _emit(
        frame,
        "missing_month",
        "period",
        pl.col("period"),
        period=pl.col("period").fill_null(""),
        year=pl.col("year").cast(pl.String),
        months=pl.col("months"),
    )


# --- findings ----------------------------------------------------------------------------------


def _none() -> pl.DataFrame:
    """No finding."""
    return pl.DataFrame(
        schema={"row": pl.Int64(), "code": pl.String(), "item": pl.String(), "value": pl.String()}
    )


def _concat(parts: Iterable[pl.DataFrame]) -> pl.DataFrame:
    """Findings frames of different parameters, one below the other (missing parameters null)."""
    return pl.concat([_none(), *parts], how="diagonal_relaxed")


def _to_findings(parts: list[pl.DataFrame]) -> list[Problem]:
    """Concatenate the checks' frames, sort by row, code and item, and build the records."""
    frame = _concat(parts).sort(["row", "code", "item"], nulls_last=True)
    columns = frame.to_dict(as_series=False)
    codes, rows, items, values = columns["code"], columns["row"], columns["item"], columns["value"]
    findings = []
    for index, code in enumerate(codes):
        declared = problem_type(code)
        params = {name: columns[f"p_{name}"][index] for name in declared.params}
        findings.append(
            Problem(
                code,
                rows[index],
                None,
                values[index],
                declared.template,
                params,
                declared.severity,
                items[index],
            )
        )
    return findings
