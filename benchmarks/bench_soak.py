"""Benchmark: the production set-up under a working day's load — the soak test of issue 18.

    python3 tasks.py bench bench_soak [--minutes 10] [--users 50] [--pause 1 5]

Needs the ``bench`` and ``deploy`` extras (the load tool and gunicorn). In one run:

1. a throwaway PostgreSQL cluster, migrated and filled with the demonstration city (``jieneng demo``'s
   data on today's date) and its accounts, plus one reporter account for each of 15 of its units and
   four more reviewers of the city;
2. the production processes as docs/deploy.md runs them, without nginx: gunicorn with
   ``deploy/gunicorn.conf.py`` and the settings of ``deploy/jieneng.env`` (HTTPS settings off, as
   there is no proxy in front; JSON logs), and the task worker (``jieneng manage worker``) as its own
   process; every upload goes to the worker (``JIENENG_INLINE_IMPORT_BYTES=0``);
3. ``--users`` simulated people (default 50) for ``--minutes`` (default 10), each pausing between
   ``--pause`` seconds (default 1 to 5) between two steps: reporters (3 in 10) upload a month of their
   unit and wait for the import, reviewers (1 in 10) approve from the review queue, officials (6 in 10)
   read their dashboards and a unit's page (``_soak_load.py``); everyone loads the sign-in page now
   and then, the baseline;
4. afterwards: the worker's queue drained, the servers stopped, every kept roll-up compared with a
   rebuild from the approved records (:func:`jieneng.statistics.rollups.rebuild`).

Prints the errors (failed requests, HTTP 5xx and ERROR lines in the servers' logs, failed imports:
the goal is 0), a markdown table of p50/p95 per page with the ratio of p95 to the sign-in page's in
the same run, what the load did (uploads, approvals, jobs by status), and whether the roll-ups equal
the rebuild. The machine's other work slows every page alike; the ratios are what to compare.
"""

from __future__ import annotations

import argparse
import csv
import importlib.util
import json
import os
import re
import secrets
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections import Counter
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
DEPLOY = HERE.parent / "deploy"
FORM = "pi-energy"
CHANGED = "electricity"  # the item a reporter's upload changes by a few per cent
REPORTERS = 15
REVIEWERS = 4
WEIGHTS = {"reporter": 3, "reviewer": 1, "official": 6}
JOB_SECONDS = 120  # an import not finished by then is an error


def documented_settings() -> dict[str, str]:
    """deploy/jieneng.env as systemd reads it."""
    values = {}
    for line in (DEPLOY / "jieneng.env").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            name, _, value = line.partition("=")
            values[name.strip()] = value.strip()
    return values


# --- the data and the plan ----------------------------------------------------------------------


def prepare(password: str) -> dict[str, Any]:
    """Migrate, load the demonstration city, make the accounts; the plan for the load tool."""
    import django

    django.setup()
    from django.core.management import call_command

    from jieneng.accounts import demo as demo_accounts
    from jieneng.demo.generator import generate_city
    from jieneng.reporting.services import load_demo

    started = time.perf_counter()
    call_command("migrate", interactive=False, verbosity=0)
    load_demo(generate_city(), progress=lambda _line: None)
    demo_accounts.ensure()
    print(f"demonstration city loaded in {time.perf_counter() - started:.0f} s", flush=True)
    return plan(password)


