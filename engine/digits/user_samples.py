"""The person's own handwriting set: corrected drawings kept as PNG files (viewable, no pickle),
and, for drawings made on the canvas, their strokes beside them as plain JSON.

File names carry the label and a timestamp (``7-20261124T101501-3f2a.png``), so the set
survives without an index file that could get out of step with the images. The strokes of
``<stem>.png`` are ``<stem>.strokes.json``: ``{"format": "deepmine-strokes", "version": 1,
"label": 7, "strokes": [[[x, y], …], …]}`` (x, y as the canvas gave them, y down; see
``engine.digits.pen_path``). A PNG without strokes (older samples, images, photos) still teaches
the CNN; only samples with strokes teach the pen-path model.
"""

from __future__ import annotations

import json
import math
import os
import re
import secrets
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import numpy as np
from PIL import Image

from engine.core.atomic import atomic_path, atomic_write_text
from engine.core.errors import InputError
from engine.core.paths import samples_dir

_NAME = re.compile(r"^(?P<label>\d)-(?P<stamp>\d{8}T\d{6})-[0-9a-f]{4}(?:[0-9a-f]{4})?\.png$")
STROKES_SUFFIX = ".strokes.json"
STROKES_FORMAT = "deepmine-strokes"
MAX_STROKES_BYTES = 2_000_000  # a drawing's strokes are a few kB; anything bigger is not ours
MAX_STROKES, MAX_POINTS = 200, 20_000


@dataclass
class UserSample:
    path: Path
    image28: np.ndarray  # float32 (28, 28), ink = 1
    label: int
    created: datetime
    strokes: list[np.ndarray] | None = None  # (n, 2) each, y down; None for a picture-only sample


class UserSamples:
    def __init__(self, root: Path | None = None) -> None:
        self.root = Path(root) if root else samples_dir()
        self.root.mkdir(parents=True, exist_ok=True)

    def add(self, image28: np.ndarray, label: int, strokes=None) -> Path:
        """Keep a correction: the 28×28 image the CNN saw, and the strokes when it was drawn."""
        if not 0 <= int(label) <= 9:
            raise InputError("A digit label must be 0–9, not {label}.", label=label)
        image = np.asarray(image28, dtype=np.float32).reshape(28, 28)
        kept = _valid_strokes(strokes) if strokes is not None else None
        stamp = datetime.now().strftime("%Y%m%dT%H%M%S")
        path = self.root / f"{int(label)}-{stamp}-{secrets.token_hex(4)}.png"
        while path.exists():  # never over another sample saved in the same second
            path = self.root / f"{int(label)}-{stamp}-{secrets.token_hex(4)}.png"
        if kept:  # written first: a PNG never points at strokes that are not there yet
            atomic_write_text(strokes_path(path), json.dumps(
                {"format": STROKES_FORMAT, "version": 1, "label": int(label),
                 "strokes": [[[round(float(x), 5), round(float(y), 5)] for x, y in a] for a in kept]}))
        with atomic_path(path, suffix=".png") as tmp:
            Image.fromarray(np.clip(image * 255, 0, 255).round().astype(np.uint8)).save(tmp, format="PNG")
        return path

    def list(self) -> list[UserSample]:
        samples = []
        for path in sorted(self.root.glob("*.png")):
            match = _NAME.match(path.name)
            if not match:
                continue
            try:
                with Image.open(path) as img:
                    a = np.asarray(img.convert("L").resize((28, 28)), dtype=np.float32) / 255.0
            except OSError:
                continue  # a damaged file is skipped, not fatal
            samples.append(UserSample(path, a, int(match["label"]),
                                      datetime.strptime(match["stamp"], "%Y%m%dT%H%M%S"),
                                      read_strokes(strokes_path(path), int(match["label"]))))
        return samples

    def delete(self, path: str | os.PathLike[str]) -> None:
        path = Path(path).resolve()
        if path.parent != self.root.resolve():  # never delete outside the samples folder
            raise InputError("{name} is not one of your samples.", name=str(path))
        path.unlink(missing_ok=True)
        strokes_path(path).unlink(missing_ok=True)

    def arrays(self) -> tuple[np.ndarray, np.ndarray]:
        samples = self.list()
        if not samples:
            return np.zeros((0, 28, 28), np.float32), np.zeros(0, np.int64)
        return (np.stack([s.image28 for s in samples]).astype(np.float32),
                np.array([s.label for s in samples], dtype=np.int64))

    def stroke_samples(self) -> tuple[list[list[np.ndarray]], np.ndarray]:
        """The samples drawn on the canvas: their strokes and labels (for the pen-path model)."""
        drawn = [s for s in self.list() if s.strokes]
        return [s.strokes for s in drawn], np.array([s.label for s in drawn], dtype=np.int64)  # type: ignore[misc]


def strokes_path(png: Path) -> Path:
    return png.with_name(png.name[:-len(".png")] + STROKES_SUFFIX)


def _valid_strokes(strokes) -> list[np.ndarray] | None:
    """Finite (n, 2) strokes within the size limits, or None (the sample is then picture-only)."""
    try:
        arrays = [a for a in (np.asarray(s, dtype=np.float64) for s in strokes) if a.size]
    except (TypeError, ValueError):
        return None
    if any(a.ndim != 2 or a.shape[1] != 2 for a in arrays):
        return None
    if not arrays or len(arrays) > MAX_STROKES or sum(len(a) for a in arrays) > MAX_POINTS:
        return None
    if not all(math.isfinite(v) for a in arrays for v in a.ravel()):
        return None
    return arrays


def read_strokes(path: Path, label: int) -> list[np.ndarray] | None:
    """A sample's strokes, or None when it has none or the file is not a valid strokes file."""
    try:
        if path.stat().st_size > MAX_STROKES_BYTES:
            return None
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("format") != STROKES_FORMAT or data.get("label") != label:
        return None
    strokes = data.get("strokes")
    return _valid_strokes(strokes) if isinstance(strokes, list) else None
