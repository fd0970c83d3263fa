"""The paper as a Word document (python-docx), built for a board secretary to restyle: real
Word heading styles (Heading 1–4), bulleted lists in "List Bullet", tables in "Table Grid"
with a header row that repeats across pages, charts as embedded PNGs with alt text, and
captions in "Caption"."""

import io

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from kpis.charts import render_png as render_spc_png

from ..charts import png as chart_png
from .blocks import Bullets, Figure, Heading, Para, Table
from .content import Paper
from .cover import CHOSEN, NOT_CHOSEN, TICKED, UNTICKED, CoverRow

NHS_BLUE = RGBColor(0x00, 0x5E, 0xB8)
PICTURE_WIDTH = Cm(16)


def chart_png_bytes(figure: Figure) -> bytes:
    if figure.chart_kind == "spc":
        return render_spc_png(figure.chart)
    return chart_png.render(figure.chart)


def _repeat_header(row) -> None:
    """Mark a table row as its header: Word repeats it on each page and reads it as headers."""
    tr_pr = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    tr_pr.append(header)


def _shade(cell, fill: str) -> None:
    tc_pr = cell._tc.get_or_add_tcPr()
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    tc_pr.append(shading)


def _runs(paragraph, runs) -> None:
    for run in runs:
        r = paragraph.add_run(run.text)
        r.bold = run.bold or None
        r.italic = run.italic or None


def _cell_text(cell, value, *, bold: bool = False) -> None:
    """A cell holds text, or a tuple of lines shown as a bulleted list."""
    first = cell.paragraphs[0]
    if isinstance(value, tuple):
        for i, line in enumerate(value):
            paragraph = first if i == 0 else cell.add_paragraph()
            paragraph.style = "List Bullet"
            paragraph.add_run(line).bold = bold or None
    else:
        first.add_run(str(value)).bold = bold or None


def _table(doc, table: Table) -> None:
    caption = doc.add_paragraph(table.caption, style="Caption")
    caption.paragraph_format.keep_with_next = True
    out = doc.add_table(rows=1, cols=len(table.header))
    out.style = "Table Grid"
    out.alignment = WD_TABLE_ALIGNMENT.CENTER
    header = out.rows[0]
    _repeat_header(header)
    for i, text in enumerate(table.header):
        cell = header.cells[i]
        _cell_text(cell, text, bold=True)
        _shade(cell, "D8E7F6")
    for values in table.rows:
        cells = out.add_row().cells
        for i, value in enumerate(values):
            _cell_text(cells[i], value, bold=table.row_headers and i == 0)
            if i in table.numeric:
                for paragraph in cells[i].paragraphs:
                    paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    last = len(out.rows) - 1
    for column in table.span_columns:
        if last > 1:
            out.cell(1, column).merge(out.cell(last, column))
    doc.add_paragraph()


def _figure(doc, figure: Figure, picture: bytes) -> None:
    doc.add_picture(io.BytesIO(picture), width=PICTURE_WIDTH)
    shape = doc.inline_shapes[-1]
    shape._inline.docPr.set("descr", figure.description or figure.caption)
    shape._inline.docPr.set("title", figure.caption)
    doc.paragraphs[-1].paragraph_format.keep_with_next = True
    doc.add_paragraph(figure.caption, style="Caption")
    if figure.table is not None:
        _table(doc, figure.table)


def _choices(cell, row: CoverRow) -> None:
    on, off = (CHOSEN, NOT_CHOSEN) if row.radio else (TICKED, UNTICKED)
    first = True
    for choice in row.choices:
        paragraph = cell.paragraphs[0] if first else cell.add_paragraph()
        first = False
        mark = paragraph.add_run(f"{on if choice.chosen else off} ")
        mark.font.name = "Segoe UI Symbol"
        label = paragraph.add_run(choice.label)
        label.bold = choice.chosen or None
        if choice.help:
            paragraph.add_run(f" — {choice.help}")
    if first:
        cell.paragraphs[0].add_run("None set up")


def _cover(doc, paper: Paper) -> None:
    table = doc.add_table(rows=1, cols=2)
    table.style = "Table Grid"
    header = table.rows[0]
    _repeat_header(header)
    merged = header.cells[0].merge(header.cells[1])
    _cell_text(merged, "Cover sheet", bold=True)
    _shade(merged, "D8E7F6")
    for row in paper.cover:
        label_cell, value_cell = table.add_row().cells
        _cell_text(label_cell, row.label, bold=True)
        if row.choices or row.radio:
            _choices(value_cell, row)
        elif row.blocks:
            first = True
            for block in row.blocks:
                if isinstance(block, Bullets):
                    for item in block.items:
                        paragraph = (
                            value_cell.paragraphs[0] if first else value_cell.add_paragraph()
                        )
                        paragraph.style = "List Bullet"
                        _runs(paragraph, item)
                        first = False
                else:
                    paragraph = value_cell.paragraphs[0] if first else value_cell.add_paragraph()
                    _runs(paragraph, block.runs)
                    first = False
        elif row.lines:
            for i, line in enumerate(row.lines):
                paragraph = value_cell.paragraphs[0] if i == 0 else value_cell.add_paragraph()
                paragraph.add_run(line)
        else:
            _cell_text(value_cell, row.text)
    for row in table.rows:
        row.cells[0].width = Cm(5)
        row.cells[1].width = Cm(12)


def _styles(doc) -> None:
    normal = doc.styles["Normal"]
    normal.font.name = "Arial"
    normal.font.size = Pt(11)
    for level in range(1, 5):
        style = doc.styles[f"Heading {level}"]
        style.font.name = "Arial"
        style.font.color.rgb = NHS_BLUE
    doc.styles["Title"].font.name = "Arial"


def render_docx(paper: Paper, *, pictures: dict[int, bytes] | None = None, progress=None) -> bytes:
    """The paper as .docx bytes. `pictures`: PNGs already drawn, by figure number."""
    pictures = dict(pictures or {})
    doc = Document()
    _styles(doc)
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(2))
    section.footer.paragraphs[0].text = f"{paper.title} — {paper.subtitle}"
    doc.core_properties.title = paper.title
    doc.core_properties.subject = paper.subtitle

    doc.add_heading(paper.title, level=0)
    doc.add_paragraph(paper.subtitle, style="Subtitle")
    if paper.note:
        note = doc.add_paragraph()
        note.add_run(paper.note).bold = True
    _cover(doc, paper)
    doc.add_page_break()
    doc.add_paragraph("Main paper", style="Subtitle")

    total = max(len(paper.all_figures), 1)
    drawn = 0
    for part in paper.parts:
        for block in part.blocks:
            if isinstance(block, Heading):
                doc.add_heading(block.text, level=block.level)
            elif isinstance(block, Para):
                paragraph = doc.add_paragraph(style="Quote" if block.style == "quote" else None)
                _runs(paragraph, block.runs)
            elif isinstance(block, Bullets):
                for item in block.items:
                    _runs(doc.add_paragraph(style="List Bullet"), item)
            elif isinstance(block, Table):
                _table(doc, block)
            elif isinstance(block, Figure):
                picture = pictures.get(block.number) or chart_png_bytes(block)
                _figure(doc, block, picture)
                drawn += 1
                if progress:
                    progress(drawn / total)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
