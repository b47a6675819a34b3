"""Evidence files of a self-check: checked for type (by name and by their first bytes) and size before
anything is saved, kept in the database with their SHA-256 so that they go with the self-check."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from jieneng.assessment.models import Entry, Evidence

#: the largest evidence file [bytes]
MAX_BYTES = 10 * 1024 * 1024
#: extension → the first bytes a file of that type starts with
SIGNATURES = {
    ".pdf": (b"%PDF",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".png": (b"\x89PNG",),
    ".docx": (b"PK\x03\x04",),
    ".xlsx": (b"PK\x03\x04",),
    ".doc": (b"\xd0\xcf\x11\xe0",),
    ".xls": (b"\xd0\xcf\x11\xe0",),
}
TYPES = {
    ".pdf": "application/pdf",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".doc": "application/msword",
    ".xls": "application/vnd.ms-excel",
}


@dataclass(frozen=True)
class Upload:
    """A file given for an item: its name, its bytes and the title of the item (for messages)."""

    name: str
    data: bytes
    item: str

    @property
    def extension(self) -> str:
        dot = self.name.rfind(".")
        return self.name[dot:].lower() if dot >= 0 else ""

    def problem(self) -> str | None:
        """Why the file cannot be kept, naming it and its item; None when it can."""
        names = {"file": self.name, "item": self.item}
        if self.extension not in SIGNATURES:
            return _("“%(item)s”: %(file)s is not a PDF, image, Word or Excel file.") % names
        if len(self.data) > MAX_BYTES:
            return _("“%(item)s”: %(file)s is larger than %(mb)s MB.") % {**names, "mb": MAX_BYTES // 2**20}
        if not self.data.startswith(SIGNATURES[self.extension]):
            return _("“%(item)s”: %(file)s is not what its name says.") % names
        return None


def store(entry: Entry, upload: Upload, user: Any) -> Evidence:
    return Evidence.objects.create(
        entry=entry,
        name=upload.name[:200],
        content_type=TYPES[upload.extension],
        size=len(upload.data),
        sha256=hashlib.sha256(upload.data).hexdigest(),
        data=upload.data,
        uploaded_by=user,
    )
