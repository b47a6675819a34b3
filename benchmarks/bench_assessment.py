"""Benchmark: finalising a national assessment round the way the platform does, against reading its
inputs alone.

    python3 tasks.py bench bench_assessment [--parties N] [--repeat R]

A national round assesses every province, city and county: about 3,200 parties against a 60-item
scheme (:func:`bench_scoring.national_scheme`). The target item is computed from the roll-ups (each
region's energy and floor area in the year and in the base year, one row per region, as
``statistics.figures`` returns them); the other 59 items are the parties' stored entries. Times, in
the same run:

* baseline — reading the inputs alone: the roll-up frame and every party's entries turned into rows;
* finalising — the completion inputs computed from the roll-ups, each party's input row built from its
  entries (:func:`jieneng.assessment.services.input_rows`) and the round scored by the core
  (:func:`jieneng.assessment.services.score_rows`).

Reports the median of R runs and the ratio finalising / baseline. Goal (issue 13): ratio ≤ 3. The
database writes of the results are left out (they are the same bulk insert whatever the scheme).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import numpy as np
import polars as pl

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_scoring import median_seconds, national_scheme


def _django() -> None:
    os.environ.setdefault("JIENENG_DATA_DIR", tempfile.mkdtemp())
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jieneng.web.settings")
    import django

    django.setup()


def rollups(parties: int, seed: int = 13) -> pl.DataFrame:
    """Each region's energy [kgce] and floor area [m²] in the year and the base year."""
    rng = np.random.default_rng(seed)
    area = rng.uniform(1e5, 1e7, parties)
    base = area * rng.uniform(15, 25, parties)
    return pl.DataFrame(
        {
            "region": [f"{n:06d}" for n in range(parties)],
            "base_kgce": base,
            "base_area": area,
            "kgce": base * rng.uniform(0.92, 1.0, parties),
            "area": area * rng.uniform(1.0, 1.03, parties),
            "required": rng.uniform(2, 5, parties),
        }
    )


def entries(scheme: Any, parties: int, seed: int = 14) -> list[dict[str, SimpleNamespace]]:
    """The stored entries of every party (as the Entry rows hold them), without the target item."""
    rng = np.random.default_rng(seed)
    out = []
    for _party in range(parties):
        own = {}
        for iid, item in scheme.items.items():
            if item.method == "completion":
                continue
            inputs: dict[str, float] = {}
            value: float | None = None
            if item.method == "ratio":
                inputs = {"value": float(rng.uniform(8, 12)), "peer": 10.0}
            elif item.method == "yes_no":
                value = float(rng.random() < 0.8)
            elif item.method == "count":
                value = float(rng.integers(0, 6))
            else:
                value = round(float(rng.uniform(0, item.points)), 1)
            own[iid] = SimpleNamespace(
                item=iid, value=value, inputs=inputs, verified=None, verified_inputs=None
            )
        out.append(own)
    return out


def baseline(frame: pl.DataFrame, stored: list[dict[str, SimpleNamespace]]) -> list[dict[str, Any]]:
    """Reading the inputs alone: the roll-up rows and every entry's value."""
    regions = frame.rows(named=True)
    return [
        {"region": r["region"], **{iid: e.inputs or e.value for iid, e in own.items()}}
        for r, own in zip(regions, stored, strict=True)
    ]


def finalise(scheme: Any, frame: pl.DataFrame, stored: list[dict[str, SimpleNamespace]]) -> pl.DataFrame:
    from jieneng.assessment import services

    target = next(i for i in scheme.items.values() if i.method == "completion")
    reached = frame.select(
        pl.col("required"),
        (100 * (1 - (pl.col("kgce") / pl.col("area")) / (pl.col("base_kgce") / pl.col("base_area")))).alias(
            "reached"
        ),
    ).rows()
    rows = []
    for n, ((required, actual), own) in enumerate(zip(reached, stored, strict=True)):
        entry = SimpleNamespace(
            item=target.id,
            value=None,
            inputs={"target": required, "actual": actual},
            verified=None,
            verified_inputs=None,
        )
        rows.append((n, f"地区{n:04d}", {**own, target.id: entry}))
    scored, _problems = services.score_rows(scheme, services.input_rows(scheme, rows))  # type: ignore[arg-type]
    return scored


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--parties", type=int, default=3_200)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    _django()
    scheme = national_scheme()
    frame = rollups(args.parties)
    stored = entries(scheme, args.parties)
    result = finalise(scheme, frame, stored)  # warm up
    read = median_seconds(lambda: baseline(frame, stored), args.repeat)
    final = median_seconds(lambda: finalise(scheme, frame, stored), args.repeat)
    print(f"scheme {scheme.ref}: {len(scheme.items)} items, {args.parties} parties")
    print(f"baseline (read inputs)   {read * 1000:8.1f} ms")
    print(f"finalising               {final * 1000:8.1f} ms")
    print(f"ratio                    {final / read:8.2f}   (goal ≤ 3)")
    print("grades:", dict(result.group_by("grade").len().iter_rows()))


if __name__ == "__main__":
    main()
