"""What the browser tests share: Debian's Chromium, its flags, where screenshots go, and the mark that
skips a browser test on a developer's machine without Chromium (in CI, with ``CI`` set, it must run)."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from django.db import connections

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
SHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
needs_chromium = pytest.mark.skipif(
    not Path(CHROMIUM).exists() and not os.environ.get("CI"), reason="Chromium is not installed"
)


@contextmanager
def chromium() -> Iterator[Any]:
    """Chromium, headless, through Playwright; screenshots' folder made."""
    from playwright.sync_api import sync_playwright

    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=FLAGS, headless=True)
        try:
            yield browser
        finally:
            browser.close()
            # While Playwright's event loop runs, Django keeps the connections of this thread apart
            # (asgiref's Local follows the loop's context): what the test and its fixtures read and
            # wrote between browser steps went through connections of their own, which nobody else
            # closes. Close them here, inside that context, so that none outlives the test (on
            # PostgreSQL: "the test database is being accessed by other users" at teardown). Without
            # DJANGO_ALLOW_ASYNC_UNSAFE the test could not have opened any there.
            if os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE"):
                connections.close_all()


def shot(page: Any, name: str) -> None:
    """A full-page screenshot ``name``.png in the screenshots' folder."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)
