"""The user's own file back, with its problems marked: what a department corrects and sends again.

The annotated copy is an .xlsx with two sheets. The first (“Problems”) lists every problem with its
severity, row, column, value and message, filtered and frozen like any list. The second is the user's
sheet, cell for cell at the same rows and columns, with each cell that has a problem filled red
(blocking) or yellow (advisory) and, for the first :data:`MAX_COMMENTS` of them, the message as a
cell comment; a problem without a column (a duplicate row) marks its whole row. Numbers are written
back as numbers, codes and periods as text, so nothing is mangled on the way back.

xlsxwriter writes about 100,000 cells a second, 45 s for a 200,000-row form even in its
``constant_memory`` mode. So it writes the workbook with the list, the formats, the comments and an
empty data sheet, and the data sheet's cells are then generated with Polars expressions, column by
column, as the same XML xlsxwriter's ``constant_memory`` mode writes (inline strings, numbers as
``<v>``), and streamed into the package in blocks of rows.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

import polars as pl
import xlsxwriter
from xlsxwriter.format import Format

from jieneng.core.errors import gettext_noop
from jieneng.i18n import gettext
from jieneng.io.contained import read_grid_contained
from jieneng.io.formfile import is_identity_header
from jieneng.io.grid import Grid, UnreadableFile, column_letter
from jieneng.io.header import two_level
from jieneng.io.problems import ADVISORY, BLOCKING, Problem

MAX_COMMENTS = 2000
BLOCK_ROWS = 20_000  # rows of the data sheet turned into XML at a time
DATA_PART = "xl/worksheets/sheet2.xml"  # the data sheet is the second added: the list is the first
MAX_LINKS = 2000  # rows of the list that link to their cell (Excel allows 65,530 links a sheet)

PROBLEMS_SHEET = gettext_noop("Problems")
DATA_SHEET = gettext_noop("Data")
COLUMNS = (
    gettext_noop("Severity"),
    gettext_noop("Sheet"),
    gettext_noop("Row"),
    gettext_noop("Column"),
    gettext_noop("Value"),
    gettext_noop("Message"),
)
SEVERITIES = {BLOCKING: gettext_noop("Blocking"), ADVISORY: gettext_noop("Advisory")}

# a number written back as a number: no leading zeros, at most 15 digits (what a double keeps exactly)
_NUMBER = r"^-?(?:0|[1-9][0-9]{0,14})(?:\.[0-9]{1,15})?$"
_RANK: dict[str, int] = {ADVISORY: 1, BLOCKING: 2}


@dataclass
class _Marks:
    """Where the problems are: a severity per (row, column) and per whole row, 0-based; the messages."""

    cells: dict[int, dict[int, str]] = field(default_factory=dict)
    rows: dict[int, str] = field(default_factory=dict)
    comments: dict[tuple[int, int], list[str]] = field(default_factory=dict)


def write_annotated(
    source: Path,
    problems: Sequence[Problem],
    out: Path | BinaryIO,
    *,
    sheet: str | None,
    header_row: int | None,
    describe: Callable[[Problem], str],
) -> None:
    """Write ``source`` with ``problems`` marked to ``out`` (.xlsx), the list of problems first."""
    try:  # read again in the bounded child process: the file is as untrusted as when imported
        grid: Grid | None = read_grid_contained(source, sheet)
    except UnreadableFile:
        grid = None  # the problems say why; the list is all there is to show
    headers = _header_columns(grid, header_row)
    package = io.BytesIO()
    book = xlsxwriter.Workbook(package, {"strings_to_numbers": False, "strings_to_formulas": False})
    try:
        formats = _formats(book)
        data_name = _data_sheet_name(grid, sheet)
        _write_list(book, problems, data_name=data_name, headers=headers, describe=describe, formats=formats)
        marks = _marks(problems, headers, describe)
        if grid is not None:
            data = book.add_worksheet(data_name)
            for (row, column), messages in marks.comments.items():
                data.write_comment(row, column, "\n".join(messages), {"x_scale": 3, "y_scale": 2})
            data.freeze_panes(header_row or 0, 0)
    finally:
        book.close()
    if grid is None:
        _save(package.getvalue(), out, None)
        return
    styles: dict[str, int | None] = {s: formats[s].xf_index for s in (BLOCKING, ADVISORY)}
    _save(package.getvalue(), out, (grid, sheet_rows(grid, header_row, marks, styles)))


def _header_columns(grid: Grid | None, header_row: int | None) -> dict[str, int]:
    """Header text (stripped) → 0-based column, from the header row; the first of equal texts wins."""
    if grid is None or header_row is None:
        return {}
    columns: dict[str, int] = {}
    for index, text in enumerate(grid.cells(header_row)):
        if text is not None and text.strip():
            columns.setdefault(text.strip(), index)
    upper = grid.cells(header_row - 1)  # a two-level header names its columns 电力·数量
    for index, (group, sub) in two_level(upper, grid.cells(header_row), lambda _text: True).items():
        columns.setdefault(f"{group}·{sub}", index)
    return columns


def _data_sheet_name(grid: Grid | None, sheet: str | None) -> str:
    name = (grid.sheet if grid is not None else None) or sheet or str(gettext(DATA_SHEET))
    if name == str(gettext(PROBLEMS_SHEET)):
        name = f"{name} (2)"
    return name[:31]


def _formats(book: xlsxwriter.Workbook) -> dict[str, Format]:
    return {
        BLOCKING: book.add_format({"bg_color": "#FFC7CE", "font_color": "#9C0006"}),
        ADVISORY: book.add_format({"bg_color": "#FFEB9C", "font_color": "#9C5700"}),
        "header": book.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1}),
        "link": book.add_format({"font_color": "#0563C1", "underline": 1}),
        "wrap": book.add_format({"text_wrap": True, "valign": "top"}),
    }


def _column_of(problem: Problem, headers: dict[str, int]) -> int | None:
    return None if problem.column is None else headers.get(problem.column.strip())


def _marks(
    problems: Sequence[Problem], headers: dict[str, int], describe: Callable[[Problem], str]
) -> _Marks:
    marks = _Marks()
    for problem in problems:
        if problem.row is None:
            continue
        row = problem.row - 1
        column = _column_of(problem, headers)
        if column is None:
            marks.rows[row] = _worse(marks.rows.get(row), problem.severity)
            column = 0  # a whole-row problem is commented on the row's first cell
        else:
            cells = marks.cells.setdefault(row, {})
            cells[column] = _worse(cells.get(column), problem.severity)
        key = (row, column)
        if key in marks.comments or len(marks.comments) < MAX_COMMENTS:
            marks.comments.setdefault(key, []).append(describe(problem))
    return marks


def _worse(current: str | None, severity: str) -> str:
    if current is None or _RANK.get(severity, 2) > _RANK.get(current, 2):
        return severity
    return current


def _write_list(
    book: xlsxwriter.Workbook,
    problems: Sequence[Problem],
    *,
    data_name: str,
    headers: dict[str, int],
    describe: Callable[[Problem], str],
    formats: dict[str, Format],
) -> None:
    """The first sheet: one line per problem, with a link to its cell for the first :data:`MAX_LINKS`."""
    sheet = book.add_worksheet(str(gettext(PROBLEMS_SHEET))[:31])
    sheet.write_row(0, 0, [str(gettext(label)) for label in COLUMNS], formats["header"])
    links = 0
    for line, problem in enumerate(problems, start=1):
        severity = str(gettext(SEVERITIES.get(problem.severity, problem.severity)))
        sheet.write_string(
            line, 0, severity, formats.get(problem.severity)
        )  # also gives the fills their index
        sheet.write_string(line, 1, data_name)
        if problem.row is not None:
            column = _column_of(problem, headers) or 0
            if links < MAX_LINKS:
                quoted = data_name.replace("'", "''")
                target = f"internal:'{quoted}'!{column_letter(column)}{problem.row}"
                sheet.write_url(line, 2, target, formats["link"], str(problem.row))
                links += 1
            else:
                sheet.write_number(line, 2, problem.row)
        if problem.column is not None:
            sheet.write_string(line, 3, problem.column)
        if problem.value is not None:
            sheet.write_string(line, 4, problem.value)
        sheet.write_string(line, 5, describe(problem))
    sheet.autofilter(0, 0, max(len(problems), 1), len(COLUMNS) - 1)
    sheet.freeze_panes(1, 0)
    for column, width in enumerate((10, 16, 8, 24, 24, 100)):
        sheet.set_column(column, column, width)


def _save(package: bytes, out: Path | BinaryIO, data: tuple[Grid, Iterator[str]] | None) -> None:
    """Copy xlsxwriter's package to ``out``, the data sheet's empty ``<sheetData>`` filled with ``data``."""
    with (
        zipfile.ZipFile(io.BytesIO(package)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive,
    ):
        for info in source.infolist():
            content = source.read(info.filename)
            if data is None or info.filename != DATA_PART:
                archive.writestr(info, content, compress_type=zipfile.ZIP_DEFLATED)
                continue
            grid, rows = data
            head, tail = _split_sheet(content.decode("utf-8"), grid)
            with archive.open(info.filename, "w", force_zip64=True) as part:
                part.write(head.encode("utf-8"))
                for block in rows:
                    part.write(block.encode("utf-8"))
                part.write(tail.encode("utf-8"))


def _split_sheet(xml: str, grid: Grid) -> tuple[str, str]:
    """The data sheet's XML before and after its rows, with the dimension of the whole grid."""
    last = f"{column_letter(max(grid.frame.width, 1) - 1)}{max(grid.height, 1)}"
    xml = re.sub(r'<dimension ref="[^"]*"/>', f'<dimension ref="A1:{last}"/>', xml, count=1)
    match = re.search(r"<sheetData/>|<sheetData>.*?</sheetData>", xml, flags=re.S)
    if match is None:
        raise ValueError("xlsxwriter wrote a sheet without <sheetData>")
    return xml[: match.start()] + "<sheetData>", "</sheetData>" + xml[match.end() :]


