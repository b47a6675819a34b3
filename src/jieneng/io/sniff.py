"""What an uploaded file really is, and whether it may be read: decided from its bytes, never its name.

:func:`inspect` looks at the first bytes and, for a zip archive, at its directory:

* ``PK\\x03\\x04``: an Office Open XML workbook (.xlsx/.xlsm, ``xl/workbook.xml``) or an OpenDocument
  sheet (.ods); its parts' declared unpacked sizes, the shared strings' and each sheet's declared range
  (``<dimension ref="A1:XFD1048576"/>``) are checked against the limits *before* any is unpacked;
* ``D0 CF 11 E0``: an OLE compound file: an Excel 97-2003 workbook, or an encrypted (password) one;
* a UTF-16 byte-order mark: the “Unicode text” Excel saves (tab-separated);
* ``<html`` / ``<table`` near the start: an HTML table, what many government systems export as ".xls";
* anything else: text (CSV, or tab-separated when the first line has more tabs than commas).

Every refusal raises :class:`UnreadableFile` with the problem to show, in the user's language, saying
what the file is and what to do. The limits (:class:`ReadLimits`) come from the settings.
"""

from __future__ import annotations

import re
import zipfile
import zlib
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

from jieneng.config import Settings, current
from jieneng.io.problems import Problem

XLSX, XLS, ODS, HTML, TEXT = "xlsx", "xls", "ods", "html", "text"
FORMAT_NAMES = {XLSX: "Excel .xlsx", XLS: "Excel 97-2003 .xls", ODS: "OpenDocument .ods"}
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED = "EncryptedPackage".encode("utf-16-le")  # the stream of an encrypted OOXML workbook
_DIMENSION = re.compile(rb'<(?:\w+:)?dimension\s+ref="([A-Z]+)?([0-9]+)?(?::([A-Z]+)([0-9]+))?"')
_HEAD = 64 * 1024


