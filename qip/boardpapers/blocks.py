"""The paper as a list of plain blocks (headings, paragraphs, bullets, tables, figures), which
the Word builder, the PDF template and the builder page each render their own way.

Narrative the PMO writes is plain text with two conventions, parsed by `parse`: a blank line
starts a new paragraph, a line starting with "- " is a bullet, and **words** are bold.
"""

import re
from dataclasses import dataclass, field
from typing import Any

BOLD = re.compile(r"\*\*(.+?)\*\*")


@dataclass(frozen=True)
class Run:
    text: str
    bold: bool = False
    italic: bool = False


@dataclass(frozen=True)
class Heading:
    text: str
    level: int  # 1: Situation … Recommendation; 2: numbered sections; 3, 4 below them
    kind: str = "heading"


@dataclass(frozen=True)
class Para:
    runs: tuple[Run, ...]
    style: str = ""  # "", "note" (a draft's warning) or "quote"
    kind: str = "para"

    @property
    def text(self) -> str:
        return "".join(run.text for run in self.runs)


@dataclass(frozen=True)
class Bullets:
    items: tuple[tuple[Run, ...], ...]
    kind: str = "bullets"


@dataclass(frozen=True)
class Table:
    """A table with one header row. A cell is text, or a tuple of lines shown as a list."""

    caption: str
    header: tuple[str, ...]
    rows: tuple[tuple[Any, ...], ...]
    numeric: tuple[int, ...] = ()  # columns of figures, right-aligned
    row_headers: bool = True  # the first cell of each row names the row
    span_columns: tuple[int, ...] = ()  # the first row's cell runs down every row
    kind: str = "table"

    def cells(self) -> list[list[dict]]:
        """Rows of cells for HTML: value, whether it is a list, a row header, a figure, and
        how many rows it spans (cells covered by a span are left out)."""
        out = []
        for r, row in enumerate(self.rows):
            cells = []
            for c, value in enumerate(row):
                if c in self.span_columns and r > 0:
                    continue
                cells.append(
                    {
                        "value": value,
                        "is_list": isinstance(value, tuple),
                        "is_header": self.row_headers and c == 0,
                        "numeric": c in self.numeric,
                        "label": self.header[c] if c < len(self.header) else "",
                        "rowspan": len(self.rows) if c in self.span_columns else 1,
                    }
                )
            out.append(cells)
        return out


@dataclass
class Figure:
    """A numbered chart with its caption, a description for screen readers and the Word alt
    text, and the numbers as a table. `chart` is a qip.charts.Chart ("trajectory") or a
    kpis.charts.Chart ("spc"); renderers draw it as SVG or PNG."""

    number: int
    caption: str
    chart: Any
    chart_kind: str  # "trajectory" or "spc"
    description: str
    table: Table | None = None
    kind: str = "figure"
    picture: Any = None  # filled by a renderer: SVG markup or a PNG data: URI


@dataclass
class Part:
    """One piece of the paper: a heading, figures (never typed), or narrative the PMO may edit.

    For narrative, `key` names it in BoardPaper.narrative, `default` is the generated text,
    `text` what is shown (the PMO's, when `edited`)."""

    kind: str  # "heading", "figures", "narrative"
    key: str = ""
    label: str = ""
    blocks: list = field(default_factory=list)
    text: str = ""
    default: str = ""
    edited: bool = False


def runs(text: str, *, bold: bool = False, italic: bool = False) -> tuple[Run, ...]:
    """Text with **bold** words as runs."""
    out: list[Run] = []
    position = 0
    for match in BOLD.finditer(text):
        if match.start() > position:
            out.append(Run(text[position : match.start()], bold=bold, italic=italic))
        out.append(Run(match.group(1), bold=True, italic=italic))
        position = match.end()
    if position < len(text):
        out.append(Run(text[position:], bold=bold, italic=italic))
    return tuple(out)


def para(text: str, style: str = "") -> Para:
    return Para(runs(text), style=style)


def parse(text: str) -> list:
    """The PMO's narrative as blocks: paragraphs split on blank lines, "- " lines as bullets."""
    blocks: list = []
    lines = (text or "").replace("\r\n", "\n").replace("\r", "\n").split("\n")
    paragraph: list[str] = []
    bullets: list[str] = []

    def flush_paragraph():
        if paragraph:
            blocks.append(para(" ".join(paragraph)))
            paragraph.clear()

    def flush_bullets():
        if bullets:
            blocks.append(Bullets(tuple(runs(item) for item in bullets)))
            bullets.clear()

    for raw in lines:
        line = raw.strip()
        if not line:
            flush_paragraph()
            flush_bullets()
        elif line.startswith(("- ", "* ", "• ")):
            flush_paragraph()
            bullets.append(line[2:].strip())
        else:
            flush_bullets()
            paragraph.append(line)
    flush_paragraph()
    flush_bullets()
    return blocks
