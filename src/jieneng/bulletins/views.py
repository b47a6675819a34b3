"""Pages of the documents: the list with the generate form, one document with its pages as pictures,
its files, issuing it, and an office's templates. Thin: rows from :mod:`.access` (scoped), the work in
:mod:`.services`. A document outside what the user may read is 404; one they read but may not issue 403."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from jieneng.accounts.requests import SignedInRequest
from jieneng.accounts.scope import Scope
from jieneng.bulletins import access, kinds, services
from jieneng.bulletins.forms import GenerateForm, IssueForm, TemplateForm
from jieneng.bulletins.models import CardBatch, IssuedDocument
from jieneng.i18n import render as render_problem
from jieneng.io.writers.pages import PreviewUnavailable, pdf_pages_png
from jieneng.io.writers.pdf import ConversionUnavailable

PREVIEW_DPI = 60


def _scope(request: SignedInRequest) -> Scope:
    scope: Scope = getattr(request, "scope")  # noqa: B009
    return scope


def _document(request: SignedInRequest, pk: int) -> IssuedDocument:
    found = access.readable(_scope(request)).select_related("region", "office").filter(pk=pk).first()
    if found is None:
        raise Http404(_("No such document."))
    return found


def _forbidden(request: SignedInRequest) -> HttpResponse:
    reason = _("You may read this document but not issue it.")
    return render(request, "directory/forbidden.html", {"reason": reason}, status=403)


@login_required
@require_http_methods(["GET", "POST"])
def index(request: SignedInRequest) -> HttpResponse:
    """The documents the user reads, and the form to generate one."""
    scope = _scope(request)
    regions = [(r.code, f"{r.name} {r.code}") for r in access.regions(scope)[:200]]
    form = GenerateForm(request.POST or None, regions=regions)
    if request.method == "POST":
        if not regions:
            raise Http404(_("No such region."))
        if form.is_valid():
            region = access.regions(scope).get(code=form.cleaned_data["region"])
            try:
                doc = services.generate(
                    form.cleaned_data["kind"], region, form.cleaned_data["period"],
                    office=access.office(scope, region), user=request.user,
                )  # fmt: skip
            except kinds.NoData as missing:
                form.add_error(None, str(missing))
            else:
                messages.success(request, _("The draft has been made from the data."))
                return redirect("bulletins:detail", pk=doc.pk)
    rows = list(access.readable(scope).select_related("region")[:200])
    names = {k.code: k.name for k in kinds.all_kinds()}
    context = {
        "rows": [(d, names.get(d.kind, d.kind)) for d in rows],
        "form": form,
        "can_generate": bool(regions),
        "kinds": kinds.all_kinds(),
    }
    return render(request, "bulletins/index.html", context)


def _pages(doc: IssuedDocument) -> tuple[list[bytes], str]:
    """The document's pages as PNG (made once, then kept in the cache for the pictures' requests)."""
    key = f"bulletins:pages:{doc.pk}:{doc.status}:{doc.number}"
    pages = cache.get(key)
    if pages is not None:
        return list(pages), ""
    try:
        pages = pdf_pages_png(services.render(doc, "pdf"), dpi=PREVIEW_DPI)
    except (ConversionUnavailable, PreviewUnavailable) as exc:
        return [], _("The preview is not available on this server: %(reason)s") % {"reason": exc}
    cache.set(key, pages, services.PDF_CACHE_SECONDS)
    return pages, ""


@login_required
@require_GET
def detail(request: SignedInRequest, pk: int) -> HttpResponse:
    doc = _document(request, pk)
    can_issue = access.editable(_scope(request)).filter(pk=doc.pk).exists()
    pages, problem = _pages(doc)
    form = IssueForm(initial={"number_prefix": doc.prefix, "on": timezone.localdate()})
    context = {"doc": doc, "pages": range(1, len(pages) + 1), "problem": problem, "form": form,
               "can_issue": can_issue and doc.status == IssuedDocument.Status.DRAFT}  # fmt: skip
    return render(request, "bulletins/detail.html", context)


@login_required
@require_GET
def page(request: SignedInRequest, pk: int, number: int) -> HttpResponse:
    """Page ``number`` of the document as a PNG picture."""
    pages, _problem = _pages(_document(request, pk))
    if not 1 <= number <= len(pages):
        raise Http404(_("No such page."))
    return HttpResponse(pages[number - 1], content_type="image/png")


@login_required
@require_GET
def download(request: SignedInRequest, pk: int, fmt: str) -> HttpResponse:
    doc = _document(request, pk)
    if fmt not in services.FORMATS:
        raise Http404(_("No such format."))
    try:
        data = services.render(doc, fmt)
    except ConversionUnavailable as exc:
        return HttpResponse(_("The PDF cannot be made on this server: %(reason)s") % {"reason": exc},
                            status=503, content_type="text/plain; charset=utf-8")  # fmt: skip
    response = HttpResponse(data, content_type=services.CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{_quote(services.file_name(doc, fmt))}"
    return response


def _quote(name: str) -> str:
    from urllib.parse import quote

    return quote(name)


@login_required
@require_POST
def issue(request: SignedInRequest, pk: int) -> HttpResponse:
    doc = _document(request, pk)
    if not access.editable(_scope(request)).filter(pk=doc.pk).exists():
        return _forbidden(request)
    form = IssueForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the number prefix and the date."))
        return redirect("bulletins:detail", pk=doc.pk)
    doc = services.issue(
        doc, user=request.user, prefix=form.cleaned_data["number_prefix"], on=form.cleaned_data["on"]
    )
    messages.success(request, _("Issued as %(number)s.") % {"number": doc.number})
    return redirect("bulletins:detail", pk=doc.pk)


@login_required
@require_http_methods(["GET", "POST"])
def template(request: SignedInRequest, kind: str, code: str) -> HttpResponse:
    """An office's template of a kind: ``?download`` gives it as Word; POST keeps an edited one."""
    scope = _scope(request)
    office = access.regions(scope).filter(code=code).first()
    found = kinds.get(kind)
    if office is None or found is None:
        raise Http404(_("No such template."))
    if request.method == "GET" and "download" in request.GET:
        response = HttpResponse(
            services.template_file(office, kind), content_type=services.CONTENT_TYPES["docx"]
        )
        response["Content-Disposition"] = f"attachment; filename*=UTF-8''{_quote(f'{kind}-{code}.docx')}"
        return response
    form = TemplateForm(request.POST or None, request.FILES or None)
    problems: list[str] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            kept = services.upload_template(office, kind, upload.read(), upload.name, request.user)
        except services.TemplateRejected as exc:
            problems = [render_problem(p) for p in exc.problems]
        else:
            messages.success(request, _("Version %(v)s of the template is now in use.") % {"v": kept.version})
            return redirect("bulletins:template", kind=kind, code=code)
    ref, _current = services.template_for(office, kind)
    context = {"office": office, "kind": found, "ref": ref, "form": form, "problems": problems}
    return render(request, "bulletins/template.html", context)


