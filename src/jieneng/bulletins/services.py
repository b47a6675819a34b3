"""What the pages, the API and the command line do with documents: generate one from the data (a draft
with its snapshot and template), make its files, issue it under the office's next 发文字号, and keep an
office's own templates.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from django.core.cache import cache
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from jieneng.bulletins import kinds, templates_docx
from jieneng.bulletins.models import IssuedDocument, OfficeTemplate
from jieneng.core import fill, wording
from jieneng.core.document import Document
from jieneng.core.problems import Problem
from jieneng.directory.models import Region
from jieneng.io.writers.docx import write_docx
from jieneng.io.writers.pdf import docx_to_pdf
from jieneng.io.writers.xlsx import write_xlsx
from jieneng.reference.bulletins import load_layout, load_template

FORMATS = ("docx", "pdf", "xlsx")
CONTENT_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
#: seconds a made PDF is kept in the cache (the preview's pages read it)
PDF_CACHE_SECONDS = 600


class TemplateRejected(Exception):
    """An uploaded template that is not kept: :attr:`problems` say why; the previous one stays in use."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        super().__init__("; ".join(p.code for p in problems))
        self.problems = list(problems)


def default_prefix(office: Region) -> str:
    """The 发文字号 prefix an office starts with: the first character of its name + 公节能办."""
    return f"{office.name[:1]}公节能办"


def template_for(office: Region | None, kind: str) -> tuple[str, dict[str, Any]]:
    """The template an office uses for ``kind`` (its latest upload, else the built-in) and its ref."""
    builtin = dict(load_template(kind))
    mine = (
        OfficeTemplate.objects.filter(office=office, kind=kind).order_by("-version").first()
        if office is not None
        else None
    )
    if mine is None:
        return f"{builtin['id']}@{builtin['version']}", builtin
    return f"{kind}@office-{office.code if office else ''}-{mine.version}", {
        **builtin,
        **mine.header,
        "blocks": mine.blocks,
    }


def generate(
    kind_code: str, region: Region, period: str, *, office: Region | None = None, user: Any = None
) -> IssuedDocument:
    """A draft of ``kind_code`` about ``region`` for ``period``: its snapshot and template stored."""
    kind = kinds.get(kind_code)
    if kind is None:
        raise ValueError(f"no kind {kind_code}")
    office = office or region
    data = kind.snapshot(region.code, period)
    ref, template = template_for(office, kind_code)
    stored = {k: v for k, v in template.items() if k not in ("source", "to_confirm")}
    document = kind.compose({**data, "date": wording.chinese_date(timezone.localdate())}, stored)
    below = list(Region.objects.current().filter(parent=region).values_list("code", flat=True))
    return IssuedDocument.objects.create(
        office=office,
        region=region,
        kind=kind_code,
        period=period,
        title=document.title.replace("\n", "")[:200],
        prefix=default_prefix(office),
        addressed_to=below,
        snapshot=data,
        template=ref,
        blocks=stored,
        created_by=user if getattr(user, "is_authenticated", False) else None,
    )


def compose(doc: IssuedDocument) -> Document:
    """The document made again from its snapshot and template, with its number and date once issued."""
    kind = kinds.get(doc.kind)
    if kind is None:
        raise ValueError(f"no kind {doc.kind}")
    on = doc.issued_on or doc.created_at.date()
    data = {**doc.snapshot, "number": doc.number, "date": wording.chinese_date(on)}
    return kind.compose(data, doc.blocks)


def render(doc: IssuedDocument, fmt: str) -> bytes:
    document = compose(doc)
    if fmt == "xlsx":
        return write_xlsx(document)
    docx = write_docx(document, load_layout())
    if fmt == "docx":
        return docx
    key = f"bulletins:pdf:{doc.pk}:{doc.status}:{doc.number}"
    pdf = cache.get(key)
    if pdf is None:
        pdf = docx_to_pdf(docx)
        cache.set(key, pdf, PDF_CACHE_SECONDS)
    return bytes(pdf)


def render_document(document: Document, fmt: str) -> bytes:
    """A composed document in ``fmt`` (the command line's path, nothing stored)."""
    if fmt == "xlsx":
        return write_xlsx(document)
    docx = write_docx(document, load_layout())
    return docx if fmt == "docx" else docx_to_pdf(docx)


def file_name(doc: IssuedDocument, fmt: str) -> str:
    return f"{doc.number or doc.title}.{fmt}"


def issue(doc: IssuedDocument, *, user: Any, prefix: str, on: date) -> IssuedDocument:
    """Give a draft the office's next number of the year ``on`` and mark it issued (one transaction)."""
    with transaction.atomic():
        locked = IssuedDocument.objects.select_for_update().get(pk=doc.pk)
        if locked.status == IssuedDocument.Status.ISSUED:
            return locked
        list(IssuedDocument.objects.select_for_update().filter(office=locked.office, year=on.year))
        last = IssuedDocument.objects.filter(office=locked.office, year=on.year).aggregate(n=Max("sequence"))
        sequence = (last["n"] or 0) + 1
        locked.prefix = prefix
        locked.year = on.year
        locked.sequence = sequence
        locked.number = wording.document_number(prefix, on.year, sequence)
        locked.issued_on = on
        locked.issued_by = user if getattr(user, "is_authenticated", False) else None
        locked.status = IssuedDocument.Status.ISSUED
        locked.save()
    return locked


def template_file(office: Region, kind: str) -> bytes:
    return templates_docx.write(template_for(office, kind)[1])


def upload_template(office: Region, kind_code: str, data: bytes, name: str, user: Any) -> OfficeTemplate:
    """Keep an office's own version of a kind's template, or raise :class:`TemplateRejected`
    (nothing kept)."""
    kind = kinds.get(kind_code)
    if kind is None:
        raise ValueError(f"no kind {kind_code}")
    title, blocks, problems = templates_docx.read(data, name)
    if not problems:
        problems = fill.check([{"text": title}], kind.fields, kind.markers) + fill.check(
            blocks, kind.fields, kind.markers, first_paragraph=2
        )
    if problems:
        raise TemplateRejected(problems)
    with transaction.atomic():
        last = OfficeTemplate.objects.filter(office=office, kind=kind_code).aggregate(n=Max("version"))
        return OfficeTemplate.objects.create(
            office=office, kind=kind_code, version=(last["n"] or 0) + 1, header={"title": title},
            blocks=blocks, file_name=name[:200], uploaded_by=user,
        )  # fmt: skip


def describe(problems: Sequence[Problem]) -> list[Mapping[str, Any]]:
    return [p.as_dict() for p in problems]
