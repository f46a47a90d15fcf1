"""Entry point of the ``deepmine`` script: the GUI without arguments, the CLI with a command.

Kept free of Qt and TensorFlow imports so ``deepmine --help`` answers at once.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence

GUI_FLAGS = {"--self-test", "--startup-probe", "gui"}


def main(argv: Sequence[str] | None = None) -> int:
    # In the packaged app a spawned worker process (the Compare workspace's) re-runs this executable:
    # freeze_support() turns that run into the worker and never returns. A no-op everywhere else.
    import multiprocessing

    multiprocessing.freeze_support()
    args = list(sys.argv[1:] if argv is None else argv)
    rest = [a for a in args if not a.startswith("--lang")]
    # A bare language option still opens the GUI: `deepmine --lang zh_CN`.
    if not rest or rest[0] in GUI_FLAGS or _only_lang(args):
        problem = _no_display() if "--self-test" not in args else None
        if problem:
            print(problem, file=sys.stderr)
            return 2
        from gui.common.app import main as gui_main

        return gui_main([a for a in args if a != "gui"])
    from engine.cli.main import main as cli_main

    return cli_main(args)


def _no_display() -> str | None:
    """On Linux without X11 or Wayland, Qt would abort with a page of plugin errors: say it in one line."""
    if not sys.platform.startswith("linux") or os.environ.get("QT_QPA_PLATFORM"):
        return None
    if os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"):
        return None
    from engine.core.i18n import t

    return t("deepmine: no display to open the window on (neither DISPLAY nor WAYLAND_DISPLAY is set). "
             "Start it from a desktop session, or use the command line: deepmine --help")


def _only_lang(args: list[str]) -> bool:
    if args[:1] == ["--lang"] and len(args) == 2:
        return True
    return len(args) == 1 and args[0].startswith("--lang=")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
