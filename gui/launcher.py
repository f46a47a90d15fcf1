"""Entry point of the ``deepmine`` script: the GUI without arguments, the CLI with a command.

Kept free of Qt and TensorFlow imports at module level so ``deepmine --help`` answers at once; the
GUI's start (``run_gui``) lives here, above the window and the self-test it opens, so nothing the
window imports leads back to the start-up.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence

GUI_FLAGS = {"--self-test", "gui"}


def main(argv: Sequence[str] | None = None) -> int:
    # In the packaged app a spawned worker process (the Compare workspace's) re-runs this executable:
    # freeze_support() turns that run into the worker and never returns. A no-op everywhere else.
    import multiprocessing

    multiprocessing.freeze_support()
    args = list(sys.argv[1:] if argv is None else argv)
    # Language and verbosity options alone still open the GUI: `deepmine --lang zh_CN -v`.
    rest = _without_gui_options(args)
    if not rest or rest[0] in GUI_FLAGS:
        # Before Qt is loaded: no display, or Qt's X11 plugin missing system libraries, is one
        # line and exit 2, never Qt's abort (the self-test runs offscreen: it needs neither).
        problem = None
        if "--self-test" not in args:
            from gui.platform_check import platform_problem

            lang = _language(args)
            problem = _no_display(lang) or platform_problem(lang)
        if problem:
            print(problem, file=sys.stderr)
            return 2
        return run_gui([a for a in args if a != "gui"])
    from engine.cli.main import main as cli_main

    return cli_main(args)


def run_gui(args: list[str]) -> int:
    """The window first; heavy work once the event loop runs, so the window is on screen before it.

    Start-up milestones are logged (``deepmine -v`` shows them; the benchmarks time them).
    """
    import logging

    verbose = "-v" in args or "--verbose" in args
    logging.basicConfig(level=logging.INFO if verbose else logging.WARNING)
    if verbose:  # the TensorFlow worker's native logs too, unfiltered (engine.core.native_quiet)
        os.environ.setdefault("DEEPMINE_NATIVE_LOGS", "1")
    if "--self-test" in args:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QTimer

    from gui.common.app import create_app, finish
    from gui.common.i18n import install_translators, preferred_language

    app = create_app([sys.argv[0]])
    install_translators(app, _lang_option(args) or preferred_language())
    if "--self-test" in args:
        from gui.self_test import run_self_test

        return run_self_test(app)

    from gui.main_window import MainWindow

    log = logging.getLogger("gui.startup")
    window = MainWindow(build_workspaces=False)  # the frame first; workspaces once it is visible
    window.show()
    QTimer.singleShot(0, lambda: log.info("start-up: window shown"))
    window.workspacesBuilt.connect(lambda: QTimer.singleShot(0, lambda: log.info("start-up: workspaces shown")))
    window.digitModelReady.connect(lambda: log.info("start-up: digit model ready"))
    QTimer.singleShot(0, window.start_background_work)
    return finish(app.exec())


def _no_display(lang: str | None = None) -> str | None:
    """On Linux without X11 or Wayland, Qt would abort with a page of plugin errors: say it in one line."""
    if not sys.platform.startswith("linux") or os.environ.get("QT_QPA_PLATFORM"):
        return None
    if os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"):
        return None
    from engine.core.i18n import t

    return t("deepmine: no display to open the window on (neither DISPLAY nor WAYLAND_DISPLAY is set). "
             "Start it from a desktop session, or use the command line: deepmine --help", lang=lang)


def _lang_option(args: list[str]) -> str | None:
    for i, arg in enumerate(args):
        if arg == "--lang" and i + 1 < len(args):
            return args[i + 1]
        if arg.startswith("--lang="):
            return arg.split("=", 1)[1]
    return None


def _language(args: list[str]) -> str:
    """The language of a message printed before the app (and its translators) exist."""
    from engine.core.i18n import normalize, system_language

    asked = _lang_option(args)
    return normalize(asked) if asked else system_language()


def _without_gui_options(args: list[str]) -> list[str]:
    """``args`` less ``--lang X`` / ``--lang=X`` and ``-v`` / ``--verbose``, which the GUI takes too."""
    rest: list[str] = []
    skip = False
    for arg in args:
        if skip:
            skip = False
        elif arg == "--lang":
            skip = True
        elif not arg.startswith("--lang=") and arg not in ("-v", "--verbose"):
            rest.append(arg)
    return rest


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
