"""The CJK faces installed on this machine (fontconfig), to pick each role's official face or fallback."""

from __future__ import annotations

import shutil
import subprocess
from functools import cache

from jieneng.core.document import Layout


@cache
def installed_faces() -> frozenset[str]:
    """The family names fontconfig knows (every alias of each family); empty without fontconfig."""
    program = shutil.which("fc-list")
    if program is None:
        return frozenset()
    try:
        listed = subprocess.run(  # noqa: S603 (a fixed argument list)
            [program, ":", "family"], capture_output=True, text=True, timeout=30, check=False
        ).stdout
    except (OSError, subprocess.TimeoutExpired):
        return frozenset()
    return frozenset(name.strip() for line in listed.splitlines() for name in line.split(",") if name.strip())


def resolve(layout: Layout, installed: frozenset[str] | None = None) -> tuple[dict[str, str], list[str]]:
    """The face each font role is written with, and a note for each official face not installed."""
    faces = installed_faces() if installed is None else installed
    chosen: dict[str, str] = {}
    missing: dict[str, str] = {}
    for role, font in layout.fonts.items():
        chosen[role] = font.pick(faces)
        if chosen[role] != font.official:
            missing[font.official] = chosen[role]
    notes = [f"{official} 未安装，以 {face} 代替" for official, face in sorted(missing.items())]
    return chosen, notes
