"""The Compare plots, drawn the same way in the app and in the report (matplotlib, no Qt).

Callers pass translated texts, so one drawing serves both languages and both places.
"""

from __future__ import annotations

from collections.abc import Callable

from engine.compare.results import CompareResult

COLORS = {"tree": "#1a73e8", "forest": "#188038", "boosting": "#e37400", "mlp": "#a142f4", "cnn": "#d93025"}
MARKERS = {"tree": "o", "forest": "s", "boosting": "^", "mlp": "D", "cnn": "P"}


def draw_learning_curves(ax, result: CompareResult, task: str, label: Callable[[str], str], xlabel: str,
                         ylabel: str, title: str) -> None:
    """Score against training-set size (log x), one line per model; the networks dashed."""
    for model in result.models(task):
        curve = result.curve(task, model)
        if not curve:
            continue
        ax.plot([c.size for c in curve], [c.score for c in curve], marker=MARKERS.get(model, "o"), markersize=4,
                linestyle="--" if model in ("mlp", "cnn") else "-", color=COLORS.get(model), label=label(model))
    _log_axis(ax, result.sizes(task))
    _finish(ax, xlabel, ylabel, title)


def _finish(ax, xlabel: str, ylabel: str, title: str) -> None:
    ax.set_xlabel(xlabel, fontsize=8)
    ax.set_ylabel(ylabel, fontsize=8)
    ax.set_title(title, fontsize=9)
    ax.tick_params(labelsize=7)
    ax.grid(True, which="both", alpha=0.25)
    if ax.get_legend_handles_labels()[0]:
        ax.legend(fontsize=7)


def _log_axis(ax, sizes: list[int]) -> None:
    """Log scale labelled with the sizes actually measured, as plain numbers (not 3×10²)."""
    from matplotlib.ticker import FixedLocator, FuncFormatter, NullFormatter

    ax.set_xscale("log")
    if sizes:
        ax.xaxis.set_major_locator(FixedLocator(sizes))
        ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:,.0f}"))
        ax.xaxis.set_minor_formatter(NullFormatter())


def draw_score_vs_time(ax, result: CompareResult, task: str, label: Callable[[str], str], xlabel: str,
                       ylabel: str, title: str) -> None:
    """Score against training time (log x): what each point of accuracy costs in computing."""
    for model in result.models(task):
        curve = result.curve(task, model)
        if not curve:
            continue
        ax.plot([max(c.train_seconds, 1e-3) for c in curve], [c.score for c in curve], marker=MARKERS.get(model, "o"),
                markersize=4, linestyle=":", color=COLORS.get(model), label=label(model))
    ax.set_xscale("log")
    _finish(ax, xlabel, ylabel, title)
