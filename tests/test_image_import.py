"""Opening an image of a digit: phone photos of grey, shaded, noisy, squared paper, transparent
PNGs and clean scans all reach the network as the digit itself (engine only, no TensorFlow)."""

from __future__ import annotations

import io
import os

import numpy as np
import pytest
from PIL import Image
from scipy import ndimage

from engine.core.errors import DataError
from engine.digits.pendigits import render_like_canvas
from engine.digits.preprocess import load_image_file, preprocess_canvas

# A hand-drawn "2" and "4" in unit-square canvas coordinates (y down), as the pen file gives them.
TWO = [np.array([[0.30, 0.32], [0.36, 0.22], [0.48, 0.17], [0.61, 0.20], [0.68, 0.30], [0.66, 0.42],
                 [0.56, 0.55], [0.42, 0.68], [0.31, 0.80], [0.50, 0.80], [0.72, 0.79]])]
FOUR = [np.array([[0.55, 0.16], [0.40, 0.40], [0.28, 0.60], [0.50, 0.60], [0.74, 0.59]]),
        np.array([[0.60, 0.38], [0.60, 0.60], [0.60, 0.85]])]


def _canvas(strokes) -> np.ndarray:
    return render_like_canvas(strokes)  # 280×280, ink bright on black, anti-aliased


def _corr(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.corrcoef(a.ravel(), b.ravel())[0, 1])


def _photo(canvas: np.ndarray, *, seed: int, grid: bool = False, size=(360, 480)) -> np.ndarray:
    """The digit in dark ink on grey paper (≈190) with linear and radial lighting, optional
    dark squared-paper lines, blur, sensor noise and JPEG at quality 60; not centred."""
    rng = np.random.default_rng(seed)
    h, w = size
    ink = np.zeros((h, w), np.float32)
    digit = np.asarray(Image.fromarray(canvas).resize((200, 200), Image.Resampling.LANCZOS), np.float32) / 255
    ink[40:240, 230:430] = digit
    paper = np.full((h, w), 190.0, np.float32)
    if grid:  # squared paper, lines as dark as pencil and 2 px wide, slightly tilted
        y, x = np.mgrid[0:h, 0:w].astype(np.float32)
        theta = np.deg2rad(3.0)
        u, v = x * np.cos(theta) + y * np.sin(theta), -x * np.sin(theta) + y * np.cos(theta)
        d = np.minimum(np.abs((u + 12) % 24 - 12), np.abs((v + 12) % 24 - 12))
        paper = paper * (1 - 0.55 * np.clip(1.5 - d, 0, 1))
    grey = paper * (1 - ink) + 35.0 * ink
    y, x = np.mgrid[-1:1:h * 1j, -1:1:w * 1j]
    light = (1 + 0.2 * x) * (1 - 0.3 * ((x + 0.4) ** 2 + (y - 0.3) ** 2) / 2)
    grey = ndimage.gaussian_filter(grey * light, 1.0) + rng.normal(0, 6, (h, w))
    rgb = np.repeat(np.clip(grey, 0, 255).astype(np.uint8)[..., None], 3, axis=2)
    rgb[..., 2] = np.clip(rgb[..., 2].astype(int) + 8, 0, 255)  # paper is never quite grey
    return rgb


def _save_jpeg(rgb: np.ndarray, path) -> None:
    Image.fromarray(rgb, "RGB").save(path, format="JPEG", quality=60)


def test_photo_on_grey_shaded_noisy_paper_is_the_digit_not_the_page(tmp_path) -> None:
    for strokes, seed in ((TWO, 1), (FOUR, 2)):
        clean = preprocess_canvas(_canvas(strokes))
        path = tmp_path / f"photo{seed}.jpg"
        _save_jpeg(_photo(_canvas(strokes), seed=seed), path)
        x = preprocess_canvas(load_image_file(path))
        assert x is not None, "the digit was found"
        share = float((x > 0.08).mean())
        assert 0.05 <= share <= 0.40, f"ink share {share:.2f}: the box is the digit, not the whole page"
        assert _corr(x, clean) > 0.8


def test_squared_paper_lines_are_removed(tmp_path) -> None:
    canvas = _canvas(FOUR)
    path = tmp_path / "squared.jpg"
    _save_jpeg(_photo(canvas, seed=3, grid=True), path)
    ink = load_image_file(path)
    # Nothing is left far from the digit (it sits in rows 40–240, columns 230–430).
    outside = np.ones(ink.shape, bool)
    outside[25:255, 215:445] = False
    assert float((ink[outside] > 20).mean()) < 0.002
    x = preprocess_canvas(ink)
    assert x is not None and _corr(x, preprocess_canvas(canvas)) > 0.8


