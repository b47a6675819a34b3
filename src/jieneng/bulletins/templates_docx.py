"""A kind's text template as an editable Word file, and an uploaded one read back.

The file is plain Word: the first paragraph is the title; then one paragraph a block, styled
``Heading 1`` (一、), ``Heading 2`` (（一）) or body text; a paragraph ``[表 name]`` or ``[图 name]``
places a table or a chart. Placeholders are ``{name}``. An office edits the wording in Word or WPS and
uploads it; :func:`read` gives the blocks, or the problems naming the paragraph.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext as _
from docx import Document as open_docx
from docx.opc.exceptions import PackageNotFoundError

from jieneng.core.problems import Problem

_MARKER = re.compile(r"^\[\s*(表|图)\s+([A-Za-z0-9_]+)\s*\]$")
MARKER_KEYS = {"表": "table", "图": "chart"}
KEY_WORDS = {"table": "表", "chart": "图"}


def write(template: Mapping[str, Any]) -> bytes:
    doc = open_docx()
    doc.add_paragraph(str(template["title"]).replace("\n", "\\n"), style="Title")
    for block in template["blocks"]:
        if "heading" in block:
            doc.add_paragraph(str(block["heading"]), style="Heading 1")
        elif "heading2" in block:
            doc.add_paragraph(str(block["heading2"]), style="Heading 2")
        elif "text" in block:
            doc.add_paragraph(str(block["text"]))
        else:
            key = "table" if "table" in block else "chart"
            doc.add_paragraph(f"[{KEY_WORDS[key]} {block[key]}]")
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


#: the most a template may hold unpacked [bytes]: a text template is a few dozen kilobytes
MAX_UNPACKED = 20 * 1024 * 1024


def _unpacked_size(data: bytes) -> int | None:
    """The total unpacked size of a .docx package, or None when it is no zip file."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            return sum(info.file_size for info in package.infolist())
    except zipfile.BadZipFile:
        return None


def read(data: bytes, file_name: str) -> tuple[str, list[dict[str, str]], list[Problem]]:
    """The title, the blocks (one a non-empty paragraph after the title), and problems opening it."""
    size = _unpacked_size(data)
    if size is not None and size > MAX_UNPACKED:
        reason = _("it unpacks to more than %(mb)s MB; a template holds text only") % {
            "mb": MAX_UNPACKED >> 20
        }
        return "", [], [Problem.make("template_not_docx", file=file_name, reason=reason)]
    try:
        doc = open_docx(io.BytesIO(data))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError):
        reason = _("it cannot be opened as a Word package; save it in Word or WPS as .docx")
        return "", [], [Problem.make("template_not_docx", file=file_name, reason=reason)]
    paragraphs = [(p.text.strip(), p.style.name if p.style is not None else "") for p in doc.paragraphs]
    paragraphs = [(t, s) for t, s in paragraphs if t]
    if not paragraphs:
        reason = _("it has no paragraphs")
        return "", [], [Problem.make("template_not_docx", file=file_name, reason=reason)]
    title = paragraphs[0][0].replace("\\n", "\n")
    blocks: list[dict[str, str]] = []
    for text, style in paragraphs[1:]:
        marker = _MARKER.match(text)
        if marker:
            blocks.append({MARKER_KEYS[marker.group(1)]: marker.group(2)})
        elif style.startswith("Heading 1") or style == "标题 1":
            blocks.append({"heading": text})
        elif style.startswith("Heading 2") or style == "标题 2":
            blocks.append({"heading2": text})
        else:
            blocks.append({"text": text})
    return title, blocks, []
