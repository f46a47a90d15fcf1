"""The pen-path model as the window runs it: LiteRT only, no TensorFlow, no Qt.

``OnlineRecogniser.load_for_app()`` gives the person's fine-tuned model when there is a valid one,
else the shipped one, or ``None`` with the reason (a damaged or unlisted file is refused, never run):
the canvas then reads the picture alone. ``read_drawing`` fuses the two models' answers when the
drawing has strokes; an image or a photo (no strokes) never calls the online model.
Strokes: see ``engine.digits.pen_path`` (list of ``(n, 2)`` x, y arrays, y down, in drawing order).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from engine.core.errors import DataError, DeepMineError
from engine.core.i18n import t
from engine.digits import fusion, shipped
from engine.digits.pen_path import POINTS, Strokes, features_and_points, has_path, tta_features

DEFAULT_WEIGHT = 0.5  # only when a card carries no fusion weight
TTA_SEED = 0  # test-time augmentation is seeded: the same drawing always gets the same answer
OCCLUSION_HALF_WIDTH = 2  # points hidden on each side of the one whose importance is measured
USER_DIR = "online-model"  # under the user data dir: the person's fine-tuned pen-path model
USER_STEM = "digits-online-user"


@dataclass(frozen=True)
class PathImportance:
    """How much each resampled point of the path mattered to the online model's answer."""

    points: np.ndarray  # (POINTS, 2) on the path, in the coordinates the strokes were given in
    stroke_start: np.ndarray  # (POINTS,) bool: the pen came down here (do not join to the point before)
    importance: np.ndarray  # (POINTS,) in [0, 1]: how far the answer's lead shrinks when the point is hidden
    digit: int  # the answer this explains: the clean path's (no test-time augmentation)


@dataclass(frozen=True)
class FusedReading:
    """The canvas's answer and which models gave it, with how sure each was."""

    digit: int
    confidence: float
    probabilities: np.ndarray  # (10,) the answer shown
    cnn_probabilities: np.ndarray
    online_probabilities: np.ndarray | None  # None: the online model was not asked (no strokes, or none loaded)
    answered_by: tuple[str, ...]  # ("cnn",) or ("cnn", "online")
    weight: float | None  # the CNN's share in the fusion, None when the CNN answered alone


