"""The pen's path as a fixed-length sequence: what the online recogniser reads.

A drawing is a list of strokes in the order they were drawn; each stroke is an ``(n, 2)`` array
(or a list of ``(x, y)`` pairs) of screen coordinates, **y down** — the canvas's unit-square
points (``[(p.x(), p.y()) for p in points]`` for each ``(width, points)`` of
``DigitCanvas.strokes``) and ``engine.digits.pendigits.PenDigit.strokes`` (already flipped from the
tablet's y-up) are both in this format. Any scale or offset works: the path is normalised.

The path is resampled by arc length to ``POINTS`` points (each stroke gets points in proportion to
its length, at least one, so every stroke start is kept), centred on its bounding box and scaled by
its longer side (the aspect ratio is kept: a 1 stays thin). Each point has ``FEATURES`` values:
x, y, dx, dy (the step from the previous point, ×``STEP_SCALE``) and a stroke-start flag (1 where
the pen came down: the step into it is a pen-up jump).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from engine.core.errors import InputError

POINTS = 64
FEATURES = 5
STEP_SCALE = 8.0  # dx, dy of ~1/POINTS of the size brought near the scale of x and y
Strokes = Sequence[np.ndarray | Sequence[Sequence[float]]]


def as_stroke_arrays(strokes: Strokes) -> list[np.ndarray]:
    """The strokes as float64 ``(n, 2)`` arrays, empty and non-finite points dropped."""
    out = []
    for stroke in strokes:
        a = np.asarray(stroke, dtype=np.float64)
        if a.size == 0:
            continue
        if a.ndim != 2 or a.shape[1] != 2:
            raise InputError("A stroke must be a list of (x, y) points, not an array of shape {shape}.",
                             shape=tuple(a.shape))
        a = a[np.isfinite(a).all(axis=1)]
        if len(a):
            out.append(a)
    return out


def has_path(strokes: Strokes | None) -> bool:
    """True when there is at least one point to read (a stroke-less image has none)."""
    return strokes is not None and len(strokes) > 0 and bool(as_stroke_arrays(strokes))


def _lengths(stroke: np.ndarray) -> np.ndarray:
    """Cumulative arc length along one stroke, starting at 0."""
    steps = np.hypot(*np.diff(stroke, axis=0).T) if len(stroke) > 1 else np.zeros(0)
    return np.concatenate([[0.0], np.cumsum(steps)])


def _allocate(lengths: np.ndarray, total: int) -> np.ndarray:
    """Points per stroke: ≥ 1 each, the rest by length (largest remainders), summing to ``total``."""
    count = np.ones(len(lengths), dtype=np.int64)
    spare = total - len(lengths)
    if spare > 0 and lengths.sum() > 0:
        share = lengths / lengths.sum() * spare
        count += np.floor(share).astype(np.int64)
        left = total - int(count.sum())
        if left > 0:
            count[np.argsort(-(share - np.floor(share)), kind="stable")[:left]] += 1
    elif spare > 0:
        count[0] += spare
    return count


def resample(strokes: Strokes, points: int = POINTS) -> tuple[np.ndarray, np.ndarray]:
    """``(points, 2)`` positions evenly spaced along the pen-down path, and a stroke-start flag each."""
    arrays = as_stroke_arrays(strokes)
    if not arrays:
        raise InputError("The drawing has no strokes to read.")
    if len(arrays) > points // 2:  # pathological scribbles: keep the longest strokes, in their order
        keep = np.sort(np.argsort([-_lengths(a)[-1] for a in arrays], kind="stable")[:points // 2])
        arrays = [arrays[i] for i in keep]
    cumulative = [_lengths(a) for a in arrays]
    counts = _allocate(np.array([c[-1] for c in cumulative]), points)
    xy, start = [], []
    for a, c, n in zip(arrays, cumulative, counts):
        at = np.linspace(0.0, c[-1], int(n)) if n > 1 else np.zeros(1)
        if c[-1] > 0:
            xy.append(np.stack([np.interp(at, c, a[:, 0]), np.interp(at, c, a[:, 1])], axis=1))
        else:  # a dot
            xy.append(np.repeat(a[:1], n, axis=0))
        flag = np.zeros(int(n))
        flag[0] = 1.0
        start.append(flag)
    return np.concatenate(xy), np.concatenate(start)


def normalise(xy: np.ndarray) -> np.ndarray:
    """Centred on the bounding box, scaled by its longer side (aspect kept): coordinates in [-½, ½]."""
    lo, hi = xy.min(axis=0), xy.max(axis=0)
    span = float((hi - lo).max())
    return (xy - (lo + hi) / 2) / (span if span > 1e-9 else 1.0)


def path_features(strokes: Strokes, points: int = POINTS) -> np.ndarray:
    """The sequence the online model reads: float32 ``(points, FEATURES)``."""
    return features_and_points(strokes, points)[0]


def features_and_points(strokes: Strokes, points: int = POINTS) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The sequence, and the resampled points (input coordinates) with their stroke-start flags."""
    xy, start = resample(strokes, points)
    unit = normalise(xy)
    step = np.diff(unit, axis=0, prepend=unit[:1]) * STEP_SCALE
    return np.concatenate([unit, step, start[:, None]], axis=1).astype(np.float32), xy, start


