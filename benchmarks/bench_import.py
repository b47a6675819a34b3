"""Benchmark: import a 200,000-row .xlsx end to end, against merely reading the same file.

    python3 tasks.py bench bench_import [--rows N] [--repeat R] [--databases sqlite,postgresql]

Writes one workbook of the consumption form (``pi-energy``): N rows, one per institution and month
(N / 12 institutions), with a title row, the legal marks and 25 item columns. Then, per database,
in a child process with a fresh database (SQLite in a temporary folder; PostgreSQL in a throwaway
cluster started for the run), in the same run:

* baseline — the fastest bare read of the file: fastexcel's default load and python-calamine's
  ``to_python``, whichever is faster (median of R runs each);
* import — ``receive`` + ``run_import``: read, resolve organisations, check, store all rows as new
  submissions with their revisions and events, write the report (median of R runs, each into an
  emptied store);
* re-import — the same file again: every row found unchanged, nothing written.

Reports seconds and ratios import / baseline. Goal (issue 3): ≤ 2 on SQLite, ≤ 3 on PostgreSQL.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ITEMS_PER_ROW = 25
REGION = "445200"


def write_workbook(path: Path, rows: int) -> None:
    """N rows of the 2022 edition of pi-energy for N/12 institutions, values drawn reproducibly."""
    import numpy as np
    import xlsxwriter

    from jieneng.core.credit_code import make
    from jieneng.reference import load_checks, load_forms

    form = load_forms()["pi-energy"]
    items = [form.items[code] for code in form.editions[-1].items][:ITEMS_PER_ROW]
    rng = np.random.default_rng(2026)
    values = rng.gamma(2.0, 500.0, size=(rows, len(items))).round(2)
    # a cost is its quantity at a plausible price (the unit-price check finds nothing to say)
    prices = load_checks().unit_prices
    column = {item.code: j for j, item in enumerate(items)}
    for j, item in enumerate(items):
        quantity = next((q for q in items if q.kind == "quantity" and q.energy == item.energy), None)
        if item.kind == "cost" and quantity is not None and quantity.code in column and item.energy in prices:
            _unit, low, high = prices[item.energy or ""]
            price = rng.uniform(low * 1.5, high / 1.5, size=rows)
            values[:, j] = (values[:, column[quantity.code]] * price).round(2)
    book = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    sheet = book.add_worksheet("能源资源消费")
    sheet.write_row(0, 0, [form.zh])
    sheet.write_row(1, 0, ["表号：", "公能统2表", "制表机关：", "国家机关事务管理局"])
    sheet.write_row(3, 0, ["统一社会信用代码", "单位名称", "统计期", *[f"{i.zh}（{i.unit}）" for i in items]])
    code = ""
    for index in range(rows):
        org, month = divmod(index, 12)
        if month == 0:
            code = make("1", "2", REGION, f"{org:08d}")
        sheet.write_row(
            4 + index, 0, [code, f"单位{org:06d}", f"2025-{month + 1:02d}", *values[index].tolist()]
        )
    book.close()


def bare_read(path: Path) -> dict[str, Callable[[], object]]:
    import fastexcel
    import python_calamine

    return {
        "fastexcel": lambda: fastexcel.read_excel(str(path)).load_sheet(0, header_row=3).to_polars(),
        "calamine": lambda: (
            python_calamine.CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()
        ),
    }


def child(path: Path, repeat: int) -> dict[str, object]:
    """In a fresh database: load the directory, time the bare reads, the import and the re-import."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jieneng.web.settings")
    django.setup()
    from django.core.management import call_command

    from jieneng.core.credit_code import make
    from jieneng.directory.models import Organisation, Region
    from jieneng.reporting.imports.receive import receive
    from jieneng.reporting.imports.run import run_import
    from jieneng.reporting.models import ImportJob, ReviewEvent, Revision, Submission

    call_command("migrate", interactive=False, verbosity=0)
    region = Region.objects.create(code=REGION, name="揭阳市", level=2, valid_from="1991-12-01")
    institutions = -(-rows_in(path) // 12)
    Organisation.objects.bulk_create(
        [
            Organisation(
                credit_code=make("1", "2", REGION, f"{org:08d}"),
                name=f"单位{org:06d}",
                type_code="021",
                region=region,
            )
            for org in range(institutions)
        ],
        batch_size=5000,
    )
    reads = {name: median(fn, repeat) for name, fn in bare_read(path).items()}

    def run() -> ImportJob:
        job = receive(path, path.name, "pi-energy", author="bench", source="cli")
        return run_import(job.pk)

    times, jobs = [], []
    for _ in range(repeat):
        ReviewEvent.objects.all().delete()  # the store emptied before each timed import, not during
        Revision.objects.all().delete()
        Submission.objects.all().delete()
        started = time.perf_counter()
        jobs.append(run())
        times.append(time.perf_counter() - started)
    started = time.perf_counter()
    again = run()
    reimport = time.perf_counter() - started
    first = jobs[-1]
    return {
        "reads": reads,
        "import": statistics.median(times),
        "reimport": reimport,
        "status": [first.status, again.status],
        "counts": [first.created, first.revised, first.unchanged, again.unchanged],
        "problems": [first.blocking, first.advisory],
    }


def rows_in(path: Path) -> int:
    return int(path.stem.rsplit("-", 1)[-1])


def median(fn: Callable[[], object], repeat: int) -> float:
    runs = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - started)
    return statistics.median(runs)