def plan(password: str) -> dict[str, Any]:
    from django.contrib.auth import get_user_model
    from django.urls import reverse

    from jieneng.accounts.models import Membership
    from jieneng.accounts.roles import Role
    from jieneng.reference import load_forms
    from jieneng.reporting.models import Revision, Submission

    users = get_user_model()
    for user in users.objects.filter(username__in=["city_admin", "county_admin", "viewer", "reviewer"]):
        user.set_password(password)
        user.save()
    city = Membership.objects.get(user__username="city_admin").region
    county = Membership.objects.get(user__username="county_admin").region
    assert city is not None and county is not None
    reviewers = ["reviewer"]
    for number in range(REVIEWERS):
        user = users.objects.create_user(username=f"soak-reviewer-{number}", password=password)
        Membership(user=user, role=Role.REVIEWER, region=city).save()
        reviewers.append(user.username)

    form = load_forms()[FORM]
    reporters = []
    approved = Submission.objects.filter(form=FORM, month__isnull=False, status=Submission.Status.APPROVED)
    organisations = approved.values_list("organisation", flat=True).distinct().order_by("organisation")
    for org_id in list(organisations)[:REPORTERS]:
        latest = list(approved.filter(organisation=org_id).select_related("organisation"))
        latest.sort(key=lambda s: (s.year, s.month), reverse=True)
        months = []
        for submission in latest[:6]:
            values = Revision.objects.get(submission=submission, number=submission.current).values
            kept = {item: value for item, value in values.items() if value is not None}
            if kept.get(CHANGED):
                months.append({"period": submission.period, "values": kept})
        if not months:
            continue
        unit = latest[0].organisation
        user = users.objects.create_user(username=f"soak-reporter-{org_id}", password=password)
        Membership(user=user, role=Role.REPORTER, organisation=unit).save()
        reporters.append(
            {"username": user.username, "code": unit.credit_code, "name": unit.name, "months": months}
        )
    unit_in_county = approved.filter(organisation__region=county).values_list("organisation", flat=True)[0]
    unit_page = reverse("unit", args=[unit_in_county])
    return {
        "password": password,
        "form": FORM,
        "changed": CHANGED,
        "headers": {code: f"{item.zh}（{item.unit}）" for code, item in form.items.items()},
        "weights": WEIGHTS,
        "reporters": reporters,
        "reviewers": reviewers,
        "officials": [
            {
                "username": name,
                "pages": [
                    ["city dashboard", reverse("region", args=[city.code])],
                    ["county dashboard", reverse("region", args=[county.code])],
                    ["unit page", unit_page],
                    ["home page", "/"],
                ],
            }
            for name in ("city_admin", "viewer")
        ]
        + [
            {
                "username": "county_admin",
                "pages": [
                    ["county dashboard", reverse("region", args=[county.code])],
                    ["unit page", unit_page],
                    ["home page", "/"],
                ],
            }
        ],
    }


# --- the processes ------------------------------------------------------------------------------


def start(command: list[str], env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    with log.open("wb") as out:
        return subprocess.Popen(
            command, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )


def stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)  # the process we started and its children
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def wait_healthy(base: str, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(base + "/healthz", timeout=10) as answer:
                if answer.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.5)
    raise SystemExit(f"/healthz did not answer 200 within {seconds:.0f} s")


def drain(seconds: float = 300) -> Counter[str]:
    """Wait until no import job is queued or running; the jobs by status."""
    from django.db import connections

    from jieneng.reporting.models import ImportJob

    deadline = time.monotonic() + seconds
    while True:
        statuses = Counter(str(s) for s in ImportJob.objects.values_list("status", flat=True))
        busy = statuses[ImportJob.Status.QUEUED] + statuses[ImportJob.Status.RUNNING]
        if not busy or time.monotonic() > deadline:
            connections.close_all()
            return statuses
        time.sleep(2)


