"""The drawing widget: anti-aliased strokes kept as geometry, so the picture the network gets
does not depend on the window size or the screen's pixel ratio."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PySide6.QtCore import QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (QColor, QImage, QMouseEvent, QPainter, QPainterPath, QPaintEvent, QPen, QTabletEvent)
from PySide6.QtWidgets import QSizePolicy, QWidget

REFERENCE_SIZE = 280  # model image side in pixels; pen widths are given at this size
DEFAULT_PEN = 18.0
IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".bmp", ".gif", ".tif", ".tiff", ".webp"}


class DigitCanvas(QWidget):
    """Left button draws, right button clears. Strokes are stored in unit-square coordinates."""

    strokeStarted = Signal()
    strokeMoved = Signal()
    strokeFinished = Signal()
    cleared = Signal()
    imageDropped = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("digitCanvas")
        self.setMinimumSize(220, 220)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setAttribute(Qt.WidgetAttribute.WA_AcceptTouchEvents, True)
        self.setAcceptDrops(True)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setCursor(Qt.CursorShape.CrossCursor)
        self.pen_width = DEFAULT_PEN
        self.strokes: list[tuple[float, list[QPointF]]] = []  # (pen width at 280 px, points in [0, 1]²)
        self.background: np.ndarray | None = None  # a loaded image (ink bright), drawn under the strokes
        self.placeholder = ""
        self._drawing = False

    # -- geometry ------------------------------------------------------------------------
    def sizeHint(self) -> QSize:  # noqa: N802
        return QSize(320, 320)

    def square(self) -> QRectF:
        side = min(self.width(), self.height()) - 2
        return QRectF((self.width() - side) / 2, (self.height() - side) / 2, side, side)

    def _to_unit(self, pos: QPointF) -> QPointF:
        sq = self.square()
        return QPointF(min(max((pos.x() - sq.x()) / sq.width(), 0.0), 1.0),
                       min(max((pos.y() - sq.y()) / sq.height(), 0.0), 1.0))

    # -- state ---------------------------------------------------------------------------
    def is_blank(self) -> bool:
        return not self.strokes and self.background is None

    def clear(self) -> None:
        self.strokes.clear()
        self.background = None
        self._drawing = False
        self.update()
        self.cleared.emit()

    def undo(self) -> None:
        if self.strokes:
            self.strokes.pop()
        elif self.background is not None:
            self.background = None
        self.update()
        self.strokeFinished.emit()

    def set_image(self, image: np.ndarray) -> None:
        """Show an image (e.g. a misclassified test digit or a dropped file) as the drawing."""
        self.strokes.clear()
        self.background = np.asarray(image, dtype=np.float32)
        if self.background.max(initial=0) > 1.0:
            self.background = self.background / 255.0
        self.update()
        self.strokeFinished.emit()

    def set_placeholder(self, text: str) -> None:
        self.placeholder = text
        self.update()

    # -- rendering -----------------------------------------------------------------------
    def _paint_strokes(self, painter: QPainter, side: float, ink: QColor) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        for width, points in self.strokes:
            pen = QPen(ink, width * side / REFERENCE_SIZE, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap,
                       Qt.PenJoinStyle.RoundJoin)
            painter.setPen(pen)
            if len(points) == 1:
                painter.drawPoint(QPointF(points[0].x() * side, points[0].y() * side))
                continue
            path = QPainterPath(QPointF(points[0].x() * side, points[0].y() * side))
            for p in points[1:]:
                path.lineTo(p.x() * side, p.y() * side)
            painter.drawPath(path)

    def _background_image(self, size: int, invert: bool) -> QImage | None:
        if self.background is None:
            return None
        a = np.clip(self.background * 255, 0, 255).astype(np.uint8)
        if invert:
            a = 255 - a
        a = np.ascontiguousarray(a)
        img = QImage(a.data, a.shape[1], a.shape[0], a.strides[0], QImage.Format.Format_Grayscale8).copy()
        return img.scaled(size, size, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation)

    def render_array(self, size: int = REFERENCE_SIZE) -> np.ndarray:
        """The drawing as a size×size uint8 array, ink bright on black: what preprocessing expects."""
        image = QImage(size, size, QImage.Format.Format_Grayscale8)
        image.fill(0)
        painter = QPainter(image)
        bg = self._background_image(size, invert=False)
        if bg is not None:
            painter.drawImage(QPointF((size - bg.width()) / 2, (size - bg.height()) / 2), bg)
        self._paint_strokes(painter, float(size), QColor(255, 255, 255))
        painter.end()
        ptr = image.constBits()
        a = np.frombuffer(ptr, dtype=np.uint8).reshape(size, image.bytesPerLine())[:, :size]
        return a.copy()

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.fillRect(self.rect(), self.palette().window())
        sq = self.square()
        painter.fillRect(sq, QColor("white"))
        painter.setPen(QPen(QColor("#9aa0a6"), 1))
        painter.drawRect(sq)
        painter.save()
        painter.translate(sq.topLeft())
        bg = self._background_image(int(sq.width()), invert=True)
        if bg is not None:
            painter.drawImage(QPointF((sq.width() - bg.width()) / 2, (sq.height() - bg.height()) / 2), bg)
        self._paint_strokes(painter, sq.width(), QColor("#111111"))
        painter.restore()
        if self.is_blank() and self.placeholder:
            painter.setPen(QColor("#80868b"))
            painter.drawText(sq.adjusted(16, 16, -16, -16), Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap,
                             self.placeholder)
        painter.end()

    # -- input ---------------------------------------------------------------------------
    def _begin(self, pos: QPointF) -> None:
        self._drawing = True
        self.strokes.append((self.pen_width, [self._to_unit(pos)]))
        self.update()
        self.strokeStarted.emit()

    def _extend(self, pos: QPointF) -> None:
        if self._drawing and self.strokes:
            self.strokes[-1][1].append(self._to_unit(pos))
            self.update()
            self.strokeMoved.emit()

    def _end(self) -> None:
        if self._drawing:
            self._drawing = False
            self.strokeFinished.emit()

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        if event.button() == Qt.MouseButton.LeftButton:
            self._begin(event.position())
        elif event.button() == Qt.MouseButton.RightButton:
            self.clear()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        if event.buttons() & Qt.MouseButton.LeftButton:
            self._extend(event.position())

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        if event.button() == Qt.MouseButton.LeftButton:
            self._extend(event.position())
            self._end()

    def tabletEvent(self, event: QTabletEvent) -> None:  # noqa: N802
        kind = event.type()
        if kind == QTabletEvent.Type.TabletPress:
            self._begin(event.position())
        elif kind == QTabletEvent.Type.TabletMove:
            self._extend(event.position())
        elif kind == QTabletEvent.Type.TabletRelease:
            self._end()
        event.accept()

    # -- drag and drop -------------------------------------------------------------------
    def dragEnterEvent(self, event) -> None:  # noqa: N802
        urls = event.mimeData().urls()
        if urls and Path(urls[0].toLocalFile()).suffix.lower() in IMAGE_SUFFIXES:
            event.acceptProposedAction()

    def dropEvent(self, event) -> None:  # noqa: N802
        urls = event.mimeData().urls()
        if urls:
            self.imageDropped.emit(urls[0].toLocalFile())
            event.acceptProposedAction()
