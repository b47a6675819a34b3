"""Benchmark: the dashboards and the review queue under load, on national-size data in PostgreSQL.

    python3 tasks.py bench bench_web [--institutions N] [--seconds S] [--users U] [--keep DIR] [--no-cache]

Needs the ``bench`` extra (``pip install -e '.[bench]'``: the load tool and the WSGI server). In one run:

1. a throwaway PostgreSQL cluster, migrated, filled by ``_national_store.build``: the scale
   generator's 1.6 million institutions (``--institutions`` to scale down) with their facts, the
   roll-ups and a month of submissions awaiting review (a few minutes at full size);
2. three accounts: an office administrator of the busiest province, one of its busiest county, and a
   reviewer of that province;
3. the site served by gunicorn, 2 sync worker processes, debug off;
4. per page, the load tool alone against the server for S seconds (default 30) with U simulated
   users (default 4) who sign in through the login page, then reload the page without pause:
   the sign-in page itself (the baseline: a minimal Django page through the same middleware),
   the province and county dashboards, a unit page and the review queue;
5. one request of each page profiled in this process: time, SQL queries and their time.

Prints a markdown table — p50 and p95 latency [ms], requests per second, and the ratios of p95 and
requests per second to the baseline page, all from the same run — and whether the goal of issue 4
(dashboard p95 under 200 ms) is met. ``--keep DIR`` leaves the cluster running in DIR and reuses
it (and its data) on the next run with the same DIR; stop it with
``python3 scripts/pgcluster.py stop DIR``. Latency in a closed loop is about
users / throughput: compare pages at the same ``--users``. Timing asserts do not belong in tests.

The load reloads one page, so with the dashboard cache on (the default) it measures a page viewed
again while its province's data has not changed; ``--no-cache`` computes every view, as the first
view after an approval is (:mod:`jieneng.statistics.freshness`).
"""

from __future__ import annotations

import argparse
import cProfile
import csv
import dataclasses
import importlib.util
import json
import os
import pstats
import re
import secrets
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
WORKERS = 2
GOAL_MS = 200.0
BUILT = "built.json"


@dataclasses.dataclass
class Page:
    name: str
    path: str
    user: str
    dashboard: bool = False
    status: int = 0
    size: int = 0
    stats: dict[str, float] = dataclasses.field(default_factory=dict)


# --- the data and the accounts ------------------------------------------------------------------


def prepare(folder: Path, institutions: int, reuse: bool) -> dict[str, Any]:
    """Migrate and fill the database (unless ``reuse`` finds an earlier build in ``folder``)."""
    import django

    django.setup()
    from django.core.management import call_command

    started = time.perf_counter()
    call_command("migrate", interactive=False, verbosity=0)  # a kept cluster gets the tree's new tables
    print(f"migrated in {time.perf_counter() - started:.1f} s")
    marker = folder / BUILT
    if reuse and marker.exists():
        built = json.loads(marker.read_text())
        print(f"reusing the data of an earlier run: {built['institutions']:,} institutions")
        return built
    sys.path.insert(0, str(HERE))
    from _national_store import build

    built = dataclasses.asdict(build(institutions))
    marker.write_text(json.dumps(built))
    print(f"built in {built['seconds']:.0f} s: " + ", ".join(f"{k} {v:,}" for k, v in built["rows"].items()))
    return built


def accounts(built: dict[str, Any], password: str) -> dict[str, str]:
    """The three accounts (made once, password set on every run); role → user name."""
    from django.contrib.auth import get_user_model

    from jieneng.accounts.models import Membership
    from jieneng.accounts.roles import Role
    from jieneng.directory.models import Region

    places = {
        "province": (Role.OFFICE_ADMIN, built["province"]),
        "county": (Role.OFFICE_ADMIN, built["county"]),
        "reviewer": (Role.REVIEWER, built["province"]),
    }
    names = {}
    for key, (role, code) in places.items():
        user, _ = get_user_model().objects.get_or_create(username=f"bench-{key}")
        user.set_password(password)
        user.save()
        Membership.objects.get_or_create(user=user, role=role, region=Region.objects.get(code=code))
        names[key] = user.username
    return names


def pages(built: dict[str, Any], users: dict[str, str]) -> list[Page]:
    from django.urls import reverse

    return [
        Page("sign-in page (baseline)", reverse("login"), users["province"]),
        Page("province dashboard", reverse("region", args=[built["province"]]), users["province"], True),
        Page("county dashboard", reverse("region", args=[built["county"]]), users["county"], True),
        Page("unit page", reverse("unit", args=[built["unit"]]), users["county"]),
        Page("review queue", reverse("reporting:queue"), users["reviewer"]),
    ]


# --- the server and the load --------------------------------------------------------------------