def load(base: str, folder: Path, args: argparse.Namespace, plan_file: Path) -> Path:
    prefix = folder / "soak"
    cmd = [sys.executable, "-m", "locust", "-f", str(HERE / "_soak_load.py"), "--headless", "--only-summary"]
    cmd += ["--users", str(args.users), "--spawn-rate", str(max(1, args.users // 10))]
    cmd += ["--run-time", f"{int(args.minutes * 60)}s", "--host", base, "--csv", str(prefix)]
    cmd += ["--stop-timeout", "60", "--loglevel", "WARNING", "--exit-code-on-error", "0"]
    env = os.environ | {"JIENENG_SOAK_PLAN": str(plan_file)}
    done = subprocess.run(cmd, env=env, cwd=folder, capture_output=True, text=True, check=False)
    if done.returncode:
        sys.stderr.write(done.stdout + done.stderr)
        raise SystemExit("the load tool failed")
    return prefix


# --- afterwards ---------------------------------------------------------------------------------


def snapshot() -> tuple[dict[tuple[Any, ...], tuple[Any, ...]], dict[tuple[Any, ...], tuple[Any, ...]]]:
    from jieneng.statistics.models import RegionFigure, UnitFigure

    regions = {
        (f.region, f.year, f.month, f.type_code, f.energy): (
            f.kgce,
            f.kgce_excl_vehicle,
            f.water_m3,
            f.cost,
            f.persons,
            f.area_m2,
            f.units,
            f.kgco2,
            f.co2_missing,
        )
        for f in RegionFigure.objects.all()
    }
    units = {
        (f.organisation_id, f.year): (f.kgce, f.persons, f.months, f.region, f.type_code, f.kgco2)
        for f in UnitFigure.objects.all()
    }
    return regions, units


def _same(a: tuple[Any, ...], b: tuple[Any, ...]) -> bool:
    def close(x: Any, y: Any) -> bool:
        if isinstance(x, float) and isinstance(y, float):
            return abs(x - y) <= max(1e-9 * max(abs(x), abs(y)), 1e-3)
        return bool(x == y)

    return len(a) == len(b) and all(close(x, y) for x, y in zip(a, b, strict=True))


def compare_with_rebuild() -> tuple[int, int]:
    """(rows compared, rows that differ) between the kept roll-ups and a rebuild."""
    from jieneng.statistics import rollups

    kept = snapshot()
    rollups.rebuild()
    rebuilt = snapshot()
    compared = differ = 0
    for before, after in zip(kept, rebuilt, strict=True):
        for key in before.keys() | after.keys():
            compared += 1
            if key not in before or key not in after or not _same(before[key], after[key]):
                differ += 1
    return compared, differ


def log_errors(*logs: Path) -> tuple[Counter[str], list[str]]:
    """Lines by logger, and the servers' errors: each HTTP 5xx answer (with the exception that caused
    it, from the ERROR line logged just before it), each failed job, any other ERROR line."""
    loggers: Counter[str] = Counter()
    errors: list[str] = []
    cause = ""
    for log in logs:
        for text in log.read_text(encoding="utf-8", errors="replace").splitlines():
            try:
                line = json.loads(text)
            except ValueError:
                if "[ERROR]" in text or "[CRITICAL]" in text:  # gunicorn's own
                    errors.append(text[:300])
                continue
            name, status = line.get("logger", ""), line.get("status")
            loggers[name] += 1
            if name == "jieneng.requests" and int(status or 0) >= 500:
                errors.append(f"HTTP {status} {line.get('method')} {line.get('path')}: {cause}")
                cause = ""
            elif name == "jieneng.jobs" and status == "failed":
                errors.append(f"import job {line.get('job')} failed")
            elif line.get("level") in ("ERROR", "CRITICAL"):
                cause = _cause(str(line.get("error") or line.get("event")))
                if name != "django.request":  # that one is followed by its request's line
                    errors.append(f"{name}: {cause}")
    return loggers, errors


def _cause(traceback: str) -> str:
    """The exception's own lines of a traceback (type and message, the database's DETAIL and CONTEXT)."""
    lines = traceback.strip().splitlines()
    last = max(
        (i for i, text in enumerate(lines) if re.match(r"^[\w.]+(Error|Exception|Detected)\b", text)),
        default=-1,
    )
    return " | ".join(text.strip() for text in lines[last:] if text.strip())[:600] if last >= 0 else lines[-1]


def table(prefix: Path) -> tuple[str, dict[str, float]]:
    with open(f"{prefix}_stats.csv", newline="", encoding="utf-8") as handle:
        every = list(csv.DictReader(handle))
    rows = {row["Name"]: row for row in every if row["Name"] != "Aggregated"}
    base = float(rows["sign-in page"]["95%"]) or 1.0
    lines = [
        "| page | requests | failed | p50 ms | p95 ms | p95 ÷ sign-in page |",
        "|---|--:|--:|--:|--:|--:|",
    ]
    for name, row in sorted(rows.items(), key=lambda item: item[0] != "sign-in page"):
        p95 = float(row["95%"])
        lines.append(
            f"| {name} | {int(row['Request Count']):,} | {int(row['Failure Count'])} "
            f"| {float(row['50%']):.0f} | {p95:.0f} | {p95 / base:.1f} |"
        )
    total = next((row for row in every if row["Name"] == "Aggregated"), {})
    counts = {
        "requests": float(total.get("Request Count", 0)),
        "failures": float(total.get("Failure Count", 0)),
        "uploads": float(rows.get("upload", {}).get("Request Count", 0)),
        "approvals": float(rows.get("approve", {}).get("Request Count", 0)),
    }
    return "\n".join(lines), counts


def failures(prefix: Path) -> list[str]:
    path = Path(f"{prefix}_failures.csv")
    if not path.exists():
        return []
    with path.open(newline="", encoding="utf-8") as handle:
        return [
            f"{r['Occurrences']}× {r['Method']} {r['Name']}: {r['Error']}" for r in csv.DictReader(handle)
        ]


def serve_and_load(
    args: argparse.Namespace, env: dict[str, str], folder: Path, port: int, plan_file: Path
) -> tuple[Path, Counter[str]]:
    """gunicorn and the worker as in production, the load against them, the worker's queue drained;
    the prefix of the load tool's statistics and the import jobs by status."""
    gunicorn = [sys.executable, "-m", "gunicorn", "--config", str(DEPLOY / "gunicorn.conf.py")]
    gunicorn += ["--bind", f"127.0.0.1:{port}"]
    worker = [sys.executable, "-m", "jieneng.web.launch", "worker", "--no-reload"]
    web, tasks = start(gunicorn, env, folder / "web.log"), start(worker, env, folder / "worker.log")
    try:
        wait_healthy(f"http://127.0.0.1:{port}")
        print(f"{args.users} users for {args.minutes:g} min …", flush=True)
        prefix = load(f"http://127.0.0.1:{port}", folder, args, plan_file)
        return prefix, drain()
    finally:
        stop(web)
        stop(tasks)


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--minutes", type=float, default=10.0, help="how long the load lasts")
    parser.add_argument("--users", type=int, default=50, help="simulated people at once")
    parser.add_argument("--pause", type=float, nargs=2, default=(1.0, 5.0), metavar=("MIN", "MAX"))
    args = parser.parse_args()
    missing = [name for name in ("gunicorn", "locust") if importlib.util.find_spec(name) is None]
    if missing:
        raise SystemExit(f"missing {', '.join(missing)}: pip install -e '.[bench,deploy]'")
    from pgcluster import free_port, start_cluster  # scripts/ is on the path under tasks.py bench

    cluster = start_cluster()
    print(f"PostgreSQL on 127.0.0.1:{cluster.port}", flush=True)
    password = secrets.token_urlsafe(16)
    try:
        with tempfile.TemporaryDirectory(prefix="jieneng-bench-soak-") as tmp:
            folder = Path(tmp)
            port = free_port()
            env = {k: v for k, v in os.environ.items() if not k.startswith("JIENENG_")}
            env |= documented_settings() | {
                "DJANGO_SETTINGS_MODULE": "jieneng.web.settings",
                "JIENENG_DATABASE_URL": cluster.url,
                "JIENENG_DATA_DIR": str(folder / "srv"),
                "JIENENG_ALLOWED_HOSTS": "127.0.0.1",
                "JIENENG_CSRF_TRUSTED_ORIGINS": f"http://127.0.0.1:{port}",
                # no proxy in front: plain HTTP on the loopback
                "JIENENG_PROXY_HTTPS_HEADER": "0",
                "JIENENG_HTTPS_REDIRECT": "0",
                "JIENENG_SECURE_COOKIES": "0",
                "JIENENG_HSTS_SECONDS": "0",
                "JIENENG_HSTS_INCLUDE_SUBDOMAINS": "0",
                "JIENENG_HSTS_PRELOAD": "0",
                "JIENENG_INLINE_IMPORT_BYTES": "0",
                "JIENENG_WORKER_HEARTBEAT_SECONDS": "20",
            }
            os.environ.clear()
            os.environ.update(env)
            Path(env["JIENENG_DATA_DIR"]).mkdir()
            plan_file = folder / "plan.json"
            built = prepare(password) | {"pause": list(args.pause), "job_seconds": JOB_SECONDS}
            plan_file.write_text(json.dumps(built, ensure_ascii=False), encoding="utf-8")
            from django.db import connections

            connections.close_all()
            idle_load = os.getloadavg()[0]
            prefix, jobs = serve_and_load(args, env, folder, port, plan_file)
            loggers, errors = log_errors(folder / "web.log", folder / "worker.log")
            report, counts = table(prefix)
            failed = failures(prefix)
            compared, differ = compare_with_rebuild()
        print(
            f"\n{args.users} users ({WEIGHTS}), {args.minutes:g} min, pauses {args.pause[0]:g}–"
            f"{args.pause[1]:g} s; gunicorn with deploy/gunicorn.conf.py, {os.cpu_count()} cores; "
            f"load average before the start: {idle_load:.1f}\n"
        )
        print(report)
        print(
            f"\nrequests {counts['requests']:,.0f}, failed {counts['failures']:.0f}; uploads "
            f"{counts['uploads']:.0f}, approval posts {counts['approvals']:.0f}; import jobs by status: "
            f"{dict(jobs)}; log lines: {dict(loggers)}"
        )
        print(
            f"\nErrors (goal 0): {int(counts['failures'])} failed requests seen by the simulated people, "
            f"{len(errors)} errors in the servers' logs"
        )
        for line in failed + errors[:20]:
            print(f"- {line}")
        verdict = "equal" if not differ else f"NOT equal ({differ} rows differ)"
        print(f"\nRoll-ups after the load: {compared:,} rows compared with a rebuild: {verdict}.")
    finally:
        cluster.stop()
    return 0 if not differ else 1


if __name__ == "__main__":
    sys.exit(main())