_CONTROL = [chr(c) for c in (*range(0x00, 0x09), *range(0x0B, 0x20))]


def _escaped(text: pl.Expr) -> pl.Expr:
    """Text as xlsxwriter escapes it in an inline string: ``_xHHHH_`` for control characters, XML."""
    text = text.str.replace_all(r"(_x[0-9a-fA-F]{4}_)", "_x005F$1")
    text = text.str.replace_many(
        [*_CONTROL, "\ufffe", "\uffff"], [*(f"_x{ord(c):04X}_" for c in _CONTROL), "_xFFFE_", "_xFFFF_"]
    )
    return text.str.replace_many(["&", "<", ">"], ["&amp;", "&lt;", "&gt;"])


def _style_series(height: int, marks: dict[int, str], styles: dict[str, int | None]) -> pl.Series:
    """`` s="N"`` at the marked 0-based rows, null elsewhere."""
    series = pl.Series([None] * height, dtype=pl.String)
    marked = {row: styles.get(severity) for row, severity in marks.items() if row < height}
    marked = {row: xf for row, xf in marked.items() if xf is not None}
    if not marked:
        return series
    return series.scatter(list(marked), [f' s="{xf}"' for xf in marked.values()])


def sheet_rows(
    grid: Grid, header_row: int | None, marks: _Marks, styles: dict[str, int | None]
) -> Iterator[str]:
    """The ``<row>`` elements of the grid in blocks: its cells, numbers as numbers, marked cells styled."""
    frame = grid.frame
    numbers = _number_mask(grid, header_row)
    per_column: dict[int, dict[int, str]] = {}
    for row, cells in marks.cells.items():
        for column, severity in cells.items():
            per_column.setdefault(column, {})[row] = severity
    styled = {
        f"~s{j}": _style_series(frame.height, per_column.get(j, {}), styles) for j in range(frame.width)
    }
    styled["~row"] = _style_series(frame.height, marks.rows, styles)
    data = frame.with_columns(
        pl.int_range(1, frame.height + 1).cast(pl.String).alias("~n"),
        *(series.alias(name) for name, series in styled.items()),
    )
    columns = list(enumerate(frame.columns))
    for start in range(0, frame.height, BLOCK_ROWS):
        # in stages, so that no part of the XML is computed twice for a cell
        block = data.slice(start, BLOCK_ROWS)
        block = block.with_columns(_cell_parts(name, j, numbers[j]) for j, name in columns)
        block = block.with_columns(_cell_xml(j) for j, _ in columns)
        xml = block.select(_row_xml([f"~c{j}" for j, _ in columns])).get_column("xml")
        yield "".join(xml.drop_nulls().to_list())


