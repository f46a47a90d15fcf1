"""28×28 digit arrays as Qt images: thumbnails, icons and the network view (input + saliency)."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtGui import QIcon, QImage, QPixmap
from PySide6.QtWidgets import QGridLayout, QLabel, QSizePolicy, QWidget


def digit_pixmap(image28: np.ndarray, size: int = 56) -> QPixmap:
    """Dark ink on white, as the person drew it."""
    a = np.ascontiguousarray(255 - np.clip(np.asarray(image28) * 255, 0, 255).astype(np.uint8))
    img = QImage(a.data, a.shape[1], a.shape[0], a.strides[0], QImage.Format.Format_Grayscale8).copy()
    return QPixmap.fromImage(img).scaled(size, size, Qt.AspectRatioMode.KeepAspectRatio,
                                         Qt.TransformationMode.FastTransformation)


def digit_icon(image28: np.ndarray, size: int = 56) -> QIcon:
    return QIcon(digit_pixmap(image28, size))


def heat_overlay(image28: np.ndarray, saliency: np.ndarray | None) -> np.ndarray:
    """RGB uint8: the digit faded to grey with the saliency as red heat on top."""
    from scipy.ndimage import gaussian_filter

    base = 1.0 - 0.45 * np.clip(np.asarray(image28, np.float32), 0, 1)
    rgb = np.repeat(base[..., None], 3, axis=2)
    if saliency is not None:
        heat = gaussian_filter(np.asarray(saliency, np.float32), 0.8)
        heat = heat / heat.max() if heat.max() > 0 else heat
        alpha = (np.clip(heat, 0, 1) ** 1.5)[..., None]
        rgb = rgb * (1 - alpha) + np.array([0.85, 0.15, 0.1], np.float32) * alpha
    return np.ascontiguousarray((rgb * 255).astype(np.uint8))


class ScaledImage(QLabel):
    """A small image shown as large as the widget allows, pixels kept sharp."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setMinimumSize(84, 84)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self._image: QImage | None = None

    def set_array(self, array: np.ndarray | None) -> None:
        if array is None:
            self._image = None
            self.clear()
            return
        a = np.ascontiguousarray(array)
        if a.ndim == 2:
            a = np.ascontiguousarray((255 - np.clip(a * 255, 0, 255)).astype(np.uint8))
            self._image = QImage(a.data, a.shape[1], a.shape[0], a.strides[0], QImage.Format.Format_Grayscale8).copy()
        else:
            self._image = QImage(a.data, a.shape[1], a.shape[0], a.strides[0], QImage.Format.Format_RGB888).copy()
        self._rescale()

    def resizeEvent(self, event) -> None:  # noqa: N802
        super().resizeEvent(event)
        self._rescale()

    def _rescale(self) -> None:
        if self._image is None:
            return
        side = max(28, min(self.width(), self.height()) - 4)
        self.setPixmap(QPixmap.fromImage(self._image).scaled(side, side, Qt.AspectRatioMode.KeepAspectRatio,
                                                             Qt.TransformationMode.FastTransformation))


class NetworkView(QWidget):
    """What the network received (28×28) and where it looked (saliency), side by side.

    Plain images rather than matplotlib: this updates on every prediction and must cost
    about a millisecond, not the ~100 ms of a figure redraw.
    """

    def __init__(self, input_title: str, heat_title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("networkView")
        self.input_image = ScaledImage(self)
        self.heat_image = ScaledImage(self)
        self.heat_image.setObjectName("saliencyImage")
        grid = QGridLayout(self)
        for col, (title, image) in enumerate(((input_title, self.input_image), (heat_title, self.heat_image))):
            label = QLabel(title, self)
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
            grid.addWidget(label, 0, col)
            grid.addWidget(image, 1, col)
        grid.setRowStretch(1, 1)
        self._saliency_shown = False

    def add_column(self, title: str, widget: QWidget) -> None:
        """One more view beside the two (e.g. the pen-path network's)."""
        grid = self.layout()
        col = grid.columnCount()
        label = QLabel(title, self)
        label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        label.setWordWrap(True)
        grid.addWidget(label, 0, col)
        grid.addWidget(widget, 1, col)

    def has_saliency(self) -> bool:
        """True while a saliency map (not only the input) is on screen."""
        return self._saliency_shown

    def show_images(self, image28: np.ndarray | None, saliency: np.ndarray | None) -> None:
        self._saliency_shown = image28 is not None and saliency is not None
        self.input_image.set_array(image28)
        self.heat_image.set_array(None if image28 is None else heat_overlay(image28, saliency))
