"""The Django project: settings, URLs, and the launcher used by ``jieneng demo`` and ``jieneng manage``."""

from __future__ import annotations

import os
from pathlib import Path


def data_dir() -> Path:
    """Where the database and the secret key live: ``$JIENENG_DATA_DIR``, else ``./var``."""
    return Path(os.environ.get("JIENENG_DATA_DIR") or Path.cwd() / "var")
