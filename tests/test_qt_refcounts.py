"""Guards the Qt binding against a refcount bug that crashes a long session.

PySide6 6.12.0 drops a reference to ``None`` on every C++ signal → Python slot call; after
some thousand clicks, key presses or timer ticks the interpreter aborts ("deallocating
None"). The soak benchmark found it. This fails on such a binding.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QTimer


def test_slots_called_from_qt_signals_keep_none_alive(qapp) -> None:
    calls = []
    timer = QTimer()
    timer.setSingleShot(True)
    timer.setInterval(0)
    timer.timeout.connect(lambda: calls.append(1))
    timer.start()
    qapp.processEvents()  # warm up
    before = sys.getrefcount(None)
    for _ in range(300):
        timer.start()
        qapp.processEvents()
    assert len(calls) == 301
    assert sys.getrefcount(None) - before > -50, "each slot call loses a reference to None"
