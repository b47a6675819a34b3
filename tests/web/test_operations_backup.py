"""Backup and restore: a backup of the filled hand-made city, restored into a fresh installation (a new
SQLite file, or a new database on the same PostgreSQL server when the tests run on PostgreSQL), has
every table's row count and the roll-up sums of the original, and serves the same dashboard numbers.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import Sum
from django.test import Client
from django.utils import translation
from django.utils.translation import gettext

from jieneng.operations import backup as backups
from jieneng.statistics.models import EnergyRecord, RegionFigure, UnitFigure

pytestmark = pytest.mark.django_db(transaction=True)  # the copy must see committed rows

#: prints, as JSON, the tables' counts, the sums and the pages of the installation of its environment
INSPECT = r"""
import json, re, sys
import django
django.setup()
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from jieneng.operations.backup import live_census
counted = live_census(connection)
client = Client(SERVER_NAME="localhost")
client.force_login(get_user_model().objects.get(username="root"))
pages = {url: client.get(url).content.decode() for url in json.loads(sys.argv[1])}
print(json.dumps({"tables": counted.tables, "sums": counted.sums, "pages": pages}))
"""


def says(text: str, msgid: str) -> bool:
    """Whether ``text`` holds the message ``msgid`` (every piece between its parameters) in Chinese or
    English: a command answers in the language active where it runs."""
    for language in ("zh-hans", "en"):
        with translation.override(language):
            pieces = [piece for piece in re.split(r"%\(\w+\)s", gettext(msgid)) if piece]
        if pieces and all(piece in text for piece in pieces):
            return True
    return False


def pages(school: int) -> list[str]:
    return [
        "/api/v1/indicators/445200?year=2025",
        "/api/v1/indicators/445202?year=2024",
        f"/api/v1/units/{school}/figures",
        "/region/445200/?year=2025",
        f"/unit/{school}/",
    ]


def served(client: Client, urls: list[str]) -> dict[str, str]:
    return {url: client.get(url).content.decode() for url in urls}


def comparable(page: str) -> str:
    """A page without what differs between two processes serving the same data: CSRF tokens, and the
    last digits of long floats in JSON (a restored table returns its rows in another order, and sums
    of floats in another order differ in the 16th digit; pages show 2 to 4 decimals)."""
    page = re.sub(r'(csrfmiddlewaretoken" value="|csrf-token" content=")[^"]+', r"\1", page)
    return re.sub(r"(\d+\.\d{9})\d+", r"\1", page)


@pytest.fixture
def fresh_installation(tmp_path: Path) -> Iterator[dict[str, str]]:
    """The environment of an installation with nothing in it: its own data folder and database."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("JIENENG_")}
    env.update(DJANGO_SETTINGS_MODULE="jieneng.web.settings", JIENENG_DATA_DIR=str(tmp_path / "restored"))
    if connection.vendor != "postgresql":
        yield env
        return
    name = f"jieneng_restore_{secrets.token_hex(4)}"
    values = connection.settings_dict
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    auth = values["USER"] + (f":{values['PASSWORD']}" if values["PASSWORD"] else "")
    env["JIENENG_DATABASE_URL"] = f"postgresql://{auth}@{values['HOST']}:{values['PORT']}/{name}"
    env["JIENENG_PG_BINDIR"] = str(pg_bindir())
    yield env
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def pg_bindir() -> Path:
    """pg_dump and pg_restore: those of the test cluster's PostgreSQL, else the PATH's."""
    try:
        from pgcluster import find_bindir

        return find_bindir()
    except ImportError:
        found = shutil.which("pg_dump")
        if found is None:
            pytest.skip("PostgreSQL's pg_dump is not installed")
        return Path(found).parent


def manage(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "jieneng.web.launch", *args]
    return subprocess.run(command, env=env, capture_output=True, text=True, timeout=300, check=False)


@pytest.fixture
def kept_files(settings, tmp_path: Path) -> Path:
    """An upload and a boundary file in the installation's folders."""
    settings.UPLOADS_DIR = tmp_path / "live" / "uploads"
    settings.JIENENG = settings.JIENENG.replace(boundaries_dir=tmp_path / "live" / "boundaries")
    if connection.vendor == "postgresql":
        settings.JIENENG = settings.JIENENG.replace(pg_bindir=pg_bindir())
    job = settings.UPLOADS_DIR / "0b0e9d7e-6f1c-4d5e-9a43-1f0c2b7d8e61"
    job.mkdir(parents=True)
    (job / "榕城区第一中学.xlsx").write_bytes(b"PK\x03\x04" + bytes(range(256)) * 40)
    (job / "report.json").write_text('{"problems": []}', encoding="utf-8")
    settings.JIENENG.boundaries_dir.mkdir(parents=True)
    (settings.JIENENG.boundaries_dir / "445200.json").write_text('{"type": "FeatureCollection"}')
    return tmp_path / "live"


