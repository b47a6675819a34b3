"""Benchmark: tce and every indicator for one national year, against a bare group-by-sum.

    python3 tasks.py bench bench_indicators [--institutions N] [--repeat R]

Generates the scale data — by default 1.6 million institutions × 12 months, which in long form
(one row per energy type) is about 47 M rows; ``--institutions 650000`` gives the ≈19 M rows of
one row per institution and month — then
times, in the same run and on the same frame:

* baseline — ``records.group_by("org").agg(quantity.sum())``, the least any aggregation must do;
* pipeline — conversion to standard coal, per-unit totals with yearly facts, roll-up to every
  county, city and province, the four public-institution ratios, and the composition by energy type.

Reports the median of R runs of each and the ratio pipeline / baseline, plus peak memory.
Goal (issue 2): ratio ≤ 3 and peak memory < 8 GiB. Timing asserts do not belong in the test suite.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import time
from collections.abc import Callable

import polars as pl

from jieneng.core import indicators as ind
from jieneng.core.coal import convert
from jieneng.core.regions import ancestry, rollup
from jieneng.demo.generator import generate_national
from jieneng.reference import load_coefficient_set, load_energy_types, load_units

SUMS = ["kgce", "kgce_excl_vehicle", "water_m3", "persons", "area_m2", "units"]


def baseline(records: pl.DataFrame) -> pl.DataFrame:
    return records.group_by("org").agg(pl.col("quantity").sum())


def pipeline(
    records: pl.DataFrame, facts: pl.DataFrame, tree: pl.DataFrame
) -> tuple[pl.DataFrame, pl.DataFrame]:
    types = load_energy_types()
    converted, _ = convert(records.lazy(), load_coefficient_set(), load_units(), types)
    totals = ind.unit_totals(converted, facts.lazy(), vehicle_fuels=types.vehicle_fuels())
    regions = ind.with_ratios(rollup(totals, tree, sums=SUMS, by=["year"]))
    mix = ind.by_energy_type(converted, by=["year"])
    region_frame, mix_frame = pl.collect_all([regions, mix])
    return region_frame, mix_frame


def timed(fn: Callable[[], object], repeat: int) -> float:
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - start)
    return statistics.median(runs)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--institutions", type=int, default=1_600_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    start = time.perf_counter()
    data = generate_national(institutions=args.institutions)
    tree = ancestry(data.regions)
    print(
        f"generated {data.records.height:,} rows for {args.institutions:,} institutions "
        f"in {time.perf_counter() - start:.1f} s"
    )

    regions, _ = pipeline(data.records, data.facts, tree)  # warm-up, and a sanity check
    roots = data.regions.filter(pl.col("parent_code").is_null())["code"].to_list()
    national = regions.filter(pl.col("region").is_in(roots))
    print(f"regions computed: {regions.height:,}; province-level tce sum: {national['tce'].sum():,.0f}")

    base = timed(lambda: baseline(data.records), args.repeat)
    full = timed(lambda: pipeline(data.records, data.facts, tree), args.repeat)
    peak_gib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2
    print(f"baseline group-by-sum: {base:.3f} s (median of {args.repeat})")
    print(f"tce + all indicators : {full:.3f} s (median of {args.repeat})")
    print(f"ratio pipeline/baseline: {full / base:.2f}x   (goal ≤ 3x)")
    print(f"peak memory: {peak_gib:.2f} GiB   (goal < 8 GiB)")


if __name__ == "__main__":
    main()
