"""Benchmark: scoring a national assessment round, against reading its inputs alone.

    python3 tasks.py bench bench_scoring [--parties N] [--repeat R]

A national round assesses every province, city and county: about 3,200 parties against a 60-item
scheme (the 2007 target item with its bands, over-achievement bonus and veto, and 59 measures scored
by hand, yes/no, counts and ratios against peers). Times, in the same run and on the same rows:

* baseline — building the input frame from the parsed rows, as :func:`jieneng.io.assessment.read_assessment`
  does after reading the cells (the range targets parsed to their lower bounds);
* scoring — :func:`jieneng.core.scoring.score`: item scores, bonus, totals, grades, vetoes and their
  reasons, ranks and consequences.

Reports the median of R runs of each and the ratio scoring / baseline. Goal (issue 13): ratio ≤ 3.
Timing asserts do not belong in the test suite.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from typing import Any

import numpy as np
import polars as pl

from jieneng.core.scoring import Scheme, build_scheme, merge, score, target_value
from jieneng.reference.schemes import load_scheme


def national_scheme() -> Scheme:
    """60 items: the 2007 target item and 59 measures (19 by hand, 20 yes/no, 10 counts, 10 ratios)."""
    base = load_scheme("gf2007-36-province")
    target = next(i for i in base.items.values() if i.method == "completion")
    bands = [{"from": b.low, "points": b.points, **({"to": b.high} if b.high else {})} for b in target.bands]
    over = {"step": 0.1, "points": 3, "max": 9}
    items: list[dict[str, Any]] = [
        {
            "id": target.id,
            "group": "target",
            "points": 40,
            "method": "completion",
            "bands": bands,
            "over": over,
        }
    ]
    items += [{"id": f"hand_{n}", "group": "measures", "points": 2, "method": "hand"} for n in range(19)]
    items += [{"id": f"yes_{n}", "group": "measures", "points": 0.5, "method": "yes_no"} for n in range(20)]
    items += [
        {"id": f"count_{n}", "group": "measures", "points": 0.6, "method": "count", "per": 0.2}
        for n in range(10)
    ]
    ratio_bands = [
        {"to": 0.9, "points": 0.6},
        {"from": 0.9, "to": 1.1, "points": 0.3},
        {"from": 1.1, "points": 0},
    ]
    items += [
        {"id": f"ratio_{n}", "group": "measures", "points": 0.6, "method": "ratio", "bands": ratio_bands}
        for n in range(10)
    ]
    data = {
        "id": "national-60",
        "version": "bench",
        "points": 100,
        "groups": [{"id": "target", "points": 40}, {"id": "measures", "points": 60}],
        "items": items,
        "grades": [{"name": g.name, "min": g.min} for g in base.grades],
        "vetoes": [{"items": [target.id], "when": "target_missed", "grade": "未完成", "reason": "{item}"}],
        "consequences": [{"grade": c.grade, "kind": c.kind, "text": c.text} for c in base.consequences],
    }
    return build_scheme(merge(data, None))


def rows(scheme: Scheme, parties: int, seed: int = 13) -> list[dict[str, Any]]:
    """Parsed rows of a round, as the reader produces them (targets still text, as written)."""
    rng = np.random.default_rng(seed)
    columns = {"row": list(range(3, parties + 3)), "party": [f"地区{n:04d}" for n in range(parties)]}
    data: dict[str, Any] = dict(columns)
    for column, kind, item in scheme.inputs():
        if kind == "target":
            data[column] = [f"-{t:.1f}~-{t + 0.5:.1f}" for t in rng.uniform(2, 5, parties)]
        elif kind == "actual":
            data[column] = (-rng.uniform(1, 6, parties)).tolist()
        elif kind == "yes_no":
            data[column] = (rng.random(parties) < 0.8).tolist()
        elif kind == "count":
            data[column] = rng.integers(0, 6, parties).astype(float).tolist()
        elif kind in ("value", "peer"):
            data[column] = rng.uniform(8, 12, parties).tolist()
        else:
            data[column] = np.round(rng.uniform(0, item.points, parties), 1).tolist()
    names = list(data)
    return [dict(zip(names, values, strict=True)) for values in zip(*data.values(), strict=True)]


def baseline(scheme: Scheme, parsed: list[dict[str, Any]]) -> pl.DataFrame:
    targets = [c for c, kind, _i in scheme.inputs() if kind == "target"]
    records = [{**row, **{c: target_value(row[c]) for c in targets}} for row in parsed]
    return pl.DataFrame(records)


def median_seconds(job: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        job()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--parties", type=int, default=3_200)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    scheme = national_scheme()
    parsed = rows(scheme, args.parties)
    frame = baseline(scheme, parsed)
    score(scheme, frame)  # warm up Polars
    read = median_seconds(lambda: baseline(scheme, parsed), args.repeat)
    scoring = median_seconds(lambda: score(scheme, frame), args.repeat)
    result = score(scheme, frame).frame
    print(
        f"scheme {scheme.ref}: {len(scheme.items)} items, {len(scheme.inputs())} inputs, "
        f"{args.parties} parties"
    )
    print(f"baseline (input frame)  {read * 1000:8.1f} ms")
    print(f"scoring                 {scoring * 1000:8.1f} ms")
    print(f"ratio                   {scoring / read:8.2f}   (goal ≤ 3)")
    print("grades:", dict(result.group_by("grade").len().iter_rows()))


if __name__ == "__main__":
    main()