def run_child(path: Path, repeat: int, env: dict[str, str]) -> dict[str, object]:
    output = subprocess.run(
        [sys.executable, __file__, "--child", str(path), "--repeat", str(repeat)],
        env=env,
        check=False,
        capture_output=True,
        text=True,
    )
    if output.returncode:
        sys.stderr.write(output.stderr)
        raise SystemExit(output.returncode)
    return json.loads(output.stdout.strip().splitlines()[-1])


def report(database: str, result: dict[str, object]) -> None:
    reads = result["reads"]
    assert isinstance(reads, dict)
    name, baseline = min(reads.items(), key=lambda item: item[1])
    imported, again = float(result["import"]), float(result["reimport"])  # type: ignore[arg-type]
    print(
        f"\n{database}: status {result['status']}, counts {result['counts']}, problems {result['problems']}"
    )
    for reader, seconds in sorted(reads.items(), key=lambda item: item[1]):
        print(f"  bare read ({reader}):  {seconds:7.2f} s")
    print(f"  import (all new):      {imported:7.2f} s   ratio {imported / baseline:.2f} × the {name} read")
    print(f"  re-import (unchanged): {again:7.2f} s   ratio {again / baseline:.2f}")


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument("--workbook", type=Path, help="reuse a workbook written by an earlier run")
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child, args.repeat)))
        return 0
    with tempfile.TemporaryDirectory(prefix="jieneng-bench-") as tmp:
        folder = Path(tmp)
        path = args.workbook or folder / f"pi-energy-{args.rows}.xlsx"
        started = time.perf_counter()
        if not args.workbook:
            write_workbook(path, args.rows)
        size = path.stat().st_size / 2**20
        made = "reused" if args.workbook else f"written in {time.perf_counter() - started:.1f} s"
        print(f"workbook: {path.name}, {size:.1f} MiB, {made}")
        for database in args.databases.split(","):
            (folder / database).mkdir()
            env = {**os.environ, "JIENENG_DATA_DIR": str(folder / database)}
            if database == "sqlite":
                report(database, run_child(path, args.repeat, env))
                continue
            from pgcluster import running_cluster  # scripts/ is on the path under tasks.py bench

            with running_cluster() as cluster:  # its own folder, which the server account can enter
                env["JIENENG_DATABASE_URL"] = cluster.url
                report(database, run_child(path, args.repeat, env))
    return 0


if __name__ == "__main__":
    sys.exit(main())
