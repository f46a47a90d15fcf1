"""Drive the digit canvas with real mouse events (self-test, acceptance tests, benchmarks).

Imports nothing of the app beyond Qt, so the self-test can use it without a cycle back to the start-up.

The events go through Qt's normal delivery, so they exercise exactly the path a person's
mouse takes: press, moves with the left button held, release.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from PySide6.QtCore import QEvent, QPointF, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QApplication, QWidget

# A "7" in unit-square coordinates, for smoke tests that have no evaluation data.
SEVEN = [[(0.28, 0.22), (0.5, 0.22), (0.72, 0.22), (0.62, 0.42), (0.52, 0.62), (0.44, 0.8)]]


def _send(widget: QWidget, kind: QEvent.Type, pos: QPointF, button: Qt.MouseButton,
          buttons: Qt.MouseButton) -> None:
    global_pos = QPointF(widget.mapToGlobal(pos.toPoint()))
    event = QMouseEvent(kind, pos, global_pos, button, buttons, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(widget, event)


def draw_strokes(canvas: QWidget, strokes: Iterable[Sequence[tuple[float, float]]]) -> None:
    """Each stroke: points in [0, 1]² of the canvas' drawing square; one press/release each."""
    square = canvas.square()
    left = Qt.MouseButton.LeftButton
    none = Qt.MouseButton.NoButton
    for stroke in strokes:
        pts = [QPointF(square.x() + float(x) * square.width(), square.y() + float(y) * square.height())
               for x, y in stroke]
        if not pts:
            continue
        _send(canvas, QEvent.Type.MouseButtonPress, pts[0], left, left)
        for p in pts[1:]:
            _send(canvas, QEvent.Type.MouseMove, p, none, left)
        _send(canvas, QEvent.Type.MouseButtonRelease, pts[-1], left, none)
