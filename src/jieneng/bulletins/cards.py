"""Unit report cards (单位能耗报告单): one page per institution with its indicators, its rank among the
peers of its type in the region, and a chart; a region's batch made in the task worker, with its
progress, delivered as one .zip of Word files."""

from __future__ import annotations

import zipfile
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from django.conf import settings
from django_tasks import task

from jieneng.bulletins.models import CardBatch
from jieneng.core import wording
from jieneng.core.bulletin import ranks, region_figures
from jieneng.core.document import Document, Image, Paragraph, Table
from jieneng.directory.services import region_tree
from jieneng.io.writers.charts import bar_chart
from jieneng.io.writers.docx import write_docx
from jieneng.reference.bulletins import load_layout, load_rounding
from jieneng.statistics import figures

#: cards between two progress updates of a batch
PROGRESS_EVERY = 10


def unit_rows(code: str, year: int) -> list[dict[str, Any]]:
    """Every unit of region ``code`` and below with this year's and last year's sums and its rank among
    the units of its type (by energy per m², 1 = the lowest)."""
    codes = region_tree(code)["code"].to_list()
    frame, _used = figures.unit_figures(regions=codes, years=[year - 1, year], names=True)
    by_unit: dict[int, dict[str, Any]] = {}
    for row in frame.iter_rows(named=True):
        unit = by_unit.setdefault(
            row["org"], {"org": row["org"], "name": row["name"], "type": row["type_code"]}
        )
        unit["now" if row["year"] == year else "before"] = {k: row[k] for k in ("kgce", "area_m2", "persons")}
    r = load_rounding()
    units = [u for u in by_unit.values() if "now" in u]
    for u in units:
        u["figures"] = region_figures(str(u["org"]), u["name"], u["now"], u.get("before"), r)
    for type_code in {u["type"] for u in units}:
        peers = [u for u in units if u["type"] == type_code]
        ranked = ranks({u["org"]: u["figures"].per_m2 for u in peers})
        for u in peers:
            u["rank"], u["peers"] = ranked.get(u["org"]), len(peers)
            u["peer_values"] = [p["figures"].per_m2 for p in peers if p["figures"].per_m2 is not None]
    return sorted(units, key=lambda u: u["name"])


def card(unit: Mapping[str, Any], region: str, year: int) -> Document:
    r = load_rounding()
    f = unit["figures"]
    values = unit["peer_values"]
    rank = unit.get("rank")
    place = f"排第 {rank} 位" if rank else "未参加排名（缺少建筑面积）"
    table = Table(
        caption="",
        columns=("指标", f"{year}年", f"{year - 1}年", "比上年"),
        rows=[
            [
                "综合能耗（吨标准煤）",
                wording.fixed(f.kgce / 1000, 2),
                wording.fixed(f.kgce_prev / 1000, 2) if f.kgce_prev is not None else "—",
                wording.change(f.energy_change, r),
            ],
            [
                "单位建筑面积能耗（千克标准煤/m²）",
                wording.figure(f.per_m2, "intensity", r),
                wording.figure(f.per_m2_prev, "intensity", r),
                wording.change(f.per_m2_change, r),
            ],
            [
                "人均综合能耗（千克标准煤/人）",
                wording.figure(f.per_person, "intensity", r),
                wording.figure(f.per_person_prev, "intensity", r),
                wording.change(f.per_person_change, r),
            ],
        ],
        widths=(3.8, 1.1, 1.1, 1.3),
        numeric=(1, 2),
    )
    blocks: list[Any] = [
        Paragraph(
            f"{year}年，本单位综合能耗 {wording.amount(f.kgce, 'kgce', r)}，单位建筑面积能耗 "
            f"{wording.figure(f.per_m2, 'intensity', r)} 千克标准煤/平方米，在{region}同类单位（"
            f"{wording.count(unit['peers'], '单位')}）中{place}。"
        ),
        table,
    ]
    if values and f.per_m2 is not None:
        average = sum(values) / len(values)
        png = bar_chart(
            ["本单位", "同类平均", "同类最低"], [f.per_m2, average, min(values)], "千克标准煤/平方米", dpi=110
        )
        blocks.append(Image(png, 90.0, "单位建筑面积能耗与同类单位比较"))
    return Document(title=f"{unit['name']}\n{year}年能耗情况报告单", blocks=blocks)


def write_batch(batch: CardBatch, progress: Callable[[int, int], None] | None = None) -> Path:
    """Every card of the batch's region as one .zip of Word files; its path."""
    units = unit_rows(batch.region.code, batch.year)
    total = len(units)
    folder = Path(settings.DATA_DIR) / "documents"
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"cards-{batch.pk}.zip"
    layout = load_layout()
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for done, unit in enumerate(units, start=1):
            data = write_docx(card(unit, batch.region.name, batch.year), layout)
            archive.writestr(f"{done:04d}-{unit['name']}.docx", data)
            if progress and (done % PROGRESS_EVERY == 0 or done == total):
                progress(done, total)
    return target


def _store_progress(batch: CardBatch) -> Callable[[int, int], None]:
    def store(done: int, total: int) -> None:
        CardBatch.objects.filter(pk=batch.pk).update(done=done, total=total)

    return store


@task()
def card_batch_task(batch_id: int) -> str:
    """Make the cards of batch ``batch_id``; its status and file are on the batch."""
    batch = CardBatch.objects.select_related("region").get(pk=batch_id)
    CardBatch.objects.filter(pk=batch.pk).update(status=CardBatch.Status.RUNNING)
    try:
        path = write_batch(batch, _store_progress(batch))
    except Exception as exc:
        CardBatch.objects.filter(pk=batch.pk).update(status=CardBatch.Status.FAILED, error=str(exc)[:500])
        raise
    CardBatch.objects.filter(pk=batch.pk).update(status=CardBatch.Status.DONE, file=str(path.name))
    return str(path.name)


def archive_bytes(batch: CardBatch) -> bytes:
    return (Path(settings.DATA_DIR) / "documents" / batch.file).read_bytes()
