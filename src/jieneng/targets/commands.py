"""The command-line side of the targets: ``jieneng targets progress|warnings --region CODE`` (from the
configured database, like ``jieneng import``) and ``jieneng targets check-sheet FILE --target ID`` (whether
a 下达任务指标表 would pass the target down, and what is wrong with it; nothing is stored)."""

from __future__ import annotations

import argparse
import json
from typing import Any, TextIO

import polars as pl
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jieneng.core.problems import BLOCKING, Problem
from jieneng.i18n import describe
from jieneng.reporting.commands import UnknownRegion

BAD_INPUT = 2
WARNINGS = {
    "red": gettext_lazy("red"),
    "orange": gettext_lazy("orange"),
    "yellow": gettext_lazy("yellow"),
    "green": gettext_lazy("green"),
}
#: the columns printed, and their headers
COLUMNS = {
    "target": gettext_lazy("target"),
    "owner": gettext_lazy("owner"),
    "now": gettext_lazy("value now"),
    "task_progress": gettext_lazy("task progress"),
    "time_progress": gettext_lazy("time progress"),
    "shortfall_pp": gettext_lazy("shortfall [pp]"),
    "warning": gettext_lazy("warning"),
    "warning_rule": gettext_lazy("warning rule"),
}


def _prepare() -> None:
    from django.core.management import call_command

    from jieneng import config

    config.current().data_dir.mkdir(parents=True, exist_ok=True)
    call_command("migrate", interactive=False, verbosity=0)


def _targets_of(code: str) -> list[Any] | None:
    from django.db.models import Q

    from jieneng.directory.models import Region
    from jieneng.directory.services import subtree_ids_of
    from jieneng.targets.models import Target

    if not Region.objects.filter(code=code).exists():
        return None
    ids = subtree_ids_of(code)
    rows = Target.objects.filter(Q(region_id__in=ids) | Q(organisation__region_id__in=ids))
    return list(rows.select_related("region", "organisation").order_by("region__code", "pk"))


def _write(frame: pl.DataFrame, args: argparse.Namespace, out: TextIO) -> None:
    from jieneng.io.output import write_csv, write_table

    if args.format == "json":
        json.dump(frame.to_dicts(), out, ensure_ascii=False, indent=2)
        out.write("\n")
    elif args.format == "csv":
        write_csv(frame, out, None)
    else:
        shown = frame.with_columns(
            pl.col("warning").replace_strict({k: str(v) for k, v in WARNINGS.items()}, default="—")
        )
        write_table(shown.rename({c: str(COLUMNS[c]) for c in frame.columns}), out)


def progress(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """``progress`` (every target of the region and below) or ``warnings`` (the warning list)."""
    from jieneng.targets import services

    _prepare()
    targets = _targets_of(args.region)
    if targets is None:
        raise UnknownRegion(code=args.region)  # the command line says it and exits 2
    today = timezone.localdate()
    frame = (
        services.warning_list(targets, today)
        if args.action == "warnings"
        else services.progress(targets, today)
    )
    by_id = {str(t.pk): t for t in targets}
    rows = [
        {
            **{c: row.get(c) for c in COLUMNS},
            "target": by_id[row["target"]].name,
            "owner": by_id[row["target"]].owner_name,
        }
        for row in (frame.iter_rows(named=True) if frame.height else [])
    ]
    schema = dict.fromkeys(COLUMNS, pl.Float64) | dict.fromkeys(
        ("target", "owner", "warning", "warning_rule"), pl.String
    )
    _write(pl.DataFrame(rows, schema=schema, orient="row"), args, out)
    return 0


def check_sheet(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """The shares a 下达任务指标表 gives the target's regions below, or its problems (exit 2)."""
    from pathlib import Path

    from jieneng.directory.models import Region
    from jieneng.targets import sheet_import
    from jieneng.targets.models import Target

    _prepare()
    parent = Target.objects.select_related("region").filter(pk=args.target, region__isnull=False).first()
    if parent is None:
        err.write(_("No region target has the id %(id)s.") % {"id": args.target} + "\n")
        return BAD_INPUT
    if not Path(args.file).is_file():
        err.write(describe(Problem.make("file_not_found", file=args.file)) + "\n")
        return BAD_INPUT
    below = Region.objects.current().filter(parent=parent.region).order_by("code")
    shares, problems = sheet_import.plan(parent, args.file, {r.code: r.name for r in below})
    for problem in problems:
        err.write(describe(problem) + "\n")
    for share in shares:
        value = share.reduction if share.reduction is not None else share.value
        out.write(f"{share.code}\t{share.name}\t{value:.4g}\n")
    return BAD_INPUT if any(p.severity == BLOCKING for p in problems) else 0
