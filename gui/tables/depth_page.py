"""The Tables workspace's depth lab: the decision tree's score on its training folds and on the held-out
folds as it grows deeper, for any mined table — overfitting made visible, as in the Houses lab."""

from __future__ import annotations

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from engine.tables.settings import LOWER_IS_BETTER, metric_label
from gui.common.number_input import WholeSpinBox
from gui.common.plots import PlotCanvas
from gui.tables.data_page import shown_number
from gui.tables.plots import TablePlots

MAX_DEPTH = 12  # the lab cross-validates depths 1 to 12 (engine.tables.explain.depth_lab_task)
MIN_LEAF_MAX = 200


class TableDepthPage(QWidget):
    runRequested = Signal(int)  # min leaf

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.plots = TablePlots(self)
        self.curve: list[dict[str, float]] = []
        self.depth = WholeSpinBox(self)
        self.depth.setObjectName("tableTreeDepth")
        self.depth.setRange(1, MAX_DEPTH)
        self.depth.setValue(6)
        self.depth.setToolTip(self.tr("How many questions the tree may ask before it answers"))
        self.depth.valueChanged.connect(lambda _v: self._redraw())
        self.min_leaf = WholeSpinBox(self)
        self.min_leaf.setObjectName("tableMinLeaf")
        self.min_leaf.setRange(1, MIN_LEAF_MAX)
        self.min_leaf.setValue(2)
        self.min_leaf.setToolTip(self.tr("The fewest training rows a leaf may hold: larger values give smoother "
                                         "trees"))
        self.run_button = QPushButton(self.tr("Run the depth lab"), self)
        self.run_button.setObjectName("depthLabRunButton")
        self.run_button.clicked.connect(lambda: self.runRequested.emit(self.min_leaf.value()))
        self.rerun = QTimer(self)
        self.rerun.setSingleShot(True)
        self.rerun.setInterval(400)  # spin-box arrows: run again once the person pauses
        self.rerun.timeout.connect(lambda: self.runRequested.emit(self.min_leaf.value()))
        self.min_leaf.valueChanged.connect(lambda _v: self.rerun.start() if self.curve else None)
        controls = QHBoxLayout()
        controls.addWidget(QLabel(self.tr("Tree depth:"), self))
        controls.addWidget(self.depth)
        controls.addWidget(QLabel(self.tr("Min. rows per leaf:"), self))
        controls.addWidget(self.min_leaf)
        controls.addWidget(self.run_button)
        controls.addStretch(1)
        self.caption = QLabel(self._first_caption(), self)
        self.caption.setObjectName("depthLabCaption")
        self.caption.setWordWrap(True)
        self.plot = PlotCanvas(self, 5, 3)
        self.plot.setObjectName("depthLabPlot")
        layout = QVBoxLayout(self)
        layout.addLayout(controls)
        layout.addWidget(self.caption)
        layout.addWidget(self.plot, 1)
        self.set_enabled(False)

    def _first_caption(self) -> str:
        return self.tr("Mine a table, then run the depth lab: the tree is cross-validated at each depth from 1 to 12.")

    def set_enabled(self, on: bool) -> None:
        self.run_button.setEnabled(on)

    def clear(self) -> None:
        """No table mined (a new project): no curve, the first caption, the default settings, nothing to run."""
        self.reset(None, 2)
        self.caption.setText(self._first_caption())
        self.set_enabled(False)

    def reset(self, depth: int | None, min_leaf: int) -> None:
        """A new mining: its tree's settings, no curve yet."""
        self.rerun.stop()
        self.curve = []
        self.depth.blockSignals(True)
        self.depth.setValue(depth or 6)
        self.depth.blockSignals(False)
        self.min_leaf.blockSignals(True)
        self.min_leaf.setValue(min_leaf)
        self.min_leaf.blockSignals(False)
        self.plot.clear()
        self.plot.redraw()

    def show_running(self, text: str) -> None:
        self.caption.setText(text)

    def show_curve(self, curve: list[dict[str, float]]) -> None:
        self.curve = curve
        self._redraw()

    def _redraw(self) -> None:
        if not self.curve:
            return
        metric = str(self.curve[0]["metric"])
        lower = metric in LOWER_IS_BETTER
        best = (min if lower else max)(self.curve, key=lambda c: c["cv"])
        chosen = next((c for c in self.curve if int(c["depth"]) == self.depth.value()), None)
        text = self.tr("Best held-out {metric}: {best} at depth {depth} (at least {leaf} rows per leaf).").format(
            metric=metric_label(metric), best=shown_number(best["cv"]), depth=int(best["depth"]),
            leaf=int(best.get("min_leaf", self.min_leaf.value())))
        if chosen is not None:
            line = self.tr("At depth {depth}: {train} on the training folds, {cv} on the held-out folds.")
            text += " " + line.format(
                depth=int(chosen["depth"]), train=shown_number(chosen["train"]), cv=shown_number(chosen["cv"]))
        self.caption.setText(text)
        self.plots.draw_depth_curve(self.plot, self.curve, self.depth.value(), metric_label(metric), lower)
