"""The Tables workspace's small figures: a column's histogram or bar chart, and the feature ranking."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject

from gui.common.plots import PlotCanvas

if TYPE_CHECKING:  # pandas
    from engine.tables.profile import ColumnProfile

BAR = "#1a73e8"
TOP_SHOWN = 15


class TablePlots(QObject):
    def draw_column(self, canvas: PlotCanvas, profile: ColumnProfile, is_target: bool = False) -> None:
        ax = canvas.clear()
        if profile.hist_counts:
            edges = profile.hist_edges
            widths = [b - a for a, b in zip(edges[:-1], edges[1:])]
            ax.bar(edges[:-1], profile.hist_counts, width=widths, align="edge", color=BAR, edgecolor="white")
            ax.set_ylabel(self.tr("rows"), fontsize=8)
        elif profile.top:
            labels = [k for k, _ in profile.top][::-1]
            ax.barh(labels, [v for _, v in profile.top][::-1], color=BAR)
            ax.set_xlabel(self.tr("rows"), fontsize=8)
        title = self.tr("{column}: the target's distribution") if is_target else self.tr("{column}")
        ax.set_title(title.format(column=profile.name), fontsize=9)
        ax.tick_params(labelsize=7)
        canvas.redraw()

    def draw_ranking(self, canvas: PlotCanvas, ranking: dict[str, dict[str, float]]) -> None:
        ax = canvas.clear()
        ranked = sorted(ranking.items(), key=lambda kv: -kv[1].get("mutual_information", 0.0))[:TOP_SHOWN][::-1]
        names = [c for c, _ in ranked]
        mi = [v.get("mutual_information", 0.0) for _, v in ranked]
        perm = [max(0.0, v.get("permutation", 0.0) or 0.0) for _, v in ranked]
        ys = range(len(names))
        ax.barh([y + 0.2 for y in ys], mi, height=0.4, color=BAR, label=self.tr("mutual information"))
        ax.barh([y - 0.2 for y in ys], perm, height=0.4, color="#fbbc04", label=self.tr("permutation importance"))
        ax.set_yticks(list(ys), names)
        ax.tick_params(labelsize=7)
        ax.legend(fontsize=7)
        ax.set_title(self.tr("Which columns carry information about the target"), fontsize=9)
        canvas.redraw()
