"""Throwaway PostgreSQL clusters for tests and benchmarks (standard library only).

A cluster lives in one directory: ``data/`` (initdb), ``postgres.log``, the Unix socket and
``cluster.json`` (port, binaries, URL). It listens on 127.0.0.1 only, on a free port, with trust
authentication and durability switched off (fsync, synchronous_commit, full_page_writes) for speed.
PostgreSQL refuses to run as root, so under root the server runs as the ``postgres`` user (or ``nobody``).

    from pgcluster import running_cluster          # with scripts/ on sys.path
    with running_cluster() as cluster:
        os.environ["JIENENG_DATABASE_URL"] = cluster.url

    python3 scripts/pgcluster.py start DIR   # prints the URL; DIR must be new or empty
    python3 scripts/pgcluster.py stop DIR    # stops the server and deletes DIR
"""

# ruff: noqa: S603  (subprocess calls with fixed argument lists)
from __future__ import annotations

import contextlib
import glob
import json
import os
import pwd
import shutil
import socket
import stat
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

DBNAME = "jieneng_test"
SUPERUSER = "postgres"
BINDIR_GLOBS = ["/usr/lib/postgresql/*/bin", "/usr/local/pgsql/bin", "/opt/homebrew/opt/postgresql@*/bin"]
TOOLS = ("initdb", "pg_ctl", "postgres", "createdb")
MARKER = "cluster.json"
# loopback only; no durability: the data is thrown away
SERVER_OPTIONS = " ".join(
    ["-c listen_addresses=127.0.0.1", "-c fsync=off", "-c synchronous_commit=off", "-c full_page_writes=off"]
)


class PostgresNotFoundError(RuntimeError):
    """No directory with the PostgreSQL server programs was found."""


def _version_key(path: str) -> tuple[int, ...]:
    digits = [int(part) for part in Path(path).parent.name.split(".") if part.isdigit()]
    return tuple(digits) or (0,)


def find_bindir() -> Path:
    """Return a directory holding initdb, pg_ctl, postgres and createdb, newest version first."""
    candidates: list[str] = []
    pg_config = shutil.which("pg_config")
    if pg_config:
        out = subprocess.run([pg_config, "--bindir"], capture_output=True, text=True, check=False)
        candidates.append(out.stdout.strip())
    for pattern in BINDIR_GLOBS:
        candidates += sorted(glob.glob(pattern), key=_version_key, reverse=True)
    candidates += [str(Path(found).resolve().parent) for found in filter(None, [shutil.which("initdb")])]
    for candidate in candidates:
        if candidate and all((Path(candidate) / tool).is_file() for tool in TOOLS):
            return Path(candidate)
    raise PostgresNotFoundError(
        "PostgreSQL server programs (initdb, pg_ctl, postgres, createdb) were not found via `pg_config "
        f"--bindir`, in {', '.join(BINDIR_GLOBS)} or on PATH.\n"
        "Install them, e.g. on Debian/Ubuntu: sudo apt-get install postgresql\n"
        "(or skip the PostgreSQL run: python3 tasks.py test --no-pg)"
    )


