"""House workspace (the houses GUI work replaces this minimal version)."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from engine.jobs import JobRunner
from engine.session import Session


class HouseTab(QWidget):
    statusMessage = Signal(str)

    def __init__(self, session: Session, runner: JobRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session, self.runner = session, runner
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(self.tr("The house workspace is being built."), self))

    def start_background_work(self) -> None:
        """Load the Boston data and train the house models, off the GUI thread."""
