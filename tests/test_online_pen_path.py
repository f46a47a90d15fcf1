"""The pen's path as the online recogniser reads it: the same digit gives the same sequence wherever
and however large it is drawn and however densely the mouse reported it; shape and order survive."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from engine.core.errors import InputError
from engine.digits.pen_path import (FEATURES, POINTS, augment_strokes, augmented_features, features_and_points,
                                    has_path, path_features)

SEVEN = [[(0.28, 0.22), (0.72, 0.22), (0.44, 0.8)]]  # bar then down stroke, canvas unit coordinates, y down
FOUR = [[(0.6, 0.2), (0.3, 0.6), (0.75, 0.6)], [(0.6, 0.35), (0.6, 0.85)]]


def dense(strokes, per_segment: int = 40):
    """The same strokes as a mouse reports them: many points along each segment."""
    out = []
    for s in strokes:
        s = np.asarray(s, float)
        parts = [np.linspace(a, b, per_segment, endpoint=False) for a, b in zip(s[:-1], s[1:])]
        out.append(np.concatenate(parts + [s[-1:]]))
    return out


def test_sequence_shape_and_one_stroke_start_per_stroke() -> None:
    x = path_features(FOUR)
    assert x.shape == (POINTS, FEATURES) and x.dtype == np.float32 and np.isfinite(x).all()
    starts = np.flatnonzero(x[:, 4])
    assert len(starts) == 2 and starts[0] == 0, "the pen came down twice"


def test_same_digit_anywhere_at_any_size_gives_the_same_sequence() -> None:
    base = path_features(FOUR)
    for scale, offset in ((3.0, (100.0, -20.0)), (280.0, (0.0, 0.0)), (0.01, (5.0, 5.0))):
        moved = [np.asarray(s) * scale + offset for s in FOUR]
        assert np.allclose(path_features(moved), base, atol=1e-5)


def test_sampling_density_does_not_change_the_path() -> None:
    """Sparse tablet points (pendigits, every 100 ms) and dense mouse points read the same."""
    assert np.allclose(path_features(dense(SEVEN)), path_features(SEVEN), atol=1e-5)


def test_points_are_evenly_spaced_along_a_stroke_and_fill_the_box_keeping_the_aspect() -> None:
    x = path_features([[(0.5, 0.1), (0.5, 0.9)]])  # a "1": a vertical line
    assert np.allclose(x[:, 0], 0.0), "a thin digit stays thin (aspect ratio kept)"
    assert x[0, 1] == pytest.approx(-0.5) and x[-1, 1] == pytest.approx(0.5)
    steps = np.diff(x[:, 1])
    assert np.allclose(steps, steps[0]) and steps[0] > 0, "drawn downwards: y grows (screen y down)"


def test_resampled_points_stay_in_the_drawings_coordinates() -> None:
    _, xy, start = features_and_points(FOUR)
    assert xy.shape == (POINTS, 2) and start.sum() == 2
    allp = np.concatenate([np.asarray(s) for s in FOUR])
    assert (xy >= allp.min(axis=0) - 1e-9).all() and (xy <= allp.max(axis=0) + 1e-9).all()


def test_direction_and_order_are_kept() -> None:
    """The same picture drawn backwards is a different path: what the picture alone cannot see."""
    backwards = [np.asarray(SEVEN[0])[::-1]]
    assert not np.allclose(path_features(backwards), path_features(SEVEN), atol=1e-3)


def test_a_dot_and_empty_input() -> None:
    assert np.isfinite(path_features([[(0.4, 0.4)]])).all()
    assert not has_path(None) and not has_path([]) and not has_path([[]])
    with pytest.raises(InputError):
        path_features([])
    with pytest.raises(InputError):
        path_features([np.zeros((3, 3))])


def test_augmentation_writes_the_digit_a_little_differently_and_is_seeded() -> None:
    rng = np.random.default_rng(0)
    variant = augment_strokes(dense(FOUR), rng)
    assert len(variant) == 2
    a, b = path_features(variant), path_features(FOUR)
    assert not np.allclose(a, b) and np.abs(a[:, :2] - b[:, :2]).mean() < 0.1, "same digit, other hand"
    assert np.abs(a[:, :2]).max() <= 0.5 + 1e-6
    first, again = augmented_features([FOUR, SEVEN], 3, seed=5), augmented_features([FOUR, SEVEN], 3, seed=5)
    assert first.shape == (6, POINTS, FEATURES) and np.array_equal(first, again)


@pytest.mark.shared_data
def test_pen_digits_arrive_in_screen_coordinates(shared_data: Path) -> None:
    """The tablet's y grows upward; the parser flips it, so a written 7 starts with its top bar."""
    from engine.digits.pendigits import read_pendigits

    sevens = [d for d in read_pendigits(shared_data / "pendigits" / "pendigits-orig.tra", 400) if d.label == 7]
    assert sevens
    tops = [path_features(d.strokes)[0, 1] for d in sevens]
    assert np.median(tops) < -0.3, "the first point of a 7 is near the top (y down)"
