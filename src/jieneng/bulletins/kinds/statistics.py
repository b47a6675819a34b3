"""The statistics bulletin (统计公报): every region's energy, intensities and change on last year.

The snapshot holds the sums of the region, of the regions directly below it and of those below them
(for the annex table), this year's and last year's, read from :mod:`jieneng.statistics.figures`; the
composition rounds as :func:`jieneng.reference.bulletins.load_rounding` says.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext_lazy as _

from jieneng.bulletins.kinds import Kind, Snapshot, document, register
from jieneng.core import wording
from jieneng.core.bulletin import RegionFigures, region_figures
from jieneng.core.document import Document, Image, Table
from jieneng.core.fill import fill
from jieneng.directory.models import Region
from jieneng.directory.services import region_tree
from jieneng.io.writers.charts import bar_chart
from jieneng.reference.bulletins import load_rounding
from jieneng.statistics import figures

FIELDS = (
    "region", "year", "units", "energy", "energy_change", "per_m2", "per_m2_change", "per_person",
    "per_person_change", "regions_count", "falling", "rising", "lowest", "highest", "coefficients",
)  # fmt: skip
MARKERS = ("regions", "annex", "per_m2")
_KEEP = ("kgce", "area_m2", "persons", "units")


#: the code of the whole country (no division of GB/T 2260): its provinces, their cities in the annex
NATIONAL = "000000"


def _tree(code: str) -> list[dict[str, Any]]:
    """The region, the regions below it and those below them: ``code, name, level, parent_code``."""
    if code != NATIONAL:
        return [r for r in region_tree(code).iter_rows(named=True) if r["level"] <= region_level(code) + 2]
    provinces = Region.objects.current().filter(parent__isnull=True).order_by("code")
    cities = Region.objects.current().filter(parent__in=provinces).order_by("code")
    top = {"code": NATIONAL, "name": "全国", "level": 0, "parent_code": None}
    return [
        top,
        *({"code": p.code, "name": p.name, "level": p.level, "parent_code": NATIONAL} for p in provinces),
        *(
            {"code": c.code, "name": c.name, "level": c.level, "parent_code": c.parent.code}
            for c in cities.select_related("parent")
            if c.parent is not None
        ),
    ]


def region_level(code: str) -> int:
    found = Region.objects.current().filter(code=code).values_list("level", flat=True).first()
    return int(found or 0)


def snapshot(code: str, period: str) -> Snapshot:
    year = int(period)
    rows = _tree(code)
    top = rows[0]
    children = [r for r in rows if r["parent_code"] == code]
    child_codes = {r["code"] for r in children}
    grandchildren = [r for r in rows if r["parent_code"] in child_codes]
    codes = [r["code"] for r in (*children, *grandchildren)] + ([] if code == NATIONAL else [code])
    frame, used = figures.region_sums(codes, [year - 1, year])
    sums: dict[tuple[str, int], dict[str, Any]] = {
        (r["region"], r["year"]): {k: r[k] for k in _KEEP} for r in frame.iter_rows(named=True)
    }
    if code == NATIONAL:  # the country is the sum of its provinces
        for y in (year - 1, year):
            parts = [sums[(c, y)] for c in child_codes if (c, y) in sums]
            if parts:
                sums[(NATIONAL, y)] = {k: sum(p[k] or 0 for p in parts) for k in _KEEP}

    def entry(row: Mapping[str, Any]) -> dict[str, Any]:
        return {
            "code": row["code"],
            "name": row["name"],
            "level": row["level"],
            "parent": row["parent_code"],
            "now": sums.get((row["code"], year)),
            "before": sums.get((row["code"], year - 1)),
        }

    return {
        "kind": "statistics",
        "year": year,
        "region": entry(top),
        "children": [entry(r) for r in children],
        "annex": [entry(r) for r in grandchildren],
        "coefficients": used,
        "rounding": load_rounding().ref,
    }


def _figures(entry: Mapping[str, Any]) -> RegionFigures:
    return region_figures(entry["code"], entry["name"], entry["now"], entry["before"], load_rounding())


def _signed(value: float | None) -> str:
    return wording.figure(value, "rate", load_rounding())


def _row(f: RegionFigures, name: str | None = None) -> list[str]:
    r = load_rounding()
    return [
        name or f.name,
        str(f.units),
        wording.fixed(f.kgce / 1000, r.places("energy")),
        _signed(f.energy_change),
        wording.figure(f.per_m2, "intensity", r),
        _signed(f.per_m2_change),
        wording.figure(f.per_person, "intensity", r),
        _signed(f.per_person_change),
    ]


COLUMNS = (
    "地区", "单位数", "能耗总量（吨标准煤）", "比上年（%）", "单位面积能耗（千克标准煤/m²）",
    "比上年（%）", "人均能耗（千克标准煤/人）", "比上年（%）",
)  # fmt: skip
WIDTHS = (2.1, 0.9, 1.7, 1.5, 1.8, 1.5, 1.8, 1.5)


def compose(data: Snapshot, template: Mapping[str, Any]) -> Document:
    r = load_rounding()
    top = _figures(data["region"])
    children = [_figures(e) for e in data["children"] if e["now"]]
    level = data["children"][0]["level"] if data["children"] else data["region"]["level"] + 1
    measure = r.measures.get(level, "地区")
    ranked = sorted((f for f in children if f.per_m2 is not None), key=lambda f: f.per_m2 or 0.0)
    none = "无"
    values = {
        "region": top.name,
        "year": str(data["year"]),
        "units": str(top.units),
        "energy": wording.amount(top.kgce, "kgce", r),
        "energy_change": wording.change(top.energy_change, r),
        "per_m2": wording.figure(top.per_m2, "intensity", r),
        "per_m2_change": wording.change(top.per_m2_change, r),
        "per_person": wording.figure(top.per_person, "intensity", r),
        "per_person_change": wording.change(top.per_person_change, r),
        "regions_count": wording.count(len(children), measure),
        "falling": wording.joined(f.name for f in children if (f.per_m2_change or 0) < 0) or none,
        "rising": wording.joined(f.name for f in children if (f.per_m2_change or 0) > 0) or none,
        "lowest": ranked[0].name if ranked else none,
        "highest": ranked[-1].name if ranked else none,
        "coefficients": data["coefficients"] or none,
    }
    tables = {
        "regions": Table(
            caption=f"表1  {top.name}{data['year']}年各{measure}公共机构能源消费情况",
            columns=COLUMNS,
            rows=[_row(top, "合计"), *(_row(f) for f in children)],
            widths=WIDTHS,
            numeric=tuple(range(1, 8)),
        )
    }
    annex = [e for e in data["annex"] if e["now"]]
    if annex:
        names = {e["code"]: e["name"] for e in data["children"]}
        tables["annex"] = Table(
            caption=f"附表  各{r.measures.get(level + 1, '地区')}公共机构能源消费情况",
            columns=COLUMNS,
            rows=[_row(_figures(e), f"{names.get(e['parent'], '')} {e['name']}") for e in annex],
            widths=WIDTHS,
            numeric=tuple(range(1, 8)),
        )

    def chart() -> Image | None:
        if not ranked:
            return None
        png = bar_chart([f.name for f in ranked], [f.per_m2 or 0.0 for f in ranked], "千克标准煤/平方米")
        return Image(png, 140.0, f"图1  各{measure}单位建筑面积能耗")

    blocks = fill(template["blocks"], values, tables, {"per_m2": chart})
    return document(template, values, blocks, data)


KIND = register(
    Kind(
        code="statistics",
        name=_("Statistics bulletin"),
        fields=FIELDS,
        markers=MARKERS,
        snapshot=snapshot,
        compose=compose,
        period_help=_("A year, e.g. 2025."),
    )
)
