"""Whole-app scenarios run in a fresh process by the fault suite (tests) and the benchmarks.

They drive the real window through its public API and signals; the app itself carries no
benchmark or test mode.
"""

from __future__ import annotations


def close_while_training(epochs: int = 50) -> None:
    """Open the app offline, train a model (the fallback when no model loads, else one started
    from the panel) and close the window as soon as its first batch has run. Prints ``closing
    <time>`` just before closing; the caller measures how long the process takes to exit.

    Run it as ``python -c "from bench.scenarios import close_while_training; close_while_training()"``.
    """
    import sys
    import time

    from PySide6.QtCore import QTimer

    from engine.digits.models import DigitParams
    from engine.digits.service import DigitSettings
    from gui.common.app import create_app, finish
    from gui.main_window import MainWindow, WindowOptions

    app = create_app()
    params = DigitParams(epochs=epochs)
    window = MainWindow(options=WindowOptions(digits=DigitSettings("offline", False, params), modal_errors=False))
    window.projects.unsaved_prompt = lambda: "discard"  # a script: nobody to answer "save your work?"
    window.projects.recovery_prompt = lambda offer: False
    tab = window.digit_tab

    def close() -> None:
        print("training", flush=True)
        print("closing", time.time(), flush=True)
        window.close()
        app.quit()

    tab.trainingStarted.connect(lambda: QTimer.singleShot(0, close))
    tab.modelReady.connect(lambda: tab.start_training(params, "offline", None))
    window.show()
    window.start_background_work()
    sys.exit(finish(app.exec()))  # what gui.launcher.run_gui does after the event loop
