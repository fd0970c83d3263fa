"""Checks an evidence file before it is stored: its size, and its type by name *and* content.

A file is accepted only when its extension is on the list and its bytes are what the
extension says: a PDF starts with "%PDF-", a Word/Excel/PowerPoint file is either an OLE2
compound file (.doc/.xls/.ppt) or a zip archive holding the right main part (.docx/.xlsx/
.pptx), a CSV or text file is text (UTF-8 or Windows-1252, no NUL bytes). A program renamed
"audit.pdf" is refused with a message that says so.

EvidenceUploadHandler keeps a huge upload from filling the disk: it stops storing a file's
bytes once it passes the limit, but still counts them, so the form can say how big it was.
"""

import codecs
import hashlib
import os
import zipfile
from dataclasses import dataclass
from typing import Any

import filetype
from defusedxml import DefusedXmlException, ElementTree
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import TemporaryUploadedFile
from django.core.files.uploadhandler import FileUploadHandler

CHUNK = 64 * 1024
HEAD = 8 * 1024
OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
PNG = b"\x89PNG\r\n\x1a\n"
JPEG = b"\xff\xd8\xff"
CONTENT_TYPES_XML = "[Content_Types].xml"
CONTENT_TYPES_MAX = 512 * 1024  # bytes: [Content_Types].xml is a few KB in real files

# extension: (MIME type stored and served, the kind named in messages, how to check it)
ALLOWED: dict[str, tuple[str, str, str]] = {
    ".pdf": ("application/pdf", "PDF", "pdf"),
    ".doc": ("application/msword", "Word", "ole2"),
    ".docx": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "Word",
        "ooxml",
    ),
    ".xls": ("application/vnd.ms-excel", "Excel", "ole2"),
    ".xlsx": (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "Excel",
        "ooxml",
    ),
    ".ppt": ("application/vnd.ms-powerpoint", "PowerPoint", "ole2"),
    ".pptx": (
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        "PowerPoint",
        "ooxml",
    ),
    ".csv": ("text/csv", "CSV", "text"),
    ".txt": ("text/plain", "text", "text"),
    ".png": ("image/png", "PNG image", "png"),
    ".jpg": ("image/jpeg", "JPEG image", "jpeg"),
    ".jpeg": ("image/jpeg", "JPEG image", "jpeg"),
}

# The main part an OOXML package must declare in [Content_Types].xml (macro-enabled
# variants such as .docm declare a different type and are refused).
OOXML_MAIN = {
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
    ".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml",
}

EXECUTABLE_MIMES = {
    "application/x-msdownload",
    "application/x-executable",
    "application/x-mach-binary",
    "application/vnd.microsoft.portable-executable",
}
EXECUTABLE_PREFIXES = (
    b"MZ",
    b"\x7fELF",
    b"\xfe\xed\xfa\xce",
    b"\xfe\xed\xfa\xcf",
    b"\xce\xfa\xed\xfe",
    b"\xcf\xfa\xed\xfe",
)

ALLOWED_DESCRIPTION = "PDF, Word, Excel, PowerPoint, CSV, text, PNG or JPEG"
ACCEPT_ATTRIBUTE = ",".join(ALLOWED)


def max_bytes() -> int:
    return settings.EVIDENCE_MAX_BYTES


def max_size_text() -> str:
    """The limit in the words people use: "20 MB"."""
    megabytes = max_bytes() / (1024 * 1024)
    return f"{megabytes:g} MB"


def too_large_message() -> str:
    return f"The file is larger than {max_size_text()}. Make it smaller, or split it, and upload it again."


@dataclass(frozen=True)
class CheckedUpload:
    """What we know about an accepted upload; the service stores these with the file."""

    original_name: str
    content_type: str
    size: int
    sha256: str


def clean_name(name: str) -> str:
    """The file's own name, without any folder a browser sent (old IE sent full paths)."""
    base = os.path.basename((name or "").replace("\\", "/")).strip()
    return base[:255] or "evidence"


def _read_head(upload: Any) -> bytes:
    upload.seek(0)
    head = upload.read(HEAD)
    upload.seek(0)
    return head


def _hash_and_size(upload: Any) -> tuple[str, int]:
    digest = hashlib.sha256()
    size = 0
    upload.seek(0)
    while chunk := upload.read(CHUNK):
        digest.update(chunk)
        size += len(chunk)
    upload.seek(0)
    return digest.hexdigest(), size


def _looks_executable(head: bytes) -> bool:
    if head.startswith(EXECUTABLE_PREFIXES):
        return True
    kind = filetype.guess(head)
    return kind is not None and kind.mime in EXECUTABLE_MIMES


