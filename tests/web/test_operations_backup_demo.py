"""Backup and restore of the filled demonstration city, as the commands run on a server: ``jieneng demo``'s
data prepared in one installation, ``manage backup``, ``manage restore`` into a second, empty one; then
every table's row count, the roll-up sums and the dashboards' and API's answers are the same in both.
(On SQLite: each installation is its own data folder; PostgreSQL's path is tested with the hand-made
city in test_operations_backup.py.)"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from jieneng.operations import backup as backups

PREPARE = "from jieneng.web import launch; raise SystemExit(launch.demo(serve=False, out=lambda _l: None))"
#: prints, as JSON, the tables' counts, the sums and the pages a superuser and the city's office see
INSPECT = r"""
import json
import django
django.setup()
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from jieneng.accounts.models import Membership
from jieneng.operations.backup import live_census
counted = live_census(connection)
city = Membership.objects.get(user__username="city_admin").region.code
county = Membership.objects.get(user__username="county_admin").region.code
pages = {}
for name, urls in (
    ("admin", [f"/region/{city}/", f"/region/{county}/", f"/api/v1/indicators/{city}"]),
    ("city_admin", [f"/region/{city}/", f"/region/{city}/units/", "/reporting/review/"]),
):
    client = Client(SERVER_NAME="localhost")
    client.force_login(get_user_model().objects.get(username=name))
    for url in urls:
        answer = client.get(url)
        pages[f"{name} {url}"] = [answer.status_code, answer.content.decode()]
print(json.dumps({"tables": counted.tables, "sums": counted.sums, "pages": pages}))
"""


def installation(folder: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("JIENENG_")}
    return env | {"DJANGO_SETTINGS_MODULE": "jieneng.web.settings", "JIENENG_DATA_DIR": str(folder)}


def run(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(
        [sys.executable, *args], env=env, capture_output=True, text=True, timeout=600, check=False
    )
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-4000:]
    return done


def inspect(env: dict[str, str]) -> dict[str, Any]:
    return json.loads(run(env, "-c", INSPECT).stdout)


def comparable(page: str) -> str:
    """The page without what differs between two requests: the CSRF token and the printed "as of" minute."""
    page = re.sub(r'(csrfmiddlewaretoken" value="|csrf-token" content=")[^"]+', r"\1", page)
    return re.sub(r'(<p class="print-only">.*?)\d{4}-\d{2}-\d{2} \d{2}:\d{2}</p>', r"\1</p>", page)


@pytest.mark.slow
def test_a_backup_of_the_filled_demo_restores_with_the_same_tables_sums_and_dashboards(tmp_path):
    live, fresh = installation(tmp_path / "live"), installation(tmp_path / "restored")
    (tmp_path / "live").mkdir()
    run(live, "-c", PREPARE)
    before = inspect(live)
    assert (
        before["tables"]["reporting_submission"] > 1000 and before["tables"]["statistics_regionfigure"] > 100
    )
    assert {key: status for key, (status, _page) in before["pages"].items()} == dict.fromkeys(
        before["pages"], 200
    )

    run(live, "-m", "jieneng.web.launch", "backup", str(tmp_path / "backup"))
    manifest = json.loads((tmp_path / "backup" / "manifest.json").read_text(encoding="utf-8"))
    # the heartbeat, and the sessions and access log that signing in to inspect the pages writes
    skipped = {*backups.UNCOMPARED, "django_session", "axes_accesslog"}

    def kept(tables: dict[str, int]) -> dict[str, int]:
        return {t: n for t, n in tables.items() if t not in skipped}

    assert kept(manifest["tables"]) == kept(before["tables"]) and manifest["sums"] == before["sums"]

    (tmp_path / "restored").mkdir()
    run(fresh, "-m", "jieneng.web.launch", "restore", str(tmp_path / "backup"))
    after = inspect(fresh)
    assert kept(after["tables"]) == kept(before["tables"])
    assert after["sums"] == before["sums"]
    assert after["pages"].keys() == before["pages"].keys()
    for key, (status, page) in before["pages"].items():
        assert after["pages"][key][0] == status, key
        assert comparable(after["pages"][key][1]) == comparable(page), key
