"""The production deployment as docs/deploy.md describes it: ``check --deploy`` finds nothing to warn about
with the documented settings (deploy/jieneng.env), and the compose-free variant — gunicorn with
deploy/gunicorn.conf.py, the task worker, PostgreSQL — starts, lets a user sign in and reports healthy.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import urlencode

import pytest

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
sys.path.insert(0, str(ROOT / "scripts"))
import pgcluster  # noqa: E402

PASSWORD = "Deploy-test-2026-long"


def documented_settings() -> dict[str, str]:
    """The variables of deploy/jieneng.env, as systemd's EnvironmentFile reads them."""
    values = {}
    for line in (DEPLOY / "jieneng.env").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            name, _, value = line.partition("=")
            values[name.strip()] = value.strip()
    return values


def environment(tmp_path: Path, **changes: str) -> dict[str, str]:
    """This machine's environment without its JIENENG_* variables, plus the documented ones, with the
    data folder (and what ``changes`` say) moved to this test's."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("JIENENG_")}
    return {**env, **documented_settings(), "JIENENG_DATA_DIR": str(tmp_path / "srv"), **changes}


def jieneng(env: dict[str, str], *args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "jieneng.web.launch", *args]
    return subprocess.run(command, env=env, capture_output=True, text=True, timeout=timeout, check=False)


def test_the_documented_settings_pass_check_deploy(tmp_path):
    env = environment(tmp_path)
    assert env["JIENENG_DATABASE_URL"].startswith("postgresql://")  # no connection is made by the check
    done = jieneng(env, "check", "--deploy", "--fail-level", "WARNING")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "System check identified no issues (0 silenced)." in done.stdout


def test_without_the_https_settings_check_deploy_warns(tmp_path):
    env = environment(
        tmp_path, JIENENG_HSTS_SECONDS="0", JIENENG_HTTPS_REDIRECT="0", JIENENG_SECURE_COOKIES="0"
    )
    done = jieneng(env, "check", "--deploy", "--fail-level", "WARNING")
    assert done.returncode != 0
    for code in ("security.W004", "security.W008", "security.W012", "security.W016"):
        assert code in done.stderr


def test_the_nightly_backup_keeps_14_days_and_the_first_of_each_month_for_a_year(tmp_path):
    env = environment(tmp_path, JIENENG_DATABASE_URL="")
    assert jieneng(env, "migrate", "-v0").returncode == 0
    root = tmp_path / "backups"
    today = date.today()
    kept = [today - timedelta(days=14), today.replace(day=1) - timedelta(days=1)]
    kept[1] = kept[1].replace(day=1)  # the first of last month
    gone = [today - timedelta(days=15), date(today.year - 2, 1, 1)]
    gone = [day for day in gone if day.day != 1 or (today - day).days > 366]
    for day in kept + gone:
        (root / day.isoformat()).mkdir(parents=True)
    program = str(Path(sys.executable).with_name("jieneng"))
    script = ["sh", str(DEPLOY / "jieneng-backup.sh"), str(root), program]
    done = subprocess.run(script, env=env, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in root.iterdir()) == sorted({d.isoformat() for d in [*kept, today]})
    assert json.loads((root / today.isoformat() / "manifest.json").read_text())["engine"] == "sqlite"
    again = subprocess.run(script, env=env, capture_output=True, text=True, timeout=120, check=False)
    assert again.returncode == 0 and "exists already" in again.stderr


# --- the compose-free variant -------------------------------------------------------------------------


class Site:
    """HTTP to gunicorn as nginx would send it: the host, and ``X-Forwarded-Proto: https``."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.cookies: dict[str, str] = {}

    def request(
        self, method: str, path: str, form: dict[str, str] | None = None
    ) -> tuple[int, dict[str, str], str]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=20)
        headers = {"Host": "localhost", "X-Forwarded-Proto": "https"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urlencode(form)
            headers.update(
                {"Content-Type": "application/x-www-form-urlencoded", "Origin": "https://localhost"}
            )
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            for name, value in response.getheaders():
                if name.lower() == "set-cookie":
                    key, _, rest = value.partition("=")
                    self.cookies[key] = rest.split(";", 1)[0]
            return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read().decode()
        finally:
            connection.close()


def wait_for(probe, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError):
            if probe():
                return True
        time.sleep(0.2)
    return False


@contextlib.contextmanager
def running(command: list[str], env: dict[str, str], log: Path) -> Iterator[subprocess.Popen[bytes]]:
    with log.open("wb") as out:
        process = subprocess.Popen(
            command, env=env, stdout=out, stderr=subprocess.STDOUT, cwd=env["JIENENG_DATA_DIR"]
        )
        try:
            yield process
        finally:
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def test_gunicorn_and_the_worker_on_postgresql_serve_a_signed_in_user(tmp_path):
    try:
        pgcluster.find_bindir()
    except pgcluster.PostgresNotFoundError:
        pytest.skip("PostgreSQL's server programs are not installed: the production variant needs them")
    gunicorn = Path(sys.executable).with_name("gunicorn")
    if not gunicorn.is_file():
        pytest.skip("gunicorn is not installed (pip install -e '.[deploy]')")
    port = pgcluster.free_port()
    with pgcluster.running_cluster() as cluster:  # in the system temp folder, which its server may enter
        env = environment(
            tmp_path,
            JIENENG_DATABASE_URL=cluster.url,
            JIENENG_WORKER_HEARTBEAT_SECONDS="4",
            JIENENG_ALLOWED_HOSTS="",
        )
        Path(env["JIENENG_DATA_DIR"]).mkdir()
        for step in (
            ["migrate", "--noinput", "-v0"],
            ["collectstatic", "--noinput", "-v0"],
            ["createsuperuser", "--noinput", "--username", "chief", "--email", ""],
        ):
            done = jieneng({**env, "DJANGO_SUPERUSER_PASSWORD": PASSWORD}, *step)
            assert done.returncode == 0, done.stderr
        assert (Path(env["JIENENG_DATA_DIR"]) / "static" / "admin").is_dir()  # for nginx to serve

        web = [
            str(gunicorn),
            "--config",
            str(DEPLOY / "gunicorn.conf.py"),
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "2",
        ]
        worker = [sys.executable, "-m", "jieneng.web.launch", "worker", "--no-reload", "--no-startup-delay"]
        with running(web, env, tmp_path / "web.log"), running(worker, env, tmp_path / "worker.log"):
            site = Site(port)
            assert wait_for(lambda: site.request("GET", "/healthz")[0] == 200, 20), (
                tmp_path / "web.log"
            ).read_text() + (tmp_path / "worker.log").read_text()
            status, _headers, body = site.request("GET", "/healthz")
            assert json.loads(body) == {
                "status": "ok",
                "checks": {"database": "ok", "migrations": "ok", "worker": "ok"},
            }

            status, headers, page = site.request("GET", "/accounts/login/")
            assert status == 200 and headers["strict-transport-security"].startswith("max-age=31536000")
            token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
            assert token, page[:500]
            login = {"username": "chief", "password": PASSWORD, "csrfmiddlewaretoken": token.group(1)}
            status, headers, _ = site.request("POST", "/accounts/login/", login)
            assert status == 302, headers
            assert "sessionid" in site.cookies
            status, _headers, page = site.request("GET", "/")
            assert status == 200 and "chief" in page

            plain = http.client.HTTPConnection("127.0.0.1", port, timeout=10)  # no proxy header: redirected
            plain.request("GET", "/", headers={"Host": "localhost"})
            assert plain.getresponse().status == 301
            plain.close()

        lines = [
            json.loads(line)
            for line in (tmp_path / "web.log").read_text().splitlines()
            if line.startswith("{")
        ]
        requests = [line for line in lines if line["logger"] == "jieneng.requests"]
        signed_in = [line for line in requests if line["path"] == "/" and line["status"] == 200]
        assert signed_in and signed_in[0]["user"] is not None and signed_in[0]["method"] == "GET"
