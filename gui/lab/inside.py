"""A look inside while the network trains: gradient norm of every layer (log scale), live loss and
accuracy, weight and activation histograms per layer, the share of dead ReLUs, the gap between
training and validation accuracy as a meter; and, once trained, the test results.

Progress arrives every ~0.15 s; the figures are redrawn at most every ``REDRAW_MS`` and rendered
off the GUI thread, so the window keeps answering while a network trains.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import (QComboBox, QGridLayout, QGroupBox, QHBoxLayout, QLabel, QProgressBar, QPushButton, QVBoxLayout,
                               QWidget)
from superqt.utils import qthrottled

from gui.common.rendered_figure import RenderedFigure
from gui.lab.figures import fill_confusion, fill_curves, fill_gradients, fill_histograms

REDRAW_MS = 1000  # live figures at most once a second: each render costs the window interpreter time
STAGGER_MS = 350  # the figures render one after another, never three at once (they share one interpreter)
GAP_WARN, GAP_BAD = 5.0, 15.0  # points of accuracy: the meter turns orange, then red


class InsideView(QWidget):
    """Fed by the tab: ``start(names)``, ``batch(data)``, ``epoch(data)``, ``diverged(reason)``."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.names: list[str] = []
        self.grad_points: list[tuple[int, list[float]]] = []
        self.batch_losses: list[tuple[int, float]] = []
        self.history: list[dict[str, float]] = []
        self.epoch_batches: list[int] = []
        self.diagnostics: dict[str, Any] | None = None
        self._batches_done = 0

        self.curves = RenderedFigure(self)
        self.curves.setObjectName("labCurves")
        self.gradients = RenderedFigure(self)
        self.gradients.setObjectName("labGradientPlot")
        self.histograms = RenderedFigure(self)
        self.histograms.setObjectName("labHistograms")
        self.hist_layer = QComboBox(self)
        self.hist_layer.setObjectName("labHistogramLayer")
        self.hist_layer.setToolTip(self.tr("Which layer's weights and activations the histograms show"))
        self.hist_layer.currentIndexChanged.connect(lambda _i: self._draw_histograms())
        self.dead = QLabel(self.tr("Dead ReLUs: —"), self)
        self.dead.setObjectName("labDeadRelu")
        self.dead.setWordWrap(True)
        self.dead.setToolTip(self.tr("ReLU units that output zero for every one of 256 held-out digits: they "
                                     "no longer learn"))
        self.gap = QProgressBar(self)
        self.gap.setObjectName("labGapMeter")
        self.gap.setRange(0, 100)
        self.gap.setValue(0)
        self.gap.setFormat(self.tr("train − validation gap: —"))
        self.gap.setToolTip(self.tr("Training accuracy minus validation accuracy, in points: a wide gap is "
                                    "overfitting"))
        self.notice = QLabel(self)
        self.notice.setObjectName("labDivergedNotice")
        self.notice.setWordWrap(True)
        self.notice.setStyleSheet("color: #b3261e; font-weight: bold;")
        self.notice.hide()

        hist_row = QHBoxLayout()
        hist_row.addWidget(QLabel(self.tr("Layer:"), self))
        hist_row.addWidget(self.hist_layer, 1)
        health = QGroupBox(self.tr("Health of the training"), self)
        meters = QVBoxLayout(health)
        meters.addWidget(QLabel(self.tr("Overfitting meter (training minus validation accuracy):"), health))
        meters.addWidget(self.gap)
        meters.addWidget(self.dead)
        reading = QLabel(self.tr("How to read these: a layer whose gradient line lies orders of magnitude below the "
                                 "others hardly learns (vanishing gradients); lines that shoot up just before the "
                                 "loss becomes NaN are exploding gradients; a gap that keeps growing while the "
                                 "validation loss rises is overfitting."), health)
        reading.setWordWrap(True)
        reading.setStyleSheet("color: #5f6368;")
        meters.addWidget(reading)
        meters.addStretch(1)
        grid = QGridLayout()
        grid.addWidget(self.gradients, 0, 0)
        grid.addWidget(self.curves, 0, 1)
        hist_box = QVBoxLayout()
        hist_box.addLayout(hist_row)
        hist_box.addWidget(self.histograms, 1)
        grid.addLayout(hist_box, 1, 0)
        grid.addWidget(health, 1, 1)
        grid.setRowStretch(0, 3)
        grid.setRowStretch(1, 2)
        layout = QVBoxLayout(self)
        layout.addWidget(self.notice)
        layout.addLayout(grid, 1)
        self._redraw_live = qthrottled(self._draw_live, REDRAW_MS, leading=True)
        self._curves_later = _single_shot(self, STAGGER_MS, self._draw_curves)
        self._histograms_later = _single_shot(self, 2 * STAGGER_MS, self._draw_histograms)
        self.start([])

    def shutdown(self, msecs: int) -> bool:
        return all([figure.shutdown(msecs) for figure in (self.curves, self.gradients, self.histograms)])

    # -- feeding -------------------------------------------------------------------------
    def start(self, names: list[str]) -> None:
        self.names = list(names)
        self.grad_points, self.batch_losses, self.history, self.epoch_batches = [], [], [], []
        self.diagnostics = None
        self._batches_done = 0
        self.notice.hide()
        self.dead.setText(self.tr("Dead ReLUs: —"))
        self._set_gap(None)
        self.hist_layer.blockSignals(True)
        self.hist_layer.clear()
        self.hist_layer.blockSignals(False)
        self._draw_live()
        self._histograms_later.start()

    def batch(self, data: dict[str, Any]) -> None:
        done = int(data.get("batches_done", 0))
        self._batches_done = done
        if data.get("grad_norms") is not None:
            self.grad_points.append((done, list(data["grad_norms"])))
        if data.get("loss") is not None:
            self.batch_losses.append((done, float(data["loss"])))
        self._redraw_live()

    def epoch(self, data: dict[str, Any]) -> None:
        self.history.append({k: v for k, v in data.items() if k != "diagnostics"})
        self.epoch_batches.append(self._batches_done)
        if data.get("accuracy") is not None and data.get("val_accuracy") is not None:
            self._set_gap((data["accuracy"] - data["val_accuracy"]) * 100)
        diag = data.get("diagnostics")
        if diag:
            self.diagnostics = diag
            self._show_dead(diag)
            current = self.hist_layer.currentIndex()
            self.hist_layer.blockSignals(True)
            self.hist_layer.clear()
            for i, entry in enumerate(diag["layers"]):
                self.hist_layer.addItem(self.names[i] if i < len(self.names) else entry["layer"])
            self.hist_layer.setCurrentIndex(current if 0 <= current < self.hist_layer.count() else 0)
            self.hist_layer.blockSignals(False)
            self._histograms_later.start()
        self._redraw_live()

    def diverged(self, reason: str) -> None:
        self.notice.setText(reason)
        self.notice.show()
        self._draw_live()

    def finish(self, result: dict[str, Any]) -> None:
        """The run's own record is complete (every gradient point, the names Keras gave)."""
        self.grad_points = [(p["batch"], list(p["norms"])) for p in result.get("gradient_norms", [])]
        if result.get("diverged") and result.get("reason"):
            self.diverged(result["reason"])
        self._draw_live()

    # -- showing -------------------------------------------------------------------------
    def _show_dead(self, diag: dict[str, Any]) -> None:
        share = diag.get("dead_relu_share")
        if share is None:
            self.dead.setText(self.tr("Dead ReLUs: no ReLU layer in this network."))
            return
        per_layer = ", ".join(f"{self.names[i] if i < len(self.names) else e['layer']}: {e['dead_relu_share']:.0%}"
                              for i, e in enumerate(diag["layers"]) if "dead_relu_share" in e)
        self.dead.setText(self.tr("Dead ReLUs: {share} of all ReLU units ({layers})").format(
            share=f"{share:.1%}", layers=per_layer))

    def _set_gap(self, points: float | None) -> None:
        if points is None:
            self.gap.setValue(0)
            self.gap.setFormat(self.tr("train − validation gap: —"))
            self.gap.setStyleSheet("")
            return
        self.gap.setValue(int(round(min(max(points, 0.0), 100.0))))
        self.gap.setFormat(self.tr("train − validation gap: {gap} points").format(gap=f"{points:.1f}"))
        color = "#188038" if points < GAP_WARN else "#e37400" if points < GAP_BAD else "#d93025"
        self.gap.setStyleSheet(f"QProgressBar::chunk {{ background: {color}; }}")

    def _draw_live(self) -> None:
        grad_texts = {"title": self.tr("Gradient norm per layer (log scale)"), "batch": self.tr("Batch"),
                      "norm": self.tr("Gradient norm"), "empty": self.tr("Press Run: each layer's gradient appears "
                                                                          "here while it trains")}
        self.gradients.show_figure(partial(fill_gradients, list(self.grad_points), list(self.names), grad_texts))
        self._curves_later.start()

    def _draw_curves(self) -> None:
        curve_texts = {"loss": self.tr("Loss"), "accuracy": self.tr("Accuracy"), "batch": self.tr("Batch"),
                       "epoch": self.tr("Epoch"), "training": self.tr("training"),
                       "validation": self.tr("validation")}
        self.curves.show_figure(partial(fill_curves, list(self.batch_losses), list(self.history),
                                        list(self.epoch_batches), curve_texts))

    def _draw_histograms(self) -> None:
        entry = None
        if self.diagnostics and 0 <= self.hist_layer.currentIndex() < len(self.diagnostics["layers"]):
            entry = self.diagnostics["layers"][self.hist_layer.currentIndex()]
        texts = {"weights": self.tr("Weights"), "activations": self.tr("Activations"),
                 "empty": self.tr("after the first epoch")}
        self.histograms.show_figure(partial(fill_histograms, entry, texts))