class OnlineRecogniser:
    """One verified ``.tflite`` pen-path model, the fusion weight its card gives and how many
    augmented copies of a drawing it averages (test-time augmentation, chosen with the weight)."""

    def __init__(self, tflite_path: str | Path, weight: float = DEFAULT_WEIGHT, card: dict[str, Any] | None = None,
                 points: int = POINTS, tta_copies: int | None = None) -> None:
        from engine.core.litert import LiteModel

        try:
            self._lite = LiteModel(tflite_path)
        except (ValueError, RuntimeError, OSError) as exc:
            raise DataError("The model file {name} cannot be read ({reason}).", name=Path(tflite_path).name,
                            reason=exc) from exc
        self.path = Path(tflite_path)
        self.weight = float(weight)
        self.card = card or {}
        self.points = int(points)
        copies = self.card.get("fusion", {}).get("online_tta_copies", 0) if tta_copies is None else tta_copies
        self.tta_copies = int(copies) if isinstance(copies, int) and 0 <= copies <= 32 else 0

    @classmethod
    def from_shipped(cls, root: Path | None = None) -> "OnlineRecogniser":
        """The shipped model after checking its file against the card; ``DataError`` saying why not."""
        path, card = shipped.verified_litert(shipped.ONLINE, root)
        return cls(path, _card_weight(card), card, int(card.get("input", {}).get("points", POINTS)))

    @classmethod
    def from_user(cls, folder: Path | None = None) -> "OnlineRecogniser":
        """The person's fine-tuned model (``fine_tune_online_task``), checked against its own card."""
        from engine.core.cache import sha256_file

        folder = folder or user_model_dir()
        card_file = folder / f"{USER_STEM}.card.json"
        try:
            card = json.loads(card_file.read_text(encoding="utf-8"))
            name = Path(str(card["tflite_file"])).name
            expected = str(card["files"][name])
        except (OSError, UnicodeDecodeError, ValueError, KeyError, TypeError) as exc:
            raise DataError("Your fine-tuned pen-path model cannot be used ({reason}).", reason=exc) from exc
        path = folder / name
        if not path.exists() or sha256_file(path) != expected:
            raise DataError("Your fine-tuned pen-path model cannot be used ({reason}).",
                            reason=t("{name} does not match its card", name=name))
        return cls(path, _card_weight(card), card, int(card.get("points", POINTS)))

    @classmethod
    def load_for_app(cls, root: Path | None = None,
                     prefer_user: bool = True) -> tuple["OnlineRecogniser | None", list[str]]:
        """The model the canvas should use and the notices to show; never raises.

        ``(None, [reason])`` when no pen-path model can be used: the CNN answers alone."""
        notices: list[str] = []
        if prefer_user and (user_model_dir() / f"{USER_STEM}.card.json").exists():
            try:
                return cls.from_user(), notices
            except DeepMineError as exc:
                notices.append(t("{reason} Using the shipped pen-path model.", reason=exc))
        try:
            return cls.from_shipped(root), notices
        except DeepMineError as exc:
            notices.append(t("{reason} The canvas reads the picture only (CNN).", reason=exc))
        return None, notices

    # -- reading a path ----------------------------------------------------------------------
    def _features(self, strokes: Strokes) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        return features_and_points(strokes, self.points)

    def predict_strokes(self, strokes: Strokes, tta_copies: int | None = None) -> np.ndarray:
        """(10,) probabilities for one drawing's strokes; ``InputError`` when there are none.

        The clean path and ``tta_copies`` (default: the card's) augmented ones go through LiteRT in one
        batch; their log-probabilities are averaged."""
        copies = self.tta_copies if tta_copies is None else tta_copies
        probs = self._lite.run(tta_features(strokes, copies, TTA_SEED, self.points))
        return probs[0] if len(probs) == 1 else fusion.mean_log_probs(probs, axis=0)

    def predict_batch(self, features: np.ndarray) -> np.ndarray:
        """(n, 10) for already computed ``(n, points, FEATURES)`` sequences (benchmarks, tests)."""
        return self._lite.run(np.asarray(features, np.float32))

    def point_importance(self, strokes: Strokes) -> PathImportance:
        """Occlusion over the path, in one LiteRT batch: each point's window hidden in turn."""
        features, xy, start = self._features(strokes)
        n = len(features)
        batch = np.repeat(features[None], n + 1, axis=0)
        for i in range(n):
            batch[i + 1, max(0, i - OCCLUSION_HALF_WIDTH):i + OCCLUSION_HALF_WIDTH + 1] = 0.0
        log_probs = np.log(np.clip(self._lite.run(batch).astype(np.float64), 1e-37, 1.0))
        digit = int(log_probs[0].argmax())
        # the answer's margin over the runner-up in log-probability: a confident softmax saturates at 1.0
        # (its log barely moves), the runner-up's tiny probability still does
        others = np.delete(log_probs, digit, axis=1).max(axis=1)
        margin = log_probs[:, digit] - others
        drop = np.maximum(0.0, margin[0] - margin[1:])
        peak = float(drop.max())
        return PathImportance(xy.astype(np.float32), start.astype(bool),
                              (drop / peak if peak > 0 else drop).astype(np.float32), digit)

    def fuse(self, cnn_probs: np.ndarray, online_probs: np.ndarray) -> np.ndarray:
        return fusion.fuse(cnn_probs, online_probs, self.weight)


def read_drawing(cnn_probs: np.ndarray, strokes: Strokes | None, online: OnlineRecogniser | None) -> FusedReading:
    """The answer for a drawing: fused when it has strokes and a pen-path model is loaded, else the CNN's."""
    cnn = np.asarray(cnn_probs, np.float32).reshape(10)
    if online is None or strokes is None or not has_path(strokes):
        digit = int(cnn.argmax())
        return FusedReading(digit, float(cnn[digit]), cnn, cnn, None, ("cnn",), None)
    pen = online.predict_strokes(strokes)
    fused = online.fuse(cnn, pen)
    digit = int(fused.argmax())
    return FusedReading(digit, float(fused[digit]), fused, cnn, pen, ("cnn", "online"), online.weight)


def user_model_dir() -> Path:
    from engine.core.paths import data_home

    return data_home() / USER_DIR


def _card_weight(card: dict[str, Any]) -> float:
    weight = card.get("fusion", {}).get("weight", card.get("fusion_weight", DEFAULT_WEIGHT))
    return float(weight) if isinstance(weight, (int, float)) and 0.0 <= weight <= 1.0 else DEFAULT_WEIGHT
