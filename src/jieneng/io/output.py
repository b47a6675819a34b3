"""Writing results: an aligned text table for people, CSV for Excel, JSON for programs.

Every output names the coefficient set it was computed with: JSON has a ``provenance`` object,
CSV a ``coefficient_set`` column, the table a footer line. Numbers are rounded here and only here:
tce to 4 decimals in CSV and JSON, fewer in the table.
"""

from __future__ import annotations

import csv
import json
import unicodedata
from collections.abc import Mapping, Sequence
from typing import Any, TextIO

import polars as pl

from jieneng.core.errors import gettext_noop
from jieneng.i18n import gettext

FORMATS = ("table", "csv", "json")

#: column labels for the table (gettext msgids); CSV and JSON keep the column names
LABELS = {
    "row": gettext_noop("Row"),
    "org": gettext_noop("Organisation"),
    "region": gettext_noop("Region"),
    "year": gettext_noop("Year"),
    "quarter": gettext_noop("Quarter"),
    "month": gettext_noop("Month"),
    "energy_type": gettext_noop("Energy type"),
    "quantity": gettext_noop("Quantity"),
    "unit": gettext_noop("Unit of measure"),
    "cost": gettext_noop("Cost [yuan]"),
    "energy_code": gettext_noop("Energy code"),
    "kgce": gettext_noop("kgce"),
    "tce": gettext_noop("Energy [tce]"),
    "kgce_excl_vehicle": gettext_noop("kgce excl. vehicles"),
    "units": gettext_noop("Units"),
    "water_m3": gettext_noop("Water [m³]"),
    "persons": gettext_noop("Energy users"),
    "area_m2": gettext_noop("Building area [m²]"),
    "kgce_per_person": gettext_noop("kgce/person"),
    "kgce_per_m2": gettext_noop("kgce/m²"),
    "kgce_per_m2_excl_vehicle": gettext_noop("kgce/m² excl. vehicles"),
    "water_per_person": gettext_noop("Water m³/person"),
    "tco2": gettext_noop("CO₂ [tCO₂]"),
    "kgco2": gettext_noop("kgCO₂"),
    "kgco2_per_person": gettext_noop("kgCO₂/person"),
    "kgco2_per_m2": gettext_noop("kgCO₂/m²"),
    "co2_data_year": gettext_noop("Factor data year"),
    "emission_factors": gettext_noop("Emission-factor set"),
    "kind": gettext_noop("Kind"),
    "level": gettext_noop("Level"),
    "area": gettext_noop("Area"),
    "variant": gettext_noop("Variant"),
    "parameters": gettext_noop("Parameters"),
    "id": gettext_noop("Coefficient set"),
    "version": gettext_noop("Version"),
    "title": gettext_noop("Title"),
    "extends": gettext_noop("Extends"),
    "energy": gettext_noop("Energy code"),
    "name": gettext_noop("Energy type"),
    "value": gettext_noop("Value"),
    "per": gettext_noop("Unit of measure"),
    "range": gettext_noop("Range"),
    "clause": gettext_noop("Source clause"),
    "status": gettext_noop("Status"),
    "defined_in": gettext_noop("Defined in"),
}
_YOY = gettext_noop("%(label)s YoY %%")
_SHARE = gettext_noop("%(name)s %%")
_ENERGY_TCE = gettext_noop("%(name)s tce")
FOOTER = gettext_noop("Coefficient set: %(set)s")


def decimals(column: str, *, table: bool = False) -> int | None:
    """Decimals a float column is rounded to; None leaves it as it is (input quantities)."""
    if column in ("quantity", "value"):
        return None
    if column.endswith("_yoy") or column.startswith("share_"):
        return 1 if table else 2
    if column in ("tce", "tco2") or column.startswith("tce_"):
        return 2 if table else 4
    if column in ("kgce", "kgce_excl_vehicle", "kgco2"):
        return 0 if table else 2
    return 2


def rounded(frame: pl.DataFrame, *, table: bool = False) -> pl.DataFrame:
    exprs = []
    for name, dtype in frame.schema.items():
        places = decimals(name, table=table)
        if dtype.is_float() and places is not None:
            exprs.append(pl.col(name).round(places))
    return frame.with_columns(exprs) if exprs else frame


def write_csv(frame: pl.DataFrame, out: TextIO, coefficient_set: str | None) -> None:
    """CSV with a header row; a ``coefficient_set`` column naming ``id@version`` when given."""
    data = rounded(frame)
    if coefficient_set is not None:
        data = data.with_columns(pl.lit(coefficient_set).alias("coefficient_set"))
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(data.columns)
    for row in data.iter_rows():
        writer.writerow(["" if value is None else _plain(value) for value in row])


def _plain(value: Any) -> Any:
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def write_json(frame: pl.DataFrame, out: TextIO, provenance: Mapping[str, Any], **extra: Any) -> None:
    """``{"provenance": {...}, "rows": [...], **extra}``, UTF-8 text, indented."""
    document = {"provenance": dict(provenance), "rows": rounded(frame).to_dicts(), **extra}
    json.dump(document, out, ensure_ascii=False, indent=2)
    out.write("\n")


def label(column: str, names: Mapping[str, str]) -> str:
    """The table header of ``column`` in the active language; ``names`` maps energy codes to names."""
    if column.endswith("_yoy"):
        return str(gettext(_YOY)) % {"label": label(column.removesuffix("_yoy"), names)}
    if column.startswith("share_"):
        return str(gettext(_SHARE)) % {"name": names.get(column.removeprefix("share_"), column)}
    if column.startswith("tce_"):
        return str(gettext(_ENERGY_TCE)) % {"name": names.get(column.removeprefix("tce_"), column)}
    return gettext(LABELS[column]) if column in LABELS else column


def write_table(
    frame: pl.DataFrame,
    out: TextIO,
    *,
    names: Mapping[str, str] | None = None,
    footer: Sequence[str] = (),
) -> None:
    """An aligned text table (CJK characters count two columns), numbers right-aligned."""
    data = rounded(frame, table=True)
    headers = [label(column, names or {}) for column in data.columns]
    numeric = [dtype.is_numeric() for dtype in data.dtypes]
    places = [decimals(c, table=True) for c in data.columns]
    body = [[_cell(value, places[i]) for i, value in enumerate(row)] for row in data.iter_rows()]
    widths = [max([_width(h), *(_width(r[i]) for r in body)]) for i, h in enumerate(headers)]
    out.write(_line(headers, widths, [False] * len(headers)) + "\n")
    out.write("  ".join("-" * w for w in widths) + "\n")
    for row in body:
        out.write(_line(row, widths, numeric) + "\n")
    for line in footer:
        out.write(line + "\n")


def _cell(value: Any, places: int | None) -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        if places is None:
            return f"{value:,.10g}" if abs(value) < 1e15 else str(value)
        return f"{value:,.{places}f}"
    return str(value)


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _line(cells: Sequence[str], widths: Sequence[int], right: Sequence[bool]) -> str:
    parts = []
    for text, width, align_right in zip(cells, widths, right, strict=True):
        pad = " " * (width - _width(text))
        parts.append(pad + text if align_right else text + pad)
    return "  ".join(parts).rstrip()