def free_port() -> int:
    """Return a TCP port on 127.0.0.1 that is free right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def server_account() -> pwd.struct_passwd | None:
    """The unprivileged account to run the server as when we are root; None when we are not root."""
    if os.geteuid() != 0:
        return None
    for name in ("postgres", "nobody"):
        with contextlib.suppress(KeyError):
            return pwd.getpwnam(name)
    raise RuntimeError("running as root, but neither a 'postgres' nor a 'nobody' user exists")


def check_reachable(base: Path, account: pwd.struct_passwd) -> None:
    """Raise unless the server account may enter every directory above ``base``."""
    for parent in base.parents:
        info = parent.stat()
        if not (info.st_mode & stat.S_IXOTH or info.st_uid == account.pw_uid):
            raise RuntimeError(
                f"PostgreSQL refuses to run as root, and the user {account.pw_name!r} that runs it instead "
                f"cannot enter {parent}: put the cluster elsewhere (e.g. under /tmp, or set TMPDIR=/tmp)"
            )


@dataclass
class Cluster:
    base: Path
    bindir: Path
    port: int

    @property
    def log(self) -> Path:
        return self.base / "postgres.log"

    @property
    def url(self) -> str:
        return f"postgresql://{SUPERUSER}@127.0.0.1:{self.port}/{DBNAME}"

    def run(self, tool: str, *args: str) -> subprocess.CompletedProcess[str]:
        """Run a PostgreSQL program as the directory's owner (never as root)."""
        owner = self.base.stat().st_uid
        switch = os.geteuid() == 0 and owner != 0
        env = {k: v for k, v in os.environ.items() if not k.startswith("PG")} | {"HOME": str(self.base)}
        return subprocess.run(
            [str(self.bindir / tool), *args],
            cwd=self.base,
            env=env,
            capture_output=True,
            text=True,
            check=False,
            user=owner if switch else None,
            group=pwd.getpwuid(owner).pw_gid if switch else None,
            extra_groups=[] if switch else None,
        )

    def _check(self, proc: subprocess.CompletedProcess[str], what: str) -> None:
        if proc.returncode != 0:
            tail = self.log.read_text(errors="replace")[-3000:] if self.log.exists() else ""
            raise RuntimeError(f"{what} failed ({proc.returncode}):\n{proc.stdout}{proc.stderr}{tail}")

    def start(self) -> None:
        data = str(self.base / "data")
        init = ["initdb", "-D", data, "-A", "trust", "-U", SUPERUSER, "-E", "UTF8", "--no-sync"]
        done = self.run(*init, "--locale=C.UTF-8")
        if done.returncode != 0:  # no C.UTF-8 locale on some systems; plain C collates the same way
            shutil.rmtree(data, ignore_errors=True)
            done = self.run(*init, "--locale=C")
        self._check(done, "initdb")
        for attempt in range(3):  # someone may take the free port before the server binds it
            if attempt:
                self.port = free_port()
            opts = f"-k {self.base} -p {self.port} {SERVER_OPTIONS}"
            done = self.run("pg_ctl", "-D", data, "-l", str(self.log), "-w", "-o", opts, "start")
            if done.returncode == 0:
                break
        self._check(done, "pg_ctl start")
        state = {"port": self.port, "bindir": str(self.bindir), "url": self.url}
        (self.base / MARKER).write_text(json.dumps(state))
        done = self.run("createdb", "-h", "127.0.0.1", "-p", str(self.port), "-U", SUPERUSER, DBNAME)
        self._check(done, "createdb")

    def stop(self, remove: bool = True) -> None:
        """Stop the server (immediately: the data is thrown away) and delete the directory."""
        if (self.base / "data" / "postmaster.pid").exists():
            self.run("pg_ctl", "-D", str(self.base / "data"), "-m", "immediate", "-w", "stop")
        if remove:
            shutil.rmtree(self.base, ignore_errors=True)


def start_cluster(base: Path | None = None) -> Cluster:
    """Create and start a cluster in ``base`` (new or empty) or in a new temporary directory."""
    bindir = find_bindir()
    account = server_account()
    if base is None:
        base = Path(tempfile.mkdtemp(prefix="jieneng-pg-"))
    else:
        base.mkdir(parents=True, exist_ok=True)
        if any(base.iterdir()):
            raise RuntimeError(f"{base} is not empty")
    base = base.resolve()
    if account is not None:
        check_reachable(base, account)
        os.chown(base, account.pw_uid, account.pw_gid)
        base.chmod(0o700)
    cluster = Cluster(base=base, bindir=bindir, port=free_port())
    try:
        cluster.start()
    except BaseException:
        cluster.stop()
        raise
    return cluster


def load_cluster(base: Path) -> Cluster:
    state = json.loads((base / MARKER).read_text())
    return Cluster(base=base.resolve(), bindir=Path(state["bindir"]), port=int(state["port"]))


@contextlib.contextmanager
def running_cluster(base: Path | None = None) -> Iterator[Cluster]:
    """Start a throwaway cluster; stop it and delete its directory afterwards, even on errors."""
    cluster = start_cluster(base)
    try:
        yield cluster
    finally:
        cluster.stop()


def main(argv: list[str]) -> int:
    if len(argv) != 2 or argv[0] not in ("start", "stop"):
        print("usage: python3 scripts/pgcluster.py start|stop DIR", file=sys.stderr)
        return 2
    command, base = argv[0], Path(argv[1])
    try:
        if command == "start":
            print(start_cluster(base).url)
        elif (base / MARKER).exists():
            load_cluster(base).stop()
        else:
            print(f"{base} holds no cluster started by this script ({MARKER} missing)", file=sys.stderr)
            return 1
    except (PostgresNotFoundError, RuntimeError) as exc:
        print(exc, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
