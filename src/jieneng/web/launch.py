"""What the ``jieneng`` command runs: Django management commands, and the one-command demo.

``jieneng demo`` migrates the database, loads the generated demonstration city when the database has
no organisations (or when asked to reset), creates an administrator if there is none (printing a random
password once) and one demonstration account per role (printing their shared password once), starts the
task worker that runs large imports in the background, and serves the site on 127.0.0.1.
"""

from __future__ import annotations

import os
import secrets
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.management import call_command, execute_from_command_line
from django.utils.translation import gettext as _

from jieneng import config
from jieneng.i18n import activate

if TYPE_CHECKING:
    from jieneng.demo.generator import DemoData

SETTINGS = "jieneng.web.settings"
#: settings of the demonstration unless the environment gives them: every year's electricity at the
#: factors of data year 2021 (the first the set has), so that the city's CO₂ per m² can be read against
#: the 十四五 path from its 2020 base (under ``latest``, 2020 precedes every published data year)
DEMO_ENVIRONMENT = {"JIENENG_CO2_FACTOR_YEAR": "2021"}


def manage(argv: list[str]) -> int:
    """Run a Django management command with the project's settings; ``argv`` are the arguments after
    the program name, e.g. ``["migrate"]`` or ``["createsuperuser", "--username", "li"]``.
    Returns the exit status.
    """
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", SETTINGS)
    config.current().data_dir.mkdir(parents=True, exist_ok=True)
    try:
        execute_from_command_line(["jieneng manage", *argv])
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    return 0


def demo(
    port: int = 8000, reset: bool = False, *, serve: bool = True, out: Callable[[str], object] = print
) -> int:
    """Prepare the demonstration database and serve it at http://127.0.0.1:``port``; the exit status.

    ``serve=False`` stops before the server (for timing and tests); ``out`` receives the progress lines.
    """
    chosen = {name: value for name, value in DEMO_ENVIRONMENT.items() if not os.environ.get(name, "").strip()}
    os.environ.update(chosen)  # the worker, a child process, reads them too
    config.from_process.cache_clear()  # read again with the demonstration's values
    # before Django's settings: the database and the key live there
    config.current().data_dir.mkdir(parents=True, exist_ok=True)
    activate()  # configures Django and the language (zh-hans unless $JIENENG_LANG says otherwise)
    if chosen:  # Django's settings may have been read before (the command line's language)
        settings.JIENENG = config.from_environ(os.environ)
    started = time.monotonic()
    out(_("Preparing the database …"))
    call_command("migrate", interactive=False, verbosity=0)
    if reset:
        _forget_demo_accounts()
        _forget_demo_assessment()
        _forget_demo_targets()
    if reset or not _has_organisations():
        _load_demo(reset, out)
    elif _rollups_stale():
        out(_("Recomputing the roll-ups with the configured emission factors …"))
        _rebuild_rollups()
    admin = _ensure_admin()
    if admin:
        out(
            _("Administrator created: user “%(user)s”, password %(password)s (shown only this once).")
            % {"user": admin[0], "password": admin[1]}
        )
    for line in _ensure_demo_accounts():
        out(line)
    _ensure_demo_targets()
    _ensure_demo_assessment()
    out(_("Ready in %(seconds).1f s.") % {"seconds": time.monotonic() - started})
    if not serve:
        return 0
    out(_("Open http://127.0.0.1:%(port)s/ in a browser; press Ctrl+C to stop.") % {"port": port})
    args = ["runserver", f"127.0.0.1:{port}", "--noreload"]
    if not settings.DEBUG:
        args.append("--insecure")  # serve the static files without DEBUG (demonstration only)
    worker = start_worker()
    previous = signal.signal(signal.SIGTERM, _exit_on_sigterm)  # so that the worker is stopped too
    try:
        return manage(args)
    finally:
        signal.signal(signal.SIGTERM, previous)
        worker.terminate()
        worker.wait(timeout=10)


def _exit_on_sigterm(signum: int, _frame: object) -> None:
    """SIGTERM (``kill``, a service manager) ends the demo as Ctrl+C does: its worker is stopped."""
    raise SystemExit(128 + signum)


def start_worker() -> subprocess.Popen[bytes]:
    """The background task worker (``worker``: ``db_worker`` with a heartbeat) as a child process with
    this one's environment."""
    command = [sys.executable, "-m", "jieneng.web.launch", "worker", "--no-reload", "--no-startup-delay"]
    return subprocess.Popen(command)  # noqa: S603 - our own interpreter and module