class UnreadableFile(Exception):
    """The file cannot be read as a grid; ``problem`` says why (file_not_found, bad_encoding, …)."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.code)
        self.problem = problem


@dataclass(frozen=True)
class ReadLimits:
    """The bounds of reading one untrusted file (the ``JIENENG_IMPORT_*`` settings)."""

    rows: int
    columns: int
    cells: int
    text_chars: int
    unpacked_bytes: int
    memory_bytes: int
    seconds: int

    @classmethod
    def of(cls, settings: Settings | None = None) -> ReadLimits:
        chosen = settings or current()
        return cls(
            rows=chosen.import_max_rows,
            columns=chosen.import_max_columns,
            cells=chosen.import_max_cells,
            text_chars=chosen.import_max_text_chars,
            unpacked_bytes=chosen.import_max_unpacked_bytes,
            memory_bytes=chosen.import_memory_bytes,
            seconds=chosen.import_read_seconds,
        )


def over(code: str, path: Path, value: int, limit: int, setting: str) -> UnreadableFile:
    """The refusal of a file beyond one limit, naming the limit and its setting."""
    return UnreadableFile(Problem.make(code, file=path.name, value=value, limit=limit, setting=setting))


def inspect(path: Path, limits: ReadLimits) -> str:
    """The format of ``path`` (:data:`XLSX`, :data:`XLS`, :data:`ODS`, :data:`HTML` or :data:`TEXT`),
    after checking what can be checked before reading; raises :class:`UnreadableFile`."""
    if not path.is_file():
        raise UnreadableFile(Problem.make("file_not_found", file=path.name))
    try:
        with path.open("rb") as stream:
            head = stream.read(_HEAD)
    except OSError as exc:
        raise UnreadableFile(
            Problem.make("unreadable_file", file=path.name, reason=type(exc).__name__)
        ) from exc
    if not head.strip():
        raise UnreadableFile(Problem.make("empty_file", file=path.name))
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        return _inspect_zip(path, limits)
    if head.startswith(_OLE):
        if _ENCRYPTED in path.read_bytes():
            raise UnreadableFile(Problem.make("encrypted_workbook", file=path.name))
        return XLS
    if head.startswith(_OLE[:4]):  # an OLE header cut short
        raise UnreadableFile(Problem.make("damaged_file", file=path.name, format=FORMAT_NAMES[XLS]))
    if is_html(head):
        return HTML
    return TEXT


def is_html(head: bytes) -> bool:
    """Whether the first bytes are an HTML page or table (UTF-16 with its mark, else ASCII-compatible)."""
    utf16 = head.startswith((b"\xff\xfe", b"\xfe\xff"))
    text = head.decode("utf-16" if utf16 else "latin-1", errors="ignore").lower()
    start = text.lstrip("\ufeff \t\r\n")
    if start.startswith(("<html", "<!doctype html", "<table", "<head", "<body", "<meta")):
        return True
    return start.startswith("<") and "<table" in text


def _inspect_zip(path: Path, limits: ReadLimits) -> str:
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
            names = {member.filename for member in members}
            kind = XLSX if "xl/workbook.xml" in names else ODS if "content.xml" in names else None
            if kind is None:
                raise UnreadableFile(Problem.make("unknown_format", file=path.name))
            total = sum(member.file_size for member in members)
            strings = sum(m.file_size for m in members if m.filename.startswith("xl/sharedStrings"))
            if max(total, strings) > limits.unpacked_bytes:
                raise over(
                    "unpacks_too_large",
                    path,
                    total,
                    limits.unpacked_bytes,
                    "JIENENG_IMPORT_MAX_UNPACKED_BYTES",
                )
            if kind == XLSX:
                for member in members:
                    if member.filename.startswith("xl/worksheets/") and member.filename.endswith(".xml"):
                        with archive.open(member) as sheet:
                            _check_dimension(path, sheet.read(4096), limits)
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, KeyError, ValueError, RuntimeError):
        kind_name = FORMAT_NAMES[XLSX] if path.suffix.lower() != ".ods" else FORMAT_NAMES[ODS]
        raise UnreadableFile(Problem.make("damaged_file", file=path.name, format=kind_name)) from None
    return kind


def _column_number(letters: bytes) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + letter - ord("A") + 1
    return number


def _check_dimension(path: Path, head: bytes, limits: ReadLimits) -> None:
    """Refuse a sheet whose declared range (``<dimension ref="A1:XFD1048576"/>``) passes the limits."""
    found = _DIMENSION.search(head)
    if found is None:
        return
    first_col, first_row, last_col, last_row = found.groups()
    last_col, last_row = last_col or first_col, last_row or first_row
    if last_col is None or last_row is None:
        return
    columns = _column_number(last_col) - (_column_number(first_col) if first_col else 1) + 1
    rows = int(last_row)
    check_size(path, rows, max(columns, _column_number(last_col)), limits)


def check_size(path: Path, rows: int, columns: int, limits: ReadLimits) -> None:
    """Refuse a grid of ``rows`` × ``columns`` beyond the limits (the declared range or the read one)."""
    if columns > limits.columns:
        raise over("too_many_columns", path, columns, limits.columns, "JIENENG_IMPORT_MAX_COLUMNS")
    if rows > limits.rows:
        raise over("too_many_rows", path, rows, limits.rows, "JIENENG_IMPORT_MAX_ROWS")
    if rows * columns > limits.cells:
        raise over("too_many_cells", path, rows * columns, limits.cells, "JIENENG_IMPORT_MAX_CELLS")


def decode_utf16(data: bytes) -> str | None:
    """The text of UTF-16 bytes with a byte-order mark (Excel's “Unicode text”); None otherwise."""
    if not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None
    try:
        return data.decode("utf-16")
    except UnicodeDecodeError:
        return None


def delimiter(text: str) -> str:
    """``\\t`` when the first non-blank line has more tabs than commas (tab-separated text), else ``,``."""
    for line in text.splitlines():
        if line.strip():
            return "\t" if line.count("\t") > line.count(",") else ","
    return ","


class _Tables(HTMLParser):
    """The rows of the first ``<table>`` of an HTML page, each cell's text (``colspan`` repeated blank)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.rows: list[list[str | None]] = []
        self.depth = 0
        self.done = False
        self.cell: list[str] | None = None
        self.span = 1

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.done:
            return
        if tag == "table":
            self.depth += 1
        elif self.depth == 1 and tag == "tr":
            self.rows.append([])
        elif self.depth == 1 and tag in ("td", "th") and self.rows:
            self.cell = []
            span = dict(attrs).get("colspan") or "1"
            self.span = int(span) if span.isdigit() and 0 < int(span) <= 1000 else 1
        elif tag == "br" and self.cell is not None:
            self.cell.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if self.done:
            return
        if tag in ("td", "th") and self.cell is not None:
            value = " ".join("".join(self.cell).split())
            self.rows[-1].extend([value or None] + [None] * (self.span - 1))
            self.cell = None
        elif tag == "table":
            self.depth -= 1
            self.done = self.depth == 0 and bool(self.rows)

    def handle_data(self, data: str) -> None:
        if self.cell is not None:
            self.cell.append(data)


def html_rows(text: str) -> list[list[str | None]]:
    """The cells of the first HTML table of ``text``, row by row."""
    parser = _Tables()
    parser.feed(text)
    parser.close()
    return parser.rows


_SHEET = re.compile(rb'<(?:\w+:)?sheet\b[^>]*?\bname="([^"]*)"[^>]*?\br:id="([^"]+)"')
_RELATION = re.compile(rb'<Relationship\b[^>]*?\bId="([^"]+)"[^>]*?\bTarget="([^"]+)"')
_RELATION_REVERSED = re.compile(rb'<Relationship\b[^>]*?\bTarget="([^"]+)"[^>]*?\bId="([^"]+)"')
_CELL = re.compile(rb'<c\b[^>]*?\br="([A-Z]+[0-9]+)"[^>]*?(?:/>|>(.*?)</c>)', re.DOTALL)


def formulas_without_values(path: Path, sheet: str | None) -> list[str]:
    """The cells of an .xlsx ``sheet`` (default: the first) holding a formula with no stored result:
    what a program that writes formulas without computing them leaves (their cells read as blank)."""
    try:
        with zipfile.ZipFile(path) as archive:
            book = archive.read("xl/workbook.xml")
            relations = archive.read("xl/_rels/workbook.xml.rels")
            targets = dict(_RELATION.findall(relations))
            targets.update((rid, target) for target, rid in _RELATION_REVERSED.findall(relations))
            sheets = [(name.decode(), targets.get(rid, b"")) for name, rid in _SHEET.findall(book)]
            chosen = next((t for n, t in sheets if sheet is None or n == sheet), None)
            if not chosen:
                return []
            part = chosen.decode().lstrip("/")
            data = archive.read(part if part.startswith("xl/") else f"xl/{part}")
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, KeyError, ValueError, RuntimeError):
        return []
    if b"<f" not in data:  # the common case: no formula at all, decided at the speed of a byte search
        return []
    missing: list[str] = []
    for reference, inner in _CELL.findall(data):
        if inner and b"<f" in inner and b"<v" not in inner:
            missing.append(reference.decode())
    return missing
