"""The composition root: which workspaces the app has, in order. The only engine module that
knows every domain, so the report, the CLI and the GUI can stay ignorant of them."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from engine.core.session import Session
from engine.core.tasks import CancelToken, ProgressFn, no_progress
from engine.compare import report_section as compare_report
from engine.digits import report_section as digits_report
from engine.houses import report_section as houses_report
from engine.lab import report_section as lab_report
from engine.tables import report_section as tables_report
from engine.core.tasks import Task, run_task
from engine.report.document import SectionProvider, write_report_task

REPORT_SECTIONS: tuple[SectionProvider, ...] = (
    SectionProvider("digits", digits_report.digits_section, digits_report.digits_summary,
                    digits_report.digits_reproducibility),
    SectionProvider("houses", houses_report.houses_section, houses_report.houses_summary,
                    houses_report.houses_reproducibility),
    SectionProvider("tables", tables_report.tables_section, tables_report.tables_summary),
    SectionProvider("lab", lab_report.lab_section, lab_report.lab_summary),
    SectionProvider("compare", compare_report.compare_section, compare_report.compare_summary),
)
SECTION_KEYS = tuple(p.key for p in REPORT_SECTIONS)


def write_workbench_report(session: Session, out_path: str | Path, sections: Iterable[str] | None = None, *,
                           overwrite: bool = True, lang: str | None = None, progress: ProgressFn = no_progress,
                           token: CancelToken | None = None) -> Path:
    """The app's report: every workspace's section the person chose, in the app's order."""
    return run_task(workbench_report_task(session, out_path, sections, overwrite=overwrite, lang=lang), progress, token)


def workbench_report_task(session: Session, out_path: str | Path, sections: Iterable[str] | None = None, *,
                          overwrite: bool = True, lang: str | None = None) -> Task[Path]:
    return (yield from write_report_task(session, out_path, REPORT_SECTIONS, sections, overwrite=overwrite,
                                         lang=lang))


def project_parts() -> tuple:
    """Each workspace's part of a ``.deepmine`` project (``engine.project.part.PartProvider``), in the
    order they are restored; the project format itself knows none of them."""
    from engine.project.parts import compare, digits, houses, lab, tables

    return tuple(p for p in (digits.PROVIDER, houses.PROVIDER, tables.PROVIDER, lab.PROVIDER, compare.PROVIDER)
                 if p is not None)
