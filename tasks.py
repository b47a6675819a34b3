"""Developer tasks for jieneng. Standard library only: run it with the system python3 (3.11 or newer).

    python3 tasks.py demo [--port 8000] [--reset]   the demo at http://127.0.0.1:8000 (SQLite, demo data)
    python3 tasks.py test [--no-pg] [--serial] [pytest args…]
                                                    ruff, mypy, pytest on SQLite and, beside it (after it
                                                    with --serial), the database tests again on a
                                                    throwaway PostgreSQL cluster; each run ends with
                                                    its slowest tests (--durations)
    python3 tasks.py lint                           ruff check, ruff format --check, mypy
    python3 tasks.py fmt                            ruff format, ruff check --fix
    python3 tasks.py bench [NAME [args…]]           run benchmarks/NAME.py (lists them without NAME)

Every task first makes sure .venv exists and holds the project (`pip install -e .` or `.[dev]`); it
reinstalls only when pyproject.toml changed since the last install (its hash is kept in .venv).
"""

# ruff: noqa: S603  (subprocess calls with fixed argument lists)
from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent
SCRIPTS = ROOT / "scripts"
VENV = ROOT / ".venv"
BIN = VENV / "bin"
STAMP = VENV / "jieneng-install.json"
NO_TESTS_COLLECTED = 5  # pytest's exit code when nothing was selected
SLOWEST = ["--durations=25", "--durations-min=0.5"]  # each pytest run ends with its slowest tests

sys.path.insert(0, str(SCRIPTS))
import pgcluster  # noqa: E402

Steps = list[tuple[str, list[str | Path]]]
LINT: Steps = [
    ("ruff check .", [BIN / "ruff", "check", "."]),
    ("ruff format --check .", [BIN / "ruff", "format", "--check", "."]),
    ("mypy", [BIN / "mypy"]),
    ("lint-imports (the layers in pyproject.toml)", [BIN / "lint-imports", "--no-cache"]),
]
FMT: Steps = [
    ("ruff format .", [BIN / "ruff", "format", "."]),
    ("ruff check --fix .", [BIN / "ruff", "check", "--fix", "."]),
]


def step(message: str) -> None:
    print(f"==> {message}", flush=True)


def run(cmd: Sequence[str | Path], env: Mapping[str, str] | None = None) -> int:
    return subprocess.run([str(part) for part in cmd], cwd=ROOT, env=env, check=False).returncode


def with_scripts_on_path(env: Mapping[str, str], **extra: str) -> dict[str, str]:
    """The environment plus scripts/ on PYTHONPATH (for pgcluster and pytest_dbonly)."""
    pythonpath = os.pathsep.join(filter(None, [str(SCRIPTS), env.get("PYTHONPATH")]))
    return {**env, "PYTHONPATH": pythonpath, **extra}


