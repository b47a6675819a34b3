"""``jieneng manage restore DIR``: a backup restored into an empty installation, and checked."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from jieneng.operations.backup import BackupError, restore


class Command(BaseCommand):
    help = "Restore the backup in DIR into this empty installation; check it against its manifest."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("folder", metavar="DIR", type=Path, help="a folder written by `backup`")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            manifest = restore(options["folder"])
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            _("Restored the backup of %(created)s: %(tables)s tables and %(files)s files match its manifest.")
            % {
                "created": manifest["created_at"],
                "tables": len(manifest["tables"]),
                "files": len(manifest["files"]),
            }
        )
