"""The report's document model: sections of paragraphs, tables, figures and headings.

Domains build their sections from these blocks; the renderers (``pdf.py``, ``html.py``) only
read them. Figures are matplotlib ``Figure`` objects on the Agg canvas (no pyplot), so a report
can be drawn off the GUI thread.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import datetime

FIGURE_DPI = 200  # sharp in print; the PDF places figures at their real size


# --- the document model ---------------------------------------------------------------------
@dataclass
class Paragraph:
    text: str
    kind: str = "text"  # "text" | "note" | "mono"


@dataclass
class Table:
    header: list[str]
    rows: list[list[str]]
    caption: str = ""
    widths: list[float] | None = None  # relative column widths


@dataclass
class Figure:
    png: bytes
    width_in: float
    height_in: float
    caption: str = ""


@dataclass
class Heading:
    text: str
    level: int = 2


Block = Paragraph | Table | Figure | Heading


@dataclass
class Section:
    key: str
    title: str
    blocks: list[Block] = field(default_factory=list)


@dataclass
class Report:
    title: str
    meta: list[tuple[str, str]]  # (label, value) lines under the title
    summary: list[str]
    sections: list[Section]
    lang: str


# --- formatting -----------------------------------------------------------------------------
def format_datetime(value: datetime, lang: str) -> str:
    if lang == "zh_CN":
        return f"{value.year}年{value.month}月{value.day}日 {value:%H:%M}"
    return f"{value.day} {value:%B %Y, %H:%M}"


def pct(value: float) -> str:
    return f"{value:.1%}"


def new_figure(width: float, height: float):
    from matplotlib.figure import Figure as MplFigure

    from engine.core.fonts import configure_matplotlib

    configure_matplotlib()
    return MplFigure(figsize=(width, height), dpi=FIGURE_DPI, layout="constrained")


def png_bytes(fig) -> bytes:
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    FigureCanvasAgg(fig)
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=FIGURE_DPI)
    return buf.getvalue()


def as_figure(fig, caption: str = "") -> Figure:
    w, h = fig.get_size_inches()
    return Figure(png_bytes(fig), float(w), float(h), caption)


