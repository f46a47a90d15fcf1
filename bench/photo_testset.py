"""Synthetic phone photos of digits, to measure "Open image…" on what people actually open.

Clean scans are easy; a phone photo of a digit on grey, unevenly lit, noisy, JPEG-compressed
(sometimes squared) paper is what broke image import. Real photos of labelled digits are not
at hand, so this renders known digits (MNIST, pen strokes) into such photos, plus transparent
PNGs with white strokes, and photos with a dark frame on three or four sides (the desk beside
the page, a scanner's lid). Evaluation data only: never train on it, or the figure means nothing.
A benchmark fixture (bench/photo.py, tests), not part of the app.
"""

from __future__ import annotations

import io
from typing import Sequence

import numpy as np
from PIL import Image
from scipy import ndimage

INKS = ((25, 25, 32), (30, 45, 120), (70, 70, 78), (20, 20, 20))  # black, blue ballpoint, soft pencil, marker
GRID_COLOURS = ((120, 160, 210), (150, 150, 150), (110, 170, 140))


def source_canvas(image: np.ndarray) -> np.ndarray:
    """A digit as a smooth uint8 canvas (ink bright on black).

    A 28×28 MNIST digit (anything under 64 px) is upscaled to 280 px, blurred and given soft
    pen-like edges, so a photo of it does not show 10×10-pixel blocks no real pen makes. A
    larger canvas is returned as it is.
    """
    a = np.asarray(image, dtype=np.float32)
    if a.max() > 1.0:
        a = a / 255.0
    if max(a.shape) >= 64:
        return np.clip(a * 255.0, 0, 255).astype(np.uint8)
    size = 280
    big = np.asarray(Image.fromarray(a, mode="F").resize((size, size), Image.Resampling.BICUBIC), dtype=np.float32)
    big = ndimage.gaussian_filter(big, size / 28 * 0.35)
    t = np.clip((big - 0.25) / 0.35, 0.0, 1.0)
    return np.rint(t * t * (3 - 2 * t) * 255.0).astype(np.uint8)


def clean_scan(canvas_uint8: np.ndarray) -> np.ndarray:
    """The same digit as a clean scan: dark ink on white paper, uint8 grey."""
    return (255 - source_canvas(canvas_uint8)).astype(np.uint8)


