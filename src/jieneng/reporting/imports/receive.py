"""Receiving a file to import: keep it under the user's own file name and create its queued job.

Everything of a job lives in ``UPLOADS_DIR/<job id>/``: the file, ``report.json`` (every problem, see
:mod:`.report`) and ``progress.json`` (how far the storing has gone, see :mod:`.run`).
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.utils import timezone

from jieneng.reference import load_forms
from jieneng.reporting.models import ImportJob, Revision

REPORT_FILE, PROGRESS_FILE = "report.json", "progress.json"


def upload_dir(job: ImportJob) -> Path:
    return Path(settings.UPLOADS_DIR) / str(job.id)


def receive(
    data: IO[bytes] | Path,
    file_name: str,
    form: str,
    *,
    author: str,
    source: str = Revision.Source.UPLOAD,
    user: Any = None,
    clear_blanks: bool = False,
    again_of: ImportJob | None = None,
) -> ImportJob:
    """Keep an uploaded file (a stream or a path) and create its queued :class:`ImportJob`.

    ``clear_blanks``: the uploader confirmed that a blank cell clears the value stored for it
    (:mod:`jieneng.core.blanks`); ``again_of``: the job whose file this runs again."""
    if form not in load_forms():
        raise ValueError(f"unknown form {form!r}")
    name = Path(file_name).name[-255:]
    job = ImportJob(
        form=form,
        file_name=name if name.strip(".") else "upload",
        sha256="",
        size=0,
        source=source,
        clear_blanks=clear_blanks,
        again_of=again_of,
        author=author,
        created_by=user if getattr(user, "pk", None) else None,
        created_at=timezone.now(),
    )
    folder = upload_dir(job)
    folder.mkdir(parents=True, exist_ok=True)
    target = stored_file(job)
    digest = hashlib.sha256()
    with target.open("wb") as out:
        stream = data.open("rb") if isinstance(data, Path) else data
        try:
            while chunk := stream.read(1 << 20):
                digest.update(chunk)
                out.write(chunk)
        finally:
            if isinstance(data, Path):
                stream.close()
    job.sha256, job.size = digest.hexdigest(), target.stat().st_size
    job.save()
    return job


def stored_file(job: ImportJob) -> Path:
    """The kept upload, under the user's own file name, so that messages about it name it so."""
    return upload_dir(job) / job.file_name


def again(job: ImportJob, *, author: str, user: Any = None, clear_blanks: bool | None = None) -> ImportJob:
    """A new queued job importing the kept file of ``job`` again (an abandoned or failed job, or one
    whose blank cells are now to clear); ``clear_blanks`` None keeps the job's own choice."""
    return receive(
        stored_file(job),
        job.file_name,
        job.form,
        author=author,
        source=job.source,
        user=user,
        clear_blanks=job.clear_blanks if clear_blanks is None else clear_blanks,
        again_of=job,
    )
