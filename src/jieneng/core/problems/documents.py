"""Problems of a document template an office uploads (:mod:`jieneng.core.fill`): a placeholder the kind
does not know, a brace left open, a marker of a table or chart that does not exist, a file that is no
Word document. An uploaded template with any of them is not kept; the previous one stays in use."""

from __future__ import annotations

from jieneng.core.problems.base import Family, ProblemType, gettext_noop


class DocumentProblem(ProblemType, abstract=True):
    family = Family.FILE


class UnknownPlaceholder(DocumentProblem):
    code = "template_unknown_placeholder"
    template = gettext_noop(
        "Paragraph %(paragraph)s: there is no placeholder {%(placeholder)s} in this kind of document; "
        "known: %(known)s."
    )
    params = ("paragraph", "placeholder", "known")
    description = "An uploaded template uses a placeholder its kind of document does not fill."


class BrokenMarkup(DocumentProblem):
    code = "template_broken_markup"
    template = gettext_noop(
        "Paragraph %(paragraph)s: a brace is not closed or not opened near “%(near)s”; a placeholder "
        "is written {name}."
    )
    params = ("paragraph", "near")
    description = "An uploaded template has a { without its } (or the other way round)."


class UnknownMarker(DocumentProblem):
    code = "template_unknown_marker"
    template = gettext_noop(
        "Paragraph %(paragraph)s: there is no table or chart “%(marker)s” in this kind of document; "
        "known: %(known)s."
    )
    params = ("paragraph", "marker", "known")
    description = "An uploaded template places a table or chart its kind of document does not have."


class NotAWordFile(DocumentProblem):
    code = "template_not_docx"
    template = gettext_noop("The file %(file)s is not a Word document (.docx): %(reason)s")
    params = ("file", "reason")
    description = "An uploaded template that python-docx cannot open."
