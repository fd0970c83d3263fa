"""Demo evidence for the `owner` sign-in (issue 4): closure evidence waiting for the chair,
an audit past its review date, and a policy behind a verified closure.

Files are made here (a one-page PDF, a CSV audit) and stored through the same service the
upload forms use, so they pass the same checks.
"""

import datetime as dt

from django.core.files.base import ContentFile
from django.utils import timezone

from rootcauses import services as rc_services
from rootcauses.models import ClosureRequest, EvidenceFile, RootCause


def simple_pdf(title: str, lines: list[str]) -> bytes:
    """A valid one-page PDF with a title and a few lines of Helvetica text."""

    def escape(text: str) -> str:
        return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")

    text = ["BT /F1 16 Tf 72 770 Td (" + escape(title) + ") Tj ET"]
    for i, line in enumerate(lines):
        text.append(f"BT /F1 11 Tf 72 {740 - 18 * i} Td ({escape(line)}) Tj ET")
    stream = "\n".join(text).encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for offset in offsets:
        out += f"{offset:010d} 00000 n \n".encode()
    out += (
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n"
    ).encode()
    return bytes(out)


def _uploaded(evidence: EvidenceFile, day: dt.date) -> None:
    # uploaded_at is auto_now_add; the demo replays 2019, so put the upload in its story.
    EvidenceFile.objects.filter(pk=evidence.pk).update(
        uploaded_at=timezone.make_aware(dt.datetime.combine(day, dt.time(11)))
    )


def add_evidence(*, programme, accounts) -> None:
    owner = accounts["owner"]
    mine = RootCause.objects.filter(programme=programme, owner=owner).order_by("reference")

    waiting = mine.filter(status=RootCause.Status.CLOSURE_REQUESTED).first()
    if waiting is not None:
        request = waiting.closure_requests.get(decision=ClosureRequest.Decision.PENDING)
        evidence = rc_services.evidence_add(
            by=owner,
            root_cause=waiting,
            file=ContentFile(
                simple_pdf(
                    f"{waiting.reference}: audit of the new process",
                    [
                        "Three weekly audits, 1 to 19 April 2019, both sites.",
                        "Week 1: 25 of 25 (100%). Week 2: 24 of 24 (100%). Week 3: 26 of 26 (100%).",
                        "Audited by the ward manager and a practice educator.",
                    ],
                ),
                name=f"{waiting.reference} audit April 2019.pdf",
            ),
            description="Three weeks of audit at 100%, both sites",
            effective_from=dt.date(2019, 4, 19),
            review_by=dt.date(2019, 10, 19),
            closure_request=request,
        )
        _uploaded(evidence, dt.date(2019, 4, 25))

    open_ones = [
        rc for rc in mine if rc.completed_on is None and rc.pk != getattr(waiting, "pk", 0)
    ]
    if open_ones:
        rc = open_ones[-1]
        update = rc.updates.order_by("period__starts_on").first()
        rows = "ward,audited,compliant\nWard 21,20,17\nWard 22,18,16\nLabour ward,25,22\n"
        evidence = rc_services.evidence_add(
            by=owner,
            root_cause=rc,
            file=ContentFile(rows.encode(), name="Ward audit March 2019.csv"),
            description="Baseline ward audit, March 2019 (87% compliant)",
            effective_from=dt.date(2019, 3, 29),
            review_by=dt.date(2019, 4, 19),
            update=update,
        )
        _uploaded(evidence, dt.date(2019, 3, 29))

    verified = mine.filter(verified_on__isnull=False).first()
    if verified is not None:
        evidence = rc_services.evidence_add(
            by=owner,
            root_cause=verified,
            file=ContentFile(
                simple_pdf(
                    f"{verified.reference}: revised guideline",
                    [
                        "Guideline approved by the Maternity Governance Group, 12 March 2019.",
                        "Circulated to all midwives; read-receipts 94% by 29 March 2019.",
                    ],
                ),
                name="Revised guideline v2.pdf",
            ),
            description="Revised guideline, approved and circulated",
            effective_from=dt.date(2019, 3, 12),
            review_by=dt.date(2020, 3, 12),
        )
        _uploaded(evidence, dt.date(2019, 3, 12))
