"""Digits opened as image files ("Open image…", ``deepmine predict-digit``): synthetic phone
photos (grey, shaded, noisy, JPEG, some squared paper, some transparent PNGs) and the same
digits as clean dark-on-white scans, recognised by the shipped CNN through the real loader.
Also typeset digits in fonts the model never saw, as screenshots and as photos.

The pen digits come from the pen file the shipped CNN was trained on (as strokes, never as
photos); the MNIST digits are from the official test set, which it never saw. Both figures
are recorded separately (``.pen``, ``.mnist``)."""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

import numpy as np

from bench.common import percentiles

N_PEN = 300
N_MNIST = 300
SEED = 20240611
KEYS = ("digits.photo_accuracy", "digits.clean_image_accuracy")
# Fonts with lining digits that engine.digits.typeset does not train on; missing ones are skipped.
HELD_OUT_FONTS = ("DejaVuSansMono-BoldOblique.ttf", "DejaVuSerif-BoldItalic.ttf", "STIXGeneralBolIta.ttf", "cmmi10.ttf",
                  "DejaVuSans-ExtraLight.ttf", "DejaVuSansCondensed.ttf", "DejaVuSansCondensed-Bold.ttf",
                  "DejaVuSerifCondensed.ttf", "DejaVuSerifCondensed-Italic.ttf")


def _skip(results: dict, reason: str) -> None:
    for key in KEYS:
        results[key] = f"skipped: {reason}"


def run(results: dict) -> None:
    from engine.core.errors import DataError
    from engine.core.paths import shared_data_dir
    from bench.photo_testset import clean_scan, make_photo_set
    from engine.digits.shipped import verified_weights, weights_path

    root = shared_data_dir()
    if root is None:
        _skip(results, "../shared/data is absent")
        return
    if not weights_path("cnn").exists():
        _skip(results, "no shipped model")
        return
    try:
        path, _card = verified_weights("cnn")
    except DataError as exc:  # a card not written yet, or a file still being copied
        _skip(results, str(exc))
        return

    sources, labels, origin = _digits(root)
    kinds: list[str] = []
    photos, labels = make_photo_set(sources, labels, SEED, kinds=kinds)
    clean = [clean_scan(s) for s in sources]
    with tempfile.TemporaryDirectory(prefix="deepmine-photo-") as tmp:
        photo_inputs, load_ms = _through_files(photos, Path(tmp), "photo")
        clean_inputs, _ = _through_files(clean, Path(tmp), "clean")

    model = _load_model(path)
    photo_pred = _predict(model, photo_inputs)
    clean_pred = _predict(model, clean_inputs)
    photo_ok, clean_ok = photo_pred == labels, clean_pred == labels
    results["digits.photo_accuracy"] = round(float(photo_ok.mean()), 4)
    results["digits.clean_image_accuracy"] = round(float(clean_ok.mean()), 4)
    results["digits.photo_count"] = len(labels)
    results["digits.photo_no_digit"] = int((photo_pred == -1).sum())
    origin_a, kinds_a = np.asarray(origin), np.asarray(kinds)
    for name in ("pen", "mnist"):
        results[f"digits.photo_accuracy.{name}"] = round(float(photo_ok[origin_a == name].mean()), 4)
        results[f"digits.clean_image_accuracy.{name}"] = round(float(clean_ok[origin_a == name].mean()), 4)
    for kind in ("photo", "squared", "framed", "transparent"):
        if (kinds_a == kind).any():
            results[f"digits.photo_accuracy.{kind}"] = round(float(photo_ok[kinds_a == kind].mean()), 4)
    p50, p95 = percentiles(load_ms, 50, 95)
    results["digits.photo_load_ms.p50"] = p50
    results["digits.photo_load_ms.p95"] = p95

    canvases, font_labels = _typeset()
    if canvases:
        photos, font_labels = make_photo_set(canvases, font_labels, SEED + 1, transparent_share=0.0, frame_share=0.0)
        with tempfile.TemporaryDirectory(prefix="deepmine-typeset-") as tmp:
            shots, _ = _through_files([255 - c for c in canvases], Path(tmp), "shot")
            snaps, _ = _through_files(photos, Path(tmp), "snap")
        results["digits.typeset_image_accuracy"] = round(float((_predict(model, shots) == font_labels).mean()), 4)
        results["digits.typeset_photo_accuracy"] = round(float((_predict(model, snaps) == font_labels).mean()), 4)
        results["digits.typeset_count"] = len(font_labels)


