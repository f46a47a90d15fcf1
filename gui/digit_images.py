"""Small helpers turning 28×28 digit arrays into Qt images and icons."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtGui import QIcon, QImage, QPixmap


def digit_pixmap(image28: np.ndarray, size: int = 56) -> QPixmap:
    """Dark ink on white, as the person drew it."""
    a = np.ascontiguousarray(255 - np.clip(np.asarray(image28) * 255, 0, 255).astype(np.uint8))
    img = QImage(a.data, a.shape[1], a.shape[0], a.strides[0], QImage.Format.Format_Grayscale8).copy()
    return QPixmap.fromImage(img).scaled(size, size, Qt.AspectRatioMode.KeepAspectRatio,
                                         Qt.TransformationMode.FastTransformation)


def digit_icon(image28: np.ndarray, size: int = 56) -> QIcon:
    return QIcon(digit_pixmap(image28, size))
