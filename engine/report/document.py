"""The report: what the person did this session, assembled from the sections the workspaces
contribute and rendered to PDF or HTML.

Orange's ``send_report`` idea: each domain offers a ``SectionProvider`` (its section, a summary
line, its reproducibility rows), built only from the ``Session``. This module assembles and
writes; it does not know the domains (an import-linter contract says so).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from engine import __version__
from engine.core.errors import DataError, InputError
from engine.core.i18n import get_language, t
from engine.core.session import Session
from engine.core.tasks import CancelToken, Progress, ProgressFn, Task, no_progress, run_task
from engine.core.versions import library_versions
from engine.report.model import Report, Section, Table, format_datetime

FORMATS = {".pdf": "pdf", ".html": "html", ".htm": "html"}


@dataclass(frozen=True)
class SectionProvider:
    """What a workspace contributes to the report."""

    key: str
    section: Callable[[Session, str], Section]
    summary: Callable[[Session, str], str | None] = lambda session, lang: None
    reproducibility: Callable[[Session, str], list[list[str]]] = lambda session, lang: []


def _reproducibility_section(session: Session, providers: Sequence[SectionProvider], lang: str) -> Section:
    sec = Section("reproducibility", t("Reproducibility", lang=lang))
    rows = [row for provider in providers for row in provider.reproducibility(session, lang)]
    if rows:
        sec.blocks.append(Table([t("item", lang=lang), t("value", lang=lang)], rows, widths=[1, 3]))
    versions = library_versions()
    sec.blocks.append(Table([t("library", lang=lang), t("version", lang=lang)],
                            [[k, v] for k, v in versions.items()], widths=[1, 1]))
    return sec


def build_report_task(session: Session, providers: Sequence[SectionProvider], sections: Iterable[str] | None = None,
                      *, lang: str | None = None) -> Task[Report]:
    lang = lang or get_language()
    chosen = None if sections is None else set(sections)
    wanted = [p for p in providers if chosen is None or p.key in chosen]
    if not wanted:
        raise InputError("Choose at least one section for the report.")
    now = datetime.now().astimezone()
    summary = [line for p in wanted if (line := p.summary(session, lang))]
    report = Report(
        title=t("DeepMine Workbench report", lang=lang),
        meta=[(t("Date", lang=lang), format_datetime(now, lang)),
              (t("App version", lang=lang), __version__),
              (t("Language", lang=lang), "简体中文" if lang == "zh_CN" else "English")],
        summary=summary, sections=[], lang=lang)
    for i, provider in enumerate(wanted):
        yield Progress(i / (len(wanted) + 1), t("Drawing section {n} of {total}…", lang=lang, n=i + 1,
                                                total=len(wanted)), "report")
        report.sections.append(provider.section(session, lang))
    report.sections.append(_reproducibility_section(session, wanted, lang))
    return report


def _missing_glyphs(report: Report, caught: list) -> set[str]:
    """Characters no shipped font can draw: in the report's text, and in its figures (matplotlib
    warns "Glyph … missing from font(s)" while drawing them)."""
    import re

    from engine.core.fonts import missing_glyphs

    texts = [report.title, *report.summary, *(f"{a} {b}" for a, b in report.meta)]
    for section in report.sections:
        texts.append(section.title)
        for block in section.blocks:
            texts += [getattr(block, "text", ""), getattr(block, "caption", "")]
            texts += getattr(block, "header", []) or []
            texts += [cell for row in (getattr(block, "rows", []) or []) for cell in row]
    missing = missing_glyphs("\n".join(str(t_) for t_ in texts))
    for warning in caught:
        found = re.search(r"Glyph \d+ \((.)\)", str(warning.message))
        if found:
            missing.add(found.group(1))
    return missing


def report_format(path: str | Path) -> str:
    fmt = FORMATS.get(Path(path).suffix.lower())
    if fmt is None:
        raise InputError("A report is saved as .pdf or .html, not {suffix!r}.", suffix=Path(path).suffix)
    return fmt


def write_report(session: Session, out_path: str | Path, providers: Sequence[SectionProvider],
                 sections: Iterable[str] | None = None, *, overwrite: bool = True, lang: str | None = None,
                 progress: ProgressFn = no_progress, token: CancelToken | None = None) -> Path:
    """``write_report_task`` driven to the end on this thread."""
    return run_task(write_report_task(session, out_path, providers, sections, overwrite=overwrite, lang=lang),
                    progress, token)


def write_report_task(session: Session, out_path: str | Path, providers: Sequence[SectionProvider],
                      sections: Iterable[str] | None = None, *, overwrite: bool = True,
                      lang: str | None = None) -> Task[Path]:
    """Build and write the report atomically: a failure leaves no file, an old file stays intact."""
    import warnings

    from engine.core.atomic import atomic_path
    from engine.core.output_paths import check_output

    out = Path(out_path)
    fmt = report_format(out)
    check_output(out, force=overwrite)  # the same refusals as every other write path, before any work
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        report = yield from build_report_task(session, providers, sections, lang=lang)
    missing = _missing_glyphs(report, caught)
    if missing:  # a report with holes must say so loudly, not just "saved"
        yield Progress(None, t("{n} characters in this report cannot be drawn with the app's fonts and will show as "
                               "empty boxes: {chars}", lang=report.lang, n=len(missing), chars=" ".join(sorted(missing))),
                       "notice", {"missing_glyphs": sorted(missing)})
    yield Progress(0.9, t("Writing {name}…", lang=report.lang, name=out.name), "report")
    try:
        with atomic_path(out, suffix=out.suffix) as tmp:
            if fmt == "pdf":
                from engine.report.pdf import render_pdf

                render_pdf(report, tmp)
            else:
                from engine.report.html import render_html

                tmp.write_text(render_html(report), encoding="utf-8")
    except OSError as exc:
        raise DataError("Could not write {name}: {reason}", name=str(out), reason=exc.strerror or exc) from exc
    yield Progress(1.0, t("Report saved: {name}", lang=report.lang, name=str(out)), "report")
    return out
