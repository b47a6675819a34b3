"""Store an uploaded file as an :class:`~jieneng.targets.models.Attachment` once it is what its name
says and no larger than ``JIENENG_ATTACHMENT_MAX_MB`` (:func:`jieneng.core.attachments.check`)."""

from __future__ import annotations

import hashlib
from collections.abc import Collection, Sequence
from typing import Any

from jieneng import config
from jieneng.core import attachments as core
from jieneng.core.problems import Problem
from jieneng.targets.models import Attachment


class AttachmentRejected(Exception):
    """Files that may not be attached: :attr:`problems` say why (nothing was stored)."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        super().__init__("; ".join(p.code for p in problems))
        self.problems = list(problems)


def read(upload: Any, accepted: Collection[str]) -> tuple[str, bytes]:
    """The name and bytes of an uploaded file (a Django ``UploadedFile`` or any object with ``name`` and
    ``read``); raises :class:`AttachmentRejected` when it may not be attached as one of ``accepted``."""
    limit = config.current().attachment_max_mb
    name = str(getattr(upload, "name", "") or "").rsplit("/", 1)[-1][:200]
    data = upload.read(limit * 1024 * 1024 + 1)
    size = int(getattr(upload, "size", None) or len(data))
    problems = core.check(name, data[: core.HEAD_BYTES], max(size, len(data)), accepted, limit)
    if problems:
        raise AttachmentRejected(problems)
    return name, data


def check_all(uploads: Sequence[Any], accepted: Collection[str]) -> list[tuple[str, bytes]]:
    """:func:`read` of every upload; every file's problems at once."""
    files, problems = [], []
    for upload in uploads:
        try:
            files.append(read(upload, accepted))
        except AttachmentRejected as exc:
            problems += exc.problems
    if problems:
        raise AttachmentRejected(problems)
    return files


def store(name: str, data: bytes, user: Any = None) -> Attachment:
    """Keep a file read by :func:`read` (inside the caller's transaction)."""
    user_id = getattr(user, "pk", None) if getattr(user, "is_authenticated", False) else None
    kind = core.kind_of(data[: core.HEAD_BYTES]) or ""
    return Attachment.objects.create(
        name=name,
        kind=kind,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        data=data,
        uploaded_by_id=user_id,
    )


#: the content types an attachment is sent back with
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "png": "image/png",
    "jpeg": "image/jpeg",
    "tiff": "image/tiff",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