def test_a_backup_of_the_city_restores_exactly_into_a_fresh_installation(
    people, kept_files, fresh_installation, tmp_path
):
    target = tmp_path / "backup"
    call_command("backup", str(target), verbosity=0)
    manifest = json.loads((target / "manifest.json").read_text(encoding="utf-8"))

    # the manifest counts what is stored, table by table, and sums the roll-ups
    for model in apps.get_models():
        assert manifest["tables"][model._meta.db_table] == model._default_manager.count(), model
    assert manifest["tables"]["statistics_regionfigure"] > 0 and manifest["tables"]["auth_user"] == 11
    for model, column in ((RegionFigure, "kgce"), (UnitFigure, "water_m3"), (RegionFigure, "cost")):
        total = model.objects.aggregate(total=Sum(column))["total"]
        assert float(manifest["sums"][f"{model._meta.db_table}.{column}"]) == pytest.approx(total, rel=1e-12)
    quantity = EnergyRecord.objects.aggregate(total=Sum("quantity"))["total"]
    assert float(manifest["sums"]["statistics_energyrecord.quantity"]) == pytest.approx(float(quantity))
    database = "database.dump" if connection.vendor == "postgresql" else "database.sqlite3"
    assert set(manifest["files"]) == {
        database,
        "uploads/0b0e9d7e-6f1c-4d5e-9a43-1f0c2b7d8e61/榕城区第一中学.xlsx",
        "uploads/0b0e9d7e-6f1c-4d5e-9a43-1f0c2b7d8e61/report.json",
        "boundaries/445200.json",
    }
    assert manifest["files"]["boundaries/445200.json"] == backups.sha256(
        kept_files / "boundaries/445200.json"
    )

    client = Client()
    client.force_login(people.root)
    urls = pages(people.org[2])
    original = served(client, urls)
    assert all('"kgce' in original[url] or "tce" in original[url] for url in urls[:3])

    restored = manage(fresh_installation, "restore", str(target))
    assert restored.returncode == 0, restored.stderr
    seen = subprocess.run(
        [sys.executable, "-c", INSPECT, json.dumps(urls)],
        env=fresh_installation, capture_output=True, text=True, timeout=120, check=True,
    )  # fmt: skip
    after: dict[str, Any] = json.loads(seen.stdout)
    expected = {t: n for t, n in manifest["tables"].items() if t not in backups.UNCOMPARED}
    assert {t: n for t, n in after["tables"].items() if t not in backups.UNCOMPARED} == expected
    assert after["sums"] == manifest["sums"]
    for url in urls:
        assert comparable(after["pages"][url]) == comparable(original[url]), url
    data = Path(fresh_installation["JIENENG_DATA_DIR"])
    assert backups.files_of(data / "uploads") == backups.files_of(kept_files / "uploads")
    assert backups.files_of(data / "boundaries") == backups.files_of(kept_files / "boundaries")

    again = manage(fresh_installation, "restore", str(target))  # it holds data now
    assert again.returncode != 0
    assert says(
        again.stderr,
        "This installation is not empty (%(what)s): a backup is restored only into an empty one.",
    )


def test_a_damaged_backup_is_refused_before_anything_is_restored(people, kept_files, tmp_path):
    target = tmp_path / "backup"
    call_command("backup", str(target), verbosity=0)
    report = target / "uploads/0b0e9d7e-6f1c-4d5e-9a43-1f0c2b7d8e61/report.json"
    report.write_text('{"problems": [1]}', encoding="utf-8")
    with pytest.raises(CommandError, match=r"report\.json") as damaged:
        call_command("restore", str(target), verbosity=0)
    assert says(
        str(damaged.value),
        ("The backup is damaged: %(count)s files are missing, changed or not in its manifest (%(first)s)."),
    )
    (target / "manifest.json").unlink()
    with pytest.raises(CommandError) as incomplete:
        call_command("restore", str(target), verbosity=0)
    assert says(
        str(incomplete.value), "%(folder)s holds no readable manifest.json: it is not a complete backup."
    )


def test_a_restore_into_an_installation_with_data_is_refused(people, kept_files, tmp_path):
    target = tmp_path / "backup"
    call_command("backup", str(target), verbosity=0)
    with pytest.raises(CommandError, match=r"auth_user") as refused:
        call_command("restore", str(target), verbosity=0)
    assert says(
        str(refused.value),
        "This installation is not empty (%(what)s): a backup is restored only into an empty one.",
    )


def test_a_backup_goes_into_an_empty_folder_only(loaded, kept_files, tmp_path):
    (tmp_path / "used").mkdir()
    (tmp_path / "used" / "notes.txt").write_text("x")
    with pytest.raises(CommandError) as refused:
        call_command("backup", str(tmp_path / "used"), verbosity=0)
    assert says(str(refused.value), "%(folder)s is not empty: a backup goes into a new or empty folder.")
