"""The command-line side of the project register: ``jieneng projects import FILE --user NAME`` (register
every project of the file in the places the user maintains, all or nothing; exit 2 and every problem by
row and column otherwise) and ``jieneng projects template -o OUT.xlsx``."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TextIO

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

BAD_INPUT = 2


def _prepare() -> None:
    from django.core.management import call_command

    from jieneng import config

    config.current().data_dir.mkdir(parents=True, exist_ok=True)
    call_command("migrate", interactive=False, verbosity=0)


def run(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from jieneng.projects import imports

    if args.action == "template":
        Path(args.output).write_bytes(imports.template())
        return 0
    from django.contrib.auth import get_user_model

    from jieneng.accounts.scope import Scope

    _prepare()
    user = get_user_model().objects.filter(username=args.user, is_active=True).first()
    if user is None:
        err.write(_("There is no active user “%(name)s”.") % {"name": args.user} + "\n")
        return BAD_INPUT
    scope = Scope(user)
    if not scope.can("directory"):
        err.write(_("Your role does not include maintaining the project register of this place.") + "\n")
        return BAD_INPUT
    path = Path(args.file)
    if not path.is_file():
        err.write(_("There is no file “%(name)s”.") % {"name": args.file} + "\n")
        return BAD_INPUT
    result = imports.import_register(path, scope)
    for line in result.errors:
        err.write(line + "\n")
    for line in result.warnings:
        err.write(line + "\n")
    if result.errors:
        err.write(_("Nothing was saved:").rstrip(":：") + "\n")
        return BAD_INPUT
    count = len(result.created)
    out.write(
        ngettext("%(count)s project is registered.", "%(count)s projects are registered.", count)
        % {"count": count}
        + "\n"
    )
    return 0