def _cell_parts(name: str, index: int, number: bool) -> pl.Expr:
    """A struct of the parts of one column's cells: the opening tag, the number or the text, blank."""
    text = pl.col(name)
    style = pl.coalesce(pl.col(f"~s{index}"), pl.col("~row"))
    opening = pl.concat_str(
        pl.lit(f'<c r="{column_letter(index)}'), pl.col("~n"), pl.lit('"'), style.fill_null("")
    )
    is_number = text.str.contains(_NUMBER) if number else pl.lit(False)
    return pl.struct(
        opening.alias("open"),
        pl.when(is_number).then(text).alias("number"),
        pl.when(~is_number).then(text).alias("text"),
        (text.is_null() & style.is_not_null()).alias("blank"),
    ).alias(f"~p{index}")


def _cell_xml(index: int) -> pl.Expr:
    """One column's cells as XML: ``<c r="B7" s="3"><v>12.5</v></c>``, an inline string, or null.

    Each kind is built from the cells of that kind only (``concat_str`` of a null is null), so the
    string escapes run over the text cells, not over every number.
    """
    parts = pl.col(f"~p{index}").struct
    opening, text = parts.field("open"), parts.field("text")
    preserve = pl.when(text.str.contains(r"^\s|\s$")).then(pl.lit(' xml:space="preserve"'))
    return pl.coalesce(
        pl.concat_str(opening, pl.lit("><v>"), parts.field("number"), pl.lit("</v></c>")),
        pl.concat_str(
            opening,
            pl.lit(' t="inlineStr"><is><t'),
            preserve.fill_null(""),
            pl.lit(">"),
            _escaped(text),
            pl.lit("</t></is></c>"),
        ),
        pl.when(parts.field("blank")).then(pl.concat_str(opening, pl.lit("/>"))),
    ).alias(f"~c{index}")


def _row_xml(cells: list[str]) -> pl.Expr:
    """``<row r="7">…</row>``; a row with a problem of its own carries its fill; null for an empty row."""
    row_style = pl.col("~row")
    attribute = pl.when(row_style.is_not_null()).then(pl.concat_str(row_style, pl.lit(' customFormat="1"')))
    content = pl.concat_str([pl.col(name) for name in cells], ignore_nulls=True)
    opening = pl.concat_str(
        pl.lit('<row r="'), pl.col("~n"), pl.lit('"'), attribute.fill_null(""), pl.lit(">")
    )
    return (
        pl.when((content != "") | row_style.is_not_null())
        .then(pl.concat_str(opening, content, pl.lit("</row>")))
        .alias("xml")
    )


def _number_mask(grid: Grid, header_row: int | None) -> list[bool]:
    """Per column: may its cells be written as numbers? Not the organisation and period columns."""
    identity: set[int] = set()
    if header_row is not None:
        identity = {i for i, text in enumerate(grid.cells(header_row)) if text and is_identity_header(text)}
    return [index not in identity for index in range(grid.frame.width)]
