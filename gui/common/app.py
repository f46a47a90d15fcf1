"""QApplication set-up and ``main()``: the window first, heavy imports after it is visible."""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Sequence

from PySide6.QtCore import QTimer
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


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    logging.basicConfig(level=logging.INFO if "-v" in args else logging.WARNING)
    if "--self-test" in args:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    app = create_app([sys.argv[0]])
    from gui.common.i18n import install_translators, preferred_language

    lang = _arg_value(args, "--lang") or preferred_language()
    install_translators(app, lang)
    if "--self-test" in args:
        from gui.self_test import run_self_test

        return run_self_test(app)

    from gui.main_window import MainWindow

    window = MainWindow(build_workspaces=False)  # the frame first; workspaces once it is visible
    window.show()
    if "--startup-probe" in args:
        _probe_startup(app, window)
    # Heavy work (TensorFlow import, cached model load, first training) starts only once
    # the event loop runs, so the window is on screen before any of it.
    QTimer.singleShot(0, window.start_background_work)
    return finish(app.exec())


def finish(code: int) -> int:
    """Leave once the window has closed. The window's process holds no TensorFlow (its worker
    does), so an ordinary exit is quick; the worker is told to stop, and ended if it has not
    within a few seconds (a job stuck in a library call cannot hold the app open)."""
    from engine.worker import stop_worker

    stop_worker()
    logging.shutdown()
    return code


def _probe_startup(app: QApplication, window) -> None:
    """Print when the window is on screen and when the digit model is ready, then quit (benchmarks)."""
    import time

    started = float(os.environ.get("DEEPMINE_PROBE_T0", "0")) or None

    def stamp(event: str) -> None:
        now = time.time()
        print(f"probe {event} {now - started if started else now:.3f}", flush=True)

    QTimer.singleShot(0, lambda: stamp("window_shown"))
    window.workspacesBuilt.connect(lambda: QTimer.singleShot(0, lambda: stamp("workspaces_shown")))

    def ready() -> None:
        stamp("digit_model_ready")
        QTimer.singleShot(0, window.close)

    window.digitModelReady.connect(ready)


def _arg_value(args: list[str], name: str) -> str | None:
    for i, arg in enumerate(args):
        if arg == name and i + 1 < len(args):
            return args[i + 1]
        if arg.startswith(name + "="):
            return arg.split("=", 1)[1]
    return None
