"""Send an email from a pair of templates: emails/<name>.txt and emails/<name>.html."""

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string


def send_templated_email(*, name: str, to: Iterable[str], context: dict[str, Any]) -> int:
    """Render emails/<name>.txt (first line is the subject) and emails/<name>.html; send."""
    recipients = [address for address in to if address]
    if not recipients:
        return 0
    context = {"site_url": settings.SITE_URL, **context}
    text = render_to_string(f"emails/{name}.txt", context)
    subject, _, body = text.partition("\n")
    html = render_to_string(f"emails/{name}.html", context)
    message = EmailMultiAlternatives(
        subject=subject.removeprefix("Subject:").strip(),
        body=body.lstrip("\n"),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=recipients,
    )
    message.attach_alternative(html, "text/html")
    return message.send()
