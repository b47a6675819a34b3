"""Tests for the developer tooling: tasks.py, scripts/pgcluster.py and scripts/pytest_dbonly.py."""

from __future__ import annotations

import importlib.util
import json
import os
import socket
import subprocess
import sys
import tempfile
import uuid
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType

import psycopg
import pytest
from django.test import SimpleTestCase, TestCase

ROOT = Path(__file__).resolve().parents[1]


def load(name: str, path: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


tasks = load("tasks", ROOT / "tasks.py")  # puts scripts/ on sys.path and imports pgcluster
pgcluster = tasks.pgcluster
dbonly = load("pytest_dbonly", ROOT / "scripts" / "pytest_dbonly.py")


# --- the install stamp -----------------------------------------------------------------------------------


def test_needs_install_without_or_with_a_broken_stamp(tmp_path: Path) -> None:
    assert tasks.needs_install(tmp_path / "missing.json", "abc", ())
    (tmp_path / "broken.json").write_text("{not json")
    assert tasks.needs_install(tmp_path / "broken.json", "abc", ())


def test_needs_install_compares_hash_and_extras(tmp_path: Path) -> None:
    stamp = tmp_path / "stamp.json"
    stamp.write_text(json.dumps({"pyproject_sha256": "abc", "extras": ["dev"]}))
    assert not tasks.needs_install(stamp, "abc", ("dev",))
    assert not tasks.needs_install(stamp, "abc", ())  # dev includes the plain install
    assert tasks.needs_install(stamp, "def", ("dev",))
    stamp.write_text(json.dumps({"pyproject_sha256": "abc", "extras": []}))
    assert tasks.needs_install(stamp, "abc", ("dev",))


@pytest.fixture
def fake_project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> list[list[str]]:
    """tasks.py pointed at a throwaway project whose .venv python is this interpreter; commands recorded."""
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\n')
    bindir = tmp_path / ".venv" / "bin"
    bindir.mkdir(parents=True)
    (bindir / "python").symlink_to(sys.executable)
    calls: list[list[str]] = []

    def fake_run(cmd: list[object], env: object = None) -> int:
        calls.append([str(part) for part in cmd])
        return 0

    monkeypatch.setattr(tasks, "ROOT", tmp_path)
    monkeypatch.setattr(tasks, "BIN", bindir)
    monkeypatch.setattr(tasks, "STAMP", tmp_path / ".venv" / "stamp.json")
    monkeypatch.setattr(tasks, "run", fake_run)
    return calls


def installs(calls: list[list[str]]) -> list[str]:
    return [call[-1] for call in calls if call[1:4] == ["-m", "pip", "install"]]


def test_ensure_venv_reinstalls_only_when_pyproject_changes(fake_project: list[list[str]]) -> None:
    tasks.ensure_venv(("dev",))
    assert installs(fake_project) == [".[dev]"]
    tasks.ensure_venv(("dev",))
    tasks.ensure_venv()
    assert installs(fake_project) == [".[dev]"]
    (tasks.ROOT / "pyproject.toml").write_text('[project]\nname = "x"\nversion = "2"\n')
    tasks.ensure_venv()
    assert installs(fake_project) == [".[dev]", "."]
    tasks.ensure_venv(("dev",))  # the last install lacked the dev extra
    assert installs(fake_project) == [".[dev]", ".", ".[dev]"]


def test_failed_install_leaves_no_stamp(
    fake_project: list[list[str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(tasks, "run", lambda cmd, env=None: 1)
    with pytest.raises(SystemExit):
        tasks.ensure_venv()
    assert not tasks.STAMP.exists()


# --- tasks.py test ---------------------------------------------------------------------------------------


def test_pytest_step_accepts_no_selected_tests_only_when_filtered(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tasks, "run", lambda cmd, env=None: tasks.NO_TESTS_COLLECTED)
    assert tasks.pytest_step("pytest", ["-k", "nothing"], {}, filtered=True) == 0
    assert tasks.pytest_step("pytest", [], {}, filtered=False) == tasks.NO_TESTS_COLLECTED


def test_every_pytest_run_ends_with_its_slowest_tests(monkeypatch: pytest.MonkeyPatch) -> None:
    commands: list[list[str]] = []

    def run(cmd: Sequence[object], env: object = None) -> int:
        commands.append([str(part) for part in cmd])
        return 0

    monkeypatch.setattr(tasks, "run", run)
    tasks.pytest_step("pytest", ["-k", "web"], {}, filtered=True)
    tasks.pytest_step("pytest", ["--durations=3"], {}, filtered=True)
    assert commands[0][1:] == [*tasks.SLOWEST, "-k", "web"]
    assert commands[1][1:] == ["--durations=3"]  # the caller's choice wins


def test_both_runs_at_once_report_the_background_run_and_its_failure(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The PostgreSQL run goes on beside the SQLite run; its output is printed after it and its failure
    fails the command even when the SQLite run passed."""
    bindir = tmp_path / "bin"
    bindir.mkdir()
    fake = bindir / "pytest"
    fake.write_text('#!/bin/sh\necho "background run: $JIENENG_DATA_DIR"\nexit 1\n')
    fake.chmod(0o755)
    monkeypatch.setattr(tasks, "BIN", bindir)
    monkeypatch.setattr(tasks, "run", lambda cmd, env=None: 0)  # the foreground (SQLite) run passes
    env = {"PATH": os.environ.get("PATH", ""), "JIENENG_DATA_DIR": str(tmp_path)}
    code = tasks.both_at_once(("sqlite", [], {}, False), ("pg", [], env), tmp_path)
    assert code == 1
    out = capsys.readouterr().out
    assert f"background run: {tmp_path}" in out and "FAILED: pg (exit 1)" in out


def no_postgres(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.setattr(pgcluster, "BINDIR_GLOBS", [str(tmp_path / "pg" / "*" / "bin")])


def test_find_bindir_explains_how_to_install(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    no_postgres(tmp_path, monkeypatch)
    with pytest.raises(pgcluster.PostgresNotFoundError, match=r"apt-get install postgresql"):
        pgcluster.find_bindir()


def test_find_bindir_prefers_the_newest_complete_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    no_postgres(tmp_path, monkeypatch)
    for version, tools in [("9.6", pgcluster.TOOLS), ("15", pgcluster.TOOLS), ("16", ("initdb",))]:
        bindir = tmp_path / "pg" / version / "bin"
        bindir.mkdir(parents=True)
        for tool in tools:
            (bindir / tool).touch()
    assert pgcluster.find_bindir() == tmp_path / "pg" / "15" / "bin"


def test_test_command_without_postgres_and_no_root_says_what_to_install(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    no_postgres(tmp_path, monkeypatch)
    monkeypatch.setattr(tasks.os, "geteuid", lambda: 1000)
    monkeypatch.setattr(tasks, "ensure_venv", lambda extras=(): pytest.fail("must not install"))
    assert tasks.cmd_test([]) != 0
    err = capsys.readouterr().err
    assert "postgresql" in err
    assert "scripts/install-system-packages.sh" in err


def test_test_command_as_root_installs_what_is_missing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    no_postgres(tmp_path, monkeypatch)
    (tmp_path / "apt-get").touch(mode=0o755)
    monkeypatch.setattr(tasks.os, "geteuid", lambda: 0)
    calls: list[list[str]] = []

    def failing_run(cmd, env=None):
        calls.append([str(c) for c in cmd])
        return 1

    monkeypatch.setattr(tasks, "run", failing_run)
    monkeypatch.setattr(
        tasks, "ensure_venv", lambda extras=(): pytest.fail("must not go on after a failed install")
    )
    assert tasks.cmd_test([]) == 2
    assert calls == [["bash", str(tasks.SCRIPTS / "install-system-packages.sh")]]


def test_free_port_is_bindable() -> None:
    port = pgcluster.free_port()
    assert 1024 <= port <= 65535
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", port))


# --- pytest_dbonly ---------------------------------------------------------------------------------------


class FakeItem:
    def __init__(self, fixturenames: tuple[str, ...] = (), marked: bool = False, cls: type | None = None):
        self.fixturenames = fixturenames
        self.marked = marked
        self.cls = cls

    def get_closest_marker(self, name: str) -> object:
        return object() if self.marked and name == "django_db" else None


def test_dbonly_selects_tests_that_use_the_database() -> None:
    assert dbonly.uses_database(FakeItem(marked=True))
    assert dbonly.uses_database(FakeItem(fixturenames=("client", "db", "_django_db_helper")))
    assert dbonly.uses_database(FakeItem(fixturenames=("live_server",)))
    assert dbonly.uses_database(FakeItem(cls=TestCase))
    assert not dbonly.uses_database(FakeItem(cls=SimpleTestCase))
    assert not dbonly.uses_database(FakeItem(fixturenames=("tmp_path",)))


@pytest.mark.skipif(os.geteuid() != 0, reason="only root runs the server as another user")
def test_cluster_under_a_private_directory_is_refused_clearly(tmp_path: Path) -> None:
    private = tmp_path / "private"
    private.mkdir(mode=0o700)
    account = pgcluster.server_account()
    with pytest.raises(RuntimeError, match=r"cannot enter .*private"):
        pgcluster.check_reachable(private / "cluster", account)


# --- a real throwaway cluster ----------------------------------------------------------------------------


@pytest.fixture
def postgres_bindir() -> Path:
    try:
        return Path(pgcluster.find_bindir())
    except pgcluster.PostgresNotFoundError as exc:
        if os.environ.get("CI"):
            pytest.fail(f"CI must have PostgreSQL: {exc}")
        pytest.skip(str(exc))


def test_cluster_starts_serves_and_goes_away(postgres_bindir: Path) -> None:
    with pgcluster.running_cluster() as cluster:
        assert cluster.url == f"postgresql://postgres@127.0.0.1:{cluster.port}/jieneng_test"
        if os.geteuid() == 0:
            assert (cluster.base / "data").stat().st_uid != 0
        with psycopg.connect(cluster.url, connect_timeout=10) as conn:
            settings = {
                name: conn.execute(f"SHOW {name}").fetchone()[0]  # type: ignore[index]
                for name in ("listen_addresses", "fsync", "server_encoding")
            }
            assert conn.execute("SELECT current_database()").fetchone() == ("jieneng_test",)
        assert settings == {"listen_addresses": "127.0.0.1", "fsync": "off", "server_encoding": "UTF8"}
        base = cluster.base
    assert not base.exists()
    with pytest.raises(psycopg.OperationalError):
        psycopg.connect(cluster.url, connect_timeout=3)


def test_cluster_command_line(postgres_bindir: Path) -> None:
    script = [sys.executable, str(ROOT / "scripts" / "pgcluster.py")]
    base = Path(tempfile.gettempdir()) / f"jieneng-pg-test-{uuid.uuid4().hex}"  # the server user can reach it
    started = subprocess.run([*script, "start", str(base)], capture_output=True, text=True, check=False)
    try:
        assert started.returncode == 0, started.stderr
        url = started.stdout.strip()
        assert url == json.loads((base / "cluster.json").read_text())["url"]
        with psycopg.connect(url, connect_timeout=10) as conn:
            assert conn.execute("SELECT 1").fetchone() == (1,)
    finally:
        stopped = subprocess.run([*script, "stop", str(base)], capture_output=True, text=True, check=False)
    assert stopped.returncode == 0, stopped.stderr
    assert not base.exists()
