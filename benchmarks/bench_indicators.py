"""Benchmark: tce and every indicator for one national year, against a bare group-by-sum.

    python3 tasks.py bench bench_indicators [--institutions N] [--repeat R]

Generates the scale data — by default 1.6 million institutions × 12 months, which in long form
(one row per energy type) is about 47 M rows; ``--institutions 650000`` gives the ≈19 M rows of
one row per institution and month — then
times, in the same run and on the same frame:

* baseline — ``records.group_by("org").agg(quantity.sum())``, the least any aggregation must do;
* pipeline — conversion to standard coal, per-unit totals with yearly facts, roll-up to every
  county, city and province, the four public-institution ratios, and the composition by energy type;
* pipeline + CO₂ — the same with :func:`jieneng.core.carbon.co2` on the converted frame (the default
  emission-factor set and convention, electricity by province), CO₂ summed per unit and rolled up, and
  the CO₂ ratios (tCO₂, kgCO₂/m², kgCO₂/人).

Reports the median of R interleaved runs of each (wall-clock and CPU time), the ratios against the
baseline with and without CO₂, and what CO₂ adds, plus peak memory. Measured at the default size on a
shared two-core machine: 1.97x without CO₂, 2.19x with; CO₂ adds +11 % wall-clock, +19 % CPU time;
4.2 GiB (docs/carbon.md). Goals: ratio ≤ 3 (issue 2), CO₂ at most 20 % more than the energy figures
alone (issue 17), peak memory < 8 GiB. Timing asserts do not belong in the test suite.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import time
from collections.abc import Callable
from dataclasses import replace

import polars as pl

from jieneng.core import indicators as ind
from jieneng.core.carbon import co2
from jieneng.core.coal import convert
from jieneng.core.regions import ancestry, rollup
from jieneng.demo.generator import NationalData, generate_national
from jieneng.reference import load_coefficient_set, load_energy_types, load_units
from jieneng.reference.emissions import load_emission_factor_set

SUMS = ["kgce", "kgce_excl_vehicle", "water_m3", "persons", "area_m2", "units"]


def real_provinces(data: NationalData) -> NationalData:
    """The generated nation with its 31 provinces (numbered 11–41) given the codes of the 31 provinces the
    emission-factor set lists, so that electricity finds its province's factor, as real codes do."""
    listed = sorted(load_emission_factor_set().provinces)
    made = sorted({code[:2] for code in data.regions["code"].to_list()})
    if len(listed) < len(made):
        raise SystemExit(f"the set lists {len(listed)} provinces; the nation has {len(made)}")
    prefix = dict(zip(made, listed, strict=False))

    def recode(column: pl.Expr) -> pl.Expr:
        head = column.str.slice(0, 2).replace_strict(prefix, default=None)
        return head + column.str.slice(2)

    regions = data.regions.with_columns(recode(pl.col("code")), recode(pl.col("parent_code")))
    codes = sorted(regions["code"].to_list())
    records = data.records.with_columns(recode(pl.col("region").cast(pl.String)).cast(pl.Enum(codes)))
    return replace(data, regions=regions, records=records)


def baseline(records: pl.DataFrame) -> pl.DataFrame:
    return records.group_by("org").agg(pl.col("quantity").sum())


def pipeline(
    records: pl.DataFrame, facts: pl.DataFrame, tree: pl.DataFrame, *, carbon: bool = False
) -> tuple[pl.DataFrame, pl.DataFrame]:
    types = load_energy_types()
    coefficients = load_coefficient_set()
    # converted once into memory, as the roll-ups do: what reads it again (CO₂'s distinct energy codes
    # and places) reads the converted columns, not the conversion's join once more
    converted = convert(records, coefficients, load_units(), types)[0].lazy()
    sums = SUMS
    if carbon:  # one run over the converted frame for the distinct codes and places, then a few
        # expressions in the same plan as the energy figures
        converted, _provenance = co2(
            converted,
            load_emission_factor_set(),
            coefficients=coefficients,
            units=load_units(),
            energy_types=types,
        )
        sums = [*SUMS, "kgco2"]
    totals = ind.unit_totals(converted, facts.lazy(), vehicle_fuels=types.vehicle_fuels())
    regions = ind.with_ratios(rollup(totals, tree, sums=sums, by=["year"]))
    mix = ind.by_energy_type(converted, by=["year"])
    region_frame, mix_frame = pl.collect_all([regions, mix])
    return region_frame, mix_frame


def timed(fn: Callable[[], object], repeat: int) -> tuple[float, float]:
    """The medians of the wall-clock time and of the CPU time (all threads) of ``repeat`` runs; the CPU
    time is the steadier of the two on a machine other work shares."""
    runs, cpu = [], []
    for _ in range(repeat):
        start, start_cpu = time.perf_counter(), time.process_time()
        fn()
        runs.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    return statistics.median(runs), statistics.median(cpu)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--institutions", type=int, default=1_600_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    start = time.perf_counter()
    data = real_provinces(generate_national(institutions=args.institutions))
    tree = ancestry(data.regions)
    print(
        f"generated {data.records.height:,} rows for {args.institutions:,} institutions "
        f"in {time.perf_counter() - start:.1f} s"
    )

    regions, _ = pipeline(data.records, data.facts, tree, carbon=True)  # warm-up, and a sanity check
    roots = data.regions.filter(pl.col("parent_code").is_null())["code"].to_list()
    national = regions.filter(pl.col("region").is_in(roots))
    print(
        f"regions computed: {regions.height:,}; province-level tce sum: {national['tce'].sum():,.0f}; "
        f"tCO₂ sum: {national['tco2'].sum():,.0f}"
    )

    # interleaved, so that a change in the machine's load falls on all three alike
    runs: dict[str, list[tuple[float, float]]] = {"base": [], "full": [], "co2": []}
    for _ in range(args.repeat):
        runs["base"].append(timed(lambda: baseline(data.records), 1))
        runs["full"].append(timed(lambda: pipeline(data.records, data.facts, tree), 1))
        runs["co2"].append(timed(lambda: pipeline(data.records, data.facts, tree, carbon=True), 1))
    wall = {k: statistics.median(w for w, _ in v) for k, v in runs.items()}
    cpu = {k: statistics.median(c for _, c in v) for k, v in runs.items()}
    base, full, with_co2 = wall["base"], wall["full"], wall["co2"]
    print(f"baseline group-by-sum: {base:.3f} s (median of {args.repeat}; CPU {cpu['base']:.3f} s)")
    print(f"tce + all indicators : {full:.3f} s (median of {args.repeat}; CPU {cpu['full']:.3f} s)")
    print(f"the same + CO₂       : {with_co2:.3f} s (median of {args.repeat}; CPU {cpu['co2']:.3f} s)")
    print(
        f"ratio pipeline/baseline: {full / base:.2f}x without CO₂, {with_co2 / base:.2f}x with   (goal ≤ 3x)"
    )
    print(
        f"CO₂ adds {(with_co2 / full - 1) * 100:+.1f} % to the energy figures alone "
        f"(CPU time {(cpu['co2'] / cpu['full'] - 1) * 100:+.1f} %)   (goal ≤ +20 %)"
    )
    peak_gib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2
    print(f"peak memory: {peak_gib:.2f} GiB   (goal < 8 GiB)")


if __name__ == "__main__":
    main()
