"""What an attached file is, by its first bytes and not its name: a PDF, a PNG, JPEG or TIFF image, an
Office Open XML document (.docx, .xlsx: a ZIP whose first member says which) — and whether it may be
attached (:func:`check`). Pure: the caller reads the head of the file.

A file whose name says one type and whose content is another ("minutes.pdf" that is a renamed .docx, a
scan that is an executable) is refused with ``file_not_what_name_says``; a type the attachment does not
accept with ``file_kind_refused``; a file over the size limit with ``file_too_large`` (the limit is the
setting ``JIENENG_ATTACHMENT_MAX_MB``).
"""

from __future__ import annotations

from collections.abc import Collection

from jieneng.core.problems import Problem

#: kinds and their accepted name endings
SUFFIXES: dict[str, tuple[str, ...]] = {
    "pdf": (".pdf",),
    "png": (".png",),
    "jpeg": (".jpg", ".jpeg"),
    "tiff": (".tif", ".tiff"),
    "docx": (".docx",),
    "xlsx": (".xlsx",),
}
#: what a scan may be (a signed responsibility letter)
SCAN = frozenset({"pdf", "png", "jpeg", "tiff"})
#: what minutes and evidence may be
DOCUMENT = frozenset(SUFFIXES)
#: how many bytes of the head :func:`kind_of` needs
HEAD_BYTES = 2048
_NAMES = {
    "pdf": "PDF",
    "png": "PNG",
    "jpeg": "JPEG",
    "tiff": "TIFF",
    "docx": "Word (.docx)",
    "xlsx": "Excel (.xlsx)",
}


#: the first bytes of each kind (an Office file is a ZIP: :func:`kind_of` looks inside)
MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "pdf"),
    (b"\x89PNG\r\n\x1a\n", "png"),
    (b"\xff\xd8\xff", "jpeg"),
    (b"II*\x00", "tiff"),
    (b"MM\x00*", "tiff"),
)


def kind_of(head: bytes) -> str | None:
    """The kind of a file from its first :data:`HEAD_BYTES` bytes; None when it is none of ours."""
    found = next((kind for magic, kind in MAGIC if head.startswith(magic)), None)
    if found is not None or not head.startswith(b"PK\x03\x04"):
        return found
    # an Office file: the parts' names in the first local headers say which
    if b"word/" in head:
        return "docx"
    if b"xl/" in head:
        return "xlsx"
    return None


def named_kind(name: str) -> str | None:
    """The kind a file's name says; None for an ending not in :data:`SUFFIXES`."""
    lower = name.lower()
    return next((k for k, endings in SUFFIXES.items() if lower.endswith(endings)), None)


def label(kind: str | None) -> str:
    """The kind as people call it (“PDF”, “Word (.docx)”)."""
    return _NAMES.get(kind or "", kind or "")


def check(name: str, head: bytes, size: int, accepted: Collection[str], max_mb: float) -> list[Problem]:
    """The problems of attaching the file ``name`` of ``size`` bytes starting with ``head``; empty when
    it may be attached as one of the ``accepted`` kinds."""
    if size == 0:
        return [Problem.make("empty_attachment", file=name)]
    if size > max_mb * 1024 * 1024:
        return [
            Problem.make("file_too_large", file=name, size=f"{size / 1024 / 1024:.1f}", limit=f"{max_mb:g}")
        ]
    found, named = kind_of(head), named_kind(name)
    accepted_text = ", ".join(label(k) for k in sorted(accepted))
    if found is None:
        return [Problem.make("file_content_unknown", file=name, accepted=accepted_text)]
    if named is not None and found != named:
        return [Problem.make("file_not_what_name_says", file=name, named=label(named), found=label(found))]
    if found not in accepted:
        return [Problem.make("file_kind_refused", file=name, found=label(found), accepted=accepted_text)]
    return []
