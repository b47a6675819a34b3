"""What an attached file is, by content: a renamed file is refused naming it; a scan must be PDF or an
image; the size limit holds. Counting places as bulletins do."""

from __future__ import annotations

import io
import zipfile

from jieneng.core import attachments, coverage

PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"


def docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def test_kinds_are_found_by_content() -> None:
    assert attachments.kind_of(PDF) == "pdf"
    assert attachments.kind_of(PNG) == "png"
    assert attachments.kind_of(b"\xff\xd8\xff\xe0JFIF") == "jpeg"
    assert attachments.kind_of(docx()[:2048]) == "docx"
    assert attachments.kind_of(b"MZ\x90\x00") is None


def test_a_scan_may_be_a_pdf_or_an_image() -> None:
    assert attachments.check("责任书.pdf", PDF, 100, attachments.SCAN, 10) == []
    assert attachments.check("责任书.PNG", PNG, 100, attachments.SCAN, 10) == []
    [refused] = attachments.check("责任书.docx", docx(), 100, attachments.SCAN, 10)
    assert refused.code == "file_kind_refused" and refused.params["file"] == "责任书.docx"


def test_a_renamed_file_is_refused_naming_what_it_is() -> None:
    [problem] = attachments.check("纪要.pdf", docx(), 100, attachments.DOCUMENT, 10)
    assert problem.code == "file_not_what_name_says"
    assert problem.params == {
        "file": "纪要.pdf",
        "named": "PDF",
        "found": "Word (.docx)",
        "value": None,
        "column": None,
    }
    [unknown] = attachments.check("纪要.pdf", b"MZ\x90\x00", 100, attachments.DOCUMENT, 10)
    assert unknown.code == "file_content_unknown"


def test_size_and_emptiness() -> None:
    [big] = attachments.check("a.pdf", PDF, 11 * 1024 * 1024, attachments.SCAN, 10)
    assert big.code == "file_too_large" and big.params["limit"] == "10"
    [empty] = attachments.check("a.pdf", b"", 0, attachments.SCAN, 10)
    assert empty.code == "empty_attachment"


def test_places_are_counted_as_a_bulletin_says_them() -> None:
    names = [f"{i}区" for i in range(19)] + [f"{i}县" for i in range(40)] + ["普宁市"]
    assert coverage.tally(names) == {"市": 1, "区": 19, "县": 40}
    assert coverage.phrase(names[:59]) == "19 个区、40 个县"
    assert coverage.phrase([]) == ""