def serve(port: int, env: dict[str, str]) -> subprocess.Popen[bytes]:
    """gunicorn with :data:`WORKERS` sync workers on 127.0.0.1:``port``, once it answers."""
    cmd = [sys.executable, "-m", "gunicorn", "jieneng.web.wsgi:application", "--workers", str(WORKERS)]
    cmd += ["--bind", f"127.0.0.1:{port}", "--timeout", "300", "--log-level", "warning"]
    server = subprocess.Popen(cmd, env=env, start_new_session=True)
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/accounts/login/", timeout=30):
                    return server
            except OSError:  # not listening yet, or still starting its workers
                if server.poll() is not None:
                    raise SystemExit(f"gunicorn exited with {server.returncode}") from None
                time.sleep(0.5)
        raise SystemExit("gunicorn did not answer within 120 s")
    except BaseException:
        stop(server)
        raise


def stop(server: subprocess.Popen[bytes]) -> None:
    if server.poll() is None:
        os.killpg(server.pid, signal.SIGTERM)  # the server we started and its workers
        server.wait(timeout=30)


def check(base: str, page: Page, password: str, times: int = 4) -> None:
    """Sign in as the page's user, ask for the page ``times`` times (warming both workers);
    record its status and size."""
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()), _NoRedirect())
    form = opener.open(base + "/accounts/login/").read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form)
    data = {
        "username": page.user,
        "password": password,
        "csrfmiddlewaretoken": token.group(1) if token else "",
    }
    try:
        opener.open(base + "/accounts/login/", urllib.parse.urlencode(data).encode())
    except urllib.error.HTTPError as answer:
        if answer.code != 302:
            raise SystemExit(f"{page.user} could not sign in (HTTP {answer.code})") from None
    for _ in range(times):
        try:
            with opener.open(base + page.path) as answer:
                page.status, page.size = answer.status, len(answer.read())
        except urllib.error.HTTPError as answer:
            page.status, page.size = answer.code, len(answer.read())


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


def load(base: str, page: Page, password: str, *, seconds: int, users: int, folder: Path) -> None:
    """The load tool, alone against the server, on one page; fills ``page.stats``."""
    prefix = folder / re.sub(r"\W+", "-", page.name)
    cmd = [sys.executable, "-m", "locust", "-f", str(HERE / "_web_load.py"), "--headless", "--only-summary"]
    cmd += ["--users", str(users), "--spawn-rate", str(users), "--run-time", f"{seconds}s", "--host", base]
    cmd += [
        "--csv",
        str(prefix),
        "--stop-timeout",
        "10",
        "--loglevel",
        "WARNING",
        "--exit-code-on-error",
        "0",
    ]
    env = os.environ | {
        "JIENENG_BENCH_PATH": page.path,
        "JIENENG_BENCH_NAME": page.name,
        "JIENENG_BENCH_USER": page.user,
        "JIENENG_BENCH_PASSWORD": password,
    }
    done = subprocess.run(cmd, env=env, cwd=folder, capture_output=True, text=True, check=False)
    with open(f"{prefix}_stats.csv", newline="", encoding="utf-8") as handle:
        row = next((r for r in csv.DictReader(handle) if r["Name"] == page.name), None)
    if done.returncode or row is None:
        sys.stderr.write(done.stdout + done.stderr)
        raise SystemExit(f"the load tool failed on {page.name}")
    page.stats = {
        "requests": float(row["Request Count"]),
        "failures": float(row["Failure Count"]),
        "p50": float(row["50%"]),
        "p95": float(row["95%"]),
        "rps": float(row["Requests/s"]),
    }


# --- one request, profiled ----------------------------------------------------------------------


def profile(page: Page) -> str:
    """One request of ``page`` in this process (after one unmeasured): time, queries, the slowest."""
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(get_user_model().objects.get(username=page.user))
    client.get(page.path)
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        answer = client.get(page.path)
        total = (time.perf_counter() - started) * 1000
    timed = sorted(((float(q["time"]) * 1000, q["sql"]) for q in queries.captured_queries), reverse=True)
    sql = sum(ms for ms, _ in timed)
    lines = [
        f"- **{page.name}** (HTTP {answer.status_code}): {total:.0f} ms, {len(timed)} queries "
        f"taking {sql:.0f} ms; the rest ({total - sql:.0f} ms) is Python and templates"
    ]
    lines += [f"  - {ms:.0f} ms: `{_short(text)}`" for ms, text in timed[:3] if ms >= 1]
    lines += [
        f"  - {ms:.0f} ms in `{where}` (profiler, with its overhead)" for ms, where in hot(client, page.path)
    ]
    return "\n".join(lines)


def hot(client: Any, path: str, count: int = 5) -> list[tuple[float, str]]:
    """The project's functions (views and middleware left out) with the most cumulative time in one
    request of ``path``: where the time goes, queries included."""
    with cProfile.Profile() as profiler:
        client.get(path)
    stats = pstats.Stats(profiler).stats  # type: ignore[attr-defined]
    own = f"{os.sep}jieneng{os.sep}"
    found = [
        (cumulative * 1000, f"{Path(file).parent.name}/{Path(file).name}:{name}")
        for (file, _line, name), (_calls, _total, _own, cumulative, _callers) in stats.items()
        if own in file and "views" not in file and "middleware" not in file
    ]
    return sorted(found, reverse=True)[:count]


