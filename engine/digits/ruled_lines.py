"""Ruled and squared-paper lines found in a photo's ink mask and taken out, strokes that cross them kept.

A projection per small angle: a hand-held photo tilts the page's lines a little, and a line reaches
across the image from edge to edge where a stroke does not.
"""

from __future__ import annotations

import numpy as np
from scipy import ndimage

LINE_TILT = 12.0  # degrees: ruled lines in a hand-held photo are tilted a little
LINE_COVER = 0.55  # a line crosses at least this share of the image …
LINE_REACH = 0.12  # … and comes this close (share of the side) to both opposite edges


def remove_lines(mask: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Drop ruled and squared-paper lines: straight, nearly horizontal or vertical runs of ink
    reaching across the image. Where a stroke crosses a line, the stroke's pixels stay.
    Returns the cleaned mask and the pixels found on lines."""
    out = mask.copy()
    found = np.zeros_like(mask)
    for transposed in (False, True):
        m = out.T if transposed else out
        line, width = line_pixels(m)
        if width == 0:
            continue
        (found.T if transposed else found)[line] = True
        # A pixel of a line stays only if ink continues across it (a stroke crossing the line).
        runs, n = ndimage.label(m, structure=np.array([[0, 1, 0], [0, 1, 0], [0, 1, 0]]))
        run_len = np.bincount(runs.ravel(), minlength=n + 1)[runs]
        drop = line & (run_len <= width + 3)
        m[drop] = False
    return out, found


def line_pixels(m: np.ndarray) -> tuple[np.ndarray, int]:
    """(pixels on near-horizontal lines, thickest line in pixels) — a projection per angle."""
    h, w = m.shape
    ys, xs = np.nonzero(m)
    line = np.zeros_like(m)
    if w < 16 or ys.size < LINE_COVER * w:
        return line, 0
    pad = int(np.ceil(w * np.tan(np.deg2rad(LINE_TILT)))) + 1
    # Fine enough steps that a line drifts at most about a pixel across the image at the nearest angle.
    step = float(np.clip(np.rad2deg(2 * np.arctan(1.5 / w)), 0.25, 1.0))
    max_width = max(4, int(round(0.012 * max(h, w))))
    widest = 0
    for angle in np.arange(-LINE_TILT, LINE_TILT + step / 2, step):
        shifted = ys - np.rint(xs * np.tan(np.deg2rad(angle))).astype(np.int64) + pad
        counts = np.bincount(shifted, minlength=h + 2 * pad)
        rows = np.flatnonzero(counts >= LINE_COVER * w)
        if rows.size == 0:
            continue
        hit = np.zeros(counts.size, dtype=bool)
        for row in rows:
            sel = xs[shifted == row]
            if sel.min() <= LINE_REACH * w and sel.max() >= (1 - LINE_REACH) * w:
                hit[row] = True
        if not hit.any():
            continue
        # Ruled lines are thin; a band as thick as a stroke is a stroke (the bar of a bold 4).
        labels, n = ndimage.label(hit)
        sizes = np.bincount(labels)
        hit &= sizes[labels] <= max_width
        if not hit.any():
            continue
        widest = max(widest, int(sizes[1:][sizes[1:] <= max_width].max()) + 2)
        # Widen each line by a pixel either side: its edges are lighter and cover less.
        band = hit | np.roll(hit, 1) | np.roll(hit, -1)
        on = band[shifted]
        line[ys[on], xs[on]] = True
    return line, widest
