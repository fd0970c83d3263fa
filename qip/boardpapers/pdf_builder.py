"""The paper as PDF: the print template rendered to HTML, laid out by WeasyPrint.

Nothing is fetched from the network: charts are PNGs inlined as data: URIs, the stylesheet
is read from static/, and the URL fetcher refuses anything but data: URIs and files under
the static folder. Fonts (DejaVu Sans) are embedded by WeasyPrint.
"""

import base64
import logging
from pathlib import Path
from urllib.parse import unquote, urlparse

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from weasyprint import CSS, HTML
from weasyprint.urls import URLFetcher

from .blocks import Figure
from .content import Paper
from .docx_builder import chart_png_bytes

STYLESHEET = "css/board-paper-print.css"
# WeasyPrint logs each layout step at INFO; only its warnings are worth keeping.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)


class LocalOnlyFetcher(URLFetcher):
    """data: URIs, and files inside `root`; nothing else (no network, no other files)."""

    def __init__(self, root: Path):
        super().__init__(allowed_protocols={"data", "file"})
        self.root = root.resolve()

    def fetch(self, url, headers=None):
        if url.startswith("file:"):
            path = Path(unquote(urlparse(url).path)).resolve()
            if not path.is_relative_to(self.root):
                raise ValueError(f"The board paper may only read files from {self.root}.")
        return super().fetch(url, headers)


def _data_uri(png: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


def render_pdf(paper: Paper, *, pictures: dict[int, bytes] | None = None, progress=None) -> bytes:
    """The paper as PDF bytes. `pictures`: PNGs already drawn, by figure number."""
    pictures = pictures or {}
    figures = [b for part in paper.parts for b in part.blocks if isinstance(b, Figure)]
    for i, figure in enumerate(figures, start=1):
        figure.picture = _data_uri(pictures.get(figure.number) or chart_png_bytes(figure))
        if progress:
            progress(0.8 * i / max(len(figures), 1))
    html = render_to_string("qip/boardpapers/paper_print.html", {"paper": paper})
    stylesheet = Path(finders.find(STYLESHEET))
    root = Path(settings.BASE_DIR) / "static"
    fetcher = LocalOnlyFetcher(root)
    document = HTML(string=html, base_url=str(root), url_fetcher=fetcher)
    pdf = document.write_pdf(stylesheets=[CSS(filename=str(stylesheet), url_fetcher=fetcher)])
    if progress:
        progress(1.0)
    return pdf
