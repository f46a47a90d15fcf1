"""An image file of a digit (scan, phone photo, transparent PNG) → the canvas the app draws on.

A photo is not a canvas: the paper is grey, not black, it is lit unevenly, the sensor adds
noise, the paper may be squared and the page may reach the edge of the frame. Simply
inverting it makes the paper count as ink, so the digit's box becomes the whole picture
(every such photo used to be read as "8"). Here the paper is estimated and divided out,
the ink is found with a threshold chosen per image, lines and specks are dropped, and the
ink keeps its own soft intensity so that shrinking it to 20×20 stays smooth, as in MNIST.

Numpy and scipy.ndimage only (scikit-image is not a dependency); no Qt.
"""

from __future__ import annotations

import numpy as np
from PIL import Image
from scipy import ndimage

from engine.digits.ruled_lines import remove_lines

BACKGROUND_SIDE = 96  # the paper is estimated on a copy this small: lighting is smooth
MIN_CONTRAST = 0.08  # ink lighter than this against the paper is no ink (a blank sheet)


def image_to_canvas(img: Image.Image | np.ndarray) -> np.ndarray:
    """Any picture of one digit → uint8 H×W, ink bright on black (0 = paper), what
    ``preprocess_canvas`` expects. Blank paper (also inside a dark frame) gives an all-zero array."""
    grey = _to_grey(img)
    out = np.zeros(grey.shape, dtype=np.uint8)
    if grey.size == 0 or min(grey.shape) < 2:
        return out
    y0, y1, x0, x1 = _frame_crop(grey)
    inner = grey[y0:y1, x0:x1]
    if min(inner.shape) < 2:
        return out
    ink = _ink_darkness(inner)
    out[y0:y1, x0:x1] = np.clip(np.rint(ink * 255.0), 0, 255).astype(np.uint8)
    return out


# --- a dark frame around the paper -------------------------------------------------------
FRAME_DEPTH = 0.15  # a frame (desk edge, scanner lid) is at most this share of the side deep …
FRAME_DARK = 0.65  # … and at most this bright against the paper just inside it
FRAME_MARGIN = 3  # pixels of the blurred frame edge cut off with it


def _frame_crop(grey: np.ndarray) -> tuple[int, int, int, int]:
    """(top, bottom, left, right) of the picture without a dark frame along its sides.

    Every stroke of the border fit and the polarity test assumes the border is paper; a dark band
    3–25 px wide along three or four sides (the desk beside the page, a scanner's lid) made the
    paper look like ink and every such photo read as "0". A frame is a run of edge rows (or
    columns) whose median is far darker than the paper a few pixels further in: a step, where the
    lighting changes only slowly. Dark ink on dark paper, or bright ink on black, has no such step.
    """
    h, w = grey.shape
    top = _frame_width(np.median(grey, axis=1), int(FRAME_DEPTH * h))
    bottom = _frame_width(np.median(grey, axis=1)[::-1], int(FRAME_DEPTH * h))
    left = _frame_width(np.median(grey, axis=0), int(FRAME_DEPTH * w))
    right = _frame_width(np.median(grey, axis=0)[::-1], int(FRAME_DEPTH * w))
    if top + bottom >= h // 2 or left + right >= w // 2:
        return 0, h, 0, w
    return top, h - bottom, left, w - right


def _frame_width(profile: np.ndarray, depth: int) -> int:
    """How many leading entries of ``profile`` (row or column medians from one edge) are a frame; 0 if none."""
    n = profile.size
    if depth < 2 or n < depth + 10:
        return 0
    steps = np.zeros(depth + 1)
    for width in range(1, depth + 1):
        inside = float(np.median(profile[width + 2:width + 10]))
        outside = float(profile[:width].max())
        if inside > 24.0 and outside <= FRAME_DARK * inside:
            steps[width] = inside - outside
    if not steps.any():
        return 0
    # the widest run still showing (nearly) the full step: the frame's inner edge, not a row short of it
    best = int(np.flatnonzero(steps >= 0.85 * steps.max())[-1])
    return min(best + FRAME_MARGIN, depth)


# --- colour and alpha ------------------------------------------------------------------
def _to_grey(img: Image.Image | np.ndarray) -> np.ndarray:
    """float32 luminance in 0–255 with transparency resolved."""
    rgb, alpha = _split(img)
    if rgb.ndim == 3:
        grey = rgb[..., 0] * 0.299 + rgb[..., 1] * 0.587 + rgb[..., 2] * 0.114  # as PIL's "L"
    else:
        grey = rgb
    grey = grey.astype(np.float32)
    if alpha is None or float(alpha.min()) >= 0.99:
        return grey
    return _composite(grey, alpha)