def _digits(root: Path) -> tuple[list[np.ndarray], np.ndarray, list[str]]:
    """300 pen-stroke digits rendered like the canvas (pens of several widths) and 300 official
    MNIST test digits, drawn at random with a fixed seed."""
    from engine.digits.mnist import load_idx_pair
    from engine.digits.pendigits import read_pendigits, render_like_canvas

    rng = np.random.default_rng(SEED)
    pen = read_pendigits(root / "pendigits" / "pendigits-orig.tra")
    pick = rng.choice(len(pen), size=min(N_PEN, len(pen)), replace=False)
    sources = [render_like_canvas(pen[i].strokes, pen=float(rng.uniform(12, 22))) for i in pick]
    labels = [pen[i].label for i in pick]
    folder = root / "mnist-test"
    mnist = load_idx_pair(folder / "t10k-images-idx3-ubyte.gz", folder / "t10k-labels-idx1-ubyte.gz")
    pick = rng.choice(len(mnist), size=min(N_MNIST, len(mnist)), replace=False)
    sources += [mnist.x[i] for i in pick]
    labels += [int(mnist.y[i]) for i in pick]
    origin = ["pen"] * (len(sources) - len(pick)) + ["mnist"] * len(pick)
    return sources, np.asarray(labels, np.int64), origin


def _typeset() -> tuple[list[np.ndarray], np.ndarray]:
    """Every digit in each held-out font, at 60–180 px in a screenshot-sized frame, as
    canvases (ink bright on black)."""
    import matplotlib
    from PIL import Image, ImageDraw, ImageFont

    folders = [Path(matplotlib.get_data_path()) / "fonts" / "ttf", Path("/usr/share/fonts/truetype/dejavu")]
    rng = np.random.default_rng(SEED)
    canvases, labels = [], []
    for name in HELD_OUT_FONTS:
        found = next((f / name for f in folders if (f / name).exists()), None)
        if found is None:
            continue
        for digit in range(10):
            size = int(rng.integers(60, 181))
            font = ImageFont.truetype(str(found), size)
            w, h = int(size * rng.uniform(1.2, 2.5)), int(size * rng.uniform(1.4, 2.2))
            img = Image.new("L", (w, h), 0)
            ImageDraw.Draw(img).text((w * rng.uniform(0.4, 0.6), h * rng.uniform(0.45, 0.55)), str(digit), fill=255,
                                     font=font, anchor="mm")
            canvases.append(np.asarray(img, dtype=np.uint8))
            labels.append(digit)
    return canvases, np.asarray(labels, np.int64)


def _through_files(images: list[np.ndarray], folder: Path, stem: str) -> tuple[list[np.ndarray | None], list[float]]:
    """Each image saved as a PNG and opened the way the app opens it: (28×28 inputs, ms per load)."""
    from PIL import Image

    from engine.digits.preprocess import load_image_file, preprocess_canvas

    inputs, times = [], []
    for i, image in enumerate(images):
        file = folder / f"{stem}-{i:04d}.png"
        Image.fromarray(image).save(file)
        started = time.perf_counter()
        inputs.append(preprocess_canvas(load_image_file(file)))
        times.append((time.perf_counter() - started) * 1000)
    return inputs, times


def _load_model(path: Path):
    from engine.core import tf_runtime

    keras = tf_runtime.keras()
    return keras.saving.load_model(path, compile=False, safe_mode=True)


def _predict(model, inputs: list[np.ndarray | None]) -> np.ndarray:
    """Predicted digits; -1 where no digit was found (counted as wrong)."""
    stack = np.stack([x if x is not None else np.zeros((28, 28), np.float32) for x in inputs])
    predicted = model.predict(stack, batch_size=256, verbose=0).argmax(axis=1)
    predicted[[i for i, x in enumerate(inputs) if x is None]] = -1
    return predicted
