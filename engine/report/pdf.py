"""The report as a PDF (fpdf2): real, selectable text in embedded Unicode fonts, figures at
200 dpi, no table or figure cut by a page break, page numbers in the footer.

Latin text uses DejaVu Sans (shipped inside matplotlib); Chinese falls back to the CJK font
chosen by ``engine.core.fonts`` (the app ships one), so characters never turn into boxes.
"""

from __future__ import annotations

import io
import logging
from pathlib import Path

from engine.core.fonts import add_pdf_fonts
from engine.core.i18n import t
from engine.report.model import Figure, Heading, Paragraph, Report, Table

log = logging.getLogger(__name__)

MARGIN = 15.0  # mm
LINE = 5.2  # mm per text line at 10 pt
def _make_pdf(report: Report):
    from fpdf import FPDF

    class ReportPDF(FPDF):
        def footer(self) -> None:
            self.set_y(-12)
            self.set_font("body", size=8)
            self.set_text_color(95, 99, 104)
            self.cell(0, 8, t("{title} — page {page} of {pages}", lang=report.lang, title=report.title,
                              page=self.page_no(), pages="{nb}"), align="C")

    pdf = ReportPDF(format="A4", unit="mm")
    pdf.set_margins(MARGIN, MARGIN, MARGIN)
    pdf.set_auto_page_break(True, margin=18)
    pdf.alias_nb_pages()
    add_pdf_fonts(pdf)  # "body", "mono" and the "cjk" fallback: one font finder for the whole app
    pdf.set_title(report.title)
    pdf.set_creator("DeepMine Workbench")
    pdf.set_lang("zh-CN" if report.lang == "zh_CN" else "en")
    return pdf


def _room(pdf) -> float:
    return pdf.h - pdf.b_margin - pdf.get_y()


def _keep(pdf, height: float) -> None:
    """Start a new page unless ``height`` mm fit on this one (and fit on a page at all)."""
    if height < pdf.h - pdf.t_margin - pdf.b_margin and height > _room(pdf):
        pdf.add_page()


def _heading(pdf, text: str, level: int) -> None:
    size = {1: 18, 2: 14, 3: 12, 4: 11}.get(level, 11)
    _keep(pdf, size * 0.5 + (60 if level >= 4 else 30))  # never a heading alone; a house's block kept whole
    pdf.ln(2 if level > 2 else 4)
    pdf.set_font("body", "B", size)
    pdf.set_text_color(32, 33, 36)
    pdf.multi_cell(0, size * 0.5, text, new_x="LMARGIN", new_y="NEXT")
    if level == 2:
        pdf.set_draw_color(26, 115, 232)
        pdf.set_line_width(0.6)
        pdf.line(pdf.l_margin, pdf.get_y() + 0.5, pdf.w - pdf.r_margin, pdf.get_y() + 0.5)
    pdf.ln(2)


def _paragraph(pdf, block: Paragraph) -> None:
    if block.kind == "mono":
        pdf.set_font("mono", size=9)
        pdf.set_fill_color(241, 243, 244)
        pdf.multi_cell(0, LINE, block.text, fill=True, new_x="LMARGIN", new_y="NEXT")
    else:
        pdf.set_font("body", "I" if block.kind == "note" else "", 10)
        pdf.set_text_color(95, 99, 104) if block.kind == "note" else pdf.set_text_color(32, 33, 36)
        pdf.multi_cell(0, LINE, block.text, new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(32, 33, 36)
    pdf.ln(1)


def _table(pdf, block: Table) -> None:
    width = pdf.w - pdf.l_margin - pdf.r_margin
    ncols = max(len(r) for r in ([block.header] if block.header else []) + block.rows)
    rel = block.widths or [1.0] * ncols
    widths = tuple(width * w / sum(rel) for w in rel)
    rows = ([block.header] if block.header else []) + block.rows
    line_h = LINE + 1.0
    _keep(pdf, line_h * len(rows) + (LINE if block.caption else 0) + 2)
    pdf.set_font("body", size=9)
    pdf.set_draw_color(218, 220, 224)
    pdf.set_line_width(0.2)
    heading_style = None
    from fpdf.fonts import FontFace

    heading_style = FontFace(emphasis="BOLD", fill_color=(241, 243, 244))
    with pdf.table(col_widths=widths, line_height=line_h, first_row_as_headings=bool(block.header),
                   headings_style=heading_style, text_align="LEFT", repeat_headings=1) as table:
        for i, values in enumerate(rows):
            row = table.row()
            for value in values:
                style = None
                if not block.header and i % 2 == 0:  # header-less tables: names over values
                    style = FontFace(emphasis="BOLD", fill_color=(241, 243, 244))
                row.cell(str(value), style=style)
    if block.caption:
        pdf.set_font("body", "I", 8)
        pdf.set_text_color(95, 99, 104)
        pdf.multi_cell(0, LINE - 0.8, block.caption, new_x="LMARGIN", new_y="NEXT")
        pdf.set_text_color(32, 33, 36)
    pdf.ln(2)


def _figure(pdf, block: Figure) -> None:
    max_w = pdf.w - pdf.l_margin - pdf.r_margin
    w = min(max_w, block.width_in * 25.4)
    h = w * block.height_in / block.width_in
    caption_h = LINE if block.caption else 0
    _keep(pdf, h + caption_h + 3)
    x = pdf.l_margin + (max_w - w) / 2
    pdf.image(io.BytesIO(block.png), x=x, y=pdf.get_y(), w=w, h=h)
    pdf.set_y(pdf.get_y() + h + 1)
    if block.caption:
        pdf.set_font("body", "I", 8)
        pdf.set_text_color(95, 99, 104)
        pdf.multi_cell(0, LINE - 0.8, block.caption, align="C", new_x="LMARGIN", new_y="NEXT")
        pdf.set_text_color(32, 33, 36)
    pdf.ln(3)


def render_pdf(report: Report, path: str | Path) -> None:
    pdf = _make_pdf(report)
    pdf.add_page()
    _heading(pdf, report.title, 1)
    pdf.set_font("body", size=10)
    pdf.set_text_color(95, 99, 104)
    for label, value in report.meta:
        pdf.multi_cell(0, LINE, f"{label}: {value}", new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(32, 33, 36)
    pdf.ln(3)
    if report.summary:
        pdf.set_fill_color(232, 240, 254)
        pdf.set_font("body", size=10)
        pdf.multi_cell(0, LINE + 0.6, "\n".join(report.summary), fill=True, padding=2, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(2)
    for n, section in enumerate(report.sections):
        if n > 0:
            pdf.add_page()  # each workspace starts on its own page
        _heading(pdf, section.title, 2)
        for block in section.blocks:
            if isinstance(block, Heading):
                _heading(pdf, block.text, block.level + 1)
            elif isinstance(block, Paragraph):
                _paragraph(pdf, block)
            elif isinstance(block, Table):
                _table(pdf, block)
            elif isinstance(block, Figure):
                _figure(pdf, block)
    pdf.output(str(path))
