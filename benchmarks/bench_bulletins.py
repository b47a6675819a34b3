"""Benchmark: the national statistics bulletin end to end, against LibreOffice converting a blank page.

    python3 tasks.py bench bench_bulletins [--institutions N] [--repeat R] [--cards C]

Builds a national year in a throwaway SQLite store (``_national_store.build``: 31 provinces, their
cities and counties, N institutions and their roll-ups), then times, interleaved, R runs of:

* baseline — LibreOffice headless converting a blank one-page .docx to PDF (the least a PDF costs:
  starting the office suite with a fresh profile);
* bulletin — the statistics bulletin of the whole country (``000000``): the snapshot read from
  ``statistics.figures`` (the provinces, their cities in the annex table), the composition, the chart,
  the Word file in the GB/T 9704 layout, and its PDF made by LibreOffice;
* one report card — the units of the busiest city read and one card written (.docx with its chart);
* batch — the same city's first C cards (400), as the worker makes them.

Reports the medians, the ratios bulletin ÷ baseline and batch ÷ one card, and the pages of the PDF.
Measured on the shared two-core machine (150,000 institutions, 2 repeats, other work running):
baseline 4.02 s, bulletin 10.62 s (45 pages) — 2.64×; one card 0.28 s, 400 cards 137 s — 489×
(0.34 s a card; the chart and the Word file are most of it). About five minutes in all.
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import pdfplumber

HERE = Path(__file__).resolve().parent


def median_runs(runs: dict[str, Callable[[], object]], repeat: int) -> dict[str, float]:
    """The median wall-clock seconds of each run, the runs interleaved ``repeat`` times."""
    timings: dict[str, list[float]] = {name: [] for name in runs}
    for _ in range(repeat):
        for name, run in runs.items():
            started = time.perf_counter()
            run()
            timings[name].append(time.perf_counter() - started)
    return {name: statistics.median(values) for name, values in timings.items()}


def bulletin_runs(year: str) -> dict[str, Callable[[], object]]:
    """LibreOffice on a blank page, and the national statistics bulletin end to end."""
    import docx

    from jieneng.bulletins.kinds import get
    from jieneng.bulletins.kinds.statistics import NATIONAL
    from jieneng.io.writers.docx import write_docx
    from jieneng.io.writers.pdf import docx_to_pdf
    from jieneng.reference.bulletins import load_layout, load_template

    blank = docx.Document()
    blank.add_paragraph("")
    out = io.BytesIO()
    blank.save(out)
    kind = get("statistics")
    assert kind is not None

    def bulletin() -> bytes:
        document = kind.compose(kind.snapshot(NATIONAL, year), load_template("statistics"))
        return docx_to_pdf(write_docx(document, load_layout()))

    return {"baseline": lambda: docx_to_pdf(out.getvalue()), "bulletin": bulletin}


def card_runs(city: str, year: int, cards: int) -> tuple[dict[str, Callable[[], object]], int, str]:
    """One report card, and a city's batch of ``cards`` (the rows read once, a Word file per unit)."""
    from jieneng.bulletins.cards import card, unit_rows
    from jieneng.directory.models import Region
    from jieneng.io.writers.docx import write_docx
    from jieneng.reference.bulletins import load_layout

    name = Region.objects.current().get(code=city).name

    def one() -> None:
        write_docx(card(unit_rows(city, year)[0], name, year), load_layout())

    def batch() -> None:
        for unit in unit_rows(city, year)[:cards]:
            write_docx(card(unit, name, year), load_layout())

    return {"one card": one, "batch": batch}, len(unit_rows(city, year)[:cards]), name


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--institutions", type=int, default=150_000)
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--cards", type=int, default=400, help="report cards in the city batch")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="jieneng-bench-bulletins-") as tmp:
        os.environ.update(DJANGO_SETTINGS_MODULE="jieneng.web.settings", JIENENG_DATA_DIR=tmp)
        os.environ.pop("JIENENG_DATABASE_URL", None)
        import django

        django.setup()
        from django.core.management import call_command

        call_command("migrate", interactive=False, verbosity=0)
        sys.path.insert(0, str(HERE))
        from _national_store import build

        built = build(args.institutions, progress=print)
        runs = bulletin_runs(str(built.year))
        medians = median_runs(runs, args.repeat)
        pdf = runs["bulletin"]()
        assert isinstance(pdf, bytes)
        with pdfplumber.open(io.BytesIO(pdf)) as opened:
            pages = len(opened.pages)
        cards, count, city = card_runs(built.county[:4] + "00", built.year, args.cards)
        medians |= median_runs(cards, args.repeat)
        print(f"institutions {args.institutions:,}, repeats {args.repeat}")
        print(f"baseline (blank page to PDF): {medians['baseline']:.2f} s")
        print(f"national statistics bulletin end to end: {medians['bulletin']:.2f} s, {pages} pages")
        print(f"ratio bulletin / baseline: {medians['bulletin'] / medians['baseline']:.2f}x")
        print(
            f"one report card: {medians['one card']:.2f} s; batch of {count} cards of {city}: "
            f"{medians['batch']:.2f} s; ratio {medians['batch'] / medians['one card']:.1f}x"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
