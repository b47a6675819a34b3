"""Benchmark: the national statistics bulletin end to end, against LibreOffice converting a blank page.

    python3 tasks.py bench bench_bulletins [--institutions N] [--repeat R]

Builds a national year in a throwaway SQLite store (``_national_store.build``: 31 provinces, their
cities and counties, N institutions and their roll-ups), then times, interleaved, R runs of:

* baseline — LibreOffice headless converting a blank one-page .docx to PDF (the least a PDF costs:
  starting the office suite with a fresh profile);
* bulletin — the statistics bulletin of the whole country (``000000``): the snapshot read from
  ``statistics.figures`` (the provinces, their cities in the annex table), the composition, the chart,
  the Word file in the GB/T 9704 layout, and its PDF made by LibreOffice.

Reports the medians and the ratio bulletin ÷ baseline, and the pages of the PDF. The size of the data
hardly matters (the bulletin reads the roll-ups, a few hundred rows). Measured on a shared two-core
machine at the default size (20,000 institutions, 3 repeats): baseline 2.19 s, bulletin 6.24 s,
ratio 2.85×, 70 pages (31 provinces in table 1, 340 cities in the annex table). The report-card
batch (N cards against one) is not built yet.
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--institutions", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=3)
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
        year = str(built.year)

        import docx
        import pdfplumber

        from jieneng.bulletins.kinds import get
        from jieneng.bulletins.kinds.statistics import NATIONAL
        from jieneng.io.writers.docx import write_docx
        from jieneng.io.writers.pdf import docx_to_pdf
        from jieneng.reference.bulletins import load_layout, load_template

        blank = docx.Document()
        blank.add_paragraph("")
        out = io.BytesIO()
        blank.save(out)
        blank_bytes = out.getvalue()
        kind = get("statistics")
        assert kind is not None

        def baseline() -> bytes:
            return docx_to_pdf(blank_bytes)

        def bulletin() -> bytes:
            document = kind.compose(kind.snapshot(NATIONAL, year), load_template("statistics"))
            return docx_to_pdf(write_docx(document, load_layout()))

        timings: dict[str, list[float]] = {"baseline": [], "bulletin": []}
        pdf = b""
        for _ in range(args.repeat):
            for name, run in (("baseline", baseline), ("bulletin", bulletin)):
                started = time.perf_counter()
                made = run()
                timings[name].append(time.perf_counter() - started)
                if name == "bulletin":
                    pdf = made
        from jieneng.bulletins.cards import card, unit_rows
        from jieneng.directory.models import Region

        city = built.county[:4] + "00"
        region = Region.objects.current().get(code=city)
        units = unit_rows(city, int(year))[: args.cards]

        def one_card() -> None:
            write_docx(card(unit_rows(city, int(year))[0], region.name, int(year)), load_layout())

        def batch() -> None:  # as the worker does: the rows read once, a Word file per unit
            rows = unit_rows(city, int(year))[: args.cards]
            for unit in rows:
                write_docx(card(unit, region.name, int(year)), load_layout())

        for name, run in (("one card", one_card), ("batch", batch)):
            for _ in range(args.repeat):
                started = time.perf_counter()
                run()
                timings.setdefault(name, []).append(time.perf_counter() - started)
        with pdfplumber.open(io.BytesIO(pdf)) as opened:
            pages = len(opened.pages)
        medians = {name: statistics.median(values) for name, values in timings.items()}
        print(f"institutions {args.institutions:,}, repeats {args.repeat}")
        print(f"baseline (blank page to PDF): {medians['baseline']:.2f} s")
        print(f"national statistics bulletin end to end: {medians['bulletin']:.2f} s, {pages} pages")
        print(f"ratio bulletin / baseline: {medians['bulletin'] / medians['baseline']:.2f}x")
        print(
            f"one report card: {medians['one card']:.2f} s; batch of {len(units)} cards of {region.name}: "
            f"{medians['batch']:.2f} s; ratio {medians['batch'] / medians['one card']:.1f}x"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