# The functions below import models and services lazily: they need Django to be set up first.


def _has_organisations() -> bool:
    from jieneng.directory.models import Organisation

    return Organisation.objects.exists()


def _rollups_stale() -> bool:
    from jieneng.statistics import rollups

    return rollups.stale()


def _rebuild_rollups() -> None:
    from jieneng.statistics import rollups

    rollups.rebuild()


def _load_demo(reset: bool, out: Callable[[str], object]) -> None:
    from jieneng.demo.generator import generate_city
    from jieneng.reporting.services import clear_store, load_demo

    if reset:
        out(_("Deleting the stored data …"))
        _clear_projects()
        clear_store()
    out(_("Generating the demonstration city …"))
    began = time.monotonic()
    data = generate_city()
    out(_("Generated in %(seconds).1f s; loading …") % {"seconds": time.monotonic() - began})
    began = time.monotonic()
    load_demo(data, progress=out)
    _load_projects(data)
    _load_meters(data)
    out(_("Loaded in %(seconds).1f s.") % {"seconds": time.monotonic() - began})


def _clear_projects() -> None:
    from jieneng.monitoring import demo as demo_meters
    from jieneng.projects import demo as demo_projects

    demo_projects.clear()
    demo_meters.clear()


def _load_meters(data: DemoData) -> None:
    """The demonstration metered buildings: a year of hourly readings to the last hour, with planted
    anomalies (see :mod:`jieneng.monitoring.demo`)."""
    import polars as pl
    from django.utils import timezone

    from jieneng.monitoring import demo as demo_meters

    city = data.regions.filter(pl.col("level") == 2)["code"][0]
    demo_meters.load(city, timezone.localtime())
    demo_meters.offer_last_month(timezone.localdate())


def _load_projects(data: DemoData) -> None:
    """The demonstration projects (an LED street-light project, a building retrofit), computed by the core."""
    import polars as pl

    from jieneng.projects import demo as demo_projects

    city = data.regions.filter(pl.col("level") == 2)["code"][0]
    demo_projects.load(city, data.today)


def _ensure_admin() -> tuple[str, str] | None:
    """Unless a superuser exists, create one (``admin``) with a random password; its name and password."""
    from django.contrib.auth import get_user_model

    users = get_user_model()
    if users.objects.filter(is_superuser=True).exists():
        return None
    username = "admin"
    while users.objects.filter(username=username).exists():
        username = f"admin-{secrets.token_hex(2)}"
    password = secrets.token_urlsafe(12)
    users.objects.create_superuser(username=username, email="", password=password)
    return username, password


def _ensure_demo_accounts() -> list[str]:
    """One account per role at places of the demonstration city, made once; the lines to print (the
    shared password and what each account may do), or none."""
    from jieneng.accounts import demo as demo_accounts

    made = demo_accounts.ensure()
    return demo_accounts.describe(*made) if made else []


def _ensure_demo_targets() -> None:
    """The demonstration targets and counts (made once; see :mod:`jieneng.targets.demo`)."""
    from django.utils import timezone

    from jieneng.targets import demo as demo_targets

    demo_targets.ensure(timezone.localdate())
    from jieneng.bulletins import demo as demo_documents

    demo_documents.ensure(timezone.localdate())


def _forget_demo_targets() -> None:
    """Before ``--reset`` deletes the store: the documents and the targets (they name its regions) go."""
    from jieneng.bulletins import demo as demo_documents
    from jieneng.targets import demo as demo_targets

    demo_documents.forget()
    demo_targets.forget()


def _ensure_demo_assessment() -> None:
    """The demonstration assessment round of last year (made once; see :mod:`jieneng.assessment.demo`)."""
    from django.utils import timezone

    from jieneng.assessment import demo as demo_assessment

    demo_assessment.ensure(timezone.localdate())


def _forget_demo_assessment() -> None:
    """Before ``--reset`` deletes the store: the assessment rounds (they name its regions) go."""
    from jieneng.assessment import demo as demo_assessment

    demo_assessment.forget()


def _forget_demo_accounts() -> None:
    """Before ``--reset`` deletes the store: the roles (they name its places) and the demo accounts go."""
    from jieneng.accounts import demo as demo_accounts

    demo_accounts.forget()


if __name__ == "__main__":
    sys.exit(manage(sys.argv[1:]))