def _placed_ink(canvas: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """The digit's ink (0–1), rotated ±10°, sized to 30–70 % of a photo's height and put
    anywhere in it (not centred); returns the photo-sized ink layer."""
    ink = np.asarray(canvas, dtype=np.float32) / 255.0
    rows, cols = np.flatnonzero((ink > 0.03).any(axis=1)), np.flatnonzero((ink > 0.03).any(axis=0))
    if rows.size == 0:
        h = int(rng.integers(200, 601))
        return np.zeros((h, h), np.float32)
    ink = np.pad(ink[rows[0]:rows[-1] + 1, cols[0]:cols[-1] + 1], 4)
    ink = np.asarray(Image.fromarray(ink, mode="F").rotate(float(rng.uniform(-10, 10)), Image.Resampling.BICUBIC,
                                                          expand=True, fillcolor=0.0), dtype=np.float32)
    rows, cols = np.flatnonzero((ink > 0.03).any(axis=1)), np.flatnonzero((ink > 0.03).any(axis=0))
    ink = ink[rows[0]:rows[-1] + 1, cols[0]:cols[-1] + 1]

    height = int(rng.integers(200, 601))
    width = int(np.clip(height * rng.uniform(0.75, 1.33), 200, 800))
    scale = rng.uniform(0.3, 0.7) * height / ink.shape[0]
    scale = min(scale, 0.85 * width / ink.shape[1])
    dh, dw = max(2, round(ink.shape[0] * scale)), max(2, round(ink.shape[1] * scale))
    small = np.asarray(Image.fromarray(ink, mode="F").resize((dw, dh), Image.Resampling.BICUBIC), dtype=np.float32)
    my, mx = max(2, int(0.04 * height)), max(2, int(0.04 * width))
    y0 = int(rng.integers(my, max(my + 1, height - dh - my)))
    x0 = int(rng.integers(mx, max(mx + 1, width - dw - mx)))
    layer = np.zeros((height, width), np.float32)
    layer[y0:y0 + dh, x0:x0 + dw] = np.clip(small, 0.0, 1.0)[:height - y0, :width - x0]
    return layer


def _grid(shape: tuple[int, int], rng: np.random.Generator) -> np.ndarray:
    """Squared-paper lines (0–1 coverage), slightly tilted, 1–2 px wide."""
    h, w = shape
    spacing = rng.uniform(14, 40) * max(h, w) / 400
    width = rng.uniform(0.8, 2.0)
    theta = np.deg2rad(rng.uniform(-4, 4))
    y, x = np.mgrid[0:h, 0:w].astype(np.float32)
    u = x * np.cos(theta) + y * np.sin(theta) + rng.uniform(0, spacing)
    v = -x * np.sin(theta) + y * np.cos(theta) + rng.uniform(0, spacing)
    du = np.abs((u + spacing / 2) % spacing - spacing / 2)
    dv = np.abs((v + spacing / 2) % spacing - spacing / 2)
    return np.clip(width / 2 + 0.5 - np.minimum(du, dv), 0.0, 1.0)


def _lighting(shape: tuple[int, int], rng: np.random.Generator) -> np.ndarray:
    """A linear and a radial (vignette or lamp) brightness gradient, multiplicative."""
    h, w = shape
    y, x = np.mgrid[-1:1:h * 1j, -1:1:w * 1j].astype(np.float32)
    phi = rng.uniform(0, 2 * np.pi)
    linear = 1.0 + rng.uniform(0.0, 0.25) * (x * np.cos(phi) + y * np.sin(phi))
    cy, cx = rng.uniform(-0.8, 0.8, size=2)
    radial = 1.0 - rng.uniform(0.0, 0.4) * ((x - cx) ** 2 + (y - cy) ** 2) / 2.0
    return np.clip(linear * radial, 0.3, 1.4)


def _frame(shape: tuple[int, int], rng: np.random.Generator) -> np.ndarray:
    """Coverage (0–1) of a dark frame 3–25 px wide on three or four sides, its inner edge a little
    tilted and soft."""
    h, w = shape
    cover = np.zeros(shape, np.float32)
    sides = ["top", "bottom", "left", "right"]
    if rng.random() < 0.5:
        sides.pop(int(rng.integers(4)))
    y, x = np.mgrid[0:h, 0:w].astype(np.float32)
    for side in sides:
        width = float(rng.uniform(3, 25))
        tilt = float(rng.uniform(-0.01, 0.01))
        dist = {"top": y - tilt * x, "bottom": (h - 1 - y) + tilt * x, "left": x - tilt * y,
                "right": (w - 1 - x) + tilt * y}[side]
        cover = np.maximum(cover, np.clip(width - dist, 0.0, 1.0))
    return cover


def photo_like(canvas_uint8: np.ndarray, rng: np.random.Generator, *, grid: bool | None = None,
               frame_rng: np.random.Generator | None = None) -> np.ndarray:
    """A digit canvas (ink bright on black) → uint8 RGB H×W×3 that looks like a phone photo of
    it on paper: grey 150–240, lighting gradients, optional squared paper, blur, sensor noise,
    JPEG at quality 60. With ``frame_rng``, a dark frame (grey 10–90) on three or four sides,
    drawn from that generator (so the photo itself is the same as without a frame)."""
    ink = _placed_ink(source_canvas(canvas_uint8), rng)
    shape = ink.shape
    paper = rng.uniform(150, 240) + rng.normal(0, 5, size=3)
    rgb = np.broadcast_to(paper.astype(np.float32), (*shape, 3)).copy()  # float32 throughout: 600 photos
    if grid if grid is not None else rng.random() < 0.3:
        g = _grid(shape, rng)[..., None] * np.float32(rng.uniform(0.3, 0.6))
        colour = np.asarray(GRID_COLOURS[int(rng.integers(len(GRID_COLOURS)))], np.float32) * paper.mean() / 240
        rgb = rgb * (1 - g) + colour * g
    colour = np.asarray(INKS[int(rng.integers(len(INKS)))], np.float32) + rng.normal(0, 6, size=3)
    a = ink[..., None] * np.float32(rng.uniform(0.85, 1.0))
    rgb = rgb * (1 - a) + colour * a
    if frame_rng is not None:
        f = _frame(shape, frame_rng)[..., None]
        desk = np.float32(frame_rng.uniform(10, 90)) + frame_rng.normal(0, 4, size=3).astype(np.float32)
        rgb = rgb * (1 - f) + desk * f
    rgb *= _lighting(shape, rng).astype(np.float32)[..., None]
    sigma = rng.uniform(0.3, 1.5)
    rgb = ndimage.gaussian_filter(rgb, (sigma, sigma, 0))
    rgb += rng.standard_normal(rgb.shape, dtype=np.float32) * np.float32(rng.uniform(2, 10))
    img = Image.fromarray(np.clip(np.rint(rgb), 0, 255).astype(np.uint8), mode="RGB")
    buffer = io.BytesIO()
    img.save(buffer, format="JPEG", quality=60)
    buffer.seek(0)
    with Image.open(buffer) as jpeg:
        return np.asarray(jpeg.convert("RGB"), dtype=np.uint8)


def transparent_like(canvas_uint8: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """The digit as a PNG with white strokes on a transparent background: uint8 RGBA."""
    ink = _placed_ink(source_canvas(canvas_uint8), rng)
    rgba = np.zeros((*ink.shape, 4), np.uint8)
    rgba[..., :3] = 255
    rgba[..., 3] = np.clip(np.rint(ink * 255.0), 0, 255).astype(np.uint8)
    return rgba


def make_photo_set(images_28_or_canvases: Sequence[np.ndarray] | np.ndarray, labels: Sequence[int] | np.ndarray,
                   seed: int, *, transparent_share: float = 0.1, grid_share: float = 0.3, frame_share: float = 0.2,
                   kinds: list[str] | None = None) -> tuple[list[np.ndarray], np.ndarray]:
    """Digits (28×28 MNIST images or canvases, ink bright) → (photo-like uint8 images, labels).

    Most are RGB photos (``grid_share`` of them on squared paper, ``frame_share`` with a dark
    frame); ``transparent_share`` are RGBA transparent PNGs with white strokes. The same seed
    gives the same set (and the frames leave the other photos as they were). Pass a list as
    ``kinds`` to learn which is which ("photo", "squared", "framed", "transparent"), for a
    benchmark's breakdown.
    """
    rng = np.random.default_rng(seed)
    frames = np.random.default_rng(seed + 1_000_003)
    out: list[np.ndarray] = []
    for image in images_28_or_canvases:
        if rng.random() < transparent_share:
            out.append(transparent_like(image, rng))
            kind = "transparent"
        else:
            squared = bool(rng.random() < grid_share)
            framed = bool(frames.random() < frame_share)
            out.append(photo_like(image, rng, grid=squared, frame_rng=frames if framed else None))
            kind = "framed" if framed else "squared" if squared else "photo"
        if kinds is not None:
            kinds.append(kind)
    return out, np.asarray(labels, dtype=np.int64)
