"""The lab's figures as fill functions: each gets a fresh matplotlib figure on a render thread
(``gui.common.rendered_figure``), plain data and already translated texts, never a widget.

A training reports a gradient point every ~0.15 s; drawing those figures on the GUI thread would
cost it 50-300 ms each time, so the window only paints the finished pictures.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from engine.core.figures import draw_confusion
from engine.lab.readings import fix_title

GRID = {"alpha": 0.3}
SMALL = 7


def _fit_layout(figure: Any, min_width: int = 240, min_height: int = 160) -> None:
    """A figure too small for its labels (a pane being resized) is drawn without the constrained
    layout, which would only warn that it cannot fit them."""
    width, height = figure.get_size_inches() * figure.dpi
    if width < min_width or height < min_height:
        figure.set_layout_engine("none")


def _style(ax: Any, title: str, xlabel: str = "", ylabel: str = "") -> None:
    ax.set_title(title, fontsize=9)
    ax.set_xlabel(xlabel, fontsize=SMALL)
    ax.set_ylabel(ylabel, fontsize=SMALL)
    ax.tick_params(labelsize=SMALL)
    ax.grid(**GRID)


def fill_gradients(points: list[tuple[int, list[float]]], names: list[str], texts: dict[str, str],
                   figure: Any) -> None:
    """The gradient norm of every weighted layer over the batches, log scale: a vanishing gradient
    is a bottom line far below the top one."""
    _fit_layout(figure)
    ax = figure.add_subplot(111)
    _style(ax, texts["title"], texts["batch"], texts["norm"])
    if not points:
        ax.text(0.5, 0.5, texts["empty"], ha="center", va="center", transform=ax.transAxes, fontsize=8)
        return
    batches = [b for b, _ in points]
    norms = np.array([[np.nan if v is None else v for v in n] for _, n in points], dtype=float)
    colors = _layer_colors(norms.shape[1])
    for j in range(norms.shape[1]):
        label = names[j] if j < len(names) else str(j + 1)
        ax.plot(batches, np.clip(norms[:, j], 1e-12, None), lw=1.2, color=colors[j], label=label)
    if np.isfinite(norms).any() and np.nanmax(norms) > 0:
        ax.set_yscale("log")
        _plain_log(ax, norms)
    ax.legend(fontsize=6, ncols=2 if norms.shape[1] > 4 else 1, loc="best")


def _plain_log(ax: Any, values: Any) -> None:
    """Log-scale tick labels as plain numbers (1e-05, 0.01, 1): matplotlib's default writes them in
    mathtext, whose layout made one render of this figure cost the window ~200 ms of interpreter time.
    A range of less than two decades labels its minor ticks too, so the axis never shows one number."""
    from matplotlib.ticker import FuncFormatter, NullFormatter

    plain = FuncFormatter(lambda value, _pos: f"{value:.2g}")
    ax.yaxis.set_major_formatter(plain)
    positive = np.asarray(values, dtype=float)
    positive = positive[np.isfinite(positive) & (positive > 0)]
    narrow = positive.size and np.log10(positive.max() / positive.min()) < 2
    ax.yaxis.set_minor_formatter(plain if narrow else NullFormatter())


def _layer_colors(n: int) -> list[Any]:
    import matplotlib

    cmap = matplotlib.colormaps["viridis"]
    return [cmap(0.9 * i / max(1, n - 1)) for i in range(n)]


def fill_curves(batch_losses: list[tuple[int, float]], history: list[dict[str, float]], epoch_batches: list[int],
                texts: dict[str, str], figure: Any) -> None:
    """Live loss (every compiled chunk, and validation at each epoch end) and accuracy per epoch."""
    _fit_layout(figure, 420)
    ax_loss, ax_acc = figure.subplots(1, 2)
    _style(ax_loss, texts["loss"], texts["batch"])
    _style(ax_acc, texts["accuracy"], texts["epoch"])
    if batch_losses:
        ax_loss.plot([b for b, _ in batch_losses], [v for _, v in batch_losses], lw=1, color="#1a73e8",
                     label=texts["training"])
    val = [(b, h.get("val_loss")) for b, h in zip(epoch_batches, history) if h.get("val_loss") is not None]
    if val:
        ax_loss.plot([b for b, _ in val], [v for _, v in val], "o--", ms=3, color="#e37400", label=texts["validation"])
    if batch_losses or val:
        ax_loss.legend(fontsize=6)
    epochs = [h.get("epoch", i + 1) for i, h in enumerate(history)]
    for key, label, style, color in (("accuracy", texts["training"], "-o", "#1a73e8"),
                                     ("val_accuracy", texts["validation"], "--o", "#e37400")):
        values = [h.get(key) for h in history]
        if any(v is not None for v in values):
            ax_acc.plot(epochs, values, style, ms=3, color=color, label=label)
    if history:
        ax_acc.set_ylim(0, 1)
        ax_acc.legend(fontsize=6)


def fill_histograms(entry: dict[str, Any] | None, texts: dict[str, str], figure: Any) -> None:
    """One layer's weights and activations at the last epoch end."""
    _fit_layout(figure, 420)
    ax_w, ax_a = figure.subplots(1, 2)
    _style(ax_w, texts["weights"])
    _style(ax_a, texts["activations"])
    if not entry:
        for ax in (ax_w, ax_a):
            ax.text(0.5, 0.5, texts["empty"], ha="center", va="center", transform=ax.transAxes, fontsize=8)
        return
    for ax, hist, color in ((ax_w, entry["weights"], "#1a73e8"), (ax_a, entry["activations"], "#188038")):
        edges, counts = hist.get("edges") or [], hist.get("counts") or []
        if counts:
            ax.stairs(counts, edges, fill=True, color=color, alpha=0.7)


