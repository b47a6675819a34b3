"""An official document as data: its layout (GB/T 9704-2012, from a reference file) and its blocks.

The writers of :mod:`jieneng.io.writers` turn a :class:`Document` into .docx, .pdf and .xlsx; the kinds
of :mod:`jieneng.bulletins` compose one from the figures. Nothing here knows Django or a file format.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from jieneng.core.errors import ReferenceDataError

#: the roles of the fonts a document uses (GB/T 9704: title 小标宋, body 仿宋, 一、 黑体, （一） 楷体)
FONT_ROLES = ("mark", "title", "body", "heading1", "heading2", "page_number", "table")


@dataclass(frozen=True)
class Font:
    """A font role: the official face, the free faces to fall back to (in order), its size [pt]."""

    official: str
    fallbacks: tuple[str, ...]
    size_pt: float
    bold: bool = False

    def pick(self, installed: frozenset[str]) -> str:
        """The official face when installed, else the first installed fallback (else the last one)."""
        for face in (self.official, *self.fallbacks):
            if face in installed:
                return face
        return self.fallbacks[-1] if self.fallbacks else self.official


@dataclass(frozen=True)
class Layout:
    """Page, margins [mm], the grid (lines × characters) and the fonts of a document layout."""

    id: str
    version: str
    page_mm: tuple[float, float]
    margins_mm: Mapping[str, float]
    lines: int
    chars: int
    footer_mm: float
    red: str
    fonts: Mapping[str, Font]

    @property
    def ref(self) -> str:
        return f"{self.id}@{self.version}"

    @property
    def type_area_mm(self) -> tuple[float, float]:
        m = self.margins_mm
        return (self.page_mm[0] - m["left"] - m["right"], self.page_mm[1] - m["top"] - m["bottom"])

    @property
    def line_pt(self) -> float:
        """The exact line pitch that puts :attr:`lines` lines in the type area's height."""
        return self.type_area_mm[1] / 25.4 * 72 / self.lines

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> Layout:
        try:
            fonts = {
                role: Font(
                    official=str(spec["official"]),
                    fallbacks=tuple(str(f) for f in spec["fallbacks"]),
                    size_pt=float(spec["size_pt"]),
                    bold=bool(spec.get("bold", False)),
                )
                for role, spec in data["fonts"].items()
            }
            layout = cls(
                id=str(data["id"]),
                version=str(data["version"]),
                page_mm=(float(data["page"]["width_mm"]), float(data["page"]["height_mm"])),
                margins_mm={k: float(data["margins_mm"][k]) for k in ("top", "bottom", "left", "right")},
                lines=int(data["grid"]["lines"]),
                chars=int(data["grid"]["chars"]),
                footer_mm=float(data["page"]["footer_mm"]),
                red=str(data["colours"]["red"]),
                fonts=fonts,
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise ReferenceDataError(table="layout", problem=f"missing or bad entry: {exc}") from exc
        missing = [r for r in FONT_ROLES if r not in fonts]
        if missing:
            raise ReferenceDataError(table=layout.id, problem=f"no font for {', '.join(missing)}")
        return layout


# --- blocks -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Heading:
    """一、 (level 1, 黑体) or （一） (level 2, 楷体): the text includes its numeral."""

    text: str
    level: int = 1


@dataclass(frozen=True)
class Paragraph:
    """A body paragraph, first line indented two characters."""

    text: str
    indent: bool = True


@dataclass(frozen=True)
class Table:
    """A table: a caption, column headers, rows of text cells, relative column widths."""

    caption: str
    columns: Sequence[str]
    rows: Sequence[Sequence[str]]
    widths: Sequence[float] = ()
    #: columns whose cells are numbers (right-aligned, written as numbers in .xlsx)
    numeric: Sequence[int] = ()


@dataclass(frozen=True)
class Image:
    """A picture (PNG bytes) as wide as ``width_mm`` with a caption below it."""

    png: bytes
    width_mm: float
    caption: str = ""


@dataclass(frozen=True)
class PageBreak:
    pass


Block = Heading | Paragraph | Table | Image | PageBreak


@dataclass(frozen=True)
class Document:
    """An official document: 发文机关标志 (empty for a plain one), 发文字号, title, 主送机关, the body,
    the signature and 成文日期, and the 版记 (抄送, 印发机关 and date)."""

    title: str
    blocks: Sequence[Block]
    mark: str = ""
    number: str = ""
    addressee: str = ""
    signature: str = ""
    date: str = ""
    copy_to: str = ""
    printed_by: str = ""
    printed_on: str = ""
    #: notes for the reader of the file (e.g. the official fonts that were not installed)
    notes: Sequence[str] = field(default_factory=tuple)

    @property
    def red(self) -> bool:
        """Whether the document has the red header (发文机关标志 and the red line)."""
        return bool(self.mark)

    def tables(self) -> list[Table]:
        return [b for b in self.blocks if isinstance(b, Table)]