def _split(img: Image.Image | np.ndarray) -> tuple[np.ndarray, np.ndarray | None]:
    """(grey H×W or RGB H×W×3 float 0–255, alpha H×W in 0–1 or None)."""
    if isinstance(img, Image.Image):
        if img.mode in ("I", "I;16", "I;16B", "I;16L", "I;16N", "F"):
            a = np.asarray(img, dtype=np.float32)
            top = float(a.max()) if a.size else 0.0
            return (a * (255.0 / top) if top > 255.0 else a), None
        has_alpha = img.mode in ("RGBA", "LA", "PA", "RGBa", "La") or "transparency" in img.info
        img = img.convert("RGBA" if has_alpha else "RGB")
        arr = np.asarray(img, dtype=np.float32)
        return arr[..., :3], (arr[..., 3] / 255.0 if has_alpha else None)
    a = np.asarray(img)
    if a.dtype == bool:
        a = a.astype(np.float32) * 255.0
    a = a.astype(np.float32)
    if a.size and np.issubdtype(np.asarray(img).dtype, np.floating) and float(np.nanmax(a)) <= 1.0:
        a = a * 255.0
    a = np.nan_to_num(a, nan=0.0, posinf=255.0, neginf=0.0)
    if a.size and float(a.max()) > 255.0:  # 16-bit data
        a = a * (255.0 / float(a.max()))
    if a.ndim == 2:
        return a, None
    if a.ndim == 3 and a.shape[2] == 1:
        return a[..., 0], None
    if a.ndim == 3 and a.shape[2] == 2:
        return a[..., 0], a[..., 1] / 255.0
    if a.ndim == 3 and a.shape[2] >= 3:
        return a[..., :3], (a[..., 3] / 255.0 if a.shape[2] >= 4 else None)
    return a.reshape(a.shape[0], -1) if a.ndim else a.reshape(1, 1), None


def _composite(grey: np.ndarray, alpha: np.ndarray) -> np.ndarray:
    """Put transparent pixels on a backdrop the ink stands out from.

    When the opaque pixels are few they are the strokes: white strokes go on black, dark
    strokes on white. When they are most of the picture they are the paper, and the
    transparent margin becomes more of it.
    """
    alpha = np.clip(alpha, 0.0, 1.0)
    opaque = alpha > 0.5
    if not opaque.any():
        return np.full(grey.shape, 255.0, dtype=np.float32)  # nothing drawn: blank paper
    if opaque.mean() <= 0.5:
        stroke = float(np.average(grey, weights=alpha + 1e-6))
        backdrop = 0.0 if stroke > 127.5 else 255.0
    else:
        backdrop = float(np.median(grey[opaque]))
    return (grey * alpha + backdrop * (1.0 - alpha)).astype(np.float32)


# --- paper, ink and threshold ----------------------------------------------------------
def _ink_darkness(grey: np.ndarray) -> np.ndarray:
    """float32 H×W in 0–1: how much darker than the paper each pixel is, ink only."""
    # Smooth away sensor noise only where there is some: a clean scan keeps every pixel.
    sigma = min(max(grey.shape) / 500.0, 1.5)
    if sigma < 0.4 or _pixel_noise(grey) < 1.0:
        sigma = 0.0
    smooth = ndimage.gaussian_filter(grey, sigma) if sigma else grey

    small = _shrink(smooth, BACKGROUND_SIDE)
    border_paper, spread = _border_fit(small)
    if not _ink_is_dark(small, border_paper, spread):
        smooth, small, border_paper = 255.0 - smooth, 255.0 - small, 255.0 - border_paper
    paper = _paper(small, border_paper, smooth.shape)
    r = np.clip(1.0 - smooth / paper, 0.0, 1.0).astype(np.float32)

    noise = _noise(r)
    threshold = float(np.clip(_otsu(r), max(4.0 * noise, 0.06), 0.6))
    strong = r > threshold
    if not strong.any():
        return np.zeros_like(r)
    strong, lines = remove_lines(strong)
    keep = _digit_components(strong)
    if not keep.any():
        return np.zeros_like(r)

    level = float(np.percentile(r[keep], 90))
    if level < max(MIN_CONTRAST, 6.0 * noise):  # JPEG blotches on blank paper, not ink
        return np.zeros_like(r)
    floor = min(2.0 * noise, 0.5 * threshold)
    grow = max(1, int(round(2 * sigma + 1)))
    # The anti-aliased rim of the strokes, but not the stubs of removed lines beside them.
    support = ndimage.binary_dilation(keep, iterations=grow) & ~(lines & ~keep)
    out = np.clip((r - floor) / max(level - floor, 1e-3), 0.0, 1.0)
    out[~support] = 0.0
    return out.astype(np.float32)


