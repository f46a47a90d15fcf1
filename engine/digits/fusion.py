"""Fusing the picture (CNN) and the pen's path (online model): a weighted mean of log-probabilities.

``weight`` is the CNN's share: 1 reads the picture only, 0 the path only. It is chosen by
writer-disjoint cross-validation on out-of-fold probabilities (each fold's models never saw the
writers they are scored on), never on the official MNIST test set. The reported fused figure is
nested: each fold is scored with the weight chosen on the other folds.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

WEIGHT_GRID = tuple(round(w, 2) for w in np.linspace(0.0, 1.0, 21))
_EPS = 1e-7


def fuse(cnn_probs: np.ndarray, online_probs: np.ndarray, weight: float) -> np.ndarray:
    """Probabilities ∝ cnn^w · online^(1−w), for one ``(10,)`` or a batch ``(n, 10)``."""
    cnn = np.log(np.clip(np.asarray(cnn_probs, np.float64), _EPS, 1.0))
    online = np.log(np.clip(np.asarray(online_probs, np.float64), _EPS, 1.0))
    logits = weight * cnn + (1.0 - weight) * online
    logits -= logits.max(axis=-1, keepdims=True)
    p = np.exp(logits)
    return (p / p.sum(axis=-1, keepdims=True)).astype(np.float32)


def mean_log_probs(probs: np.ndarray, axis: int = 0) -> np.ndarray:
    """Several predictions of one drawing (e.g. test-time augmentations) combined the same way."""
    logits = np.log(np.clip(np.asarray(probs, np.float64), _EPS, 1.0)).mean(axis=axis)
    logits -= logits.max(axis=-1, keepdims=True)
    p = np.exp(logits)
    return (p / p.sum(axis=-1, keepdims=True)).astype(np.float32)


def per_writer_accuracy(correct: np.ndarray, writers: np.ndarray) -> dict[str, float]:
    return {str(int(w)): round(float(correct[writers == w].mean()), 4) for w in np.unique(writers)}


def scores(probs: np.ndarray, labels: np.ndarray, writers: np.ndarray) -> dict[str, object]:
    """Accuracy over all digits, each writer's, and the worst writer's."""
    correct = probs.argmax(axis=1) == labels
    per = per_writer_accuracy(correct, writers)
    return {"accuracy": round(float(correct.mean()), 4), "worst_writer": min(per.values()), "per_writer": per}


def choose_weight(cnn_probs: np.ndarray, online_probs: np.ndarray, labels: np.ndarray, writers: np.ndarray,
                  grid: Sequence[float] = WEIGHT_GRID) -> float:
    """The weight with the best accuracy; ties go to the better worst writer, then the lower log loss."""
    best_key, best_w = None, 0.5
    for w in grid:
        p = fuse(cnn_probs, online_probs, w)
        correct = p.argmax(axis=1) == labels
        worst = min(correct[writers == k].mean() for k in np.unique(writers))
        loss = -np.log(np.clip(p[np.arange(len(labels)), labels], _EPS, 1.0)).mean()
        key = (round(float(correct.mean()), 6), round(float(worst), 6), -float(loss))
        if best_key is None or key > best_key:
            best_key, best_w = key, float(w)
    return best_w


def nested_fusion(cnn_probs: np.ndarray, online_probs: np.ndarray, labels: np.ndarray, writers: np.ndarray,
                  fold_writers: Sequence[Sequence[int]]) -> tuple[np.ndarray, list[float]]:
    """Out-of-fold fused probabilities, each fold's weight chosen on the other folds only."""
    fused = np.zeros_like(cnn_probs, dtype=np.float32)
    weights = []
    for held in fold_writers:
        test = np.isin(writers, held)
        w = choose_weight(cnn_probs[~test], online_probs[~test], labels[~test], writers[~test])
        fused[test] = fuse(cnn_probs[test], online_probs[test], w)
        weights.append(w)
    return fused, weights


def fold_accuracies(probs: np.ndarray, labels: np.ndarray, writers: np.ndarray,
                    fold_writers: Sequence[Sequence[int]]) -> list[float]:
    return [round(float((probs[m].argmax(axis=1) == labels[m]).mean()), 4)
            for m in (np.isin(writers, held) for held in fold_writers)]
