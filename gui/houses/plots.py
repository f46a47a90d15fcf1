"""The house workspace's figures: the tree with the house's path lit up, feature importances,
the what-if sweep, the depth curve and predicted-vs-actual. Each draws into a PlotCanvas."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QObject

from engine.core import figures
from engine.houses.models import model_label
from engine.core.results import HousePrediction, HouseModelsInfo
from gui.common.plots import PlotCanvas

TREE_DEPTH_SHOWN = 3  # deeper trees are unreadable on screen; the words give the whole path
PATH_COLOR = "#fbbc04"


def preorder_shown(tree, max_depth: int) -> list[int]:
    """Node ids in the order sklearn's plot_tree draws them (pre-order; "(...)" stubs included)."""
    order: list[int] = []

    def visit(node: int, depth: int) -> None:
        order.append(node)
        left, right = tree.children_left[node], tree.children_right[node]
        if left != -1 and depth < max_depth:
            visit(left, depth + 1)
            visit(right, depth + 1)
        elif left != -1 and depth == max_depth:
            order.append(left)  # drawn as "(...)"
            order.append(right)

    visit(0, 0)
    return order



class HousePlots(QObject):
    """The house workspace's figures; a QObject so their texts are translated with ``self.tr``
    like every other view's."""

    def draw_tree(self, canvas: PlotCanvas, estimator, features: list[str], pred: HousePrediction | None) -> None:
        from sklearn.tree import plot_tree

        fig = canvas.figure
        fig.clear()
        ax = fig.add_subplot(111)
        annotations = plot_tree(estimator, max_depth=TREE_DEPTH_SHOWN, feature_names=features, filled=False,
                                impurity=False, proportion=False, rounded=True, precision=2, fontsize=7, ax=ax)
        edge_words = {"True": self.tr("yes"), "False": self.tr("no")}
        for a in annotations:  # sklearn writes English; the person reads their language
            text = a.get_text()
            if text.strip() in edge_words:
                a.set_text(edge_words[text.strip()])
            else:
                a.set_text(text.replace("samples = ", self.tr("houses = ")).replace("value = ", self.tr("price = ")))
        annotations = [a for a in annotations if a.get_text().strip() not in edge_words.values()]  # edge labels
        order = preorder_shown(estimator.tree_, TREE_DEPTH_SHOWN)
        on_path = set()
        if pred is not None:
            on_path = {step.node_id for step in pred.path} | {pred.leaf_node}
        if len(order) == len(annotations):  # the mapping holds for this sklearn; else plain tree
            for node, text in zip(order, annotations):
                box = text.get_bbox_patch()
                if box is None:
                    continue
                lit = node in on_path
                stub = text.get_text().strip() == "(...)"
                box.set_facecolor(PATH_COLOR if lit else ("#dadce0" if stub else "#f1f3f4"))
                box.set_edgecolor("#b06000" if lit else "#9aa0a6")
                box.set_linewidth(2.0 if lit else 0.8)
                if lit and text.arrow_patch is not None:
                    text.arrow_patch.set_color("#b06000")
                    text.arrow_patch.set_linewidth(2.0)
        ax.set_title(self.tr("The decision tree (top {depth} levels); this house's path is highlighted")
                     .format(depth=TREE_DEPTH_SHOWN), fontsize=9)
        canvas.redraw()


    def _labels(self) -> dict[str, str]:
        return {name: model_label(name) for name in ("tree", "forest", "boosting")}


    def draw_importances(self, canvas: PlotCanvas, info: HouseModelsInfo) -> None:
        ax = canvas.clear()
        figures.draw_importances(ax, info.importances, list(info.features), self._labels(),
                                 self.tr("Share of the model's decisions (importance)"))
        ax.set_title(self.tr("Which features the models rely on"), fontsize=9)
        canvas.redraw()


    def draw_what_if(self, canvas: PlotCanvas, feature: str, xs: np.ndarray, ys: dict[str, np.ndarray], current: float,
                     unit: str) -> None:
        ax = canvas.clear()
        for name, values in ys.items():
            ax.plot(xs, values, label=model_label(name), color=figures.MODEL_COLORS.get(name), drawstyle="steps-post"
                    if name == "tree" else "default")
        ax.axvline(current, color="#5f6368", linestyle="--", linewidth=1, label=self.tr("this house"))
        ax.set_xlabel(f"{feature} ({unit})" if unit else feature)
        ax.set_ylabel(self.tr("Predicted price ($1000s)"))
        ax.set_title(self.tr("What if {feature} changed, everything else the same?").format(feature=feature), fontsize=9)
        ax.legend(fontsize=7)
        ax.grid(alpha=0.3)
        canvas.redraw()


    def draw_depth_curve(self, canvas: PlotCanvas, curve: list[dict[str, float]], current_depth: int | None) -> None:
        ax = canvas.clear()
        if curve:
            depths = [c["depth"] for c in curve]
            ax.plot(depths, [c["train_mse"] for c in curve], "-o", markersize=3, label=self.tr("training error"))
            ax.plot(depths, [c["cv_mse"] for c in curve], "-o", markersize=3, label=self.tr("cross-validated error"))
            best = min(curve, key=lambda c: c["cv_mse"])
            ax.annotate(self.tr("best: depth {depth}").format(depth=int(best["depth"])),
                        (best["depth"], best["cv_mse"]), textcoords="offset points", xytext=(0, 12), fontsize=7,
                        ha="center")
            if current_depth is not None:
                ax.axvline(current_depth, color="#5f6368", linestyle="--", linewidth=1, label=self.tr("current depth"))
            ax.legend(fontsize=7)
        ax.set_xlabel(self.tr("Tree depth"))
        ax.set_ylabel(self.tr("Mean squared error"))
        ax.set_title(self.tr("Deeper trees fit the training data better — and new houses worse"), fontsize=9)
        ax.grid(alpha=0.3)
        canvas.redraw()


    def draw_scatter(self, canvas: PlotCanvas, info: HouseModelsInfo) -> None:
        ax = canvas.clear()
        figures.draw_scatter(ax, info.heldout_true, info.heldout_pred, self._labels(), self.tr("Actual price ($1000s)"),
                             self.tr("Predicted price ($1000s)"), self.tr("perfect prediction"))
        ax.set_title(self.tr("Held-out houses (20%): predicted against actual"), fontsize=9)
        canvas.redraw()