def _shrink(a: np.ndarray, side: int) -> np.ndarray:
    """A box-filtered copy whose longer side is at most ``side`` (noise averages out)."""
    h, w = a.shape
    f = max(h, w) / side
    if f <= 1.0:
        return a.astype(np.float32)
    size = (max(1, round(w / f)), max(1, round(h / f)))
    return np.asarray(Image.fromarray(a.astype(np.float32), mode="F").resize(size, Image.Resampling.BOX),
                      dtype=np.float32)


def _grow(a: np.ndarray, shape: tuple[int, int]) -> np.ndarray:
    if a.shape == shape:
        return a
    return np.asarray(Image.fromarray(a.astype(np.float32), mode="F").resize((shape[1], shape[0]),
                                                                            Image.Resampling.BILINEAR),
                      dtype=np.float32)


def _odd(n: float) -> int:
    n = max(3, int(round(n)))
    return n if n % 2 else n + 1


def _border_fit(small: np.ndarray) -> tuple[np.ndarray, float]:
    """The paper as a smooth surface fitted to the image's border, and the border's noise.

    The border of a picture of one digit is paper (a page edge or a stroke touching it is
    the minority and is rejected as outliers). A quadratic in x and y follows a linear
    lighting gradient and a lamp's or lens's radial fall-off, and is determined by the four
    edges alone, so the digit cannot bias it.
    """
    h, w = small.shape
    y, x = np.mgrid[-1:1:h * 1j, -1:1:w * 1j]
    ring = np.zeros((h, w), bool)
    b = 2 if min(h, w) > 12 else 1
    ring[:b], ring[-b:], ring[:, :b], ring[:, -b:] = True, True, True, True
    design = np.stack([np.ones_like(x), x, y, x * x, y * y, x * y], axis=-1)
    values = small[ring].astype(np.float64)
    a = design[ring]
    fit = np.full(values.shape, np.median(values))
    inliers = np.ones(values.shape, bool)
    for _ in range(4):
        res = values - fit
        spread = 1.4826 * float(np.median(np.abs(res[inliers]))) + 0.5
        inliers = np.abs(res) <= 2.5 * spread + 2.0
        if inliers.sum() < 12:
            break
        coef, *_ = np.linalg.lstsq(a[inliers], values[inliers], rcond=None)
        fit = a @ coef
    else:
        return (design @ coef).astype(np.float32), spread
    return np.full((h, w), np.median(values), np.float32), spread


def _ink_is_dark(small: np.ndarray, paper: np.ndarray, spread: float) -> bool:
    """Polarity: the ink is what stands out from the paper, to the darker or the brighter
    side. When nothing clearly does, a light border means dark ink on paper, as before."""
    d = small - paper
    dark = float(np.clip(-d - 3.0 * spread - 4.0, 0, None).sum())
    bright = float(np.clip(d - 3.0 * spread - 4.0, 0, None).sum())
    if max(dark, bright) > 0 and max(dark, bright) >= 1.5 * min(dark, bright):
        return dark > bright
    return float(np.median(paper)) > 127


def _paper(small: np.ndarray, border_paper: np.ndarray, shape: tuple[int, int]) -> np.ndarray:
    """The paper's brightness everywhere (ink dark), full size.

    The border fit takes out most of the lighting; a grey closing wider than any stroke then
    fills the strokes in with the paper around them and follows what the fit missed (a
    shadow). The strokes' width is measured first (bold typeset digits are wide), so the
    closing is never narrower than them.
    """
    h, w = small.shape
    ratio = small / np.maximum(border_paper, 1.0)
    r0 = np.clip(1.0 - ratio, 0.0, 1.0)
    rough = r0 > max(_otsu(r0), 0.06)
    stroke = 2.0 * float(ndimage.distance_transform_edt(rough).max()) if rough.any() else 0.0
    k = _odd(max(0.3 * min(h, w), 1.3 * stroke + 2))
    if k >= min(h, w):  # strokes as wide as the picture: the border fit is all we can trust
        paper = border_paper
    else:
        # On the flattened picture, so that a gradient running into an edge (which reflection
        # at the edge turns into a valley) has mostly been taken out already.
        closed = ndimage.grey_closing(ratio, size=(k, k), mode="reflect")
        closed = ndimage.gaussian_filter(closed, k / 3.0, mode="nearest")
        paper = border_paper * np.maximum(closed, 1e-3)
    return np.maximum(_grow(paper, shape), 1.0)


