"""Benchmark: the progress and warning level of every target, against reading the roll-ups alone.

    python3 tasks.py bench bench_targets [--institutions N] [--repeat R] [--keep DIR]

In one run: a throwaway PostgreSQL cluster, migrated and filled by ``_national_store.build`` (the scale
generator's institutions with their facts and roll-ups; ``--institutions`` defaults to 20,000 so that the
run takes a couple of minutes — 1,600,000 is national size); every region given six targets (energy and
CO₂ per m², energy per person, total energy cap, a range, an LED count with twelve monthly counts) and
every institution two; then, for the targets of the first ``--regions`` regions (default 300; 0 for all
3,221 of the national tree) and their institutions, interleaved R times:

* baseline — the reads the progress needs and nothing else: ``figures.region_sums_and_sets`` of every
  region for the years concerned and ``figures.monthly_series`` of each region;
* progress — ``jieneng.targets.services.progress`` of every target: the same reads, the frame of all
  targets, :func:`jieneng.core.targets.progress` and :func:`~jieneng.core.targets.warn` under each rule.

Reports the medians and the ratio (goal ≤ 3×, issue 12). Measured with ``--regions 0 --repeat 1`` on a
shared two-core machine: 11.8 s against 12.6 s, 0.93× (docs/targets.md). Institution targets on
computed indicators are carried but not computed yet (docs/targets.md). Timing asserts do not belong in tests.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import secrets
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
BUILT = "built.json"
#: five of a region's six targets (the sixth is an LED count)
REGION_GOALS: tuple[tuple[str, dict[str, Any]], ...] = (
    ("单位面积能耗", {"indicator": "energy_per_m2", "kind": "reduction", "reduction": 3.0}),
    ("单位面积碳排放", {"indicator": "co2_per_m2", "kind": "reduction", "reduction": 4.0}),
    ("人均能耗", {"indicator": "energy_per_person", "kind": "reduction", "reduction": 2.0}),
    ("能耗总量", {"indicator": "energy_total", "kind": "cap", "value": 1e9}),
    ("人均能耗区间", {"indicator": "energy_per_person", "kind": "range", "low": 4.0, "high": 4.5}),
)
UNIT_GOALS: tuple[tuple[str, dict[str, Any]], ...] = (
    ("单位能耗", {"indicator": "energy_per_m2", "kind": "reduction", "reduction": 2.0}),
    ("单位用水", {"indicator": "water_per_person", "kind": "reduction", "reduction": 2.0}),
)


def prepare(folder: Path, institutions: int, reuse: bool) -> dict[str, Any]:
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    marker = folder / BUILT
    if reuse and marker.exists():
        return dict(json.loads(marker.read_text()))
    sys.path.insert(0, str(HERE))
    from _national_store import build

    built = dataclasses.asdict(build(institutions))
    marker.write_text(json.dumps(built))
    return built


def make_targets(year: int) -> int:
    """Six targets a region, two an institution (made once)."""
    from jieneng.directory.models import Organisation, Region
    from jieneng.targets.models import CountReport, Target

    if Target.objects.exists():
        return Target.objects.count()
    common = {"start_year": year, "end_year": year, "base_year": year - 1, "binding": "binding"}
    rows: list[Target] = []
    for region in Region.objects.all().iterator():
        rows += [Target(name=name, region=region, **goal, **common) for name, goal in REGION_GOALS]
        rows.append(
            Target(name="LED路灯", region=region, indicator="count", kind="value", value=1200,
                   start_year=year, end_year=year, binding="expected")
        )  # fmt: skip
    for org in Organisation.objects.all().only("pk").iterator():
        rows += [Target(name=name, organisation=org, **goal, **common) for name, goal in UNIT_GOALS]
    Target.objects.bulk_create(rows, batch_size=5000)
    counts = [
        CountReport(target=t, year=year, month=m, count=100.0)
        for t in Target.objects.filter(indicator="count")
        for m in range(1, 13)
    ]
    CountReport.objects.bulk_create(counts, batch_size=5000)
    return Target.objects.count()


def measure(year: int, repeat: int, regions: int) -> dict[str, Any]:

    from jieneng.statistics import figures
    from jieneng.targets import services
    from jieneng.targets.models import Target

    today = date(year, 12, 31)
    targets = list(
        Target.objects.select_related("region", "organisation").prefetch_related("counts", "milestones")
    )
    codes = sorted({t.region.code for t in targets if t.region is not None})
    years = [year - 1, year]

    def baseline() -> None:
        figures.region_sums_and_sets(codes, years)
        for code in codes:
            figures.monthly_series(code, years)

    def progress() -> None:
        services.progress(targets, today)

    times: dict[str, list[float]] = {"baseline": [], "progress": []}
    for _round in range(repeat):
        for name, run in (("baseline", baseline), ("progress", progress)):
            started = time.perf_counter()
            run()
            times[name].append(time.perf_counter() - started)
            print(f"round {_round + 1}: {name} {times[name][-1]:.2f} s", flush=True)
    medians = {k: statistics.median(v) for k, v in times.items()}
    return {
        "targets": len(targets),
        "regions": len(codes),
        **medians,
        "ratio": medians["progress"] / medians["baseline"],
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--institutions", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--regions", type=int, default=300, help="targets of this many regions; 0: all")
    parser.add_argument("--keep", type=Path, help="keep the cluster running in DIR; reuse it if there")
    args = parser.parse_args()
    from pgcluster import load_cluster, start_cluster  # scripts/ is on the path under tasks.py bench

    keep = args.keep.resolve() if args.keep else None
    reuse = bool(keep and (keep / "cluster.json").exists())
    cluster = load_cluster(keep) if reuse and keep else start_cluster(keep)
    try:
        with tempfile.TemporaryDirectory(prefix="jieneng-bench-targets-") as tmp:
            os.environ.update(
                DJANGO_SETTINGS_MODULE="jieneng.web.settings",
                JIENENG_DATABASE_URL=cluster.url,
                JIENENG_DATA_DIR=tmp,
                JIENENG_SECRET_KEY=secrets.token_urlsafe(50),
            )
            built = prepare(cluster.base, args.institutions, reuse)
            made = make_targets(int(built["year"]))
            result = measure(int(built["year"]), args.repeat, args.regions)
        print(f"\n{built['institutions']:,} institutions, {made:,} targets ({result['regions']:,} regions)\n")
        print("| run | median [s] |\n| --- | --- |")
        print(f"| baseline: the roll-ups read alone | {result['baseline']:.3f} |")
        print(f"| progress and warning of every target | {result['progress']:.3f} |")
        verdict = "met" if result["ratio"] <= 3 else "not met"
        print(f"\nratio {result['ratio']:.2f}× (goal ≤ 3×: {verdict})")
    finally:
        if keep:
            print(f"\nthe cluster keeps running: python3 scripts/pgcluster.py stop {keep}")
        else:
            cluster.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
