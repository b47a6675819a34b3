"""``jieneng assess`` and ``jieneng assess-template``: score a sheet of assessed parties against a
scheme, and write the input sheet of a scheme.

The sheet is read by :mod:`jieneng.io.assessment`; the scoring is the core's
(:func:`jieneng.core.scoring.score`). A sheet with problems (an unreadable cell, a score above an
item's maximum, a zero target) prints them by row and column and exits 2; a scheme that cannot be
right prints each problem with its file, line and item and exits 2.
"""

from __future__ import annotations

import argparse
from functools import partial
from pathlib import Path
from typing import Any, TextIO

import polars as pl

from jieneng.core.errors import gettext_noop
from jieneng.core.scoring import Scheme, score
from jieneng.i18n import gettext as _
from jieneng.i18n import message
from jieneng.io import output
from jieneng.io.assessment import header, read_assessment, write_template
from jieneng.io.commands import BAD_INPUT, Stop, _target, read_input
from jieneng.io.problems import ReadResult
from jieneng.reference.schemes import SchemeRefused, builtin_schemes, load_scheme

TABLE_COLUMNS = {
    "rank": gettext_noop("Rank"),
    "party": gettext_noop("Assessed party"),
    "score": gettext_noop("Score"),
    "bonus": gettext_noop("Bonus"),
    "total": gettext_noop("Total"),
    "grade": gettext_noop("Grade"),
    "veto_reason": gettext_noop("Veto"),
}
#: the table headers of ``jieneng schemes``
SCHEME_COLUMNS = {
    "id": gettext_noop("Scheme"),
    "version": gettext_noop("Version"),
    "title": gettext_noop("Title"),
    "points": gettext_noop("Points"),
    "bonus": gettext_noop("Bonus"),
    "group": gettext_noop("Group"),
    "method": gettext_noop("Scored by"),
    "status": gettext_noop("Status"),
}
_ITEM = gettext_noop("Item")
_FOOTER = gettext_noop("Scheme: %(scheme)s")
_WROTE = gettext_noop("Wrote the input sheet of %(scheme)s to %(file)s (%(count)s columns).")


def scheme(ref: str, err: TextIO) -> Scheme:
    """The scheme by id or path; a refused scheme prints each of its problems and stops."""
    try:
        return load_scheme(ref)
    except SchemeRefused as exc:
        err.write(_(gettext_noop("Error: %(message)s")) % {"message": message(exc)} + "\n")
        for problem in exc.problems:
            err.write("  " + _(problem.template) % problem.params + "\n")
        raise Stop(BAD_INPUT) from exc


def run(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    chosen = scheme(args.scheme, err)
    data = read_input(args.file, args.sheet, err, partial(read_assessment, scheme=chosen))
    labels = {column: header(item.title, kind) for column, kind, item in chosen.inputs()}
    scored = score(chosen, data.frame, labels)
    if scored.problems:
        found = ReadResult(data.frame, scored.problems, data.sheet, data.header_row)
        read_input(args.file, args.sheet, err, lambda _path, _sheet: found, contained=False)
    frame = scored.frame.sort("rank", "row")
    provenance = {"scheme": scored.scheme, "lineage": list(chosen.lineage), "file": Path(args.file).name}
    with _target(args.output, out, bom=args.format == "csv") as stream:
        if args.format == "json":
            output.write_json(frame, stream, provenance)
        elif args.format == "csv":
            output.write_csv(frame, stream, None)
        else:
            shown = frame.select(list(TABLE_COLUMNS)).rename({k: _(v) for k, v in TABLE_COLUMNS.items()})
            lineage = " ← ".join([scored.scheme, *chosen.lineage])
            output.write_table(shown, stream, footer=[_(_FOOTER) % {"scheme": lineage}])
    return 0


def schemes(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """The built-in schemes, or the items of one (with the scheme it extends)."""
    if args.ref:
        chosen = scheme(args.ref, err)
        groups = {g.id: g.title for g in chosen.groups}
        rows = [
            {
                "id": i.id,
                "group": groups[i.group],
                "title": i.title,
                "points": i.points,
                "method": i.method,
                "status": i.status,
            }
            for i in chosen.items.values()
        ]
        provenance: dict[str, Any] = {"scheme": chosen.ref, "lineage": list(chosen.lineage)}
    else:
        found = [load_scheme(ref) for ref in builtin_schemes()]
        rows = [
            {
                "id": s.id,
                "version": s.version,
                "title": s.title,
                "points": s.points,
                "bonus": s.bonus_points,
                "status": s.status,
            }
            for s in found
        ]
        provenance = {}
    frame = pl.DataFrame(rows)
    with _target(args.output, out, bom=args.format == "csv") as stream:
        if args.format == "json":
            output.write_json(frame, stream, provenance)
        elif args.format == "csv":
            output.write_csv(frame, stream, provenance.get("scheme"))
        else:
            lineage = [provenance["scheme"], *provenance["lineage"]] if provenance else []
            lines = [_(_FOOTER) % {"scheme": " ← ".join(lineage)}] if lineage else []
            names = {k: _(v) for k, v in SCHEME_COLUMNS.items()} | ({"id": _(_ITEM)} if args.ref else {})
            output.write_table(frame.rename(names, strict=False), stream, footer=lines)
    return 0


def template(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    chosen = scheme(args.scheme, err)
    write_template(chosen, args.output)
    count = len(chosen.inputs()) + 1
    err.write(_(_WROTE) % {"scheme": chosen.ref, "file": args.output, "count": count} + "\n")
    return 0
