"""Canvas image → MNIST-style 28×28 input — the step that decides whether users trust the app.

MNIST digits were size-normalised into a 20×20 box keeping their aspect ratio, anti-aliased,
and centred by centre of mass in a 28×28 field. A canvas drawing only looks like MNIST to the
network after the same treatment; naively shrinking the whole canvas recognises a fraction.
"""

from __future__ import annotations

import errno
import os
from pathlib import Path

import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError
from scipy import ndimage

from engine.core.errors import DataError

INK_THRESHOLD = 0.08  # of full ink: below this a pixel is background (scanner noise, AA fringe)
MIN_INK_PIXELS = 4
MAX_IMAGE_PIXELS = 50_000_000  # refuse decompression bombs before decoding
MAX_WORK_SIDE = 1024  # an opened image is shrunk to this: the digit ends up 20×20 anyway


def preprocess_canvas(image: np.ndarray) -> np.ndarray | None:
    """Any H×W grayscale canvas (ink bright, 0 = empty) → float32 (28, 28) in [0, 1], or None if blank."""
    a = np.asarray(image, dtype=np.float32)
    if a.ndim == 3:
        a = a[..., :3].mean(axis=2) if a.shape[2] >= 3 else a[..., 0]
    if a.ndim != 2 or a.size == 0:
        raise DataError("The image must be a 2-D grayscale array, not shape {shape}.", shape=a.shape)
    peak = float(a.max())
    if not np.isfinite(peak) or peak <= 0:
        return None
    if peak > 1.0:
        a = a / 255.0 if peak <= 255.0 else a / peak
    mask = a > INK_THRESHOLD
    if int(mask.sum()) < MIN_INK_PIXELS:
        return None
    rows = np.flatnonzero(mask.any(axis=1))
    cols = np.flatnonzero(mask.any(axis=0))
    crop = a[rows[0]:rows[-1] + 1, cols[0]:cols[-1] + 1]
    h, w = crop.shape
    scale = 20.0 / max(h, w)
    new_w, new_h = max(1, round(w * scale)), max(1, round(h * scale))
    pil = Image.fromarray(np.clip(crop * 255.0, 0, 255).astype(np.uint8), mode="L")
    small = np.asarray(pil.resize((new_w, new_h), Image.Resampling.LANCZOS), dtype=np.float32) / 255.0
    small = _normalise_stroke(small, h, w, scale)
    out = np.zeros((28, 28), dtype=np.float32)
    top, left = (28 - new_h) // 2, (28 - new_w) // 2
    out[top:top + new_h, left:left + new_w] = small
    cy, cx = ndimage.center_of_mass(out)
    if np.isfinite(cy) and np.isfinite(cx):
        out = ndimage.shift(out, (14.0 - cy - 0.5, 14.0 - cx - 0.5), order=1, mode="constant", cval=0.0)
    return np.clip(out, 0.0, 1.0).astype(np.float32)


def _normalise_stroke(small: np.ndarray, h: int, w: int, scale: float) -> np.ndarray:
    """Thicken strokes that became hair-thin after shrinking (MNIST strokes are ~2–3 px wide).

    Stroke width is estimated as ink area / ink length, with length from the number of
    ink pixels on a thinned outline: cheap and good enough to pick 0, 1 or 2 dilations.
    """
    ink = small > 0.35
    if not ink.any():
        return small
    area = float(small.sum())
    outline = ink & ~ndimage.binary_erosion(ink)
    length = max(1.0, outline.sum() / 2.0)
    width = area / length
    if width < 1.4:
        small = np.maximum(small, ndimage.grey_dilation(small, size=(2, 2)) * 0.9)
    if width < 0.8:
        small = np.maximum(small, ndimage.grey_dilation(small, size=(2, 2)) * 0.8)
    # Keep the peak at full ink, as in MNIST.
    peak = float(small.max())
    return small / peak if peak > 0 else small


def load_image_file(path: str | os.PathLike[str]) -> np.ndarray:
    """Any image file of a digit → a canvas-style array (ink bright on dark, uint8).

    Scans, phone photos of paper (grey, unevenly lit, noisy, squared) and transparent PNGs
    all become ink on black (``engine.digits.image_import``); an animated image gives its
    first frame, a phone photo is turned upright by its EXIF orientation, and a huge image is
    refused before it is decoded.
    """
    from engine.digits.image_import import image_to_canvas

    path = Path(path)
    name = path.name or str(path)
    if path.is_dir():
        raise DataError("{name} is a folder, not an image.", name=name)
    try:
        with Image.open(path) as img:
            if img.width * img.height > MAX_IMAGE_PIXELS:
                raise DataError("The image {name} is too large ({w}×{h} pixels); the limit is {limit} million pixels.",
                                name=path.name, w=img.width, h=img.height, limit=MAX_IMAGE_PIXELS // 1_000_000)
            img.seek(0)
            img.draft(img.mode, (MAX_WORK_SIDE, MAX_WORK_SIDE))  # a JPEG decodes at 1/2–1/8 size: much faster
            try:
                img = ImageOps.exif_transpose(img)
            except (OSError, SyntaxError, ValueError, TypeError, KeyError):
                pass  # a damaged EXIF block: the pixels are still the picture, just maybe sideways
            if img.mode == "P":  # a palette may carry transparency; resolve it before resizing
                img = img.convert("RGBA")
            if max(img.size) > MAX_WORK_SIDE:  # keep the work bounded; the digit only needs 20×20 in the end
                img.thumbnail((MAX_WORK_SIDE, MAX_WORK_SIDE), Image.Resampling.LANCZOS)
            picture = img.copy()  # decoded now: a damaged file fails here, as a file error
    except FileNotFoundError as exc:
        raise DataError("The file {name} does not exist.", name=str(path)) from exc
    except IsADirectoryError as exc:
        raise DataError("{name} is a folder, not an image.", name=name) from exc
    except Image.DecompressionBombError as exc:  # PIL refuses even to read the header's promise
        raise DataError("The image {name} is too large to open safely; the limit is {limit} million pixels.",
                        name=path.name, limit=MAX_IMAGE_PIXELS // 1_000_000) from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        if isinstance(exc, DataError):
            raise
        if isinstance(exc, OSError) and exc.errno == errno.ELOOP:
            raise DataError("{name} cannot be opened: too many levels of symbolic links.", name=name) from exc
        if isinstance(exc, PermissionError):
            raise DataError("{name} cannot be opened: permission denied.", name=name) from exc
        raise DataError("{name} is not an image file that can be read ({reason}).", name=path.name,
                        reason=type(exc).__name__) from exc
    return image_to_canvas(picture)