def batch_features(drawings: Sequence[Strokes], points: int = POINTS) -> np.ndarray:
    """``(len(drawings), points, FEATURES)`` for many drawings."""
    if not drawings:
        return np.zeros((0, points, FEATURES), np.float32)
    return np.stack([path_features(d, points) for d in drawings])


# --- augmentation -------------------------------------------------------------------------
MAX_ROTATION_DEG = 12.0
MAX_SCALE = 0.12  # per axis, so the aspect ratio varies too
MAX_SHEAR = 0.2
JITTER = 0.008  # per-point noise, as a share of the drawing's size
DROP_SHARE = 0.3  # up to this share of a stroke's inner points dropped: another sampling of the pen


def augment_strokes(strokes: Strokes, rng: np.random.Generator) -> list[np.ndarray]:
    """The same drawing written a little differently: rotated, scaled, sheared, jittered and sampled
    at other instants (inner points dropped), so the resampled path differs too."""
    arrays = as_stroke_arrays(strokes)
    if not arrays:
        return []
    allp = np.concatenate(arrays)
    centre = (allp.min(axis=0) + allp.max(axis=0)) / 2
    size = max(float((allp.max(axis=0) - allp.min(axis=0)).max()), 1e-9)
    angle = np.deg2rad(rng.uniform(-MAX_ROTATION_DEG, MAX_ROTATION_DEG))
    rotation = np.array([[np.cos(angle), -np.sin(angle)], [np.sin(angle), np.cos(angle)]])
    shear = np.array([[1.0, rng.uniform(-MAX_SHEAR, MAX_SHEAR)], [0.0, 1.0]])
    scale = np.diag(1.0 + rng.uniform(-MAX_SCALE, MAX_SCALE, 2))
    matrix = rotation @ shear @ scale
    out = []
    for a in arrays:
        if len(a) > 3 and DROP_SHARE > 0:
            inner = np.arange(1, len(a) - 1)
            drop = rng.random(len(inner)) < rng.uniform(0, DROP_SHARE)
            a = np.concatenate([a[:1], a[inner[~drop]], a[-1:]])
        a = (a - centre) @ matrix.T + rng.normal(0.0, JITTER * size, a.shape)
        out.append(a + centre)
    return out


def augmented_features(drawings: Sequence[Strokes], copies: int, seed: int,
                       points: int = POINTS) -> np.ndarray:
    """``copies`` augmented sequences of every drawing, drawing-major: ``(len × copies, points, F)``."""
    rng = np.random.default_rng(seed)
    out = np.empty((len(drawings) * copies, points, FEATURES), np.float32)
    for i, drawing in enumerate(drawings):
        for j in range(copies):
            out[i * copies + j] = path_features(augment_strokes(drawing, rng), points)
    return out


def tta_features(strokes: Strokes, copies: int, seed: int = 0, points: int = POINTS) -> np.ndarray:
    """The clean sequence then ``copies`` augmented ones, ``(1 + copies, points, F)``: test-time
    augmentation. Seeded per call, so the same drawing always gets the same answer."""
    clean = path_features(strokes, points)[None]
    if copies <= 0:
        return clean
    return np.concatenate([clean, augmented_features([strokes], copies, seed, points)])