def fill_confusion(confusion: list[list[int]] | None, texts: dict[str, str], figure: Any) -> None:
    _fit_layout(figure)
    ax = figure.add_subplot(111)
    ax.set_title(texts["title"], fontsize=9)
    if confusion is None:
        ax.text(0.5, 0.5, texts["empty"], ha="center", va="center", transform=ax.transAxes, fontsize=8)
        ax.set_xticks([])
        ax.set_yticks([])
        return
    draw_confusion(ax, confusion, texts["predicted"], texts["true"])


def fill_experiment(result: dict[str, Any] | None, texts: dict[str, str], lang: str, figure: Any) -> None:
    """Each experiment's measured effect: gradient ratios, diverged or not, gaps, or the digit
    explained two ways."""
    _fit_layout(figure)
    if not result or not result.get("variants"):
        ax = figure.add_subplot(111)
        ax.set_axis_off()
        ax.text(0.5, 0.5, texts["empty"], ha="center", va="center", transform=ax.transAxes, fontsize=9)
        return
    name = result.get("experiment")
    variants = result["variants"]
    if name == "explainability" and result.get("details"):
        _fill_explain(result["details"], texts, figure)
        return
    ax = figure.add_subplot(111)
    labels = [fix_title(v["name"], lang) for v in variants]
    if name == "vanishing":
        values = [v.get("grad_ratio_first_last") or 0.0 for v in variants]
        ax.bar(labels, [max(v, 1e-12) for v in values], color="#1a73e8")
        ax.set_yscale("log")
        _plain_log(ax, values)
        _style(ax, texts["vanishing"], "", texts["ratio"])
        for i, v in enumerate(values):
            ax.annotate(f"{v:.2g}", (i, max(v, 1e-12)), ha="center", va="bottom", fontsize=SMALL)
    elif name == "exploding":
        accs = [0.0 if v["diverged"] or v.get("val_accuracy") is None else v["val_accuracy"] * 100 for v in variants]
        colors = ["#d93025" if v["diverged"] else "#188038" for v in variants]
        ax.bar(labels, accs, color=colors)
        ax.set_ylim(0, 105)
        _style(ax, texts["exploding"], "", texts["val_pct"])
        for i, v in enumerate(variants):
            note = (texts["diverged_at"].format(batch=v.get("diverged_batch")) if v["diverged"]
                    else f"{accs[i]:.1f} %")
            ax.annotate(note, (i, accs[i]), ha="center", va="bottom", fontsize=SMALL)
    else:
        gaps = [(v.get("gap") or 0.0) * 100 for v in variants]
        ax.bar(labels, gaps, color=["#5f6368"] + ["#1a73e8"] * (len(gaps) - 1))
        _style(ax, texts["overfitting"], "", texts["gap"])
        for i, g in enumerate(gaps):
            ax.annotate(f"{g:.1f}", (i, g), ha="center", va="bottom", fontsize=SMALL)
    ax.tick_params(axis="x", labelrotation=20)


def _fill_explain(details: dict[str, Any], texts: dict[str, str], figure: Any) -> None:
    image = np.asarray(details["image"])
    panels = ((image, texts["digit"], "gray_r"), (np.asarray(details["saliency"]), texts["saliency"], "hot"),
              (image, texts["tree"], "gray_r"))
    for i, (data, title, cmap) in enumerate(panels):
        ax = figure.add_subplot(1, 3, i + 1)
        ax.imshow(data, cmap=cmap, vmin=0, vmax=1)
        if i == 2:
            for rule in details["rules"]:
                ax.plot(rule["col"], rule["row"], "o", ms=4, color="#188038" if rule["goes_left"] else "#d93025")
        ax.set_title(title, fontsize=8)
        ax.set_xticks([])
        ax.set_yticks([])
