"""How an office writes its figures in a document: pure functions, no Django.

Numbers carry their unit and, past a threshold, a Chinese scale word (``1.23 万吨标准煤``, ``3.4 亿千瓦时``);
names are joined with 、; counts read ``5 个市``; dates ``2017年4月7日`` (no leading zeros); changes
``下降 16.12%`` or ``上升 2.05%``. The number of decimals of each kind of figure is reference data
(:class:`Rounding`, loaded by :func:`jieneng.reference.bulletins.load_rounding`): intensities are kept to 4
decimals while computing and published to 3, rates to 2. Rounding is half up on the decimal value, as a
person with a calculator rounds, not Python's round-half-even on the binary float.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from jieneng.core.errors import ReferenceDataError

#: Chinese numerals of the headings 一、 二、 … (up to 二十)
_NUMERALS = "一二三四五六七八九十"


@dataclass(frozen=True)
class Scale:
    """A unit written with a scale word once a value reaches ``factor``: kgce → 万吨标准煤 at 10⁷ kgce."""

    factor: float
    unit: str


@dataclass(frozen=True)
class Rounding:
    """Decimals per kind of figure, and the units with their scale words (from a reference file)."""

    id: str
    version: str
    decimals: Mapping[str, int]
    computing: Mapping[str, int]
    units: Mapping[str, tuple[Scale, ...]] = field(default_factory=dict)
    #: the measure word of the regions of a level (2 → 市, 3 → 县（市、区）)
    measures: Mapping[int, str] = field(default_factory=dict)

    @property
    def ref(self) -> str:
        return f"{self.id}@{self.version}"

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> Rounding:
        try:
            units = {
                name: tuple(
                    Scale(float(s["factor"]), str(s["unit"]))
                    for s in sorted(scales, key=lambda s: -float(s["factor"]))
                )
                for name, scales in data.get("units", {}).items()
            }
            return cls(
                id=str(data["id"]),
                version=str(data["version"]),
                decimals={str(k): int(v) for k, v in data["published"].items()},
                computing={str(k): int(v) for k, v in data["computing"].items()},
                units=units,
                measures={int(k): str(v) for k, v in data.get("measures", {}).items()},
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise ReferenceDataError(table="rounding", problem=f"missing or bad entry: {exc}") from exc

    def places(self, kind: str, *, computing: bool = False) -> int:
        table = self.computing if computing else self.decimals
        if kind not in table:
            raise ReferenceDataError(table=self.id, problem=f"no decimals for the figures {kind!r}")
        return table[kind]


def round_half_up(value: float, places: int) -> Decimal:
    """``value`` rounded half up to ``places`` decimals, from its shortest decimal form."""
    step = Decimal(1).scaleb(-places)
    return Decimal(repr(float(value))).quantize(step, rounding=ROUND_HALF_UP)


def fixed(value: float, places: int) -> str:
    """``value`` with exactly ``places`` decimals (half up), ``-0`` written ``0``."""
    out = round_half_up(value, places)
    if out == 0:
        out = abs(out)
    return f"{out:.{places}f}"


def figure(value: float | None, kind: str, rounding: Rounding, *, dash: str = "—") -> str:
    """A published figure of ``kind`` (``intensity``, ``rate``, ``energy``…); ``dash`` when missing."""
    if value is None:
        return dash
    return fixed(value, rounding.places(kind))


def amount(value: float, unit: str, rounding: Rounding, kind: str = "energy") -> str:
    """``value`` in base ``unit`` written with the largest scale word it reaches: ``1.23 万吨标准煤``."""
    for scale in rounding.units.get(unit, ()):
        if abs(value) >= scale.factor:
            return f"{fixed(value / scale.factor, rounding.places(kind))} {scale.unit}"
    base = rounding.units.get(unit)
    name = base[-1].unit if base and base[-1].factor == 1 else unit
    return f"{fixed(value, rounding.places(kind))} {name}"


def change(percent: float | None, rounding: Rounding, *, up: str = "上升", down: str = "下降") -> str:
    """A change in per cent as an office writes it: ``下降 16.12%``, ``上升 2.05%``, ``持平``."""
    if percent is None:
        return "无上年数据"
    places = rounding.places("rate")
    rounded = round_half_up(percent, places)
    if rounded == 0:
        return "持平"
    word = down if rounded < 0 else up
    return f"{word} {fixed(abs(float(rounded)), places)}%"


def joined(names: Iterable[str]) -> str:
    """Names joined with the enumeration comma: ``石家庄、唐山、保定``."""
    return "、".join(n for n in names if n)


def count(n: int, measure: str) -> str:
    """A count with its measure word and noun: ``count(5, "市")`` → ``5 个市``."""
    return f"{n} 个{measure}"


def chinese_date(day: date) -> str:
    """``2017年4月7日``: Arabic numerals, no leading zeros (GB/T 9704 成文日期)."""
    return f"{day.year}年{day.month}月{day.day}日"


def document_number(prefix: str, year: int, sequence: int) -> str:
    """发文字号 ``冀公节能办〔2017〕4号``: the year in 〔〕, no leading zeros, no 第."""
    if sequence < 1:
        raise ValueError("a document number starts at 1")
    return f"{prefix}〔{year}〕{sequence}号"


def heading_numeral(index: int) -> str:
    """The numeral of the ``index``-th (from 1) first-level heading: 一 … 十, 十一 … 二十."""
    if not 1 <= index <= 20:
        raise ValueError("headings are numbered 一 to 二十")
    if index <= 10:
        return _NUMERALS[index - 1]
    return "十" + _NUMERALS[index - 11] if index < 20 else "二十"


def laggards_sentence(names: Iterable[str], measure: str, action: str, *, lead: str = "还有") -> str:
    """``还有邢台、邯郸 2 个市没有召开……``: the problem sentence naming who has not done ``action``;
    empty when everyone has."""
    listed = [n for n in names if n]
    if not listed:
        return ""
    return f"{lead}{joined(listed)} {count(len(listed), measure)}{action}。"