@login_required
@require_POST
def cards(request: SignedInRequest) -> HttpResponse:
    """Start the report cards of a region's units for a year in the task worker."""
    from jieneng.bulletins.cards import card_batch_task

    scope = _scope(request)
    region = access.regions(scope).filter(code=request.POST.get("region", "")).first()
    year = request.POST.get("period", "")
    if region is None:
        raise Http404(_("No such region."))
    if not (len(year) == 4 and year.isdigit()):
        messages.error(request, _("Enter a year such as 2025."))
        return redirect("bulletins:index")
    batch = CardBatch.objects.create(region=region, year=int(year), created_by=request.user)
    card_batch_task.enqueue(batch.pk)
    return redirect("bulletins:card_batch", pk=batch.pk)


def _batch(request: SignedInRequest, pk: int) -> CardBatch:
    regions = _scope(request).region_ids("view")
    rows = CardBatch.objects.select_related("region").filter(pk=pk)
    found = (rows if regions is None else rows.filter(region_id__in=regions)).first()
    if found is None:
        raise Http404(_("No such batch of report cards."))
    return found


@login_required
@require_GET
def card_batch(request: SignedInRequest, pk: int) -> HttpResponse:
    """A batch's progress (the page reloads itself until it is done) and its .zip."""
    batch = _batch(request, pk)
    running = batch.status in (CardBatch.Status.QUEUED, CardBatch.Status.RUNNING)
    return render(request, "bulletins/cards.html", {"batch": batch, "running": running})


@login_required
@require_GET
def card_zip(request: SignedInRequest, pk: int) -> HttpResponse:
    from jieneng.bulletins.cards import archive_bytes

    batch = _batch(request, pk)
    if batch.status != CardBatch.Status.DONE:
        raise Http404(_("The report cards are not ready yet."))
    response = HttpResponse(archive_bytes(batch), content_type="application/zip")
    name = f"{batch.region.name}{batch.year}年单位能耗报告单.zip"
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{_quote(name)}"
    return response
