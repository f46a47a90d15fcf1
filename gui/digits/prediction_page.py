"""The digit workspace's Prediction page: how sure each network is, which networks answered, and what
the picture network saw (its 28×28 input, the saliency map) beside the pen's path."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QCheckBox, QLabel, QVBoxLayout, QWidget

from gui.digits.images import NetworkView
from gui.digits.path_view import PathView
from gui.digits.probability_bars import ProbabilityBars


class PredictionPage(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.probabilities = ProbabilityBars(self.tr("How sure the network is about each digit"), self.tr("Digit"),
                                             self.tr("Probability"), self)
        self.show_seen = QCheckBox(self.tr("Show what the network saw (28×28 input and saliency)"), self)
        self.show_seen.setObjectName("showNetworkInput")
        self.show_seen.setChecked(True)  # "what it looked at" is half the point: on unless switched off
        self.seen = NetworkView(self.tr("Network input (28×28)"), self.tr("Where it looked"), self)
        self.path_view = PathView(self)
        self.seen.add_column(self.tr("How it was written (pen path)"), self.path_view)
        self.answered_by = QLabel(self)
        self.answered_by.setObjectName("answeredBy")
        self.answered_by.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.probabilities, 3)
        layout.addWidget(self.answered_by)
        layout.addWidget(self.show_seen)
        layout.addWidget(self.seen, 3)

    def show_answered_by(self, reading: Any, pred: Any, why_alone: str) -> None:
        """Which networks answered, and how sure each was (``why_alone``: why the CNN answered alone)."""
        if pred.digit is None:
            self.answered_by.setText("")
        elif reading is None or reading.online_probabilities is None:
            self.answered_by.setText(self.tr("Answered by the picture network (CNN) alone: {why}.").format(
                why=why_alone))
        else:
            cnn, pen = reading.cnn_probabilities, reading.online_probabilities
            self.answered_by.setText(self.tr(
                "Answered by both networks, combined: the picture network (CNN) read {cnn_digit} ({cnn_conf} sure), "
                "the pen-path network read {pen_digit} ({pen_conf} sure).").format(
                cnn_digit=int(cnn.argmax()), cnn_conf=f"{float(cnn.max()):.0%}",
                pen_digit=int(pen.argmax()), pen_conf=f"{float(pen.max()):.0%}"))
