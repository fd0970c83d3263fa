"""Evidence files for tests: real documents of each allowed kind, and things that only
pretend to be documents (a renamed program, a zip with no Office parts)."""

import datetime as dt
import io
import zipfile

import factory
from django.core.files.uploadedfile import SimpleUploadedFile

from qip.demo.owner_side import simple_pdf
from rootcauses.models import EvidenceFile
from rootcauses.uploads import OLE2, PNG

ELF = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 8 + b"\x02\x00\x3e\x00" + b"\x00" * 200
PE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 200 + b"PE\x00\x00"


def pdf_bytes(text: str = "Audit of escalation calls") -> bytes:
    return simple_pdf(text, ["25 of 25 calls escalated within 15 minutes."])


def docx_bytes() -> bytes:
    from docx import Document

    document = Document()
    document.add_paragraph("Revised escalation policy, approved 12 March.")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def xlsx_bytes() -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active.append(["Ward", "Audited", "Compliant"])
    workbook.active.append(["Ward 21", 20, 19])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def ooxml_bytes(main_part: str, content_type: str) -> bytes:
    """A minimal Office Open XML package with one main part (python-pptx is not installed)."""
    types = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/{main_part}" ContentType="{content_type}"/>'
        "</Types>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", types)
        archive.writestr(main_part, "<xml/>")
    return buffer.getvalue()


def pptx_bytes() -> bytes:
    return ooxml_bytes(
        "ppt/presentation.xml",
        "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml",
    )


def docm_bytes() -> bytes:
    """A macro-enabled Word file: refused even when renamed .docx."""
    return ooxml_bytes(
        "word/document.xml", "application/vnd.ms-word.document.macroEnabled.main+xml"
    )


def plain_zip_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "not an Office file")
    return buffer.getvalue()


def ole2_bytes() -> bytes:
    return OLE2 + b"\x00" * 504


def png_bytes() -> bytes:
    return PNG + b"\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00"


def jpeg_bytes() -> bytes:
    return b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9"


def upload(name: str, content: bytes, content_type: str = "application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)


class EvidenceFileFactory(factory.django.DjangoModelFactory):
    """An evidence file stored the way the service stores one (use the service in tests of it)."""

    class Meta:
        model = EvidenceFile

    root_cause = factory.SubFactory("tests.factories.plan.RootCauseFactory")
    file = factory.django.FileField(filename="audit.pdf", data=factory.LazyFunction(pdf_bytes))
    original_name = "audit.pdf"
    content_type = "application/pdf"
    size = factory.LazyAttribute(lambda o: o.file.size)
    sha256 = "0" * 64
    description = "Audit of escalation calls"
    effective_from = dt.date(2024, 2, 1)
    uploaded_by = factory.SelfAttribute("root_cause.owner")