def _short(sql: str, width: int = 150) -> str:
    sql = re.sub(r"\s+", " ", sql)
    return sql if len(sql) <= width else sql[: width - 1] + "…"


# --- the report ---------------------------------------------------------------------------------


def table(pages_: list[Page], seconds: int, users: int, idle_load: float) -> str:
    from jieneng import config

    cache = "off" if config.current().dashboard_cache_seconds == 0 else "on"
    base = pages_[0].stats
    lines = [
        f"{users} users, {seconds} s per page, {WORKERS} gunicorn workers, {os.cpu_count()} cores; "
        f"load average before the server started: {idle_load:.1f} (other work on the machine slows it); "
        f"dashboard cache {cache}",
        "",
        "| page | HTTP | requests | p50 ms | p95 ms | req/s | p95 ÷ baseline | req/s ÷ baseline |",
        "|---|---|--:|--:|--:|--:|--:|--:|",
    ]
    for page in pages_:
        s = page.stats
        failed = f" ({s['failures']:.0f} failed)" if s["failures"] else ""
        lines.append(
            f"| {page.name} | {page.status} | {s['requests']:,.0f}{failed} | {s['p50']:.0f} | {s['p95']:.0f} "
            f"| {s['rps']:.1f} | {s['p95'] / base['p95']:.1f} | {s['rps'] / base['rps']:.2f} |"
        )
    return "\n".join(lines)


def verdict(pages_: list[Page]) -> str:
    dashboards = [page for page in pages_ if page.dashboard]
    missing = [page.name for page in dashboards if page.status != 200]
    if missing:
        return f"Goal (dashboard p95 < {GOAL_MS:.0f} ms): not measurable — {', '.join(missing)} not HTTP 200."
    worst = max(dashboards, key=lambda page: page.stats["p95"])
    met = "met" if worst.stats["p95"] < GOAL_MS else "NOT met"
    p95 = worst.stats["p95"]
    return f"Goal (dashboard p95 < {GOAL_MS:.0f} ms): {met} — worst: {worst.name}, p95 {p95:.0f} ms."


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--institutions", type=int, default=1_600_000)
    parser.add_argument("--seconds", type=int, default=30, help="load per page [s]")
    parser.add_argument("--users", type=int, default=4, help="simulated users at once")
    parser.add_argument("--keep", type=Path, help="keep the cluster running in DIR; reuse it if there")
    parser.add_argument("--no-cache", action="store_true", help="compute every dashboard view")
    args = parser.parse_args()
    missing = [name for name in ("gunicorn", "locust") if importlib.util.find_spec(name) is None]
    if missing:
        raise SystemExit(f"missing {', '.join(missing)}: pip install -e '.[bench]'")
    from pgcluster import load_cluster, start_cluster  # scripts/ is on the path under tasks.py bench

    keep = args.keep.resolve() if args.keep else None
    reuse = bool(keep and (keep / "cluster.json").exists())
    cluster = load_cluster(keep) if reuse and keep else start_cluster(keep)
    print(f"PostgreSQL on 127.0.0.1:{cluster.port}, data in {cluster.base}")
    password = secrets.token_urlsafe(16)
    try:
        with tempfile.TemporaryDirectory(prefix="jieneng-bench-web-") as tmp:
            folder = Path(tmp)
            os.environ.update(
                JIENENG_DASHBOARD_CACHE_SECONDS="0" if args.no_cache else "600",
                DJANGO_SETTINGS_MODULE="jieneng.web.settings",
                JIENENG_DATABASE_URL=cluster.url,
                JIENENG_DATA_DIR=str(folder),
                JIENENG_SECRET_KEY=secrets.token_urlsafe(50),
                JIENENG_DEBUG="0",
            )
            built = prepare(cluster.base, args.institutions, reuse)
            visited = pages(built, accounts(built, password))
            from django.db import connections

            connections.close_all()
            port = _free_port()
            base = f"http://127.0.0.1:{port}"
            idle_load = os.getloadavg()[0]
            server = serve(port, dict(os.environ))
            try:
                for page in visited:
                    check(base, page, password)
                    load(base, page, password, seconds=args.seconds, users=args.users, folder=folder)
                    print(f"{page.name}: HTTP {page.status}, p95 {page.stats['p95']:.0f} ms", flush=True)
            finally:
                stop(server)
            notes = [profile(page) for page in visited]
        print(f"\n{built['institutions']:,} institutions; {built['rows']['submissions']:,} submissions\n")
        print(table(visited, args.seconds, args.users, idle_load))
        print("\n" + verdict(visited))
        print("\nOne request of each page, profiled:\n" + "\n".join(notes))
    finally:
        if keep:
            print(f"\nthe cluster keeps running: python3 scripts/pgcluster.py stop {keep}")
        else:
            cluster.stop()
    return 0


def _free_port() -> int:
    from pgcluster import free_port

    return free_port()


if __name__ == "__main__":
    sys.exit(main())