def _ooxml_ok(upload: Any, extension: str) -> bool:
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            names = set(archive.namelist())
            if CONTENT_TYPES_XML not in names:
                return False
            info = archive.getinfo(CONTENT_TYPES_XML)
            if info.file_size > CONTENT_TYPES_MAX:
                return False
            root = ElementTree.fromstring(archive.read(info))
    except (
        zipfile.BadZipFile,
        ElementTree.ParseError,
        DefusedXmlException,
        OSError,
        ValueError,
        KeyError,
    ):
        return False
    finally:
        upload.seek(0)
    wanted = OOXML_MAIN[extension]
    for element in root:
        if element.tag.rsplit("}", 1)[-1] != "Override":
            continue
        if element.get("ContentType") == wanted:
            part = (element.get("PartName") or "").lstrip("/")
            if part in names:
                return True
    return False


def _text_ok(upload: Any) -> bool:
    """Text: no NUL bytes, and the whole file decodes as UTF-8 or as Windows-1252."""
    upload.seek(0)
    decoders = {
        "utf-8-sig": codecs.getincrementaldecoder("utf-8-sig")(),
        "cp1252": codecs.getincrementaldecoder("cp1252")(),
    }
    try:
        while chunk := upload.read(CHUNK):
            if b"\x00" in chunk:
                return False
            for name, decoder in list(decoders.items()):
                try:
                    decoder.decode(chunk)
                except UnicodeDecodeError:
                    del decoders[name]
            if not decoders:
                return False
        for name, decoder in list(decoders.items()):
            try:
                decoder.decode(b"", final=True)
            except UnicodeDecodeError:
                del decoders[name]
        return bool(decoders)
    finally:
        upload.seek(0)


def _content_matches(upload: Any, head: bytes, extension: str, check: str) -> bool:
    if check == "pdf":
        return b"%PDF-" in head[:1024]
    if check == "png":
        return head.startswith(PNG)
    if check == "jpeg":
        return head.startswith(JPEG)
    if check == "ole2":
        return head.startswith(OLE2)
    if check == "ooxml":
        return head.startswith(b"PK\x03\x04") and _ooxml_ok(upload, extension)
    if check == "text":
        return _text_ok(upload)
    return False


def check_evidence_upload(upload: Any) -> CheckedUpload:
    """Accept the upload or raise ValidationError saying, in plain words, what is wrong.

    `upload` is a Django UploadedFile (or any file with .name, .read and .seek).
    """
    name = clean_name(getattr(upload, "name", ""))
    extension = os.path.splitext(name)[1].lower()
    size = getattr(upload, "size", None)
    if getattr(upload, "truncated", False) or (size is not None and size > max_bytes()):
        raise ValidationError(too_large_message(), code="too_large")
    if extension not in ALLOWED:
        shown = extension or "no extension"
        raise ValidationError(
            f"{name} cannot be uploaded ({shown}). Upload a {ALLOWED_DESCRIPTION} file.",
            code="type_not_allowed",
        )
    sha256, size = _hash_and_size(upload)
    if size > max_bytes():
        raise ValidationError(too_large_message(), code="too_large")
    if size == 0:
        raise ValidationError(f"{name} is empty.", code="empty")
    content_type, kind, check = ALLOWED[extension]
    head = _read_head(upload)
    if _looks_executable(head):
        raise ValidationError(
            f"{name} is not a {kind} file: it is a program (an executable), which cannot be "
            "uploaded. Upload the document itself.",
            code="executable",
        )
    if not _content_matches(upload, head, extension, check):
        raise ValidationError(
            f"{name} is not a {kind} file: its contents do not match its name. Open it, save it "
            f"again as a {kind} file, and upload that.",
            code="content_mismatch",
        )
    return CheckedUpload(original_name=name, content_type=content_type, size=size, sha256=sha256)


class EvidenceUploadHandler(FileUploadHandler):
    """Stores each uploaded file on disk up to the evidence limit, and only counts the rest.

    Without it, Django would spool a 2 GB upload to a temporary file before the form could
    refuse it. With it, the form still learns the full size (file.size) and that the
    stored bytes are incomplete (file.truncated), and says "The file is larger than 20 MB".
    Install it before the request body is read (see rootcauses.views.uploads).
    """

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        self.file = TemporaryUploadedFile(
            self.file_name, self.content_type, 0, self.charset, self.content_type_extra
        )
        self.received = 0
        self.limit = max_bytes()

    def receive_data_chunk(self, raw_data: bytes, start: int) -> None:
        self.received += len(raw_data)
        if self.received <= self.limit:
            self.file.write(raw_data)
        return None

    def file_complete(self, file_size: int) -> TemporaryUploadedFile:
        self.file.seek(0)
        self.file.size = file_size
        self.file.truncated = file_size > self.limit
        return self.file
