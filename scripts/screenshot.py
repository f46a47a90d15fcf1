"""Screenshots of the real app on a virtual X screen (run under xvfb-run; see screenshot.sh).

    xvfb-run -a -s "-screen 0 1280x800x24" .venv/bin/python scripts/screenshot.py \
        --size 1280x800 --tab digits --draw --out build/screens/digits.png

Waits for the digit model (use a DEEPMINE_HOME with a cached model), optionally draws a
digit with real mouse events, opens and mines an example table in Tables, lets the event loop
settle, then grabs the whole screen. The window closes without asking about unsaved work.

    xvfb-run -a -s "-screen 0 1280x800x24" .venv/bin/python scripts/screenshot.py \
        --tab tables --table boston --mine --lang zh_CN --out docs/screenshots/tables-zh.png
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
TAB_INDEX = {"digits": 0, "houses": 1, "tables": 2, "compare": 3, "lab": 4}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", default="1280x800")
    parser.add_argument("--tab", default="digits", help="digits | houses | tables | compare | lab | an index")
    parser.add_argument("--page", default=None, help="inner page of the tab: its text (e.g. Training) or index")
    parser.add_argument("--draw", action="store_true", help="draw a digit on the canvas")
    parser.add_argument("--lang", default=None)
    parser.add_argument("--settle", type=float, default=2.0)
    parser.add_argument("--action", default=None, help="objectName of a QAction to trigger (dialog screenshots)")
    parser.add_argument("--compare", default=None, help="run this Compare preset first (quick, full, tiny)")
    parser.add_argument("--table", default=None, help="open this example table in Tables (boston, diabetes, wine, "
                                                      "breast_cancer, california) or this file")
    parser.add_argument("--mine", action="store_true", help="mine the --table (in the TensorFlow worker)")
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    os.environ.setdefault("QT_QPA_PLATFORM", "xcb")

    from PySide6.QtCore import QTimer
    from PySide6.QtGui import QAction
    from PySide6.QtWidgets import QApplication

    from gui.common.app import create_app
    from gui.common.i18n import install_translators, preferred_language

    app = create_app()
    lang = args.lang or preferred_language()
    if args.lang:
        os.environ["DEEPMINE_LANG"] = args.lang
    install_translators(app, lang)
    from gui.main_window import MainWindow

    window = MainWindow()
    window.projects.unsaved_prompt = lambda: "discard"  # a modal question nobody answers would hang the run
    window.projects.recovery_prompt = lambda offer: False
    w, h = (int(v) for v in args.size.split("x"))
    window.move(0, 0)
    window.resize(w, h)
    window.show()
    window.start_background_work()
    deadline = time.monotonic() + 600
    _wait(app, window.isDigitModelReady, deadline)
    _wait(app, lambda: window.lab_tab is not None, deadline)  # the other workspaces are built after the digits'
    tabs = window.tabs
    tabs.setCurrentIndex(TAB_INDEX.get(args.tab, int(args.tab) if args.tab.isdigit() else 0))
    if args.compare:
        done: list[bool] = []
        window.compare_tab.comparisonFinished.connect(lambda: done.append(True))
        window.compare_tab.run(args.compare)
        _wait(app, lambda: bool(done), deadline)
    if args.table and not _open_table(app, window.tables_tab, args.table, args.mine, deadline):
        return 1
    if args.page:
        current = tabs.currentWidget()
        for inner in current.findChildren(type(tabs)):
            for i in range(inner.count()):
                if inner.tabText(i).replace("&", "") == args.page or args.page == str(i):
                    inner.setCurrentIndex(i)
    if args.draw:
        from gui.common.automation import draw_strokes

        three = [[(0.3, 0.22), (0.5, 0.15), (0.68, 0.25), (0.62, 0.42), (0.45, 0.48), (0.64, 0.55),
                  (0.7, 0.72), (0.52, 0.85), (0.3, 0.8)]]
        draw_strokes(window.digit_tab.canvas, three)
    end = time.monotonic() + args.settle
    while time.monotonic() < end:
        app.processEvents()
        time.sleep(0.02)
    if args.action:
        action = window.findChild(QAction, args.action)
        QTimer.singleShot(int(args.settle * 1000), lambda: _grab(app, args.out, quit_app=True))
        action.trigger()
        return 0
    _grab(app, args.out)
    window.close()
    from gui.common.app import finish

    return finish(0)  # ends the TensorFlow worker too


def _wait(app, done, deadline: float) -> None:
    while not done() and time.monotonic() < deadline:
        app.processEvents()
        time.sleep(0.02)


def _open_table(app, tables, example: str, mine: bool, deadline: float) -> bool:
    """Open an example table (or a file) in the Tables workspace and, if asked, mine it; False
    (with the reason printed) when either fails."""
    ended: list[str] = []
    tables.tableOpened.connect(lambda: ended.append(""))
    tables.fileError.connect(ended.append)
    tables.modal_errors = False
    if Path(example).is_file():
        tables.open_path(example)
    else:
        tables.open_example(example)
    _wait(app, lambda: bool(ended), deadline)
    if not ended or ended[0]:
        print(f"the example table {example} did not open: {ended[0] if ended else 'timed out'}", file=sys.stderr)
        return False
    if not mine:
        return True
    mined: list[bool] = []
    said: list[str] = []
    tables.mined.connect(lambda: mined.append(True))
    tables.statusMessage.connect(said.append)  # the failure's reason, or "The table is mined."
    tables.mine()
    _wait(app, lambda: bool(mined) or bool(said), deadline)
    _wait(app, lambda: bool(mined), min(deadline, time.monotonic() + 1))  # mined follows its message
    if not mined:
        print(f"mining {example} failed: {said[0] if said else 'timed out'}", file=sys.stderr)
        return False
    return True


def _grab(app, out: str, quit_app: bool = False) -> None:
    Path(out).parent.mkdir(parents=True, exist_ok=True)
    app.primaryScreen().grabWindow(0).save(out)
    print(out)
    if quit_app:
        for w in app.topLevelWidgets():
            w.close()
        app.quit()


if __name__ == "__main__":
    sys.exit(main())
