"""``jieneng demo`` stopped by SIGTERM (``kill``, a service manager) stops its task worker too."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _children(pid: int) -> list[int]:
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        text = (task / "children").read_text() if (task / "children").exists() else ""
        found += [int(child) for child in text.split()]
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0]
    except FileNotFoundError:
        return False
    return state != "Z"


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="reads the process tree from /proc")
def test_sigterm_stops_the_demo_and_its_worker(tmp_path: Path) -> None:
    env = {**os.environ, "JIENENG_DATA_DIR": str(tmp_path)}
    command = [sys.executable, "-m", "jieneng.cli", "demo", "--port", str(_free_port())]
    demo = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 180
        workers: list[int] = []
        while time.monotonic() < deadline and not workers:
            time.sleep(0.5)
            assert demo.poll() is None, demo.stdout.read().decode() if demo.stdout else ""
            workers = [
                pid for pid in _children(demo.pid) if "worker" in Path(f"/proc/{pid}/cmdline").read_text()
            ]
        assert workers, "the demo started no worker"
        demo.send_signal(signal.SIGTERM)
        demo.wait(timeout=30)
        time.sleep(0.5)
        assert not any(_alive(pid) for pid in workers)
    finally:
        if demo.poll() is None:
            demo.kill()
