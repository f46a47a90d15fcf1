"""The UNIPEN pen strokes in ``../shared/data/pendigits`` (evaluation data, never shipped).

Strokes are returned in unit-square canvas coordinates (y down), scaled into the canvas
with a margin the way a person fills a drawing box, so tests and benchmarks can replay
them on the real canvas or render them like it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

MARGIN = 0.15  # share of the canvas left empty on each side


@dataclass
class PenDigit:
    label: int
    writer: int
    strokes: list[np.ndarray]  # each (k, 2) float, unit-square coordinates, y down


def read_pendigits(path: Path, limit: int | None = None) -> list[PenDigit]:
    digits: list[PenDigit] = []
    label = writer = None
    strokes: list[list[tuple[float, float]]] = []
    current: list[tuple[float, float]] | None = None

    def flush() -> None:
        if label is not None and strokes:
            digits.append(PenDigit(label, writer or 0, _to_unit(strokes)))

    for line in Path(path).read_text(encoding="ascii", errors="replace").splitlines():
        if line.startswith(".SEGMENT DIGIT"):
            flush()
            if limit is not None and len(digits) >= limit:
                return digits
            label = int(line.rsplit('"', 2)[-2])
            strokes, writer = [], None
        elif line.startswith(".COMMENT"):
            parts = line.split()
            writer = int(parts[2]) if len(parts) > 2 else 0
        elif line.startswith(".PEN_DOWN"):
            current = []
        elif line.startswith(".PEN_UP"):
            if current:
                strokes.append(current)
            current = None
        elif current is not None and line.strip():
            x, y = line.split()[:2]
            current.append((float(x), float(y)))
    flush()
    return digits[:limit] if limit is not None else digits


def _to_unit(strokes: list[list[tuple[float, float]]]) -> list[np.ndarray]:
    arrays = [np.asarray(s, dtype=np.float64) for s in strokes]
    allp = np.concatenate(arrays)
    allp[:, 1] *= -1  # tablet y grows upward
    lo, hi = allp.min(axis=0), allp.max(axis=0)
    span = max(float((hi - lo).max()), 1.0)
    scale = (1 - 2 * MARGIN) / span
    offset = (1 - (hi - lo) * scale) / 2
    out = []
    for a in arrays:
        a = a.copy()
        a[:, 1] *= -1
        out.append((a - lo) * scale + offset)
    return out


def render_like_canvas(strokes: list[np.ndarray], size: int = 280, pen: float = 18.0) -> np.ndarray:
    """The strokes drawn as the canvas draws them (round caps and joins), ink bright on black."""
    from PIL import Image, ImageDraw

    scale = 4  # supersample, then downscale: anti-aliased like QPainter
    img = Image.new("L", (size * scale, size * scale), 0)
    draw = ImageDraw.Draw(img)
    width = pen * scale * size / 280
    r = width / 2
    for s in strokes:
        pts = [(float(x) * size * scale, float(y) * size * scale) for x, y in s]
        if len(pts) > 1:
            draw.line(pts, fill=255, width=int(round(width)), joint="curve")
        for x, y in pts:
            draw.ellipse((x - r, y - r, x + r, y + r), fill=255)
    return np.asarray(img.resize((size, size), Image.Resampling.BOX), dtype=np.uint8)