def _pixel_noise(grey: np.ndarray) -> float:
    """Sensor noise in grey levels: the robust spread of differences between neighbouring
    pixels (edges are too few to move their median)."""
    d = np.abs(np.diff(grey, axis=1))
    return 1.4826 * float(np.median(d)) / np.sqrt(2.0)


def _noise(r: np.ndarray) -> float:
    """Robust spread of the paper's pixels (most pixels are paper)."""
    med = float(np.median(r))
    return 1.4826 * float(np.median(np.abs(r - med)))


def _otsu(values: np.ndarray, bins: int = 256) -> float:
    """Otsu's threshold (maximum between-class variance) of values in 0–1."""
    hist, edges = np.histogram(values, bins=bins, range=(0.0, 1.0))
    hist = hist.astype(np.float64)
    centres = (edges[:-1] + edges[1:]) / 2
    w0 = np.cumsum(hist)
    w1 = w0[-1] - w0
    m0 = np.cumsum(hist * centres)
    mu0 = m0 / np.maximum(w0, 1e-12)
    mu1 = (m0[-1] - m0) / np.maximum(w1, 1e-12)
    between = w0 * w1 * (mu0 - mu1) ** 2
    return float(edges[int(np.argmax(between)) + 1])


# --- components ------------------------------------------------------------------------------
def _digit_components(mask: np.ndarray) -> np.ndarray:
    """The digit's connected parts: the main ink and pieces of it nearby. Specks, and
    clutter along the edge of the frame (the page's edge, a finger), are dropped."""
    labels, n = ndimage.label(mask, structure=np.ones((3, 3), bool))
    if n == 0:
        return mask
    h, w = mask.shape
    area = np.bincount(labels.ravel(), minlength=n + 1)[1:]
    boxes = ndimage.find_objects(labels)
    min_speck = max(4.0, (max(h, w) / 120.0) ** 2)
    # A digit one opens is at least ~8 % of the picture's height: ink of a stroke that long.
    min_digit = max(4.0, (0.08 * min(h, w)) ** 2 / 5.0)
    my, mx = int(0.15 * h), int(0.15 * w)
    centre = np.zeros_like(mask)
    centre[my:h - my, mx:w - mx] = True
    central = np.bincount(labels[centre], minlength=n + 1)[1:]
    rim = np.concatenate([labels[0], labels[-1], labels[1:-1, 0], labels[1:-1, -1]])
    contact = np.bincount(rim, minlength=n + 1)[1:]
    touches = contact > 0
    fill = area / np.array([(b[0].stop - b[0].start) * (b[1].stop - b[1].start) for b in boxes], float)
    # Clutter lies along the edge (a page edge, a shadow), or is a solid block meeting the edge
    # over a long stretch (the table beside the page). A tightly cropped digit meets the edge
    # too, but with strokes: most of it is central and its box is mostly paper.
    clutter = touches & ((central < 0.3 * area) | ((contact >= 0.5 * max(h, w)) & (fill > 0.5)))
    candidates = np.flatnonzero(~clutter & (area >= min_speck))
    if candidates.size == 0:
        candidates = np.flatnonzero(area >= min_speck)
        if candidates.size == 0:
            return np.zeros_like(mask)
    main = int(candidates[np.argmax(area[candidates])])
    if area[main] < min_digit:
        return np.zeros_like(mask)
    y0, y1, x0, x1 = boxes[main][0].start, boxes[main][0].stop, boxes[main][1].start, boxes[main][1].stop
    chosen = {main}
    for _ in range(3):  # pieces near the digit may bring further pieces within reach
        reach = 0.3 * max(y1 - y0, x1 - x0)
        added = False
        for c in candidates:
            c = int(c)
            if c in chosen or area[c] < max(min_speck, 0.03 * area[main]):
                continue
            if touches[c] and not touches[main]:  # the digit is inside the frame; this is not it
                continue
            b = boxes[c]
            gap_y = max(y0 - b[0].stop, b[0].start - y1, 0)
            gap_x = max(x0 - b[1].stop, b[1].start - x1, 0)
            if max(gap_y, gap_x) <= reach:
                chosen.add(c)
                y0, y1 = min(y0, b[0].start), max(y1, b[0].stop)
                x0, x1 = min(x0, b[1].start), max(x1, b[1].stop)
                added = True
        if not added:
            break
    return np.isin(labels, np.fromiter(chosen, dtype=np.int64) + 1)
