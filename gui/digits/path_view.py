"""The pen-path network's view of a drawing: the resampled path, each point coloured by how much
it mattered to that network's answer (occlusion), pen lifts left open. Painted directly: 64 points
cost far less than a figure redraw, and this updates on every drawing."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

LOW, HIGH = QColor(200, 200, 200), QColor(214, 39, 40)  # unimportant grey → important red


def _colour(weight: float) -> QColor:
    w = float(np.clip(weight, 0.0, 1.0))
    return QColor(round(LOW.red() + (HIGH.red() - LOW.red()) * w), round(LOW.green() + (HIGH.green() - LOW.green()) * w),
                  round(LOW.blue() + (HIGH.blue() - LOW.blue()) * w))


class PathView(QWidget):
    """Shows ``engine.digits.online_recogniser.PathImportance`` (or nothing)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("penPathView")
        self.setMinimumSize(96, 96)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self._path = None

    def show_path(self, path) -> None:
        self._path = path
        self.update()

    def has_path(self) -> bool:
        return self._path is not None

    def paintEvent(self, event) -> None:  # noqa: N802
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        side = min(self.width(), self.height())
        box = QRectF((self.width() - side) / 2, (self.height() - side) / 2, side, side)
        painter.fillRect(box, Qt.GlobalColor.white)
        if self._path is None:
            return
        points = np.asarray(self._path.points, np.float64)
        lo, hi = points.min(axis=0), points.max(axis=0)
        scale = (side * 0.8) / max(float((hi - lo).max()), 1e-9)
        centre = (lo + hi) / 2
        xy = [QPointF(box.center().x() + (x - centre[0]) * scale, box.center().y() + (y - centre[1]) * scale)
              for x, y in points]
        weights, starts = self._path.importance, self._path.stroke_start
        for i in range(1, len(xy)):
            if starts[i]:
                continue  # the pen was lifted: no line across
            painter.setPen(QPen(_colour(max(weights[i - 1], weights[i])), max(2.0, side / 40),
                                Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap))
            painter.drawLine(xy[i - 1], xy[i])
        for point, weight in zip(xy, weights):
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(_colour(weight))
            painter.drawEllipse(point, side / 60 + 2 * weight, side / 60 + 2 * weight)
