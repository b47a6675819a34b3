"""``jieneng bulletin KIND --region CODE --period P -o FILE.docx|.pdf|.xlsx``: a document from the data
of the configured database, written to a file (nothing is stored; the pages keep issued documents)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TextIO

from django.utils import timezone
from django.utils.translation import gettext as _

from jieneng.bulletins import kinds, services
from jieneng.core.errors import JienengError
from jieneng.core.problems import commands as declared
from jieneng.io.writers.pdf import ConversionUnavailable

BAD_INPUT = 2


class UnknownRegion(JienengError):
    problem_type = declared.UnknownRegion


def run(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from django.core.management import call_command

    from jieneng import config
    from jieneng.core import wording
    from jieneng.directory.models import Region

    kind = kinds.get(args.kind)
    if kind is None:
        known = "、".join(k.code for k in kinds.all_kinds())
        err.write(
            _("There is no kind of document “%(kind)s”; known: %(known)s.")
            % {"kind": args.kind, "known": known}
            + "\n"
        )
        return BAD_INPUT
    target = Path(args.output)
    fmt = target.suffix.lower().lstrip(".")
    if fmt not in services.FORMATS:
        err.write(
            _("The output file %(file)s must end in .docx, .pdf or .xlsx.") % {"file": args.output} + "\n"
        )
        return BAD_INPUT
    if not (len(args.period) == 4 and args.period.isdigit()):
        err.write(_("The period %(period)s is not a year such as 2025.") % {"period": args.period} + "\n")
        return BAD_INPUT
    config.current().data_dir.mkdir(parents=True, exist_ok=True)
    call_command("migrate", interactive=False, verbosity=0)
    from jieneng.bulletins.kinds.statistics import NATIONAL

    region = Region.objects.current().filter(code=args.region).first()
    if args.region == NATIONAL and kind.code == "statistics":
        region = Region(code=NATIONAL, name="全国", level=0)
    if region is None:
        raise UnknownRegion(code=args.region)
    _ref, template = services.template_for(region if region.pk else None, kind.code)
    try:
        data = kind.snapshot(region.code, args.period)
    except kinds.NoData as missing:
        err.write(f"{missing}\n")
        return BAD_INPUT
    document = kind.compose({**data, "date": wording.chinese_date(timezone.localdate())}, template)
    try:
        target.write_bytes(services.render_document(document, fmt))
    except ConversionUnavailable as exc:
        err.write(_("The PDF cannot be made on this machine: %(reason)s") % {"reason": exc} + "\n")
        return BAD_INPUT
    out.write(
        _("Wrote %(file)s: %(title)s") % {"file": target, "title": document.title.replace("\n", "")} + "\n"
    )
    return 0
