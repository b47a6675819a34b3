"""``jieneng manage audit_export --from DAY --to DAY``: the audit trail of a period, ids only
(:mod:`jieneng.operations.audit_export`; docs/deploy.md)."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any, TextIO, cast

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from jieneng.accounts.scope import Scope
from jieneng.operations.audit_export import FORMATS, records, write


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise CommandError(_("“%(value)s” is not a date (YYYY-MM-DD).") % {"value": text}) from exc


class Command(BaseCommand):
    help = (
        "Export the audit trail of a period (changes, revisions, reviews) as CSV or JSON lines, "
        "naming people by their account id only."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--from", dest="since", required=True, metavar="YYYY-MM-DD", help="first day")
        parser.add_argument("--to", dest="until", required=True, metavar="YYYY-MM-DD", help="last day")
        parser.add_argument("--format", choices=FORMATS, default="csv")
        parser.add_argument("--output", type=Path, help="a new file (default: standard output)")
        parser.add_argument("--as", dest="account", metavar="USERNAME", help="only what this account may see")

    def handle(self, *args: Any, **options: Any) -> None:
        since, until = _day(options["since"]), _day(options["until"])
        if until < since:
            raise CommandError(_("The last day is before the first day."))
        scope = None
        if options["account"]:
            user = get_user_model().objects.filter(username=options["account"]).first()
            if user is None:
                raise CommandError(_("No account “%(name)s”.") % {"name": options["account"]})
            scope = Scope(user)
        output: Path | None = options["output"]
        if output is not None and output.exists():
            raise CommandError(_("%(path)s exists already.") % {"path": output})
        found = records(since, until, scope)
        if output is None:
            count = write(cast(TextIO, self.stdout), found, options["format"])
        else:
            with output.open("x", encoding="utf-8", newline="") as handle:
                count = write(handle, found, options["format"])
        self.stderr.write(_("%(count)s audit records exported.") % {"count": count})