def file_hash(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def needs_install(stamp: Path, digest: str, extras: tuple[str, ...]) -> bool:
    """True unless the stamp records this pyproject.toml hash, installed with these extras (or more)."""
    try:
        state = json.loads(stamp.read_text())
    except (OSError, ValueError):
        return True
    return state.get("pyproject_sha256") != digest or not set(extras) <= set(state.get("extras", []))


def base_python() -> str:
    if sys.version_info[:2] == (3, 11):
        return sys.executable
    found = shutil.which("python3.11")
    if not found:
        sys.exit(f"jieneng needs Python 3.11 for its virtualenv; this is {sys.version.split()[0]}")
    return found


def bootstrap_pip() -> None:
    """Put pip into .venv: ensurepip, or else the system Python's own pip (Debian without python3-venv)."""
    if subprocess.run([BIN / "python", "-m", "ensurepip"], capture_output=True, check=False).returncode == 0:
        return
    step("this Python has no ensurepip: installing pip into .venv with the system pip")
    with tempfile.TemporaryDirectory() as tmp:
        if run([sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "-d", tmp, "pip"]) != 0:
            sys.exit("no pip available: install Debian's python3-venv (apt-get install python3-venv)")
        wheel = next(Path(tmp).glob("pip-*.whl"))
        if run([BIN / "python", wheel / "pip", "install", "--quiet", "--no-index", wheel]) != 0:
            sys.exit("could not install pip into .venv")


def ensure_system_packages(with_pg: bool) -> bool:
    """PostgreSQL, Chromium, LibreOffice and poppler for the tests: install them as root if missing, else
    say what is needed."""
    programs = {"chromium": "chromium", "soffice": "libreoffice-writer-nogui", "pdftoppm": "poppler-utils"}
    missing = [package for program, package in programs.items() if not shutil.which(program)]
    if with_pg:
        try:
            pgcluster.find_bindir()
        except pgcluster.PostgresNotFoundError:
            missing.append("postgresql")
    if not missing:
        return True
    if os.geteuid() == 0 and shutil.which("apt-get"):
        step(f"installing the Debian packages the tests need ({', '.join(missing)})")
        return run(["bash", SCRIPTS / "install-system-packages.sh"]) == 0
    print(
        f"error: the tests need {', '.join(missing)}: run `sudo bash scripts/install-system-packages.sh`"
        " (or pass --no-pg to skip PostgreSQL)",
        file=sys.stderr,
    )
    return False


def ensure_venv(extras: tuple[str, ...] = ()) -> None:
    if not (BIN / "python").exists():
        python = base_python()
        step(f"creating the virtualenv .venv with {python}")
        if run([python, "-m", "venv", "--without-pip", VENV]) != 0:
            sys.exit("could not create .venv")
    if subprocess.run([BIN / "python", "-c", "import pip"], capture_output=True, check=False).returncode:
        step("installing pip into .venv")
        bootstrap_pip()
    digest = file_hash(ROOT / "pyproject.toml")
    if not needs_install(STAMP, digest, extras):
        step(f"the virtualenv .venv is up to date with pyproject.toml ({digest[:12]})")
        return
    spec = f".[{','.join(extras)}]" if extras else "."
    step(f"installing the project into .venv: pip install -e '{spec}' (pyproject.toml is new or changed)")
    if run([BIN / "python", "-m", "pip", "install", "--quiet", "-e", spec]) != 0:
        sys.exit("pip install failed (see above)")
    STAMP.write_text(json.dumps({"pyproject_sha256": digest, "extras": sorted(extras)}))


def run_steps(steps: Steps) -> int:
    for name, cmd in steps:
        step(name)
        if code := run(cmd):
            step(f"FAILED: {name} (exit {code})")
            return code
    return 0


def pytest_step(name: str, args: list[str], env: dict[str, str], filtered: bool) -> int:
    step(name)
    slowest = [] if any(arg.startswith("--durations") for arg in args) else SLOWEST
    code = run([BIN / "pytest", *slowest, *args], env)
    if code == NO_TESTS_COLLECTED and filtered:
        step(f"{name}: no tests selected")
        return 0
    if code:
        step(f"FAILED: {name} (exit {code})")
    return code


def cmd_test(args: list[str]) -> int:
    with_pg = "--no-pg" not in args
    serial = "--serial" in args
    args = [arg for arg in args if arg not in ("--no-pg", "--serial")]
    args = args[1:] if args[:1] == ["--"] else args
    if not ensure_system_packages(with_pg):
        return 2
    ensure_venv(("dev", "deploy"))  # deploy: gunicorn, which a test starts
    if code := run_steps(LINT):
        return code
    env = {key: value for key, value in os.environ.items() if key != "JIENENG_DATABASE_URL"}
    sqlite = "pytest on SQLite (all tests)"
    if not with_pg:
        code = pytest_step(sqlite, args, env, filtered=bool(args))
        step("!!!!!!!! SKIPPED: the PostgreSQL test run (--no-pg) !!!!!!!!")
        return code
    step("starting a throwaway PostgreSQL cluster")
    with pgcluster.running_cluster() as cluster, tempfile.TemporaryDirectory(prefix="jieneng-pg-") as own:
        step(f"PostgreSQL {cluster.bindir} on 127.0.0.1:{cluster.port}, data in {cluster.base}")
        pg_env = with_scripts_on_path(env, JIENENG_DATABASE_URL=cluster.url, JIENENG_DATA_DIR=own)
        pg = "pytest on PostgreSQL (tests that use the database)"
        pg_args = ["-p", "pytest_dbonly", *args]
        if serial:
            code = pytest_step(sqlite, args, env, filtered=bool(args)) or pytest_step(
                pg, pg_args, pg_env, filtered=True
            )
        else:
            code = both_at_once((sqlite, args, env, bool(args)), (pg, pg_args, pg_env), Path(own))
        step("stopping the PostgreSQL cluster")
    if code == 0:
        step("all checks and tests passed (SQLite and PostgreSQL)")
    return code


def both_at_once(
    sqlite: tuple[str, list[str], dict[str, str], bool], pg: tuple[str, list[str], dict[str, str]], own: Path
) -> int:
    """The SQLite run in the foreground and the PostgreSQL run beside it (one core each: the suite is
    single-threaded, so together they take about as long as the longer one); the PostgreSQL run's output,
    kept in a file, is printed when it ends. Its own data folder keeps the two runs' files apart."""
    pg_name, pg_args, pg_env = pg
    log = own / "pytest-postgresql.log"
    slowest = [] if any(arg.startswith("--durations") for arg in pg_args) else SLOWEST
    step(f"{pg_name}: started beside the SQLite run; its output follows when both are done")
    with log.open("w") as out:
        background = subprocess.Popen(
            [str(BIN / "pytest"), *slowest, *pg_args],
            cwd=ROOT,
            env=pg_env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
        try:
            sqlite_code = pytest_step(*sqlite[:3], filtered=sqlite[3])
            step("waiting for the PostgreSQL run to end")
            pg_code = background.wait()
        finally:
            if background.poll() is None:
                background.terminate()
                background.wait()
    step(pg_name)
    print(log.read_text(errors="replace"), end="", flush=True)
    if pg_code == NO_TESTS_COLLECTED:
        step(f"{pg_name}: no tests selected")
        pg_code = 0
    elif pg_code:
        step(f"FAILED: {pg_name} (exit {pg_code})")
    return sqlite_code or pg_code


def cmd_demo(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="tasks.py demo", description="Run the demo on SQLite.")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--reset", action="store_true", help="delete the demo database and start afresh")
    options = parser.parse_args(argv)
    ensure_venv()
    cmd = [str(BIN / "jieneng"), "demo", "--port", str(options.port), *(["--reset"] if options.reset else [])]
    step(f"starting the demo at http://127.0.0.1:{options.port}/ (Ctrl-C stops it): {' '.join(cmd)}")
    os.chdir(ROOT)
    os.execv(cmd[0], cmd)  # noqa: S606  (replaces this process with the demo server)


def cmd_bench(args: list[str]) -> int:
    names = sorted(path.stem for path in (ROOT / "benchmarks").glob("*.py") if not path.name.startswith("_"))
    if not args or args[0].removesuffix(".py") not in names:
        print("usage: python3 tasks.py bench NAME [args…]; benchmarks:", ", ".join(names) or "none yet")
        return 0 if not args else 2
    ensure_venv(("dev", "bench"))
    name = args[0].removesuffix(".py")
    step(f"running benchmarks/{name}.py {' '.join(args[1:])}".rstrip())
    return run([BIN / "python", f"benchmarks/{name}.py", *args[1:]], with_scripts_on_path(os.environ))


def main(argv: list[str]) -> int:
    signal.signal(signal.SIGTERM, lambda signum, _frame: sys.exit(128 + signum))  # run `finally` blocks
    command, args = (argv[0], argv[1:]) if argv else ("help", [])
    try:
        if command == "demo":
            return cmd_demo(args)
        if command == "test":
            return cmd_test(args)
        if command in ("lint", "fmt"):
            ensure_venv(("dev",))
            return run_steps(LINT if command == "lint" else FMT)
        if command == "bench":
            return cmd_bench(args)
    except KeyboardInterrupt:
        return 130
    print(__doc__)
    return 0 if command in ("help", "-h", "--help") else 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
