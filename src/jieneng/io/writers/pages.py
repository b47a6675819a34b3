"""A PDF's pages as PNG pictures (poppler's pdftoppm), for the preview and the documentation."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path


class PreviewUnavailable(RuntimeError):
    """pdftoppm is not installed or failed."""


def pdf_pages_png(pdf: bytes, *, dpi: int = 60, timeout: float = 60.0) -> list[bytes]:
    """Each page of ``pdf`` as PNG bytes at ``dpi``."""
    program = shutil.which("pdftoppm")
    if program is None:
        raise PreviewUnavailable("pdftoppm (poppler-utils) is not installed")
    with tempfile.TemporaryDirectory(prefix="jieneng-png-") as folder:
        work = Path(folder)
        (work / "in.pdf").write_bytes(pdf)
        try:
            subprocess.run(  # noqa: S603 (a fixed argument list)
                [program, "-png", "-r", str(dpi), str(work / "in.pdf"), str(work / "page")],
                capture_output=True, timeout=timeout, check=True,
            )  # fmt: skip
        except (subprocess.CalledProcessError, subprocess.TimeoutExpired) as exc:
            raise PreviewUnavailable(f"pdftoppm failed: {exc}") from exc
        pages = sorted(work.glob("page*.png"), key=lambda p: int(p.stem.rsplit("-", 1)[-1]))
        return [p.read_bytes() for p in pages]
