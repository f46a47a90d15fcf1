"""The person's own handwriting set: corrected drawings kept as PNG files (viewable, no pickle).

File names carry the label and a timestamp (``7-20261124T101501-3f2a.png``), so the set
survives without an index file that could get out of step with the images.
"""

from __future__ import annotations

import os
import re
import secrets
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import numpy as np
from PIL import Image

from engine.core.atomic import atomic_path
from engine.core.errors import InputError
from engine.core.paths import samples_dir

_NAME = re.compile(r"^(?P<label>\d)-(?P<stamp>\d{8}T\d{6})-[0-9a-f]{4}\.png$")


@dataclass
class UserSample:
    path: Path
    image28: np.ndarray  # float32 (28, 28), ink = 1
    label: int
    created: datetime


class UserSamples:
    def __init__(self, root: Path | None = None) -> None:
        self.root = Path(root) if root else samples_dir()
        self.root.mkdir(parents=True, exist_ok=True)

    def add(self, image28: np.ndarray, label: int) -> Path:
        if not 0 <= int(label) <= 9:
            raise InputError("A digit label must be 0–9, not {label}.", label=label)
        image = np.asarray(image28, dtype=np.float32).reshape(28, 28)
        stamp = datetime.now().strftime("%Y%m%dT%H%M%S")
        path = self.root / f"{int(label)}-{stamp}-{secrets.token_hex(2)}.png"
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
                                      datetime.strptime(match["stamp"], "%Y%m%dT%H%M%S")))
        return samples

    def delete(self, path: str | os.PathLike[str]) -> None:
        path = Path(path).resolve()
        if path.parent != self.root.resolve():  # never delete outside the samples folder
            raise InputError("{name} is not one of your samples.", name=str(path))
        path.unlink(missing_ok=True)

    def arrays(self) -> tuple[np.ndarray, np.ndarray]:
        samples = self.list()
        if not samples:
            return np.zeros((0, 28, 28), np.float32), np.zeros(0, np.int64)
        return (np.stack([s.image28 for s in samples]).astype(np.float32),
                np.array([s.label for s in samples], dtype=np.int64))
