"""Read a filled statistics form (one row per organisation and period, one column per item) into a frame.

The file is what a department sends back: a template of :mod:`jieneng.io.template` or its own sheet,
with title rows and the legal marks above the header row, then one row per organisation::

    统一社会信用代码     单位名称        统计期    用电量（万千瓦时）  电费（元）  用水量（立方米） …
    11445202100000016B  榕城区机关…     2025-03   1.2               9,876      500

The header row is the first of the first 30 rows naming the organisation, the period and at least
one item of the form. A header may give its unit in brackets; values are converted into the unit of
the item (用电量（万千瓦时） × 10000 → kWh). Cells are parsed with Polars expressions over whole
columns, never a Python call per cell, so a 200,000-row file reads in about the time the spreadsheet
library takes to load it. Problems are records (:class:`~jieneng.io.problems.Problem`), never
exceptions; rows with a blocking cell problem are left out of the frame. Whether the values are
plausible, the organisations known and the period covered by an edition of the form is for the
validation on top.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path

import polars as pl

from jieneng.core.errors import UnknownUnit
from jieneng.core.forms import Form, Item
from jieneng.core.units import UnitTable, normalise
from jieneng.io.cells import FIRST_YEAR, LAST_YEAR, fold, fold_expr, parse_numbers
from jieneng.io.grid import Grid, ReadLimits, UnreadableFile, column_name, read_grid
from jieneng.io.header import HEADER_SCAN_ROWS, find_header_row, header_key, two_level
from jieneng.io.problems import ADVISORY, BLOCKING, Problem
from jieneng.io.sniff import XLSX, formulas_without_values, inspect
from jieneng.reference.headers import load_header_names, load_unit_names

_NO_ROWS = ("missing_column", "no_items")  # header problems that leave nothing to read
MAX_CELL_PROBLEMS = 10_000  # beyond this a file is wrong as a whole; one more problem says how many

#: identity columns by their accepted header names, most common first; the first is shown to users
#: (reference data: ``headers.toml``, table ``form``)
IDENTITY: dict[str, tuple[str, ...]] = {
    role: load_header_names().column("form", role).aliases for role in ("code", "name", "period")
}
#: row counters of Chinese forms: skipped without a problem
IGNORED = load_header_names().column("form", "ignored").aliases
#: the unit's explanation (填写说明) of what the verification checks flag: read as text
EXPLANATION = load_header_names().column("form", "explanation").aliases
EXPLANATION_LIMIT = 2000  # characters of an explanation kept
_TITLE_PERIOD = re.compile(
    r"(?:统计期间?|报告期间?|统计年度|统计时间|报告时间):?"
    r"([0-9]{4}(?:年(?:度|第?[1-4一二三四]季度?|[0-9]{1,2}月份?)?|[-/.][0-9]{1,2}|Q[1-4]|[0-9]{2})?)"
)

_PERIOD = (
    r"^(?:(?P<y1>[0-9]{4})(?:年度?)?"
    r"|(?P<y2>[0-9]{4})[-/.](?P<m2>[0-9]{1,2})"
    r"(?:[-/.][0-9]{1,2}(?:T?[0-9]{1,2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]+)?)?)?)?"  # an Excel date cell
    r"|(?P<y3>[0-9]{4})(?P<m3>[0-9]{2})"
    r"|(?P<y4>[0-9]{4})年(?P<m4>[0-9]{1,2})月(?:份|[0-9]{1,2}日)?"
    r"|(?P<y5>[0-9]{4})[-/]?Q(?P<q5>[1-4])"
    r"|(?P<y6>[0-9]{4})年?第?(?P<q6>[1-4一二三四])季度?)$"
)
_QUARTER_WORDS = {"一": "1", "二": "2", "三": "3", "四": "4"}
_INVISIBLE = "[\u200b-\u200f\u2060-\u2064\ufeff\u00ad]"  # zero-width, direction marks, soft hyphen
_CODE = r"^(?:[0-9A-Za-z]{18}|[0-9A-Za-z]{8}-?[0-9A-Za-z])$"  # credit code or organisation code

IDENTITY_SCHEMA: dict[str, pl.DataType] = {
    "row": pl.Int32(),
    "org": pl.String(),
    "org_name": pl.String(),
    "period": pl.String(),
    "frequency": pl.String(),
    "year": pl.Int16(),
    "quarter": pl.Int8(),
    "month": pl.Int8(),
}


@dataclass(frozen=True)
class FormFile:
    """What was read from a filled form: the usable rows, every problem, and how the header was read."""

    frame: pl.DataFrame  # IDENTITY_SCHEMA, then one column per item found, in form order
    problems: list[Problem]
    columns: dict[str, str]  # "org", "org_name", "period", item codes → header text as written
    factors: dict[str, float]  # item code → factor from the header's unit into the item's unit
    sheet: str | None
    header_row: int | None  # the spreadsheet row number of the header
    rows_read: int  # non-blank data rows in the file

    @property
    def ok(self) -> bool:
        """True when no problem blocks an import of the file."""
        return not any(p.severity == BLOCKING for p in self.problems)


@dataclass(frozen=True)
class Header:
    """One header cell as understood: an identity column, an item (with its unit factor), or neither."""

    index: int  # 0-based spreadsheet column
    text: str  # as written, surrounding spaces removed
    role: str  # "code", "name", "period", "item", "ignored" or "unknown"
    item: str | None = None
    factor: float = 1.0
    bad_unit: str | None = None  # the unit in the header when it cannot measure the item


@dataclass
class Layout:
    """Where the table is: its header row, the column of each identity role and item, header problems."""

    header_row: int
    roles: dict[str, Header] = field(default_factory=dict)  # "code", "name", "period" → header
    items: dict[str, Header] = field(default_factory=dict)  # item code → header, form order
    problems: list[Problem] = field(default_factory=list)
    title_period: tuple[str, str] | None = None  # (title cell as written, the period in it)


def read_form_file(
    path: str | Path,
    form: Form,
    units: UnitTable,
    sheet: str | None = None,
    limits: ReadLimits | None = None,
) -> FormFile:
    """Read a filled ``form`` from ``path`` (.xlsx, .xlsm, .xls, .ods, .csv, tab-separated or HTML text,
    told apart by their bytes; ``sheet`` default first) within ``limits`` (default: the settings')."""
    try:
        kind = inspect(Path(path), limits or ReadLimits.of())
        grid = read_grid(Path(path), sheet, limits)
    except UnreadableFile as exc:
        return empty_form_file(exc.problem, sheet)
    name = Path(path).name
    frame = grid.frame
    if not frame.width or frame.null_count().sum_horizontal().sum() == frame.height * frame.width:
        return empty_form_file(Problem.make("empty_file", file=name), grid.sheet)
    read = read_form_grid(grid, form, units)
    if kind == XLSX and (formulas := formulas_without_values(Path(path), grid.sheet)):
        shown = ", ".join(formulas[:10]) + (" …" if len(formulas) > 10 else "")
        problem = Problem.make("formula_without_value", count=len(formulas), cells=shown)
        return FormFile(read.frame, [problem, *read.problems], *_rest(read))
    if read.ok and read.header_row is not None and not read.rows_read:
        problem = Problem.make("no_data_rows", file=name, header=read.header_row)
        return FormFile(read.frame, [*read.problems, problem], *_rest(read))
    return read


def _rest(read: FormFile) -> tuple[dict[str, str], dict[str, float], str | None, int | None, int]:
    return read.columns, read.factors, read.sheet, read.header_row, read.rows_read


def empty_form_file(problem: Problem, sheet: str | None) -> FormFile:
    """A file that could not be read: no rows, and the ``problem`` saying why."""
    return FormFile(_empty({}), [problem], {}, {}, sheet, None, 0)


def read_form_grid(grid: Grid, form: Form, units: UnitTable) -> FormFile:
    """:func:`read_form_file` on a grid already read (the annotated copy reads it again)."""
    layout = find_layout(grid, form, units)
    if isinstance(layout, list):
        return FormFile(_empty({}), layout, {}, {}, grid.sheet, None, 0)
    blocking = [p for p in layout.problems if p.code in _NO_ROWS]
    columns = _column_texts(layout)
    factors = {code: header.factor for code, header in layout.items.items()}
    if blocking:  # no organisation or no period column: no row can be read
        frame = _empty({code: form.items[code] for code in layout.items})
        return FormFile(frame, layout.problems, columns, factors, grid.sheet, layout.header_row, 0)
    frame, cell_problems, rows_read = _read_rows(grid, layout, form)
    problems = [*layout.problems, *cell_problems, *_title_disagrees(frame, layout)]
    return FormFile(frame, problems, columns, factors, grid.sheet, layout.header_row, rows_read)


def _empty(items: Mapping[str, Item]) -> pl.DataFrame:
    return pl.DataFrame(schema={**IDENTITY_SCHEMA, **{code: _dtype(item) for code, item in items.items()}})


def _dtype(item: Item) -> pl.DataType:
    return pl.Float64() if item.numeric else pl.String()


# --- the header row ---------------------------------------------------------------------------------


def _item_keys(form: Form) -> dict[str, str]:
    """Folded header name → item code; an item is also known by its Chinese and English names."""
    keys: dict[str, str] = {}
    for item in form.items.values():
        for name in (*item.aliases, item.zh, item.en, item.code):
            keys.setdefault(header_key(name), item.code)
    return keys


@cache
def _identity_keys() -> dict[str, str]:
    keys = {header_key(name): role for role, names in IDENTITY.items() for name in names}
    keys.update({header_key(name): "ignored" for name in IGNORED})
    keys.update({header_key(name): "explanation" for name in EXPLANATION})
    return keys


def _splits(text: str) -> Iterable[tuple[str, str | None, bool]]:
    """The ways to read a header: (name, unit, whether the unit must be one).

    As written; name and unit (or note) in trailing brackets, full- or half-width; ``name/unit``.
    """
    folded = fold(text)
    yield folded, None, False
    bracket = re.fullmatch(r"(.+)\(([^()]*)\)", folded)
    if bracket:
        yield bracket.group(1), bracket.group(2), False
    slash = re.fullmatch(r"([^/]+)/([^/]+)", folded)
    if slash:
        yield slash.group(1), slash.group(2), True


def is_identity_header(text: str) -> bool:
    """True for a header naming the organisation or the period: such cells are codes, not numbers."""
    keys = _identity_keys()
    return any(keys.get(header_key(base)) in ("code", "name", "period") for base, _, _ in _splits(text))


def classify(index: int, text: str, form: Form, units: UnitTable) -> Header:
    """What the header cell ``text`` in column ``index`` names, with the unit factor of an item."""
    return _classify(index, text, form, units, _item_keys(form))


def _classify(index: int, text: str, form: Form, units: UnitTable, items: Mapping[str, str]) -> Header:
    identity = _identity_keys()
    for base, unit, strict in _splits(text):
        key = header_key(base)
        if key in identity:
            return Header(index, text, identity[key])
        if key not in items:
            continue
        item = form.items[items[key]]
        if unit is None or not item.numeric:
            return Header(index, text, "item", item.code)
        factor = _unit_factor(unit, item, units)
        if factor is None and strict:
            continue  # "a/b" where b is not a unit: not this item
        if isinstance(factor, str):
            return Header(index, text, "item", item.code, bad_unit=factor)
        return Header(index, text, "item", item.code, 1.0 if factor is None else factor)
    return Header(index, text, "unknown")


def _unit_factor(unit: str, item: Item, units: UnitTable) -> float | str | None:
    """Factor from ``unit`` into the item's unit; None when ``unit`` is no unit (a note such as 含自备井).

    ``unit`` itself (a str) when it is a unit that cannot measure the item (用电量（吨）).
    """
    expected = units.parse(item.unit)
    scale = units.scales.get(normalise(unit))
    if scale is not None:  # a bare scale word: 电费（万）
        return scale
    try:
        parsed = units.parse(unit)
    except UnknownUnit:
        return None
    if parsed.dimension == expected.dimension:
        return parsed.size / expected.size
    if parsed.unit.symbol in item.equivalents:
        return parsed.scale * item.equivalents[parsed.unit.symbol]
    return unit


def shown_unit(symbol: str, lang: str = "zh-hans") -> str:
    """A unit of the reference data as users read it: 千瓦时 for kWh in Chinese, m³ for m3 in English
    (reference data: ``unit_names.toml``)."""
    names = load_unit_names()["zh" if lang.lower().startswith("zh") else "en"]
    return names.get(symbol, symbol)


def _row_headers(
    cells: Sequence[str | None], form: Form, units: UnitTable, items: Mapping[str, str]
) -> list[Header]:
    return [
        _classify(index, text.strip(), form, units, items)
        for index, text in enumerate(cells)
        if text is not None and text.strip()
    ]


def _score(headers: Sequence[Header]) -> tuple[bool, bool, bool]:
    roles = {h.role for h in headers}
    return bool(roles & {"code", "name"}), "period" in roles, "item" in roles


def find_layout(grid: Grid, form: Form, units: UnitTable) -> Layout | list[Problem]:
    """The header row and what each of its columns holds; the problems when there is no header row.

    The first row naming an organisation column, a period column and an item wins. Failing that, the
    row naming two of the three is taken as the header, and the missing one is reported.
    """
    items = _item_keys(form)
    head = grid.frame.head(HEADER_SCAN_ROWS + 1).rows()
    two_level: set[int] = set()  # 1-based rows heading a two-level header (电力 over 数量 | 金额)

    def headers_of(number: int) -> list[Header]:
        cells = head[number - 1]
        headers = _row_headers(cells, form, units, items)
        if number < len(head) and (
            combined := _two_level(headers, cells, head[number], form=form, units=units, items=items)
        ):
            two_level.add(number)
            return combined
        return headers

    rows = (headers_of(number) for number in range(1, min(len(head), HEADER_SCAN_ROWS) + 1))
    found = find_header_row(rows, lambda headers: sum(_score(headers)), 3)
    if found is None:
        expected = " / ".join((IDENTITY["code"][0], IDENTITY["name"][0], IDENTITY["period"][0]))
        return [
            Problem.make("no_header_row", rows=HEADER_SCAN_ROWS, columns=f"{expected}, {_examples(form)}")
        ]
    number, headers, _complete = found
    if number in two_level:  # the data begin below the lower header row
        return _layout(grid, number + 1, headers, form)
    return _layout(grid, number, headers, form)


@cache
def _sub_words() -> dict[str, str]:
    """Folded lower header of a two-level header → the kind of item it names (reference data)."""
    names = load_header_names()
    return {
        header_key(alias): kind
        for kind, role in (("quantity", "quantity_word"), ("cost", "cost_word"))
        for alias in names.column("form", role).aliases
    }


def _sub_kind(text: str) -> tuple[str, str | None] | None:
    """(item kind, unit in brackets) of a lower header (``金额（万元）`` → cost, 万元); None if none."""
    for base, unit, strict in _splits(text):
        kind = _sub_words().get(header_key(base))
        if kind is not None and not strict:
            return kind, unit
    return None


def _two_level(
    upper: list[Header],
    cells: Sequence[str | None],
    lower: Sequence[str | None],
    *,
    form: Form,
    units: UnitTable,
    items: Mapping[str, str],
) -> list[Header] | None:
    """The headers of a two-level header: ``电力`` over ``数量（千瓦时） | 金额（元）`` read as the items
    电力消费量 and 电费; None when the row below names no quantity or cost under a group."""
    pairs = two_level(cells, lower, lambda text: _sub_kind(text) is not None)
    combined: dict[int, Header] = {}
    for index, (group, sub) in pairs.items():
        kind, unit = _sub_kind(sub) or ("", None)
        if unit is None:  # the unit may be over both: 电力（千瓦时） over 数量 (a cost is in 元 anyway)
            unit = (
                next((u for _b, u, strict in _splits(group) if u and not strict), None)
                if kind == "quantity"
                else None
            )
        item = _group_item(group, kind, form, items)
        if item is None:
            continue
        written = f"{item.zh}({unit})" if unit else item.zh
        header = _classify(index, written, form, units, items)
        combined[index] = replace(header, text=f"{group}·{sub}")
    if not combined:
        return None
    kept = [h for h in upper if h.index not in pairs and h.index not in combined]
    return sorted([*kept, *combined.values()], key=lambda h: h.index)


def _group_item(group: str, kind: str, form: Form, items: Mapping[str, str]) -> Item | None:
    """The item of ``kind`` a group names: 电力 + 金额 → 电力金额 (电费) by its aliases; else the item
    of that kind of the energy the group names (电力 → electricity → its cost)."""
    for base, _unit, _strict in _splits(group):
        for suffix in ("",) if kind == "quantity" else _COST_SUFFIXES:
            code = items.get(header_key(base + suffix))
            if code is not None and form.items[code].kind == kind:
                return form.items[code]
        code = items.get(header_key(base))
        energy = form.items[code].energy if code is not None else None
        if energy is not None:
            same = [i for i in form.items.values() if i.energy == energy and i.kind == kind]
            if same:
                return same[0]
    return None


_COST_SUFFIXES = ("金额", "费用", "费")


def _examples(form: Form, count: int = 4) -> str:
    return ", ".join(item.zh for item in list(form.items.values())[:count])


def _layout(grid: Grid, number: int, headers: list[Header], form: Form) -> Layout:
    layout = Layout(number)
    for header in headers:
        if header.role in ("code", "name", "period", "explanation"):
            layout.roles.setdefault(header.role, header)  # a second code column is left alone
        elif header.role == "item":
            _add_item(layout, header, form)
        elif header.role == "unknown":
            layout.problems.append(
                Problem.make(
                    "unknown_column", row=number, column=header.text, severity=ADVISORY, form=form.zh
                )
            )
    layout.items = {code: layout.items[code] for code in form.items if code in layout.items}
    found = ", ".join(h.text for h in headers)
    if "code" not in layout.roles and "name" not in layout.roles:
        names = ", ".join((*IDENTITY["code"][:4], *IDENTITY["name"][:3]))
        layout.problems.append(
            Problem.make("missing_column", row=number, column=IDENTITY["code"][0], names=names, found=found)
        )
    layout.title_period = _title_period(grid, number)
    if "period" not in layout.roles and layout.title_period is None:
        names = ", ".join(IDENTITY["period"][:6])
        layout.problems.append(
            Problem.make("missing_column", row=number, column=IDENTITY["period"][0], names=names, found=found)
        )
    if not layout.items and not any(p.code == "bad_header_unit" for p in layout.problems):
        layout.problems.append(
            Problem.make("no_items", row=number, form=form.zh, expected=_examples(form, 6), found=found)
        )
    return layout


def _add_item(layout: Layout, header: Header, form: Form) -> None:
    assert header.item is not None
    item = form.items[header.item]
    if header.bad_unit is not None:
        layout.problems.append(
            Problem.make(
                "bad_header_unit",
                row=layout.header_row,
                column=header.text,
                value=header.text,
                item=item.zh,
                unit=header.bad_unit,
                expected=shown_unit(item.unit),
            )
        )
        return
    first = layout.items.get(header.item)
    if first is not None:
        layout.problems.append(
            Problem.make(
                "duplicate_column",
                row=layout.header_row,
                column=header.text,
                value=header.text,
                item=item.zh,
                first=first.text,
            )
        )
        return
    layout.items[header.item] = header


def _title_disagrees(frame: pl.DataFrame, layout: Layout) -> list[Problem]:
    """An advisory when the title states a period and rows of the period column lie outside it."""
    if "period" not in layout.roles or layout.title_period is None or not frame.height:
        return []
    title, text = layout.title_period
    stated = _parse_periods([text]).row(0, named=True)
    differs = pl.col("year") != stated["year"]  # a row's period must lie within the title's
    if stated["frequency"] == "quarter":
        differs = differs | (pl.col("quarter") != stated["quarter"])
    if stated["frequency"] == "month":
        differs = differs | (pl.col("month") != stated["month"])
    other = frame.filter(differs)
    if not other.height:
        return []
    row, period = other.row(0, named=True)["row"], other.row(0, named=True)["period"]
    return [
        Problem.make(
            "period_not_in_title",
            row=row,
            column=layout.roles["period"].text,
            value=period,
            title=title,
            count=other.height,
        )
    ]


def _title_period(grid: Grid, header_row: int) -> tuple[str, str] | None:
    """The title cell above the header that states the period of the whole sheet (统计期：2025年3月)."""
    for cells in grid.frame.head(header_row - 1).iter_rows():
        for cell in cells:
            match = _TITLE_PERIOD.search(fold(cell)) if cell else None
            if match and match.group(1) and not _parse_periods([match.group(1)])["~bad"][0]:
                return cell.strip() if cell else "", match.group(1)
    return None


def _column_texts(layout: Layout) -> dict[str, str]:
    roles = layout.roles
    columns: dict[str, str] = {}
    org = roles.get("code") or roles.get("name")
    if org is not None:
        columns["org"] = org.text
    if "code" in roles and "name" in roles:
        columns["org_name"] = roles["name"].text
    if "period" in roles:
        columns["period"] = roles["period"].text
    elif layout.title_period is not None:
        columns["period"] = layout.title_period[0]
    columns.update({code: header.text for code, header in layout.items.items()})
    return columns


# --- the cells ----------------------------------------------------------------------------------------


def _blank(expr: pl.Expr) -> pl.Expr:
    return expr.is_null() | expr.str.contains(r"^\s*$")


def _fast_number(raw: pl.Expr) -> pl.Expr:
    """What a plain cast reads, infinities and NaN excepted: most cells, at the speed of a cast."""
    value = raw.cast(pl.Float64, strict=False)
    return pl.when(value.is_finite()).then(value)


def _parse_periods(texts: Sequence[str | None]) -> pl.DataFrame:
    """Each period text parsed: canonical ``period``, ``frequency``, ``year``, ``quarter``, ``month``.

    Same forms as ``cells.period``, plus the ``"2025-03-01 00:00:00"`` text of an Excel date cell.
    ``~bad`` is True for a text that is not a period or is out of range (years 1900–2100, months 1–12).
    """
    frame = pl.DataFrame({"~text": texts}, schema={"~text": pl.String})
    groups = frame.select(
        fold_expr(pl.col("~text")).str.to_uppercase().str.extract_groups(_PERIOD).alias("g")
    )
    parts = pl.concat([frame, groups.unnest("g")], how="horizontal").select(
        "~text",
        pl.coalesce("y1", "y2", "y3", "y4", "y5", "y6").cast(pl.Int32).alias("y"),
        pl.coalesce("m2", "m3", "m4").cast(pl.Int32).alias("m"),
        pl.coalesce("q5", pl.col("q6").replace(_QUARTER_WORDS)).cast(pl.Int32).alias("q"),
    )
    y, m, q = pl.col("y"), pl.col("m"), pl.col("q")
    ok = (y.is_between(FIRST_YEAR, LAST_YEAR) & (m.is_null() | m.is_between(1, 12))).fill_null(False)
    monthly, quarterly = m.is_not_null(), q.is_not_null()
    text_year = y.cast(pl.String)
    canonical = (
        pl.when(monthly)
        .then(pl.concat_str(text_year, pl.lit("-"), m.cast(pl.String).str.zfill(2)))
        .when(quarterly)
        .then(pl.concat_str(text_year, pl.lit("Q"), q.cast(pl.String)))
        .otherwise(text_year)
    )
    frequency = (
        pl.when(monthly)
        .then(pl.lit("month"))
        .when(quarterly)
        .then(pl.lit("quarter"))
        .otherwise(pl.lit("year"))
    )
    return parts.select(
        "~text",
        pl.when(ok).then(canonical).alias("period"),
        pl.when(ok).then(frequency).alias("frequency"),
        pl.when(ok).then(y).cast(pl.Int16).alias("year"),
        pl.when(ok).then(pl.when(monthly).then((m - 1) // 3 + 1).otherwise(q)).cast(pl.Int8).alias("quarter"),
        pl.when(ok).then(m).cast(pl.Int8).alias("month"),
        (~ok & ~_blank(pl.col("~text"))).alias("~bad"),
    )


def _identifier(raw: pl.Expr) -> pl.Expr:
    """An organisation cell: NFKC, stripped, without invisible characters (zero-width, byte-order
    marks); a code also without inner and full-width spaces and upper-cased (``12445 …32x`` →
    ``…32X``); null if empty."""
    text = raw.str.normalize("NFKC").str.replace_all(_INVISIBLE, "").str.strip_chars()
    packed = text.str.replace_all(r"\s+", "")
    text = pl.when(packed.str.contains(_CODE)).then(packed.str.to_uppercase()).otherwise(text)
    return pl.when(text != "").then(text)


def _text(raw: pl.Expr) -> pl.Expr:
    text = raw.str.normalize("NFKC").str.strip_chars()
    return pl.when(text != "").then(text)


@dataclass(frozen=True)
class _Check:
    """Cells failing one check: rows where ``mask`` holds get problem ``code`` at ``header``."""

    code: str
    header: Header
    mask: pl.Expr
    value: pl.Expr | None  # the raw cell to show; None for an empty cell


def _raw(name: str) -> str:
    return f"~{name}"


def _read_rows(grid: Grid, layout: Layout, form: Form) -> tuple[pl.DataFrame, list[Problem], int]:
    """The data rows below the header, parsed; the cell problems; how many rows were not blank."""
    data = _body(grid, layout)
    data = _without_blank_rows(data, layout)
    rows_read = data.height
    data, bad_numbers = _numbers(data, layout, form)
    data = data.lazy().with_columns(_identity_exprs(layout)).collect()  # lazy: NFKC once per cell
    data = data.join(
        _parse_periods(data[_raw("period")].unique().to_list()),
        left_on=_raw("period"),
        right_on="~text",
        how="left",
        maintain_order="left",
    )
    checks = [*_identity_checks(layout), *_whole_number_checks(layout, form)]
    cells = pl.concat([bad_numbers, *(_failing(data, check) for check in checks)], how="vertical")
    problems = _problems(cells)
    bad_rows = cells.get_column("row").unique().implode()
    items = {code: form.items[code] for code in layout.items}
    frame = data.filter(~pl.col("row").is_in(bad_rows)).select(
        *(pl.col(name).cast(dtype) for name, dtype in IDENTITY_SCHEMA.items()),
        *(pl.col(code).cast(_dtype(item)) for code, item in items.items()),
        *_explanation_expr(layout),
    )
    return frame, problems, rows_read


def _explanation_expr(layout: Layout) -> list[pl.Expr]:
    """The ``explanation`` column (text, at most :data:`EXPLANATION_LIMIT` characters) when the file
    has a 填写说明 column; none otherwise."""
    if "explanation" not in layout.roles:
        return []
    return [_text(pl.col(_raw("explanation"))).str.slice(0, EXPLANATION_LIMIT).alias("explanation")]


def _body(grid: Grid, layout: Layout) -> pl.DataFrame:
    """The raw cells below the header, one ``~name`` column per column read, with the row number."""
    start = layout.header_row
    body = grid.frame.slice(start)
    roles = layout.roles
    org = roles.get("code") or roles["name"]
    exprs = [
        pl.int_range(start + 1, start + 1 + body.height, dtype=pl.Int32).alias("row"),
        pl.col(column_name(org.index)).alias(_raw("org")),
    ]
    if "code" in roles and "name" in roles:
        exprs.append(pl.col(column_name(roles["name"].index)).alias(_raw("org_name")))
    if "period" in roles:
        exprs.append(pl.col(column_name(roles["period"].index)).alias(_raw("period")))
    else:
        title = layout.title_period[1] if layout.title_period else None
        exprs.append(pl.lit(title, pl.String).alias(_raw("period")))
    exprs += [pl.col(column_name(header.index)).alias(_raw(code)) for code, header in layout.items.items()]
    if "explanation" in roles:
        exprs.append(pl.col(column_name(roles["explanation"].index)).alias(_raw("explanation")))
    return body.select(exprs)


def _without_blank_rows(data: pl.DataFrame, layout: Layout) -> pl.DataFrame:
    """Rows with at least one cell read: a blank row has blank identity cells, so only those are checked."""
    identity = [_raw("org")]
    if "code" in layout.roles and "name" in layout.roles:
        identity.append(_raw("org_name"))
    if "period" in layout.roles:
        identity.append(_raw("period"))
    maybe = data.filter(pl.all_horizontal(_blank(pl.col(name)) for name in identity))
    if maybe.is_empty():
        return data
    others = [_raw(code) for code in layout.items]
    blank = maybe.filter(pl.all_horizontal(_blank(pl.col(name)) for name in others) if others else True)
    return data.filter(~pl.col("row").is_in(blank.get_column("row").implode()))


def _numbers(data: pl.DataFrame, layout: Layout, form: Form) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Item columns parsed (numbers converted into the item's unit); the bad_number cells.

    A plain cast reads almost every number cell; only the cells it cannot read (text with thousands
    separators, full-width digits, spaces, or no number at all) take the full parse, and are put
    back in place by position: a few thousand cells, not the whole column.
    """
    columns: list[pl.Series] = []
    bad: list[pl.DataFrame] = [_EMPTY_CELLS]
    rows = data.get_column("row")
    for code, header in layout.items.items():
        raw = data.get_column(_raw(code))
        if not form.items[code].numeric:
            columns.append(raw.to_frame().select(_text(pl.col(_raw(code)))).to_series().alias(code))
            continue
        value = raw.to_frame().select(_fast_number(pl.col(_raw(code)))).to_series()
        unread = (value.is_null() & raw.is_not_null()).arg_true()
        if unread.len():
            texts = raw.gather(unread)
            parsed = parse_numbers(texts)
            value = value.scatter(unread, parsed)
            failed = parsed.is_null() & ~texts.str.contains(r"^\s*$")
            bad.append(_cells(rows.gather(unread).filter(failed), "bad_number", header, texts.filter(failed)))
        columns.append(_converted(value, header.factor).alias(code))
    return data.with_columns(columns), pl.concat(bad, how="vertical")


def _cells(rows: pl.Series, code: str, header: Header, values: pl.Series) -> pl.DataFrame:
    """A problem-cell frame: ``code`` at ``header`` in each of ``rows``, with the values as written."""
    frame = pl.DataFrame({"row": rows.cast(pl.Int32), "value": values.str.strip_chars()})
    return frame.select(
        "row",
        pl.lit(header.index, pl.Int32).alias("col"),
        pl.lit(code).alias("code"),
        pl.lit(header.text).alias("column"),
        "value",
    )


def _converted(value: pl.Series, factor: float) -> pl.Series:
    """The value in the item's unit: times the header's factor, without the float noise it adds."""
    return value if factor == 1.0 else (value * factor).round_sig_figs(12)


def _identity_exprs(layout: Layout) -> list[pl.Expr]:
    org = _identifier(pl.col(_raw("org")))
    if "code" in layout.roles and "name" in layout.roles:
        name = _text(pl.col(_raw("org_name")))
        return [pl.coalesce(org, name).alias("org"), name.alias("org_name")]  # no code: the name
    return [org.alias("org"), pl.lit(None, pl.String).alias("org_name")]


def _identity_checks(layout: Layout) -> list[_Check]:
    roles = layout.roles
    org = roles.get("code") or roles["name"]
    checks = [_Check("empty_cell", org, pl.col("org").is_null(), None)]
    if "period" in roles:
        period = roles["period"]
        checks.append(_Check("empty_cell", period, _blank(pl.col(_raw("period"))), None))
        checks.append(_Check("bad_period", period, pl.col("~bad").fill_null(False), pl.col(_raw("period"))))
    return checks


def _whole_number_checks(layout: Layout, form: Form) -> list[_Check]:
    checks = []
    for code, header in layout.items.items():
        if form.items[code].integer:
            value = pl.col(code)
            fraction = (value - value.round(0)).abs() > 1e-6
            checks.append(_Check("not_whole_number", header, fraction.fill_null(False), pl.col(_raw(code))))
    return checks


_CELL_SCHEMA = {"row": pl.Int32, "col": pl.Int32, "code": pl.String, "column": pl.String, "value": pl.String}
_EMPTY_CELLS = pl.DataFrame(schema=_CELL_SCHEMA)


def _failing(data: pl.DataFrame, check: _Check) -> pl.DataFrame:
    """The cells failing ``check``: row, spreadsheet column, code, header text, the value as written."""
    header = check.header
    value = pl.lit(None, pl.String) if check.value is None else check.value.str.strip_chars()
    return data.filter(check.mask).select(
        pl.col("row"),
        pl.lit(header.index, pl.Int32).alias("col"),
        pl.lit(check.code).alias("code"),
        pl.lit(header.text).alias("column"),
        value.alias("value"),
    )


def _problems(cells: pl.DataFrame) -> list[Problem]:
    """Problems of the failing cells in sheet order, at most :data:`MAX_CELL_PROBLEMS` of them."""
    ordered = cells.sort("row", "col")
    problems = [
        Problem.make(code, row=row, column=column, value=value)
        for row, _col, code, column, value in ordered.head(MAX_CELL_PROBLEMS).iter_rows()
    ]
    if ordered.height > MAX_CELL_PROBLEMS:
        problems.append(Problem.make("too_many_problems", count=ordered.height, shown=MAX_CELL_PROBLEMS))
    return problems
