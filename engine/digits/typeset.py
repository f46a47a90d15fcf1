"""Typeset digits, drawn from the fonts matplotlib ships, as extra training material.

MNIST was written by American census staff and students: its 1s are bare strokes and its
9s have straight tails. Many people write a 1 with a flag and a foot and a 9 with a curved
tail, as typefaces do. A few hundred typeset digits, passed through the same preprocessing
as the canvas and then augmented like everything else, teach the network those shapes
without touching any evaluation data.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from engine.digits.preprocess import preprocess_canvas

FONT_FILES = [
    "DejaVuSans.ttf", "DejaVuSans-Bold.ttf", "DejaVuSans-Oblique.ttf", "DejaVuSans-BoldOblique.ttf",
    "DejaVuSansMono.ttf", "DejaVuSansMono-Bold.ttf", "DejaVuSansMono-Oblique.ttf",
    "DejaVuSerif.ttf", "DejaVuSerif-Bold.ttf", "DejaVuSerif-Italic.ttf",
    "STIXGeneral.ttf", "STIXGeneralBol.ttf", "STIXGeneralItalic.ttf",
    "cmr10.ttf", "cmss10.ttf", "cmtt10.ttf", "cmb10.ttf", "cmti10.ttf",
]
STROKES = (0, 3, 7)  # extra outline width in pixels at 200 px: thin pen to marker


def _font_dir() -> Path:
    import matplotlib

    return Path(matplotlib.get_data_path()) / "fonts" / "ttf"


def typeset_digits() -> tuple[np.ndarray, np.ndarray]:
    """(x float32 (n, 28, 28) ink = 1, y int64) — every digit in every font and stroke width."""
    from PIL import Image, ImageDraw, ImageFont

    images, labels = [], []
    for name in FONT_FILES:
        path = _font_dir() / name
        if not path.exists():
            continue
        font = ImageFont.truetype(str(path), 200)
        for stroke in STROKES:
            for digit in range(10):
                canvas = Image.new("L", (320, 320), 0)
                ImageDraw.Draw(canvas).text((160, 160), str(digit), fill=255, font=font, anchor="mm",
                                            stroke_width=stroke, stroke_fill=255)
                x = preprocess_canvas(np.asarray(canvas))
                if x is not None:
                    images.append(x)
                    labels.append(digit)
    return np.asarray(images, np.float32), np.asarray(labels, np.int64)
