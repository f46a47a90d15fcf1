"""QApplication set-up (names, icon, the CJK font) and the process' leaving, for the app and its tests.

The start-up itself (window first, heavy work once it is visible) is ``gui.launcher``'s: this module
is imported by the workspaces' tests and benchmarks and imports no window of its own.
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Sequence

from PySide6.QtGui import QFont, QFontDatabase, QIcon
from PySide6.QtWidgets import QApplication

from engine import __version__

log = logging.getLogger(__name__)


def create_app(argv: Sequence[str] | None = None) -> QApplication:
    """The QApplication (reused if one exists, as under pytest-qt), with names and icon set."""
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    app = QApplication.instance() or QApplication(list(argv or [sys.argv[0]]))
    app.setApplicationName("DeepMine Workbench")
    app.setOrganizationName("DeepMine")
    app.setApplicationVersion(__version__)
    from gui.common.i18n import assets_dir

    icon = assets_dir() / "icons" / "deepmine.png"
    if icon.exists():
        app.setWindowIcon(QIcon(str(icon)))
    _install_cjk_font(app)
    return app


def _install_cjk_font(app: QApplication) -> None:
    """Chinese in widgets even without a system CJK font: register the app's CJK font file (the
    one plots and PDFs use, from ``engine.core.fonts``) and make it the fallback after the
    default family. Once per process."""
    if app.property("deepmine_cjk_family"):
        return
    from engine.core.fonts import cjk_font

    try:
        family, path, _ = cjk_font()
    except FileNotFoundError as exc:
        log.error("Chinese text may show as boxes: %s", exc)
        return
    font_id = QFontDatabase.addApplicationFont(str(path))
    loaded = QFontDatabase.applicationFontFamilies(font_id) if font_id >= 0 else []
    if not loaded:
        log.warning("Qt could not load the CJK font %s", path)
        return
    cjk = family if family in loaded else loaded[0]
    font = app.font()
    default = font.family()
    QFont.insertSubstitution(default, cjk)  # any widget font naming the default family falls back
    font.setFamilies([default, cjk])
    app.setFont(font)
    app.setProperty("deepmine_cjk_family", cjk)


def finish(code: int) -> int:
    """Leave once the window has closed. The window's process holds no TensorFlow (its worker
    does), so an ordinary exit is quick; the worker is told to stop, and ended if it has not
    within a few seconds (a job stuck in a library call cannot hold the app open)."""
    from engine.worker import stop_worker

    stop_worker()
    logging.shutdown()
    return code
