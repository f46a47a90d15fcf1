"""The report as one self-contained HTML page: images inline, readable on a phone, printable."""

from __future__ import annotations

import base64
from html import escape

from engine.core.i18n import t
from engine.report.model import Figure, Heading, Paragraph, Report, Table

CSS = """
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { font-family: system-ui, -apple-system, "Segoe UI", "Noto Sans", "Noto Sans CJK SC", "Microsoft YaHei",
       "PingFang SC", sans-serif; margin: 0 auto; max-width: 60rem; padding: 1rem; line-height: 1.5;
       color: #202124; }
h1 { font-size: 1.7rem; margin: 0.2rem 0; }
h2 { font-size: 1.35rem; border-bottom: 2px solid #1a73e8; padding-bottom: 0.2rem; margin-top: 2rem; }
h3 { font-size: 1.1rem; margin-top: 1.4rem; }
h4 { font-size: 1rem; margin: 1rem 0 0.3rem; }
.meta { color: #5f6368; margin: 0; }
.summary { background: #e8f0fe; padding: 0.6rem 1rem; border-radius: 6px; }
.note { color: #5f6368; font-style: italic; }
.mono { font-family: ui-monospace, "DejaVu Sans Mono", monospace; background: #f1f3f4; padding: 0.3rem 0.5rem;
        border-radius: 4px; overflow-wrap: anywhere; }
.table-wrap { overflow-x: auto; margin: 0.6rem 0; }
table { border-collapse: collapse; min-width: 50%; }
th, td { border: 1px solid #dadce0; padding: 0.25rem 0.6rem; text-align: left; vertical-align: top; }
th { background: #f1f3f4; }
caption { caption-side: bottom; color: #5f6368; font-size: 0.9rem; text-align: left; padding-top: 0.2rem; }
figure { margin: 1rem 0; }
figure img { max-width: 100%; height: auto; display: block; }
figcaption { color: #5f6368; font-size: 0.9rem; }
footer { color: #5f6368; font-size: 0.85rem; margin-top: 2rem; }
@media (max-width: 600px) { body { padding: 0.5rem; font-size: 15px; } th, td { padding: 0.2rem 0.35rem; } }
@media print {
  body { max-width: none; padding: 0; }
  h2 { break-before: page; } section:first-of-type h2 { break-before: auto; }
  figure, table, .keep { break-inside: avoid; }
  h2, h3, h4 { break-after: avoid; }
  a { color: inherit; text-decoration: none; }
}
"""


def _table(block: Table) -> str:
    parts = ['<div class="table-wrap"><table>']
    if block.caption:
        parts.append(f"<caption>{escape(block.caption)}</caption>")
    if block.header:
        parts.append("<thead><tr>" + "".join(f"<th>{escape(h)}</th>" for h in block.header) + "</tr></thead>")
    parts.append("<tbody>")
    for i, row in enumerate(block.rows):
        tag = "th" if not block.header and i % 2 == 0 else "td"  # header-less tables: name rows over values
        parts.append("<tr>" + "".join(f"<{tag}>{escape(c)}</{tag}>" for c in row) + "</tr>")
    parts.append("</tbody></table></div>")
    return "".join(parts)


def _figure(block: Figure) -> str:
    data = base64.b64encode(block.png).decode("ascii")
    width = round(block.width_in * 96)
    return (f'<figure><img src="data:image/png;base64,{data}" width="{width}" alt="{escape(block.caption)}">'
            f"<figcaption>{escape(block.caption)}</figcaption></figure>")


def render_html(report: Report) -> str:
    lang = "zh-CN" if report.lang == "zh_CN" else "en"
    body = [f"<header><h1>{escape(report.title)}</h1>"]
    body += [f'<p class="meta">{escape(label)}: {escape(value)}</p>' for label, value in report.meta]
    body.append("</header>")
    if report.summary:
        body.append('<div class="summary">' + "".join(f"<p>{escape(s)}</p>" for s in report.summary) + "</div>")
    for section in report.sections:
        body.append(f'<section id="{section.key}"><h2>{escape(section.title)}</h2>')
        for block in section.blocks:
            if isinstance(block, Heading):
                body.append(f"<h{block.level + 1}>{escape(block.text)}</h{block.level + 1}>")
            elif isinstance(block, Paragraph):
                cls = f' class="{block.kind}"' if block.kind != "text" else ""
                body.append(f"<p{cls}>{escape(block.text)}</p>")
            elif isinstance(block, Table):
                body.append(_table(block))
            elif isinstance(block, Figure):
                body.append(_figure(block))
        body.append("</section>")
    body.append(f"<footer>{escape(t('Made with DeepMine Workbench', lang=report.lang))}</footer>")
    return (f'<!DOCTYPE html>\n<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{escape(report.title)}</title>\n<style>{CSS}</style>\n</head>\n<body>\n"
            + "\n".join(body) + "\n</body>\n</html>\n")
