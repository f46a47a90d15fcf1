"""The "My handwriting" page: the person's corrected digits and fine-tuning on them."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QListWidget, QListWidgetItem, QPushButton, QVBoxLayout, QWidget

from gui.digits.images import digit_icon


class SamplesPage(QWidget):
    deleteRequested = Signal(list)  # file paths
    fineTuneRequested = Signal()
    sampleChosen = Signal(object)  # (28, 28) image

    def __init__(self, icon_size, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.samples = QListWidget(self)
        self.samples.setObjectName("handwritingSamples")
        self.samples.setViewMode(QListWidget.ViewMode.IconMode)
        self.samples.setIconSize(icon_size)
        self.samples.setResizeMode(QListWidget.ResizeMode.Adjust)
        self.samples.setSelectionMode(QListWidget.SelectionMode.ExtendedSelection)
        self.samples.itemDoubleClicked.connect(lambda item: self.sampleChosen.emit(item.data(Qt.ItemDataRole.UserRole + 1)))
        self.delete_button = QPushButton(self.tr("Delete selected"), self)
        self.delete_button.setObjectName("deleteSamplesButton")
        self.delete_button.clicked.connect(self._delete_selected)
        self.fine_tune_button = QPushButton(self.tr("Fine-tune on my handwriting"), self)
        self.fine_tune_button.setObjectName("fineTuneButton")
        self.fine_tune_button.setToolTip(self.tr("Retrain the current model on MNIST plus your saved digits"))
        self.fine_tune_button.clicked.connect(self.fineTuneRequested.emit)
        self.result = QLabel(self)
        self.result.setObjectName("fineTuneResult")
        self.result.setWordWrap(True)
        explain = QLabel(self.tr("Digits you corrected with “That's wrong…” are kept here, in your own data "
                                 "folder. Double-click one to put it on the canvas."), self)
        explain.setWordWrap(True)
        buttons = QHBoxLayout()
        buttons.addWidget(self.fine_tune_button)
        buttons.addWidget(self.delete_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(explain)
        layout.addWidget(self.samples, 1)
        layout.addLayout(buttons)
        layout.addWidget(self.result)

    def show_samples(self, samples: list, can_fine_tune: bool) -> None:
        self.samples.clear()
        for s in samples:
            item = QListWidgetItem(digit_icon(s.image28), str(s.label))
            item.setData(Qt.ItemDataRole.UserRole, str(s.path))
            item.setData(Qt.ItemDataRole.UserRole + 1, s.image28)
            self.samples.addItem(item)
        self.fine_tune_button.setEnabled(bool(samples) and can_fine_tune)
        self.delete_button.setEnabled(bool(samples))

    def _delete_selected(self) -> None:
        paths = [item.data(Qt.ItemDataRole.UserRole) for item in self.samples.selectedItems()]
        if paths:
            self.deleteRequested.emit(paths)