class HeldOutView(QWidget):
    """Held-out accuracy, the confusion matrix, and "Try it on my drawing"."""

    tryRequested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.accuracy = QLabel(self.tr("No trained network yet: press Run."), self)
        self.accuracy.setObjectName("labTestAccuracy")
        self.accuracy.setWordWrap(True)
        self.confusion = RenderedFigure(self)
        self.confusion.setObjectName("labConfusion")
        self.try_button = QPushButton(self.tr("Try it on my drawing"), self)
        self.try_button.setObjectName("labTryOnCanvasButton")
        self.try_button.setToolTip(self.tr("Use this network on the Digits canvas; \"Use the shipped model\" "
                                           "there goes back"))
        self.try_button.setEnabled(False)
        self.try_button.clicked.connect(self.tryRequested)
        row = QHBoxLayout()
        row.addWidget(self.accuracy, 1)
        row.addWidget(self.try_button)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.confusion, 1)
        self.show_result(None)

    def shutdown(self, msecs: int) -> bool:
        return self.confusion.shutdown(msecs)

    def show_result(self, run: dict[str, Any] | None) -> None:
        texts = {"title": self.tr("Confusion matrix (rows: true digit, columns: predicted)"),
                 "predicted": self.tr("Predicted"), "true": self.tr("True"),
                 "empty": self.tr("The test runs when training ends")}
        confusion = run.get("confusion") if run else None
        if run is not None and run.get("val_accuracy") is not None:
            self.accuracy.setText(self.tr("Held-out accuracy {val} on {n} digits (training accuracy {train}); "
                                          "{params} parameters, trained in {seconds} s.").format(
                val=f"{run['val_accuracy']:.1%}", n=run["val_size"], train=f"{run['train_accuracy']:.1%}",
                params=f"{run['params']:,}", seconds=f"{run['seconds']:.1f}"))
        elif run is not None and run.get("diverged"):
            self.accuracy.setText(self.tr("No test: the training diverged. {reason}").format(reason=run["reason"]))
        self.try_button.setEnabled(bool(run and run.get("keras_path")))
        self.confusion.show_figure(partial(fill_confusion, confusion, texts))


def _single_shot(parent: QWidget, msecs: int, slot) -> QTimer:
    timer = QTimer(parent)
    timer.setSingleShot(True)
    timer.setInterval(msecs)
    timer.timeout.connect(slot)
    return timer
