"""Evidence files are checked by size, by name and by content before they are stored."""

import pytest
from django.core.exceptions import ValidationError

from rootcauses.uploads import check_evidence_upload, clean_name, too_large_message
from tests.factories.rootcauses import (
    ELF,
    PE,
    docm_bytes,
    docx_bytes,
    jpeg_bytes,
    ole2_bytes,
    pdf_bytes,
    plain_zip_bytes,
    png_bytes,
    pptx_bytes,
    upload,
    xlsx_bytes,
)

ACCEPTED = [
    ("audit.pdf", pdf_bytes, "application/pdf"),
    (
        "policy.docx",
        docx_bytes,
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
    ("audit.xlsx", xlsx_bytes, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    (
        "briefing.pptx",
        pptx_bytes,
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ),
    ("old policy.doc", ole2_bytes, "application/msword"),
    ("old audit.xls", ole2_bytes, "application/vnd.ms-excel"),
    ("old slides.ppt", ole2_bytes, "application/vnd.ms-powerpoint"),
    ("audit.csv", lambda: "ward,compliant\nWard 21,19\nMaternité,20\n".encode(), "text/csv"),
    ("notes.txt", lambda: "Cost £40 – agreed".encode("cp1252"), "text/plain"),
    ("photo.png", png_bytes, "image/png"),
    ("photo.JPG", jpeg_bytes, "image/jpeg"),
    ("photo.jpeg", jpeg_bytes, "image/jpeg"),
]


@pytest.mark.parametrize(("name", "make", "content_type"), ACCEPTED)
def test_each_allowed_kind_is_accepted_by_name_and_content(name, make, content_type):
    content = make()
    checked = check_evidence_upload(upload(name, content))
    assert checked.content_type == content_type
    assert checked.size == len(content)
    assert checked.original_name == name
    assert len(checked.sha256) == 64


def _refused(name: str, content: bytes) -> str:
    with pytest.raises(ValidationError) as caught:
        check_evidence_upload(upload(name, content))
    return caught.value.messages[0]


def test_a_program_renamed_pdf_is_refused_as_a_program():
    message = _refused("audit.pdf", ELF)
    assert message.startswith("audit.pdf is not a PDF file: it is a program")


def test_a_windows_program_renamed_docx_is_refused():
    assert "it is a program" in _refused("policy.docx", PE)


@pytest.mark.parametrize(
    ("name", "make"),
    [
        ("policy.docx", plain_zip_bytes),  # a zip, but no [Content_Types].xml
        ("policy.docx", docm_bytes),  # macro-enabled Word renamed .docx
        ("audit.xlsx", docx_bytes),  # a real Word file renamed .xlsx: wrong main part
        ("audit.pdf", docx_bytes),
        ("policy.doc", pdf_bytes),
        ("photo.png", jpeg_bytes),
        ("photo.jpg", png_bytes),
        ("audit.csv", lambda: b"ward,count\x00\x01\x02"),  # NUL bytes: not text
        ("notes.txt", lambda: b"\x81\x8d\x8f\x90\x9d\xff\xfe"),  # neither UTF-8 nor cp1252
    ],
)
def test_contents_that_do_not_match_the_name_are_refused(name, make):
    assert "its contents do not match its name" in _refused(name, make())


@pytest.mark.parametrize("name", ["setup.exe", "script.js", "archive.zip", "page.html", "README"])
def test_other_kinds_of_file_are_refused_by_name(name):
    message = _refused(name, b"hello")
    assert "cannot be uploaded" in message
    assert "PDF, Word, Excel, PowerPoint, CSV, text, PNG or JPEG" in message


def test_an_empty_file_is_refused():
    assert _refused("audit.pdf", b"") == "audit.pdf is empty."


def test_a_file_over_the_limit_is_refused_with_the_limit_in_words(settings):
    assert settings.EVIDENCE_MAX_BYTES == 20 * 1024 * 1024
    big = upload("audit.pdf", b"%PDF-1.4\n" + b"0" * (20 * 1024 * 1024))
    assert _refused_upload(big) == too_large_message()
    assert too_large_message().startswith("The file is larger than 20 MB")


def test_a_file_of_exactly_the_limit_is_accepted(settings):
    settings.EVIDENCE_MAX_BYTES = 2048
    content = b"%PDF-1.4\n" + b"0" * (2048 - 9)
    assert check_evidence_upload(upload("audit.pdf", content)).size == 2048
    assert "larger than" in _refused("audit.pdf", content + b"0")


def _refused_upload(file) -> str:
    with pytest.raises(ValidationError) as caught:
        check_evidence_upload(file)
    return caught.value.messages[0]


def test_a_truncated_upload_is_refused_as_too_large():
    file = upload("audit.pdf", pdf_bytes())
    file.truncated = True
    assert _refused_upload(file) == too_large_message()


@pytest.mark.parametrize(
    ("sent", "kept"),
    [
        ("C:\\Users\\amara\\Documents\\audit.pdf", "audit.pdf"),
        ("../../etc/passwd.txt", "passwd.txt"),
        ("", "evidence"),
    ],
)
def test_the_name_keeps_no_folders(sent, kept):
    assert clean_name(sent) == kept
