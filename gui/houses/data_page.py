"""The data page: where the house data came from, its quality report, CSV import and batch pricing."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QScrollArea, QVBoxLayout, QWidget

from engine.core.i18n import t
from engine.core.results import HouseModelsInfo
from engine.houses.boston import about_dataset, b_column_note


class DataPage(QWidget):
    importRequested = Signal()
    bostonRequested = Signal()
    batchRequested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.summary = QLabel(self)
        self.summary.setObjectName("dataQuality")
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.import_button = QPushButton(self.tr("Import a CSV of houses…"), self)
        self.import_button.setObjectName("importHousesButton")
        self.import_button.clicked.connect(self.importRequested.emit)
        self.boston_button = QPushButton(self.tr("Back to the Boston data"), self)
        self.boston_button.setObjectName("bostonDataButton")
        self.boston_button.clicked.connect(self.bostonRequested.emit)
        self.batch_button = QPushButton(self.tr("Price every house in a CSV…"), self)
        self.batch_button.setObjectName("batchPredictButton")
        self.batch_button.clicked.connect(self.batchRequested.emit)
        about = QLabel(about_dataset(), self)
        about.setWordWrap(True)
        note = QLabel(self.tr("About the B column: ") + b_column_note(), self)
        note.setObjectName("bColumnNote")
        note.setWordWrap(True)
        note.setStyleSheet("background: #fef7e0; padding: 6px; border-radius: 4px;")
        buttons = QHBoxLayout()
        for button in (self.import_button, self.boston_button, self.batch_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        inner = QWidget(self)
        il = QVBoxLayout(inner)
        il.addLayout(buttons)
        il.addWidget(self.summary)
        il.addWidget(about)
        il.addWidget(note)
        il.addStretch(1)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setWidget(inner)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(scroll)

    def show_data(self, info: HouseModelsInfo) -> None:
        q = info.quality
        lines = [self.tr("<b>Data:</b> {label} — {n} houses, fingerprint {sha}").format(
            label=t(info.provenance.label), n=info.provenance.n_samples, sha=info.provenance.sha256[:12])]
        if q is not None:
            lines.append(self.tr("Rows read: {rows}; missing cells: {missing}; non-numeric cells: {bad}; rows "
                                 "dropped: {dropped}.").format(rows=q.rows, missing=sum(q.missing.values()),
                                                              bad=sum(q.non_numeric.values()), dropped=q.dropped_rows))
            lines += [f"• {a}" for a in q.actions]
        self.summary.setText("<br>".join(lines))
