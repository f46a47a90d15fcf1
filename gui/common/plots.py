"""The one embedded-figure helper every plot uses: a matplotlib canvas that fits the layout."""

from __future__ import annotations

from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg
from matplotlib.figure import Figure
from PySide6.QtWidgets import QSizePolicy, QWidget

from engine.core.fonts import configure_matplotlib


class PlotCanvas(FigureCanvasQTAgg):
    """A figure embedded in a widget; call ``redraw()`` after changing ``self.figure``.

    Fonts are set up once (CJK fallback) so translated titles never render as boxes.
    """

    def __init__(self, parent: QWidget | None = None, width: float = 4.0, height: float = 3.0,
                 dpi: int = 100) -> None:
        configure_matplotlib()
        figure = Figure(figsize=(width, height), dpi=dpi, layout="constrained")
        super().__init__(figure)
        self.setParent(parent)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(160, 120)

    def clear(self):
        """Empty the figure and return a fresh single Axes."""
        self.figure.clear()
        return self.figure.add_subplot(111)

    def redraw(self) -> None:
        """Draw soon — or, while hidden (another tab), when next shown: an Agg render of a
        hidden figure would cost the GUI thread 50–300 ms for nothing."""
        if self.isVisible():
            self.draw_idle()
        else:
            self._stale = True

    def showEvent(self, event) -> None:  # noqa: N802
        super().showEvent(event)
        if getattr(self, "_stale", False):
            self._stale = False
            self.draw_idle()
