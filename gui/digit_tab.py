"""Digit workspace (the digits GUI work replaces this minimal version)."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from engine.jobs import JobRunner
from engine.session import Session


class DigitTab(QWidget):
    modelReady = Signal()
    statusMessage = Signal(str)

    def __init__(self, session: Session, runner: JobRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session, self.runner = session, runner
        self._ready = False
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(self.tr("The digit workspace is being built."), self))

    def isModelReady(self) -> bool:  # noqa: N802
        return self._ready

    def start_background_work(self) -> None:
        """Load the cached digit model or train the default one, off the GUI thread."""