def test_transparent_png_with_white_strokes_is_a_digit(tmp_path) -> None:
    canvas = _canvas(TWO)
    for colour in (255, 0):  # white strokes (as exported by drawing apps) and black ones
        rgba = np.zeros((*canvas.shape, 4), np.uint8)
        rgba[..., :3] = colour
        rgba[..., 3] = canvas
        path = tmp_path / f"strokes{colour}.png"
        Image.fromarray(rgba, "RGBA").save(path)
        x = preprocess_canvas(load_image_file(path))
        assert x is not None, f"strokes of colour {colour} on transparency are a digit"
        assert _corr(x, preprocess_canvas(canvas)) > 0.95


def test_blank_photo_of_paper_is_no_digit(tmp_path) -> None:
    rng = np.random.default_rng(4)
    h, w = 300, 400
    y, x = np.mgrid[-1:1:h * 1j, -1:1:w * 1j]
    grey = 200 * (1 + 0.15 * x) * (1 - 0.1 * (x * x + y * y)) + rng.normal(0, 5, (h, w))
    path = tmp_path / "blank.jpg"
    _save_jpeg(np.repeat(np.clip(grey, 0, 255).astype(np.uint8)[..., None], 3, axis=2), path)
    assert preprocess_canvas(load_image_file(path)) is None


def test_clean_scan_gives_the_same_input_as_before(tmp_path) -> None:
    for strokes in (TWO, FOUR):
        canvas = _canvas(strokes)
        before = preprocess_canvas(canvas)  # what the old loader made of a clean scan: 255 − scan
        scan = tmp_path / "scan.png"
        Image.fromarray(255 - canvas, "L").save(scan)
        assert np.abs(preprocess_canvas(load_image_file(scan)) - before).max() < 0.02
        # The same scan with a speck of dust in a corner: still the digit alone.
        dusty = 255 - canvas
        dusty[250:254, 8:12] = 40
        Image.fromarray(dusty, "L").save(scan)
        assert np.abs(preprocess_canvas(load_image_file(scan)) - before).max() < 0.02


def test_phone_photo_is_turned_upright_by_its_exif_orientation(tmp_path) -> None:
    canvas = _canvas(FOUR)
    stored = Image.fromarray(255 - canvas, "L").transpose(Image.Transpose.ROTATE_90)  # sensor-oriented pixels
    exif = Image.Exif()
    exif[0x0112] = 6  # "rotate 90° clockwise to view"
    buffer = io.BytesIO()
    stored.save(buffer, format="JPEG", quality=95, exif=exif.tobytes())
    path = tmp_path / "upright.jpg"
    path.write_bytes(buffer.getvalue())
    x = preprocess_canvas(load_image_file(path))
    assert x is not None and _corr(x, preprocess_canvas(canvas)) > 0.9


def test_folder_and_symlink_loop_are_refused_with_a_clear_sentence(tmp_path) -> None:
    from engine.core.i18n import set_language

    folder = tmp_path / "digits"
    folder.mkdir()
    with pytest.raises(DataError, match=r"^digits is a folder, not an image\.$") as err:
        load_image_file(folder)
    set_language("zh_CN")
    try:
        assert "文件夹" in str(err.value)
    finally:
        set_language("en")

    if not hasattr(os, "symlink"):
        pytest.skip("no symbolic links on this system")
    a, b = tmp_path / "a.png", tmp_path / "b.png"
    try:
        os.symlink(b, a)
        os.symlink(a, b)
    except OSError:
        pytest.skip("symbolic links cannot be made here")
    with pytest.raises(DataError, match=r"^a\.png cannot be opened: too many levels of symbolic links\.$"):
        load_image_file(a)


def test_photo_test_set_generator_makes_photo_sized_images_the_loader_reads() -> None:
    from engine.digits.image_import import image_to_canvas
    from bench.photo_testset import make_photo_set

    images, labels = make_photo_set([_canvas(TWO), _canvas(FOUR)] * 2, [2, 4, 2, 4], seed=5,
                                    transparent_share=0.5, grid_share=0.5)
    assert list(labels) == [2, 4, 2, 4]
    again, _ = make_photo_set([_canvas(TWO), _canvas(FOUR)] * 2, [2, 4, 2, 4], seed=5,
                              transparent_share=0.5, grid_share=0.5)
    assert all(np.array_equal(a, b) for a, b in zip(images, again)), "the same seed gives the same set"
    for image in images:
        assert image.dtype == np.uint8 and image.ndim == 3 and image.shape[2] in (3, 4)
        assert 200 <= image.shape[0] <= 600 and 200 <= image.shape[1] <= 800
        x = preprocess_canvas(image_to_canvas(image))
        assert x is not None and 0.05 <= float((x > 0.08).mean()) <= 0.40
