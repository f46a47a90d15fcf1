"""The Tables workspace's figures: a column's histogram or bar chart, mutual information beside
permutation importance, a row's "what if" sweep and the depth lab's curve."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject

from engine.core import figures
from engine.tables.settings import model_label
from gui.common.plots import PlotCanvas

if TYPE_CHECKING:  # pandas
    from matplotlib.figure import Figure

    from engine.tables.explain import WhatIf
    from engine.tables.profile import ColumnProfile

BAR = "#1a73e8"
PERMUTATION = "#fbbc04"
TOP_SHOWN = 15
MODEL_COLORS = {**figures.MODEL_COLORS, "mlp": "#9334e6"}


class TablePlots(QObject):
    def column_fill(self, profile: ColumnProfile, is_target: bool = False) -> Callable[[Figure], None]:
        """A column's histogram (numbers) or bar chart (categories), as a fill for a ``RenderedFigure``: it is
        drawn on a worker thread, so every text is translated here, on the GUI thread."""
        rows = self.tr("rows")
        title = (self.tr("{column}: the target's distribution") if is_target else self.tr("{column}")).format(
            column=profile.name)
        counts, edges, top = list(profile.hist_counts or []), list(profile.hist_edges or []), list(profile.top or [])

        def fill(figure: Figure) -> None:
            ax = figure.add_subplot(111)
            if counts:
                widths = [b - a for a, b in zip(edges[:-1], edges[1:])]
                ax.bar(edges[:-1], counts, width=widths, align="edge", color=BAR, edgecolor="white")
                ax.set_ylabel(rows, fontsize=8)
            elif top:
                ax.barh([str(k) for k, _ in top][::-1], [v for _, v in top][::-1], color=BAR)
                ax.set_xlabel(rows, fontsize=8)
            ax.set_title(title, fontsize=9)
            ax.tick_params(labelsize=7)

        return fill

    def draw_ranking(self, canvas: PlotCanvas, ranking: dict[str, dict[str, float]], permutation_model: str = ""
                     ) -> None:
        """Two panels sharing the columns: mutual information (any model) and permutation importance (the
        drop of the held-out score when the column is shuffled)."""
        fig = canvas.figure
        fig.clear()
        left, right = fig.subplots(1, 2, sharey=True)
        ranked = sorted(ranking.items(), key=lambda kv: -kv[1].get("mutual_information", 0.0))[:TOP_SHOWN][::-1]
        names = [c for c, _ in ranked]
        ys = list(range(len(names)))
        left.barh(ys, [v.get("mutual_information", 0.0) for _, v in ranked], color=BAR)
        perm = [v.get("permutation", 0.0) for _, v in ranked]
        right.barh(ys, [p if p == p else 0.0 for p in perm], color=PERMUTATION)
        right.axvline(0, color="#5f6368", linewidth=0.8)
        left.set_yticks(ys, names)
        left.set_title(self.tr("mutual information"), fontsize=8)
        right.set_title(self.tr("permutation importance") + (f" ({permutation_model})" if permutation_model else ""),
                        fontsize=8)
        for ax in (left, right):
            ax.tick_params(labelsize=7)
            ax.grid(axis="x", alpha=0.3)
        fig.suptitle(self.tr("Which columns carry information about the target"), fontsize=9)
        canvas.redraw()

    def draw_what_if(self, canvas: PlotCanvas, sweep: WhatIf, target: str, row: int) -> None:
        ax = canvas.clear()
        names = [sweep.best] + [m for m in sweep.curves if m != sweep.best]
        positions = list(range(len(sweep.xs))) if not sweep.numeric else sweep.xs
        for name in names:
            values = sweep.curves.get(name) or []
            if len(values) != len(sweep.xs):
                continue
            best = name == sweep.best
            label = model_label(name) + (" ★" if best else "")
            style = dict(color=MODEL_COLORS.get(name, "#5f6368"), linewidth=2.4 if best else 1.0,
                         alpha=1.0 if best else 0.55, label=label, zorder=3 if best else 2)
            if sweep.numeric:
                ax.plot(positions, values, drawstyle="steps-post" if name == "tree" else "default", **style)
            else:
                ax.plot(positions, values, marker="o", markersize=6 if best else 4, linestyle="-" if best else ":",
                        **style)
        if sweep.current is not None:
            if sweep.numeric:
                ax.axvline(float(sweep.current), color="#5f6368", linestyle="--", linewidth=1,
                           label=self.tr("row {n}").format(n=row + 1))
            elif str(sweep.current) in sweep.xs:
                ax.axvspan(sweep.xs.index(str(sweep.current)) - 0.4, sweep.xs.index(str(sweep.current)) + 0.4,
                           color="#fbbc04", alpha=0.25, label=self.tr("row {n}").format(n=row + 1))
        if not sweep.numeric:
            ax.set_xticks(positions, [str(x) for x in sweep.xs], rotation=30 if len(sweep.xs) > 5 else 0,
                          ha="right" if len(sweep.xs) > 5 else "center")
        ax.set_xlabel(sweep.column, fontsize=8)
        if sweep.positive is not None:
            ax.set_ylabel(self.tr("probability that {target} is {value}").format(target=target, value=sweep.positive),
                          fontsize=8)
            ax.set_ylim(-0.03, 1.03)
        else:
            ax.set_ylabel(self.tr("predicted {target}").format(target=target), fontsize=8)
        ax.set_title(self.tr("Row {n}: what if {feature} changed, everything else the same?").format(
            n=row + 1, feature=sweep.column), fontsize=9)
        ax.tick_params(labelsize=7)
        ax.legend(fontsize=7)
        ax.grid(alpha=0.3)
        canvas.redraw()

    def draw_depth_curve(self, canvas: PlotCanvas, curve: list[dict[str, float]], depth: int, metric: str,
                         lower_is_better: bool) -> None:
        ax = canvas.clear()
        depths = [int(c["depth"]) for c in curve]
        ax.plot(depths, [c["train"] for c in curve], "-o", markersize=3, color="#1a73e8",
                label=self.tr("training folds"))
        ax.plot(depths, [c["cv"] for c in curve], "-o", markersize=3, color="#e37400",
                label=self.tr("held-out folds (cross-validated)"))
        best = (min if lower_is_better else max)(curve, key=lambda c: c["cv"])
        ax.annotate(self.tr("best: depth {depth}").format(depth=int(best["depth"])), (best["depth"], best["cv"]),
                    textcoords="offset points", xytext=(0, 12), fontsize=7, ha="center")
        ax.axvline(depth, color="#5f6368", linestyle="--", linewidth=1, label=self.tr("chosen depth"))
        ax.set_xlabel(self.tr("Tree depth"), fontsize=8)
        ax.set_ylabel(metric, fontsize=8)
        ax.set_title(self.tr("Deeper trees fit their training rows better — and new rows worse"), fontsize=9)
        ax.tick_params(labelsize=7)
        ax.legend(fontsize=7)
        ax.grid(alpha=0.3)
        canvas.redraw()

    def draw_confusion(self, canvas: PlotCanvas, confusion: list[list[int]], classes: list[str], model: str) -> None:
        """The out-of-fold confusion matrix of one model: which classes it mistakes for which."""
        ax = canvas.clear()
        figures.draw_confusion(ax, confusion, self.tr("predicted"), self.tr("actual"),
                               fontsize=8 if len(classes) <= 10 else 6)
        shown = [c if len(c) <= 12 else c[:11] + "…" for c in map(str, classes)]
        ax.set_xticklabels(shown, rotation=45 if len(classes) > 4 else 0, ha="right" if len(classes) > 4 else "center",
                           fontsize=7)
        ax.set_yticklabels(shown, fontsize=7)
        ax.set_title(self.tr("Confusion matrix (held-out folds)") + "\n" + model, fontsize=8)  # long names fit
        canvas.redraw()
