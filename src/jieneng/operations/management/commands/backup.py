"""``jieneng manage backup DIR``: the database, the kept files and a manifest (docs/deploy.md)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from jieneng.operations.backup import BackupError, backup


class Command(BaseCommand):
    help = "Write a consistent backup (database, uploaded files, manifest of counts and checksums) into DIR."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("folder", metavar="DIR", type=Path, help="a new or empty folder")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            manifest = backup(options["folder"])
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        rows = sum(manifest["tables"].values())
        self.stdout.write(
            _("Backup written to %(folder)s: %(tables)s tables, %(rows)s rows, %(files)s files.")
            % {
                "folder": options["folder"],
                "tables": len(manifest["tables"]),
                "rows": f"{rows:,}",
                "files": len(manifest["files"]),
            }
        )
