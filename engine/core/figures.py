"""Figure drawing shared by the GUI's embedded plots and the report (matplotlib only, no Qt).

Callers pass the texts (already translated by ``tr()`` or ``t()``), so one drawing serves both.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

MODEL_COLORS = {"tree": "#1a73e8", "forest": "#188038", "boosting": "#e37400"}


def draw_confusion(ax, confusion, xlabel: str, ylabel: str, fontsize: int = 6) -> None:
    cm = np.asarray(confusion)
    ax.imshow(cm, cmap="Blues")
    for i in range(cm.shape[0]):
        for j in range(cm.shape[1]):
            if cm[i, j]:
                ax.text(j, i, str(cm[i, j]), ha="center", va="center", fontsize=fontsize,
                        color="white" if cm[i, j] > cm.max() / 2 else "black")
    ax.set_xticks(range(cm.shape[1]))
    ax.set_yticks(range(cm.shape[0]))
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)


def draw_curves(fig, history: list[dict[str, float]], texts: dict[str, str]) -> None:
    """Loss and accuracy per epoch, training and validation. ``texts``: loss, accuracy, epoch,
    training, validation."""
    ax_loss, ax_acc = fig.subplots(1, 2)
    epochs = [h.get("epoch", i + 1) for i, h in enumerate(history)]
    for ax, keys, title in ((ax_loss, ("loss", "val_loss"), texts["loss"]),
                            (ax_acc, ("accuracy", "val_accuracy"), texts["accuracy"])):
        for key, label, style in ((keys[0], texts["training"], "-o"), (keys[1], texts["validation"], "--o")):
            values = [h.get(key) for h in history]
            if any(v is not None for v in values):
                ax.plot(epochs, values, style, label=label, markersize=3)
        ax.set_title(title, fontsize=9)
        ax.set_xlabel(texts["epoch"], fontsize=8)
        ax.tick_params(labelsize=7)
        ax.grid(alpha=0.3)
        if history:
            ax.legend(fontsize=7)


def draw_importances(ax, importances: dict[str, dict[str, float]], features: list[str], labels: dict[str, str],
                     xlabel: str) -> None:
    """Grouped horizontal bars per model, features ordered by the tree's importance."""
    order = np.argsort([importances["tree"].get(f, 0) for f in features])
    y = np.arange(len(features))
    for i, name in enumerate(("tree", "forest", "boosting")):
        ax.barh(y + (i - 1) * 0.27, [importances.get(name, {}).get(features[j], 0.0) for j in order], 0.27,
                label=labels[name], color=MODEL_COLORS[name])
    ax.set_yticks(y, [features[j] for j in order], fontsize=7)
    ax.tick_params(labelsize=7)
    ax.set_xlabel(xlabel, fontsize=8)
    ax.legend(fontsize=7, loc="lower right")
    ax.grid(axis="x", alpha=0.3)


def draw_scatter(ax, truth, predictions: dict[str, list[float]], labels: dict[str, str], xlabel: str, ylabel: str,
                 diagonal_label: str | None = None) -> None:
    truth = np.asarray(truth)
    for name, values in predictions.items():
        ax.scatter(truth, values, s=8, alpha=0.6, label=labels.get(name, name), color=MODEL_COLORS.get(name))
    lo, hi = float(truth.min()), float(truth.max())
    ax.plot([lo, hi], [lo, hi], color="#5f6368", linewidth=1, label=diagonal_label)
    ax.set_xlabel(xlabel, fontsize=8)
    ax.set_ylabel(ylabel, fontsize=8)
    ax.tick_params(labelsize=7)
    ax.legend(fontsize=7)
    ax.grid(alpha=0.3)


@dataclass(frozen=True)
class DrawnAxes:
    """What one rendered panel shows: enough for a test or a caption, without keeping the figure."""

    title: str
    lines: int


def render_rgba(fill, width_px: int, height_px: int, dpi: float) -> tuple[list[DrawnAxes], bytes]:
    """A new figure of that pixel size, filled by ``fill(figure)`` and rendered by Agg; returns what
    each panel shows and the RGBA pixels. Safe on a worker thread (the figure is this call's own).

    The cycle collector is paused while the figure exists and the figure is not kept: its tens of
    thousands of objects otherwise reached the oldest generation, and the full collections that
    followed held the interpreter lock for 150-210 ms, freezing the window (measured in Compare).
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    from engine.core.heap import collector_paused

    with collector_paused():
        figure = Figure(figsize=(max(width_px, 1) / dpi, max(height_px, 1) / dpi), dpi=dpi, layout="constrained")
        canvas = FigureCanvasAgg(figure)
        fill(figure)
        canvas.draw()
        pixels = bytes(canvas.buffer_rgba())
        drawn = [DrawnAxes(ax.get_title(), len(ax.get_lines())) for ax in figure.axes]
        figure.clear()
        del figure, canvas
    return drawn, pixels
