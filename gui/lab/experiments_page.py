"""The guided experiments: choose one, run it (in the TensorFlow worker, cancellable, cached by its
settings), and read what this machine measured: a chart, a row per variant, and the sentences the
engine writes from the numbers (``engine.lab.readings``)."""

from __future__ import annotations

from functools import partial
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (QComboBox, QHBoxLayout, QHeaderView, QLabel, QPushButton, QSplitter, QTableWidget,
                               QTableWidgetItem, QVBoxLayout, QWidget)

from engine.core.i18n import get_language
from engine.lab.experiments import EXPERIMENTS
from engine.lab.readings import experiment_readings, experiment_title, fix_title
from gui.common.rendered_figure import RenderedFigure
from gui.lab.figures import fill_experiment


class ExperimentsPage(QWidget):
    runRequested = Signal(str)  # the experiment's name

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.result: dict[str, Any] | None = None
        self.combo = QComboBox(self)
        self.combo.setObjectName("labExperimentCombo")
        for name in EXPERIMENTS:
            self.combo.addItem(experiment_title(name, get_language()), name)
        self.combo.currentIndexChanged.connect(self._chosen)
        self.run_button = QPushButton(self.tr("Run the experiment"), self)
        self.run_button.setObjectName("labExperimentRunButton")
        self.run_button.clicked.connect(lambda: self.runRequested.emit(self.combo.currentData()))
        self.about = QLabel(self)
        self.about.setObjectName("labExperimentAbout")
        self.about.setWordWrap(True)
        self.figure = RenderedFigure(self)
        self.figure.setObjectName("labExperimentPlot")
        self.table = QTableWidget(0, 7, self)
        self.table.setObjectName("labExperimentTable")
        self.table.setHorizontalHeaderLabels([self.tr("Variant"), self.tr("Training accuracy"),
                                              self.tr("Validation accuracy"), self.tr("Gap (points)"),
                                              self.tr("Gradient ratio first/last"), self.tr("Diverged"),
                                              self.tr("Seconds")])
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.readings = QLabel(self)
        self.readings.setObjectName("labExperimentReadings")
        self.readings.setWordWrap(True)
        self.readings.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        row = QHBoxLayout()
        row.addWidget(QLabel(self.tr("Experiment:"), self))
        row.addWidget(self.combo, 1)
        row.addWidget(self.run_button)
        lower = QWidget(self)
        lower_layout = QVBoxLayout(lower)
        lower_layout.setContentsMargins(0, 0, 0, 0)
        lower_layout.addWidget(self.table, 1)
        lower_layout.addWidget(self.readings)
        split = QSplitter(Qt.Orientation.Vertical, self)
        split.addWidget(self.figure)
        split.addWidget(lower)
        split.setSizes([300, 260])
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.about)
        layout.addWidget(split, 1)
        self._chosen()

    def shutdown(self, msecs: int) -> bool:
        return self.figure.shutdown(msecs)

    def _about(self, name: str) -> str:
        return {"vanishing": self.tr("A deep sigmoid network trained with plain SGD, then the same with ReLU and "
                                     "with batch normalisation: how much of the last layer's gradient reaches the "
                                     "first?"),
                "exploding": self.tr("Plain SGD at a learning rate far too high, then the same with gradient "
                                     "clipping and with a smaller rate: does the loss explode?"),
                "overfitting": self.tr("A large network on a few hundred digits, then each cure alone: dropout, "
                                       "augmentation, an L2 penalty, early stopping, ten times the data. The bars "
                                       "are training minus validation accuracy."),
                "explainability": self.tr("The same held-out digit explained by the network's saliency and by a "
                                          "decision tree's pixel tests, side by side, with what each explanation "
                                          "costs.")}[name]

    def _chosen(self, *_args: Any) -> None:
        self.about.setText(self._about(self.combo.currentData()))
        if self.result is None or self.result.get("experiment") != self.combo.currentData():
            self.show_result(None)

    def select(self, name: str) -> None:
        self.combo.setCurrentIndex(self.combo.findData(name))

    # -- results -------------------------------------------------------------------------
    def start(self, name: str) -> None:
        self.result = {"experiment": name, "variants": [], "details": {}}
        self.table.setRowCount(0)
        self.readings.setText("")
        self._draw()

    def variant_measured(self, record: dict[str, Any]) -> None:
        """A variant finished: its row now, the chart at the end (the engine's record is partial)."""
        if self.result is not None:
            self.result["variants"].append(record)
            self._add_row(record)

    def show_result(self, result: dict[str, Any] | None) -> None:
        self.result = result
        self.table.setRowCount(0)
        for record in (result or {}).get("variants", []):
            self._add_row(record)
        lang = get_language()
        sentences = experiment_readings(result, lang) if result else []
        note = ""
        if result and result.get("cached"):
            note = self.tr("(Measured earlier with the same settings; read from the cache.)")
        self.readings.setText("\n".join([*sentences, note]).strip())
        self._draw()

    def _add_row(self, v: dict[str, Any]) -> None:
        lang = get_language()
        row = self.table.rowCount()
        self.table.insertRow(row)
        values = (fix_title(v["name"], lang), _pct(v.get("train_accuracy")), _pct(v.get("val_accuracy")),
                  "—" if v.get("gap") is None else f"{v['gap'] * 100:.1f}",
                  "—" if v.get("grad_ratio_first_last") is None else f"{v['grad_ratio_first_last']:.2g}",
                  self.tr("yes, at batch {batch}").format(batch=v.get("diverged_batch")) if v.get("diverged")
                  else self.tr("no"), f"{v.get('seconds', 0.0):.1f}")
        for col, value in enumerate(values):
            item = QTableWidgetItem(value)
            if col >= 1:
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.table.setItem(row, col, item)

    def _draw(self) -> None:
        texts = {"empty": self.tr("Choose an experiment and press “Run the experiment”."),
                 "vanishing": self.tr("Gradient reaching the first layer, as a share of the last's (log scale)"),
                 "ratio": self.tr("first / last gradient norm"),
                 "exploding": self.tr("Validation accuracy; red: the loss exploded"),
                 "val_pct": self.tr("validation accuracy (%)"),
                 "diverged_at": self.tr("diverged at batch {batch}"),
                 "overfitting": self.tr("Training minus validation accuracy, per fix"),
                 "gap": self.tr("gap (points)"), "digit": self.tr("the digit"),
                 "saliency": self.tr("network saliency"),
                 "tree": self.tr("tree's pixel tests (green ≤ threshold)")}
        self.figure.show_figure(partial(fill_experiment, self.result, texts, get_language()))


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value:.1%}"
