"""The drawing widget: anti-aliased strokes kept as geometry, so the picture the network gets
does not depend on the window size or the screen's pixel ratio.

Drawing is incremental: two pictures are kept (what the screen shows, and the 280×280 picture the
network gets) and each mouse move paints only its new segment onto both, so the work per move
stays the same however long the drawing gets (re-rendering every stroke on each move cost 0.4 s
per move after 30 strokes of scribble). A resize, undo, clear or loaded image re-renders once.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PySide6.QtCore import QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (QColor, QImage, QMouseEvent, QPainter, QPaintEvent, QPen, QTabletEvent)
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
        self._screen: QImage | None = None  # the drawing as shown (dark ink on white), square side × pixel ratio
        self._model: QImage | None = None  # the drawing at REFERENCE_SIZE, white ink on black

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
        self._invalidate()
        self.cleared.emit()

    def undo(self) -> None:
        if self.strokes:
            self.strokes.pop()
        elif self.background is not None:
            self.background = None
        self._invalidate()
        self.strokeFinished.emit()

    def _invalidate(self) -> None:
        """The kept pictures no longer match the strokes: re-render them once, at the next use."""
        self._screen = self._model = None
        self.update()

    def set_image(self, image: np.ndarray) -> None:
        """Show an image (e.g. a misclassified test digit or a dropped file) as the drawing."""
        self.strokes.clear()
        self.background = np.asarray(image, dtype=np.float32)
        if self.background.max(initial=0) > 1.0:
            self.background = self.background / 255.0
        self._invalidate()
        self.strokeFinished.emit()

    def set_placeholder(self, text: str) -> None:
        self.placeholder = text
        self.update()

    # -- rendering -----------------------------------------------------------------------
    def _paint_segment(self, painter: QPainter, side: float, width: float, a: QPointF, b: QPointF | None) -> None:
        """One piece of a stroke: a dot (``b`` None) or the line from ``a`` to ``b``, in unit coordinates."""
        painter.setPen(QPen(painter.pen().color(), width * side / REFERENCE_SIZE, Qt.PenStyle.SolidLine,
                            Qt.PenCapStyle.RoundCap, Qt.PenJoinStyle.RoundJoin))
        if b is None:
            painter.drawPoint(QPointF(a.x() * side, a.y() * side))
        else:
            painter.drawLine(QPointF(a.x() * side, a.y() * side), QPointF(b.x() * side, b.y() * side))

    def _painter(self, image: QImage, ink: QColor, side: float) -> QPainter:
        """A painter on a kept picture that adds ink without darkening the overlaps of segments: the
        picture equals the strokes drawn as whole paths, to the anti-aliased rim."""
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.setCompositionMode(QPainter.CompositionMode.CompositionMode_Lighten if ink.lightness() > 127
                                   else QPainter.CompositionMode.CompositionMode_Darken)
        painter.setPen(QPen(ink))
        return painter

    def _render(self, size: int, ratio: float, ink: QColor, paper: QColor, invert: bool) -> QImage:
        """The whole drawing (loaded image and every stroke) on a new picture of ``size`` logical pixels."""
        image = QImage(round(size * ratio), round(size * ratio), QImage.Format.Format_RGB32)
        image.setDevicePixelRatio(ratio)
        image.fill(paper)
        bg = self._background_image(round(size * ratio), invert=invert)
        if bg is not None:
            with_bg = QPainter(image)
            with_bg.scale(1 / ratio, 1 / ratio)
            with_bg.drawImage(QPointF((image.width() - bg.width()) / 2, (image.height() - bg.height()) / 2), bg)
            with_bg.end()
        painter = self._painter(image, ink, size)
        for width, points in self.strokes:
            self._paint_segment(painter, float(size), width, points[0], None)
            for a, b in zip(points, points[1:]):
                self._paint_segment(painter, float(size), width, a, b)
        painter.end()
        return image

    def _add_to_pictures(self, width: float, a: QPointF, b: QPointF | None) -> None:
        """Paint one new segment onto the kept pictures (the rest of the drawing is already there)."""
        for image, ink in ((self._screen, QColor("#111111")), (self._model, QColor(255, 255, 255))):
            if image is None:
                continue
            side = image.width() / image.devicePixelRatio()
            painter = self._painter(image, ink, side)
            self._paint_segment(painter, side, width, a, b)
            painter.end()

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
        if size == REFERENCE_SIZE:
            if self._model is None:
                self._model = self._render(size, 1.0, QColor(255, 255, 255), QColor(0, 0, 0), invert=False)
            image = self._model
        else:
            image = self._render(size, 1.0, QColor(255, 255, 255), QColor(0, 0, 0), invert=False)
        grey = image.convertToFormat(QImage.Format.Format_Grayscale8)
        a = np.frombuffer(grey.constBits(), dtype=np.uint8).reshape(size, grey.bytesPerLine())[:, :size]
        return a.copy()

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.fillRect(self.rect(), self.palette().window())
        sq = self.square()
        side, ratio = int(sq.width()), self.devicePixelRatioF()
        if self._screen is None or self._screen.width() != round(side * ratio) or \
                self._screen.devicePixelRatio() != ratio:
            self._screen = self._render(side, ratio, QColor("#111111"), QColor("white"), invert=True)
        painter.drawImage(sq.topLeft(), self._screen)
        painter.setPen(QPen(QColor("#9aa0a6"), 1))
        painter.drawRect(sq)
        if self.is_blank() and self.placeholder:
            painter.setPen(QColor("#80868b"))
            painter.drawText(sq.adjusted(16, 16, -16, -16), Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap,
                             self.placeholder)
        painter.end()

    # -- input ---------------------------------------------------------------------------
    def _begin(self, pos: QPointF) -> None:
        self._drawing = True
        point = self._to_unit(pos)
        self.strokes.append((self.pen_width, [point]))
        self._add_to_pictures(self.pen_width, point, None)
        self.update()
        self.strokeStarted.emit()

    def _extend(self, pos: QPointF) -> None:
        if self._drawing and self.strokes:
            width, points = self.strokes[-1]
            point = self._to_unit(pos)
            self._add_to_pictures(width, points[-1], point)
            points.append(point)
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
