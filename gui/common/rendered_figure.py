"""A matplotlib figure drawn on a worker thread and shown as a picture.

Why: rendering the Compare workspace's two-panel figures cost the GUI thread 150–550 ms each
time a result arrived (measured on two busy cores), so the window stuttered while a comparison
ran. Here the GUI thread only paints a finished image; building and rendering the figure happen
on the widget's own task owner, and a newer request supersedes an older one. A hidden widget
renders when it is next shown; a resize re-renders once the size settles.
"""

from __future__ import annotations

from collections.abc import Callable

from matplotlib.figure import Figure
from PySide6.QtCore import QTimer
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtWidgets import QSizePolicy, QWidget

from engine.core.figures import DrawnAxes, render_rgba
from engine.core.fonts import configure_matplotlib
from gui.common.tasks import TaskOwner

RENDER = "render"
RESIZE_SETTLE_MS = 150
Fill = Callable[[Figure], None]


class RenderedFigure(QWidget):
    """``show_figure(fill)``: ``fill(figure)`` adds the artists (on a worker thread: give it data
    and already translated texts, not widgets); once the picture is up, ``drawn`` says what each
    panel shows (title, number of lines)."""

    def __init__(self, parent: QWidget | None = None, dpi: float = 100.0) -> None:
        super().__init__(parent)
        configure_matplotlib()
        self.dpi = dpi
        self.drawn: list[DrawnAxes] = []
        self.tasks = TaskOwner(self)
        self._fill: Fill | None = None
        self._image: QImage | None = None
        self._stale = False
        self._settle = QTimer(self)
        self._settle.setSingleShot(True)
        self._settle.setInterval(RESIZE_SETTLE_MS)
        self._settle.timeout.connect(self._request)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(160, 120)

    def show_figure(self, fill: Fill) -> None:
        self._fill = fill
        self._request()

    def clear(self) -> None:
        """An empty white panel: nothing to show (a pending render is dropped)."""
        self.tasks.cancel(RENDER)
        self._fill, self._image, self.drawn, self._stale = None, None, [], False
        self.update()

    def shutdown(self, msecs: int = 3000) -> bool:
        return self.tasks.shutdown(msecs)

    def _request(self) -> None:
        if self._fill is None:
            return
        if not self.isVisible() or self.width() < 2 or self.height() < 2:
            self._stale = True
            return
        self._stale = False
        ratio = self.devicePixelRatioF()
        width, height = round(self.width() * ratio), round(self.height() * ratio)
        self.tasks.start(RENDER, render_rgba, self._fill, width, height, self.dpi * ratio,
                         on_done=lambda out, w=width, h=height, r=ratio: self._show(out, w, h, r))

    def _show(self, out: tuple[list[DrawnAxes], bytes], width: int, height: int, ratio: float) -> None:
        drawn, rgba = out
        image = QImage(rgba, width, height, QImage.Format.Format_RGBA8888).copy()  # own the pixels
        image.setDevicePixelRatio(ratio)
        self._image, self.drawn = image, drawn
        self.update()

    # -- Qt ------------------------------------------------------------------------------
    def paintEvent(self, event) -> None:  # noqa: N802
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor("white"))
        if self._image is not None:
            painter.drawImage(self.rect(), self._image)  # scaled for the moment a resize settles
        painter.end()

    def resizeEvent(self, event) -> None:  # noqa: N802
        super().resizeEvent(event)
        if self._fill is not None:
            self._settle.start()

    def showEvent(self, event) -> None:  # noqa: N802
        super().showEvent(event)
        if self._stale:
            self._request()
