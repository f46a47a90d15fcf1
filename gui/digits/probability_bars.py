"""The ten class probabilities as bars, painted by Qt.

It changes with every prediction while the person draws, so it must cost well under a
millisecond; a matplotlib redraw costs ~50 ms and showed up in the release → label latency.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

WINNER = QColor("#1a73e8")
OTHER = QColor("#8ab4f8")


class ProbabilityBars(QWidget):
    def __init__(self, title: str, x_label: str, y_label: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("probabilityBars")
        self.title, self.x_label, self.y_label = title, x_label, y_label
        self.probabilities = np.zeros(10)
        self.winner: int | None = None
        self.setMinimumSize(200, 140)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    def sizeHint(self) -> QSize:  # noqa: N802
        return QSize(420, 240)

    def set_probabilities(self, probabilities, winner: int | None = None) -> None:
        self.probabilities = np.clip(np.asarray(probabilities, dtype=float), 0, 1)
        self.winner = winner
        self.update()

    def paintEvent(self, event) -> None:  # noqa: N802
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        p.fillRect(self.rect(), QColor("white"))
        fm = p.fontMetrics()
        line = fm.height()
        left, right, top, bottom = 2.2 * line + fm.horizontalAdvance("1.0"), 10, 1.6 * line, 2.4 * line
        plot = QRectF(left, top, max(10, self.width() - left - right), max(10, self.height() - top - bottom))
        p.setPen(QColor("#202124"))
        p.drawText(QRectF(0, 0, self.width(), top), Qt.AlignmentFlag.AlignCenter, self.title)
        grid = QPen(QColor("#e0e0e0"))
        for k in range(6):  # 0.0 … 1.0
            y = plot.bottom() - plot.height() * k / 5
            p.setPen(grid)
            p.drawLine(int(plot.left()), int(y), int(plot.right()), int(y))
            p.setPen(QColor("#5f6368"))
            p.drawText(QRectF(0, y - line / 2, left - 4, line), Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                       f"{k / 5:.1f}")
        slot = plot.width() / 10
        for d in range(10):
            h = plot.height() * float(self.probabilities[d])
            bar = QRectF(plot.left() + d * slot + slot * 0.15, plot.bottom() - h, slot * 0.7, h)
            p.fillRect(bar, WINNER if d == self.winner else OTHER)
            p.setPen(QColor("#202124"))
            p.drawText(QRectF(plot.left() + d * slot, plot.bottom() + 2, slot, line), Qt.AlignmentFlag.AlignCenter,
                       str(d))
        p.setPen(QColor("#5f6368"))
        p.drawRect(plot)
        p.drawText(QRectF(plot.left(), plot.bottom() + line, plot.width(), line * 1.3), Qt.AlignmentFlag.AlignCenter,
                   self.x_label)
        p.save()
        p.translate(line * 0.2, plot.center().y())
        p.rotate(-90)
        p.drawText(QRectF(-plot.height() / 2, 0, plot.height(), line), Qt.AlignmentFlag.AlignCenter, self.y_label)
        p.restore()
        p.end()
