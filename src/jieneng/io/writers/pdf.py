"""Word to PDF with LibreOffice headless: a subprocess with a time limit and a profile of its own (two
conversions at once never share, nor lock, a user profile)."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

#: the programs LibreOffice installs under, in the order tried
PROGRAMS = ("soffice", "libreoffice")


class ConversionUnavailable(RuntimeError):
    """LibreOffice is not installed, did not finish in time, or wrote no PDF."""


def office_program() -> str | None:
    for name in PROGRAMS:
        found = shutil.which(name)
        if found:
            return found
    return None


def docx_to_pdf(docx: bytes, *, timeout: float = 120.0) -> bytes:
    """The PDF LibreOffice makes of ``docx``. Raises :class:`ConversionUnavailable`."""
    program = office_program()
    if program is None:
        raise ConversionUnavailable("LibreOffice (soffice) is not installed")
    with tempfile.TemporaryDirectory(prefix="jieneng-pdf-") as folder:
        work = Path(folder)
        source = work / "document.docx"
        source.write_bytes(docx)
        profile = (work / "profile").as_uri()
        command = [
            program, f"-env:UserInstallation={profile}", "--headless", "--norestore", "--nologo",
            "--nodefault", "--nolockcheck", "--convert-to", "pdf:writer_pdf_Export",
            "--outdir", str(work), str(source),
        ]  # fmt: skip
        try:
            done = subprocess.run(  # noqa: S603 (a fixed argument list)
                command, capture_output=True, timeout=timeout, check=False, cwd=work
            )
        except subprocess.TimeoutExpired as exc:
            raise ConversionUnavailable(f"LibreOffice did not finish within {timeout:.0f} s") from exc
        target = work / "document.pdf"
        if not target.exists():
            detail = done.stderr.decode("utf-8", "replace").strip()[-300:]
            raise ConversionUnavailable(f"LibreOffice wrote no PDF (exit {done.returncode}): {detail}")
        return target.read_bytes()
